"""Every date a disagreement record produces, each with its state (open, met by a later fact
recorded in the wizard, missed, or marked by a person)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from adviser_app.domain import deadlines as rules
from adviser_app.domain.statutory.working_days import ENGLAND, WorkingDayCalendar
from adviser_app.domain.statutory.deadline import Confidence, Deadline, long
from adviser_app.domain.statutory.events import DeadlineMark, DeadlineState
from adviser_app.domain.mediation import (Action, Arranger, Choice, Decision, MediationDraft,
                                          Outcome, rights, who_arranges)
from adviser_app.domain.statutory.mediation_rules import AgreedAction
from adviser_app.domain.validation import format_date

APPEAL_KEY = "appeal"
CONTACT_KEY = "contact_mediation_adviser"
ACTION_PREFIX = "action"  # keys of agreed-action dates: "action1:amended_plan"


@dataclass(frozen=True)
class Dated:
    deadline: Deadline
    state: DeadlineState = DeadlineState.OPEN
    on: date | None = None
    reason: str = ""


def _met(deadline: Deadline, on: date | None, what: str) -> Dated:
    if on is None:
        return Dated(deadline)
    if on > deadline.due:
        return Dated(deadline, DeadlineState.MISSED, on,
                     f"Missed: {what} on {format_date(on)}, after the limit.")
    return Dated(deadline, DeadlineState.MET, on, f"Met: {what} on {format_date(on)}.")


def is_agreement_item(key: str) -> bool:
    """A date that comes from the mediation agreement (an agreed action, or reg 42(4))."""
    return key.startswith(ACTION_PREFIX) or key == "health_body_tells_la"


def mediation_dates(d: MediationDraft, calendar: WorkingDayCalendar = ENGLAND) -> list[Dated]:
    """Contact limit, certificate, 30-day arrangement, health notice, appeal deadline (or the
    discrimination claim limit) and the after-agreement limits, as far as the record goes;
    then any marks a person put on them."""
    if d.decision is Decision.DISCRIMINATION:
        out = ([Dated(rules.discrimination_claim_deadline(d.conduct_on))]
               if d.conduct_on else [])
    elif d.decision is None or d.letter_sent is None:
        return []
    else:
        out = _dates(d, d.letter_sent, calendar)
    marks = {m.deadline_key: m for m in d.marks}
    return [_marked(x.deadline, marks[x.deadline.key]) if x.deadline.key in marks else x
            for x in out]


def _marked(deadline: Deadline, mark: DeadlineMark) -> Dated:
    """A person's mark; "met" on a day after the limit is shown as missed, never met."""
    if mark.state is DeadlineState.MET and mark.on is not None and mark.on > deadline.due:
        return Dated(deadline, DeadlineState.MISSED, mark.on, mark.reason or (
            f"Marked done on {format_date(mark.on)}, after the limit."))
    default = f"Marked met on {format_date(mark.on)}." if mark.state is DeadlineState.MET \
        else ""
    return Dated(deadline, mark.state, mark.on, mark.reason or default)


def _dates(d: MediationDraft, letter_sent: date, calendar: WorkingDayCalendar) -> list[Dated]:
    assert d.decision is not None
    right = rights(d.decision, d.sections)
    out: list[Dated] = []
    if right.certificate_needed:
        contact = rules.mediation_adviser_contact_limit(letter_sent)
        out.append(_met(contact, d.adviser_told, "the mediation adviser was contacted"))
    certificate_from: date | None = None
    reason = ""
    if d.choice is Choice.CERTIFICATE_ONLY and d.adviser_told:
        certificate_from, reason = d.adviser_told, "no_mediation"
    elif d.choice is Choice.MEDIATION and d.outcome.held and d.concluded:
        certificate_from, reason = d.concluded, "mediation_concluded"
    elif d.choice is Choice.MEDIATION and d.outcome is Outcome.LA_CANNOT_ARRANGE and d.concluded:
        certificate_from, reason = d.concluded, "la_cannot_arrange"
    if certificate_from is not None and right.certificate_needed:
        out.append(_met(rules.certificate_due(certificate_from, reason, calendar),
                        d.certificate_issued, "the certificate was issued"))
    if d.choice is Choice.MEDIATION and d.la_told:
        out += _arranging(d, d.la_told, calendar)
    # an outcome counts only while the parent's choice is mediation (a choice changed
    # afterwards leaves the old answers in the record, but the wizard no longer asks them)
    mediated = d.choice is Choice.MEDIATION
    if right.appeal:
        appeal = _appeal_worded(d, rules.appeal_deadline(letter_sent, d.certificate_issued,
                                                         calendar))
        if d.appeal_registered is None:
            out.append(Dated(appeal))
        else:
            out.append(Dated(appeal, DeadlineState.MET, d.appeal_registered,
                             f"Met: the Tribunal registered the appeal on "
                             f"{format_date(d.appeal_registered)}."))
            out.append(Dated(la_response_estimate(d.appeal_registered, calendar)))
    if mediated and d.outcome.agreed and d.concluded:
        for number, action in enumerate(d.actions, start=1):
            out += [Dated(item) for item in agreed_action_dates(d.concluded, action, number)]
        # health-only mediation is the health body's: the LA is never a party to it
        if not d.la_party or who_arranges(d.issues) is Arranger.HEALTH_BODY:
            out.append(Dated(rules.health_body_tells_la_by(d.concluded)))
    return out


