"""EHC plan time limits beyond the first assessment: draft plans, annual reviews, phase
transfers and re-assessment (SEND Regs 2014 regs 8, 13, 18, 20, 22, 24, 27)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from adviser_app.domain.statutory.deadline import Confidence, Deadline, long
from adviser_app.domain.statutory.periods import (add_days, add_months, add_weeks,
                                        last_day_beginning_with,
                                        last_day_of_months_starting_with, month_clamped)

__all__ = ["TransferKind", "advice_due", "draft_plan_window", "annual_review_due",
           "annual_review_deadlines", "amendment_deadlines", "phase_transfer_deadline",
           "reassessment_deadlines"]

_NO_ROLL = "Regulation deadlines do not move off weekends or bank holidays."


def advice_due(advice_requested: date) -> Deadline:
    due = add_weeks(advice_requested, 6)
    return Deadline(
        key="advice_due", label="Professional advice due", due=due,
        source="SEND Regs 2014 reg 8", confidence=Confidence.SECONDARY,
        explanation=f"6 weeks after the advice was requested on {long(advice_requested)} is "
                    f"{long(due)}.",
        inputs=(("Advice requested", advice_requested),),
        note="There are exceptions, for example where an appointment was missed. " + _NO_ROLL)


def draft_plan_window(draft_served: date) -> list[Deadline]:
    """At least 15 days beginning with the day the draft is served (reg 13(1))."""
    last = last_day_beginning_with(draft_served, 15)
    earliest = add_days(last, 1)
    inputs = (("Draft plan served", draft_served),)
    return [
        Deadline(key="draft_comments", label="Last day to comment on the draft plan", due=last,
                 source="SEND Regs 2014 reg 13(1)", confidence=Confidence.CONFIRMED,
                 explanation=(f"15 days beginning with the day the draft was served, "
                              f"{long(draft_served)} (day 1), end on {long(last)}."),
                 inputs=inputs,
                 note="Use it to comment, ask for a school or college to be named, and ask "
                      "for a meeting with the local authority."),
        Deadline(key="draft_earliest_final", label="Earliest day the LA may finalise the plan",
                 due=earliest, source="SEND Regs 2014 reg 13(1)",
                 confidence=Confidence.CONFIRMED,
                 explanation=f"The day after the 15-day window ends: {long(earliest)}.",
                 inputs=inputs)]


def annual_review_due(plan_made_or_review_completed: date) -> Deadline:
    """CFA 2014 s.44(1): a review "in the period of 12 months starting with" the date the plan
    was made (later, the date the last review was completed). The period includes its first
    day, so its last day is the day before the anniversary."""
    start = plan_made_or_review_completed
    due = last_day_of_months_starting_with(start, 12)
    anniversary = add_months(start, 12)
    if month_clamped(start, 12):
        text = (f"The 12 months starting with {long(start)} (that day counts as the first) run "
                f"to the end of February, as there is no 29 February in {anniversary.year}: "
                f"the last day is {long(due)}")
    else:
        text = (f"The 12 months starting with {long(start)} (that day counts as the first) end "
                f"the day before the anniversary, {long(anniversary)}: the last day is "
                f"{long(due)}")
    return Deadline(key="annual_review_due", label="Annual review due by", due=due,
                    source="CFA 2014 s.44(1)", confidence=Confidence.CONFIRMED,
                    explanation=text + ".",
                    inputs=(("Plan made or last review completed", start),),
                    note="Under-5s: the Code suggests every 3 to 6 months (not confirmed). "
                         + _NO_ROLL)


def annual_review_deadlines(meeting: date) -> list[Deadline]:
    """Notice, papers, report, decision and the Devon 12-week cap, from the meeting date."""
    inputs = (("Review meeting", meeting),)
    before = add_days(meeting, -14)
    return [
        Deadline(key="review_notice", label="Invitations to the review meeting sent by",
                 due=before, source="SEND Regs 2014 reg 20(3)", confidence=Confidence.CONFIRMED,
                 explanation=(f"At least 2 weeks' notice before the meeting on {long(meeting)}:"
                              f" by {long(before)}."), inputs=inputs),
        Deadline(key="review_advice", label="Advice and reports circulated by", due=before,
                 source="SEND Regs 2014 reg 20(4)", confidence=Confidence.CONFIRMED,
                 explanation=(f"At least 2 weeks before the meeting on {long(meeting)}: by "
                              f"{long(before)}."), inputs=inputs),
        Deadline(key="review_report", label="Review report sent by",
                 due=add_weeks(meeting, 2), source="SEND Regs 2014 reg 20 (sub-paragraph "
                 "unconfirmed); local offers", confidence=Confidence.SECONDARY,
                 explanation=(f"2 weeks after the meeting on {long(meeting)} is "
                              f"{long(add_weeks(meeting, 2))}."), inputs=inputs),
        Deadline(key="review_decision", label="LA decision (keep, amend or cease) by",
                 due=add_weeks(meeting, 4), source="SEND Regs 2014 reg 20(10)",
                 confidence=Confidence.CONFIRMED,
                 explanation=(f"4 weeks after the meeting on {long(meeting)} is "
                              f"{long(add_weeks(meeting, 4))}."), inputs=inputs,
                 note="If the plan is to be amended, the proposed amendments should come "
                      "with this decision (R (L, M and P) v Devon CC [2022])."),
        Deadline(key="review_cap", label="Amended plan at the latest (12 weeks)",
                 due=add_weeks(meeting, 12),
                 source="R (L, M and P) v Devon CC [2022] EWHC 493 (Admin); regs 20(10), 22(3)",
                 confidence=Confidence.CONFIRMED,
                 explanation=(f"4 weeks for the decision plus 8 weeks for the amended plan: 12 "
                              f"weeks after the meeting on {long(meeting)} is "
                              f"{long(add_weeks(meeting, 12))}."), inputs=inputs, note=_NO_ROLL),
    ]


def amendment_deadlines(notice_sent: date) -> list[Deadline]:
    """After the LA sends a notice of proposed amendments (reg 22)."""
    inputs = (("Notice of proposed amendments sent", notice_sent),)
    comments = last_day_beginning_with(notice_sent, 15)
    return [
        Deadline(key="amendment_comments", label="Last day to comment on proposed amendments",
                 due=comments, source="SEND Regs 2014 reg 22(2)(c)",
                 confidence=Confidence.CONFIRMED,
                 explanation=(f"At least 15 days beginning with the notice of "
                              f"{long(notice_sent)} (day 1): until {long(comments)}."),
                 inputs=inputs),
        Deadline(key="amended_final", label="Final amended plan issued by",
                 due=add_weeks(notice_sent, 8), source="SEND Regs 2014 reg 22(3)",
                 confidence=Confidence.CONFIRMED,
                 explanation=(f"8 weeks after the notice of {long(notice_sent)} is "
                              f"{long(add_weeks(notice_sent, 8))}."), inputs=inputs,
                 note=_NO_ROLL),
        Deadline(key="decides_not_to_amend", label="If the LA decides not to amend after all",
                 due=add_weeks(notice_sent, 8), source="SEND Regs 2014 reg 22(4); IPSEA",
                 confidence=Confidence.SECONDARY,
                 explanation=(f"8 weeks after the notice of {long(notice_sent)} is "
                              f"{long(add_weeks(notice_sent, 8))}."), inputs=inputs,
                 note="IPSEA gives 8 weeks from the notice for telling you, with reasons, that "
                      "the plan will not be amended after all. That decision can be appealed. "
                      + _NO_ROLL),
    ]


class TransferKind(StrEnum):
    """Phase transfers in reg 18 and its definition in reg 2."""

    SCHOOL_PHASE = "school_phase"  # early years to school, infant to junior, primary to
    # middle or secondary, middle to secondary
    SECONDARY_TO_POST16 = "secondary_to_post16"
    POST16_TO_POST16 = "post16_to_post16"

    @property
    def label(self) -> str:
        return {"school_phase": "Early years, infant, junior, primary or middle to the next "
                                "school",
                "secondary_to_post16": "Secondary school to a post-16 institution",
                "post16_to_post16": "One post-16 institution to another"}[self.value]


def phase_transfer_deadline(kind: TransferKind, *, transfer_year: int | None = None,
                            move_date: date | None = None) -> Deadline:
    """The plan must be reviewed and amended to name the next setting before the limit."""
    if kind is TransferKind.POST16_TO_POST16:
        if move_date is None:
            raise ValueError("a post-16 move needs its date")
        due = add_months(move_date, -5)
        clamped = (" (that month has no such day, so its last day is used)"
                   if month_clamped(move_date, -5) else "")
        return Deadline(
            key="phase_transfer", label="Plan amended for the move by", due=due,
            source="SEND Regs 2014 reg 18(2)", confidence=Confidence.CONFIRMED,
            explanation=(f"At least 5 months before the move on {long(move_date)}: by "
                         f"{long(due)}{clamped}."), inputs=(("Move", move_date),),
            note=_NO_ROLL)
    if transfer_year is None:
        raise ValueError("a phase transfer needs the calendar year of the move")
    day, month_name, limb = ((15, "February", "reg 18(1)(a)")
                             if kind is TransferKind.SCHOOL_PHASE
                             else (31, "March", "reg 18(1)(b)"))
    month = 2 if kind is TransferKind.SCHOOL_PHASE else 3
    limit = date(transfer_year, month, day)
    strict = add_days(limit, -1)
    return Deadline(
        key="phase_transfer", label="Plan amended to name the next school by", due=strict,
        source=f"SEND Regs 2014 {limb}", confidence=Confidence.CONFIRMED,
        explanation=(f"The plan must be amended before {day} {month_name} {transfer_year}, "
                     f"so the last day on a strict reading is {long(strict)}."),
        inputs=(("Year of transfer", date(transfer_year, 1, 1)),),
        note=f"Many guides say \u201cby {day} {month_name}\u201d; the app warns on the "
             "earlier date.")


def reassessment_deadlines(request: date, decision_to_reassess: date | None = None
                           ) -> list[Deadline]:
    out = [Deadline(
        key="reassessment_decision", label="LA decides whether to re-assess by",
        due=add_days(request, 15), source="SEND Regs 2014 reg 25(1); local guidance",
        confidence=Confidence.SECONDARY,
        explanation=(f"15 days after the request of {long(request)} is "
                     f"{long(add_days(request, 15))}."),
        inputs=(("Re-assessment requested", request),),
        note=_NO_ROLL)]
    if decision_to_reassess is not None:
        due = add_weeks(decision_to_reassess, 14)
        out.append(Deadline(
            key="reassessment_final_plan", label="Final plan after re-assessment by", due=due,
            source="SEND Regs 2014 reg 27(2)", confidence=Confidence.CONFIRMED,
            explanation=(f"14 weeks after the decision to re-assess was notified on "
                         f"{long(decision_to_reassess)} is {long(due)}."),
            inputs=(("Decision to re-assess notified", decision_to_reassess),),
            note=_NO_ROLL))
    return out
