"""The first EHC needs assessment, annual reviews, the Tribunal's own time limits and their
roll-forward, the appeal deadline, the mediation certificate and health-only mediation
(SEND Regs 2014 regs 4-13, 32-34, 45 and 51; HESC rules 12 and 20).
Regulation deadlines never roll forward; only the Tribunal's appeal deadline does."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from adviser_app.domain.statutory.working_days import ENGLAND, WorkingDayCalendar
from adviser_app.domain.statutory.deadline import Confidence, Deadline, long, short
from adviser_app.domain.statutory.mediation_rules import health_body_told_by as health_body_told_by
from adviser_app.domain.statutory.periods import (add_days, add_months, add_weeks,
                                        in_tribunal_christmas,
                                        last_day_of_months_starting_with, month_clamped)
from adviser_app.domain.validation import plural

__all__ = ["Confidence", "Deadline", "WorkingDayCalendar", "add_working_days",
           "appeal_deadline", "certificate_due", "discrimination_claim_deadline",
           "ehc_assessment_deadlines", "health_mediation_deadlines", "tribunal_act_due",
           "tribunal_roll_forward"]


def add_working_days(start: date, n: int, calendar: WorkingDayCalendar = ENGLAND) -> date:
    """The n-th working day in England after *start*; *start* itself is not counted."""
    return calendar.add_working_days(start, n)


def tribunal_roll_forward(raw: date, calendar: WorkingDayCalendar = ENGLAND
                          ) -> tuple[date, str]:
    """HESC r.12(3)(a) then r.12(2): August and 25 Dec-1 Jan move to the first working day
    after 31 August / 1 January; any other non-working day moves to the next working day."""
    if raw.month == 8:
        moved = calendar.first_working_day_after(date(raw.year, 8, 31))
        return moved, (f"{short(raw)} is in August, so the Tribunal rules move it to the "
                       f"first working day after 31 August: {long(moved)}.")
    if in_tribunal_christmas(raw):
        new_year = date(raw.year + 1 if raw.month == 12 else raw.year, 1, 1)
        moved = calendar.first_working_day_after(new_year)
        return moved, (f"{short(raw)} falls between 25 December and 1 January, so the Tribunal "
                       f"rules move it to the first working day after 1 January: "
                       f"{long(moved)}.")
    if calendar.is_working_day(raw):
        return raw, f"{long(raw)} is a working day, so it stays."
    steps = [f"that is {calendar.why_not_working(raw)}, so the Tribunal rules move it to the "
             "next working day"]
    day = raw
    while True:
        day = date.fromordinal(day.toordinal() + 1)
        reason = calendar.why_not_working(day)
        if reason is None:
            break
        if reason.startswith("a bank holiday"):
            steps.append(f"{short(day)} is {reason}")
    if len(steps) == 1:
        return day, f"{steps[0]}: {long(day)}."
    return day, "; ".join(steps) + f", so the deadline is {long(day)}."


def appeal_deadline(decision_letter_sent: date, certificate_issued: date | None = None,
                    calendar: WorkingDayCalendar = ENGLAND) -> Deadline:
    """Last day for the SEND Tribunal to receive the appeal (HESC r.20(1)(c), r.12)."""
    two_months = add_months(decision_letter_sent, 2)
    text = (f"2 months after the decision letter was sent on {long(decision_letter_sent)} is "
            f"{long(two_months)}")
    if month_clamped(decision_letter_sent, 2):
        text += " (that month has no such day, so its last day is used)"
    raw = two_months
    inputs: list[tuple[str, date]] = [("Decision letter sent", decision_letter_sent)]
    if certificate_issued is not None:
        inputs.append(("Mediation certificate issued", certificate_issued))
        one_month = add_months(certificate_issued, 1)
        text += (f"; 1 month after the mediation certificate of {long(certificate_issued)} is "
                 f"{long(one_month)}")
        if month_clamped(certificate_issued, 1):
            text += " (that month has no such day, so its last day is used)"
        if one_month > two_months:
            raw = one_month
            text += "; the later of the two counts, so the certificate date wins"
        else:
            text += "; the later of the two counts, so the 2-month date stands"
    due, roll_text = tribunal_roll_forward(raw, calendar)
    text += (". " if not roll_text.startswith("that is") else "; ") + roll_text
    note = "The Tribunal must receive the appeal form by then (by 5pm is safest)."
    if due != raw and (due.month == 8 or in_tribunal_christmas(due)):
        later, _ = tribunal_roll_forward(due, calendar)
        note += (f" Check this date: the next working day falls in the Tribunal's "
                 f"{'August' if due.month == 8 else 'Christmas'} period, and the Tribunal may "
                 f"treat the deadline as {long(later)}. The earlier date is shown to be safe.")
    return Deadline(
        key="appeal", label="Appeal must reach the SEND Tribunal", due=due,
        source="HESC Rules 2008 r.20(1)(c) and r.12(2), r.12(3)(a)",
        confidence=Confidence.CONFIRMED, explanation=text, inputs=tuple(inputs),
        rolled_forward=due != raw, note=note)


CERTIFICATE_TRIGGERS = {
    "no_mediation": ("the parent or young person told the mediation adviser they do not want "
                     "mediation", "SEND Regs 2014 reg 34(1) (the 3-working-day figure from "
                     "IPSEA and local offers)", Confidence.SECONDARY),
    "mediation_concluded": ("the mediation concluded", "SEND Regs 2014 (certificate after "
                            "mediation; regulation number unconfirmed)", Confidence.SECONDARY),
    "la_cannot_arrange": ("the local authority told the mediation adviser it cannot arrange "
                          "mediation within 30 days", "SEND Regs 2014 (regulation number "
                          "unconfirmed, believed reg 37)", Confidence.SECONDARY),
}


CERTIFICATE_INPUTS = {"no_mediation": "Told the mediation adviser: no mediation",
                      "mediation_concluded": "Mediation concluded",
                      "la_cannot_arrange": "LA said it cannot arrange mediation"}
"""How each trigger is named where a date explains what it was worked out from."""


def certificate_due(trigger: date, reason: str = "no_mediation",
                    calendar: WorkingDayCalendar = ENGLAND) -> Deadline:
    """The mediation certificate is due 3 working days after *trigger*."""
    what, source, confidence = CERTIFICATE_TRIGGERS[reason]
    due = calendar.add_working_days(trigger, 3)
    skipped = _skipped_days(trigger, due, calendar)
    text = (f"3 working days after {long(trigger)}, when {what}, is {long(due)}"
            + (f" ({skipped} not counted)" if skipped else "") + ".")
    return Deadline(key=f"certificate_{reason}", label="Mediation certificate due", due=due,
                    source=source, confidence=confidence, explanation=text,
                    inputs=((CERTIFICATE_INPUTS[reason], trigger),),
                    note="Regulation deadlines do not move off weekends or bank holidays.")


def _skipped_days(start: date, end: date, calendar: WorkingDayCalendar) -> str:
    names = []
    day = start
    while day < end:
        day = date.fromordinal(day.toordinal() + 1)
        reason = calendar.why_not_working(day)
        if reason and reason.startswith("a bank holiday"):
            names.append(f"{short(day)}, {reason}")
    weekend = sum(1 for o in range(start.toordinal() + 1, end.toordinal() + 1)
                  if date.fromordinal(o).weekday() >= 5)
    parts = names + ([plural(weekend, 'weekend day')] if weekend else [])
    return "; ".join(parts)


def _weeks_after(key: str, label: str, start: date, weeks: int, start_name: str,
                 source: str, confidence: Confidence, note: str = "") -> Deadline:
    due = add_weeks(start, weeks)
    return Deadline(key=key, label=label, due=due, source=source, confidence=confidence,
                    explanation=(f"{plural(weeks, 'week')} after "
                                 f"{start_name} on {long(start)} is {long(due)}."),
                    inputs=((start_name.capitalize(), start),), note=note)


NO_ROLL = ("Regulation deadlines do not move off weekends or bank holidays: the local "
           "authority must act by this date.")


SUMMER_CLOSURE = ("This period covers August. The local authority may rely on the exception "
                  "in reg 10(4)(a) (and regs 5(4), 13(3)) if it asked a school for advice at "
                  "any time from one week before a closure of 4 weeks or more, such as the "
                  "summer holiday, until one week before the school reopens. "
                  "That is an excuse the authority must show applies; the date itself does "
                  "not move.")


def _covers_august(start: date, end: date) -> bool:
    """Whether any day after *start* up to *end* is in August."""
    return any(date(year, 8, 31) > start and date(year, 8, 1) <= end
               for year in range(start.year, end.year + 1))


def ehc_assessment_deadlines(request_received: date) -> dict[str, Deadline]:
    """The 6-, 16- and 20-week limits from an EHC needs assessment request (regs 5, 10, 13).
    Where a window covers August, a note names the summer-closure exception (never moving
    the date)."""
    start = "the request was received"
    found = {
        "decide_whether_to_assess": _weeks_after(
            "decide_whether_to_assess", "LA decides whether to assess", request_received, 6,
            start, "SEND Regs 2014 reg 5(1)", Confidence.CONFIRMED, NO_ROLL),
        "decide_no_plan": _weeks_after(
            "decide_no_plan", "LA tells you if it will not issue a plan", request_received, 16,
            start, "SEND Regs 2014 reg 10(1)", Confidence.CONFIRMED, NO_ROLL),
        "final_plan": _weeks_after(
            "final_plan", "Final EHC plan issued", request_received, 20, start,
            "SEND Regs 2014 reg 13(2)", Confidence.CONFIRMED, NO_ROLL),
    }
    return {key: (replace(d, note=f"{SUMMER_CLOSURE} {d.note}")
                  if _covers_august(request_received, d.due) else d)
            for key, d in found.items()}


def _tribunal_counts(day: date, calendar: WorkingDayCalendar) -> bool:
    return calendar.is_working_day(day) and day.month != 8 and not in_tribunal_christmas(day)


def tribunal_act_due(start: date, working_days: int,
                     calendar: WorkingDayCalendar = ENGLAND) -> Deadline:
    """A Tribunal time limit other than starting an appeal, in working days after *start*
    (HESC r.12(3)(b)): no day in August and no day from 25 December to 1 January counts."""
    if working_days < 0:
        raise ValueError("working_days must be zero or more")
    day, counted, skipped = start, 0, []
    while counted < working_days:
        day = date.fromordinal(day.toordinal() + 1)
        if day.month == 8:  # jump the whole of August
            if "August" not in skipped:
                skipped.append("August")
            day = date(day.year, 8, 31)
            continue
        if in_tribunal_christmas(day):
            if "25 December to 1 January" not in skipped:
                skipped.append("25 December to 1 January")
            day = date(day.year if day.month == 1 else day.year + 1, 1, 1)
            continue
        if calendar.is_working_day(day):
            counted += 1
    text = (f"{plural(working_days, 'working day')} after "
            f"{long(start)}, not counting weekends and bank holidays"
            + (f" nor any day of {' or '.join(skipped)}" if skipped else "")
            + f", is {long(day)}.")
    return Deadline(key="tribunal_act", label=f"{working_days} Tribunal working days after",
                    due=day, source="HESC Rules 2008 r.12(3)(b)",
                    confidence=Confidence.CONFIRMED, explanation=text,
                    inputs=(("Start", start),),
                    note="The Tribunal does not count August or 25 December to 1 January for "
                         "time limits other than starting an appeal, unless it has fixed a "
                         "calendar date.")


def discrimination_claim_deadline(conduct: date) -> Deadline:
    """A disability discrimination claim: 6 months starting with the conduct complained of
    (Equality Act 2010 Sch 17 para 4(1)). A claim, not an appeal: no certificate."""
    due = last_day_of_months_starting_with(conduct, 6)
    corresponding = add_months(conduct, 6)
    if month_clamped(conduct, 6):
        text = (f"The 6 months starting with {long(conduct)} (that day counts as the first) "
                f"run to the end of {due:%B %Y}, as that month has no "
                f"{conduct.day}{'st' if conduct.day == 31 else 'th'}: the last day is "
                f"{long(due)}.")
    else:
        text = (f"The 6 months starting with {long(conduct)} (that day counts as the first) "
                f"end the day before {long(corresponding)}: the last day is {long(due)}.")
    return Deadline(
        key="discrimination_claim", label="Discrimination claim must reach the SEND Tribunal",
        due=due, source="Equality Act 2010 Sch 17 para 4", confidence=Confidence.CONFIRMED,
        explanation=text, inputs=(("Conduct complained of", conduct),),
        note="This is a claim, not an appeal: no mediation certificate is needed. The Tribunal "
             "can accept a late claim if it thinks it just to, but do not rely on it. The "
             "Tribunal's August and Christmas rule does not apply, and the date does not move "
             "off a weekend: send the claim earlier.")


def health_mediation_deadlines(parent_told_la: date, health_body_told: date | None = None,
                               calendar: WorkingDayCalendar = ENGLAND) -> dict[str, Deadline]:
    """Health-only mediation: the LA tells the health body within 3 working days of hearing
    from the parent; the health body arranges mediation within 30 days of being told. Until the
    day it was told is known, the 30 days count from the last day the LA may tell it."""
    notice = health_body_told_by(parent_told_la, calendar)  # the same 3 working days
    told_by = notice.due
    if health_body_told is not None:
        start = health_body_told
        text = (f"30 calendar days after the local authority told the health body on "
                f"{long(health_body_told)} is {long(add_days(start, 30))}.")
        inputs: tuple[tuple[str, date], ...] = (("Health body told", health_body_told),)
        extra = ""
    else:
        start = told_by
        text = (f"The date the local authority told the health body is not known yet, so this "
                f"counts from the last day it may do so, {long(told_by)}: 30 calendar days "
                f"later is {long(add_days(start, 30))}.")
        inputs = (("Local authority told", parent_told_la),)
        extra = ("Record the day the health body was told: if it was earlier, this date comes "
                 "earlier too. ")
    arranged = Deadline(
        key="mediation_arranged", label="Health body must arrange mediation by",
        due=add_days(start, 30), source="SEND Regs 2014 (30-day duty; regulation number "
        "unconfirmed); IPSEA", confidence=Confidence.SECONDARY, explanation=text,
        inputs=inputs,
        note=extra + "Sources differ on whether mediation must take place or only be arranged "
             "by this date; if it has not happened by then, ask for a certificate. Regulation "
             "deadlines do not move off weekends or bank holidays.")
    return {"health_body_told": notice, "mediation_arranged": arranged}