def la_response_estimate(registered: date, calendar: WorkingDayCalendar = ENGLAND
                         ) -> Deadline:
    """The local authority's response to an appeal: IPSEA gives 30 working days from
    registration, counted the Tribunal's way (HESC r.12(3)(b)). An estimate only."""
    counted = rules.tribunal_act_due(registered, 30, calendar)
    return replace(
        counted, key="la_response", label="LA's response to the appeal expected by (estimate)",
        source="HESC Rules 2008 r.12(3)(b); IPSEA (30 working days from registration)",
        confidence=Confidence.SECONDARY,
        explanation=counted.explanation.replace(f"after {long(registered)}",
                                                f"after the appeal was registered on "
                                                f"{long(registered)}", 1),
        inputs=(("Appeal registered", registered),),
        note="An estimate: the Tribunal's letter gives the date that counts. " + counted.note)


def _arranging(d: MediationDraft, la_told: date, calendar: WorkingDayCalendar) -> list[Dated]:
    """The 30-day limit (from the LA, or for health-only from the health body being told) and
    the LA's 3 working days to tell the health body."""
    arranger = who_arranges(d.issues)
    held = d.mediation_date or (d.concluded if d.outcome.held else None)
    if arranger is Arranger.HEALTH_BODY:
        health = rules.health_mediation_deadlines(la_told, d.health_body_told, calendar)
        return [_met(health["health_body_told"], d.health_body_told,
                     "the health body was told"),
                _held_or_not(d, health["mediation_arranged"], held)]
    out = [_held_or_not(d, rules.mediation_arranged_by(la_told), held)]
    if arranger is Arranger.LA_WITH_HEALTH:
        out.append(_met(rules.health_body_told_by(la_told, calendar), d.health_body_told,
                        "the health body was told"))
    return out


def _held_or_not(d: MediationDraft, arranged_by: Deadline, held: date | None) -> Dated:
    """The 30-day limit: met or missed by the day mediation took place; once the LA (or
    health body) said it could not arrange it, closed as missed on that day, so it is not
    left overdue for ever: the mediation certificate is what is due next."""
    if held is None and d.outcome is Outcome.LA_CANNOT_ARRANGE and d.concluded is not None:
        return Dated(arranged_by, DeadlineState.MISSED, d.concluded,
                     f"Missed: on {format_date(d.concluded)} the mediation adviser was told "
                     "mediation could not be arranged within 30 days. The mediation "
                     "certificate is due next.")
    return _met(arranged_by, held, "mediation took place")


def _appeal_worded(d: MediationDraft, appeal: Deadline) -> Deadline:
    """The appeal deadline stays for every outcome, worded for what is still open."""
    if d.choice is not Choice.MEDIATION:
        return appeal
    if d.outcome is Outcome.PARTIAL_AGREEMENT:
        return replace(appeal, label="Appeal on the issues not agreed must reach the SEND "
                                     "Tribunal",
                       note=f"Agreed at mediation on some issues only. Still open: "
                            f"{d.still_open.strip() or 'the issues not agreed'}. "
                            + appeal.note)
    if d.outcome is Outcome.AGREEMENT:
        return replace(appeal, label="Appeal (if still needed) must reach the SEND Tribunal",
                       note="Everything was agreed at mediation. The right to appeal the "
                            "decision stays until this date: use it if the agreement does not "
                            "settle the matter. " + appeal.note)
    return appeal


def agreed_action_dates(agreement: date, action: Action, number: int) -> list[Deadline]:
    """Due dates of one agreed action, keyed by its place in the list and named in words a
    family can read ("Educational psychologist visit (agreed at mediation)")."""
    if action.agreed_due is not None:
        items = [rules.agreed_timescale(agreement, action.agreed_due, action.description)]
    else:
        items = rules.after_agreement(agreement, action.kind)
    out = []
    for item in items:
        what = action.description.strip()
        if action.agreed_due is not None:
            label = f"{what or 'Agreed action'} (date agreed in writing)"
        elif action.kind is AgreedAction.NOT_APPEALABLE:
            label = f"{what or 'Agreed action'} (agreed at mediation)"
        else:
            label = item.label + (f" (agreed: {what[0].lower() + what[1:]})" if what else "")
        out.append(replace(item, key=f"{ACTION_PREFIX}{number}:{item.key}", label=label))
    return out
