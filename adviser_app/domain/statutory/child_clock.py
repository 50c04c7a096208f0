"""From a child's statutory events to their deadlines: derived, never typed, with state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from adviser_app.domain import deadlines as rules
from adviser_app.domain.statutory.working_days import ENGLAND, WorkingDayCalendar
from adviser_app.domain.statutory.deadline import Confidence, Deadline
from adviser_app.domain.statutory.events import (DeadlineMark, DeadlineState, EventKind,
                                       StatutoryEvent)
from adviser_app.domain.statutory.ehc_plan_rules import TransferKind
from adviser_app.domain.statutory.mediation_rules import AgreedAction, UnopposedAppeal
from adviser_app.domain.validation import format_date

K = EventKind


def _appealable(letter_sent: date, calendar: WorkingDayCalendar) -> list[Deadline]:
    return [rules.mediation_adviser_contact_limit(letter_sent),
            rules.appeal_deadline(letter_sent, calendar=calendar)]


def deadlines_for_event(event: StatutoryEvent, calendar: WorkingDayCalendar = ENGLAND
                        ) -> list[Deadline]:
    """Every deadline one event starts."""
    d, p, kind = event.event_date, event.details.params, event.kind
    if kind is K.EHC_REQUEST_RECEIVED:
        return list(rules.ehc_assessment_deadlines(d).values())
    if kind is K.ADVICE_REQUESTED:
        return [rules.advice_due(d)]
    if kind is K.ASSESSMENT_DECISION:
        return _appealable(d, calendar) if p.get("outcome") == "refuse" else []
    if kind is K.DECISION_NOT_TO_ISSUE:
        return _appealable(d, calendar)
    if kind is K.DRAFT_PLAN_SERVED:
        return rules.draft_plan_window(d)
    if kind is K.FINAL_PLAN_ISSUED:
        return [rules.annual_review_due(d)] + _appealable(d, calendar)
    if kind is K.ANNUAL_REVIEW_MEETING:
        return rules.annual_review_deadlines(d) + [rules.annual_review_due(d)]
    if kind is K.REVIEW_DECISION:
        return _appealable(d, calendar) if p.get("outcome") in APPEALABLE_REVIEW else []
    if kind is K.AMENDMENT_NOTICE_SENT:
        return rules.amendment_deadlines(d)
    if kind is K.FINAL_AMENDED_PLAN_ISSUED:
        return _appealable(d, calendar)
    if kind is K.PHASE_TRANSFER:
        transfer = TransferKind(p["transfer_kind"])
        if transfer is TransferKind.POST16_TO_POST16:
            return [rules.phase_transfer_deadline(transfer,
                                                  move_date=date.fromisoformat(p["move_date"]))]
        return [rules.phase_transfer_deadline(transfer, transfer_year=int(p["transfer_year"]))]
    if kind is K.REASSESSMENT_REQUESTED:
        return rules.reassessment_deadlines(d)
    if kind is K.REASSESSMENT_DECISION:
        if p.get("outcome") == "refuse":
            return _appealable(d, calendar)
        return rules.reassessment_deadlines(d, d)[1:]
    if kind is K.TRIBUNAL_ORDER:
        sent = p.get("sent")
        return rules.after_order(d, AgreedAction(p["action"]),
                                 date.fromisoformat(sent) if sent else None)
    if kind is K.UNOPPOSED_APPEAL:
        return _unopposed(d, p)
    raise ValueError(f"no rules for {kind}")


def _unopposed(d: date, p: dict[str, object]) -> list[Deadline]:
    appealed = p.get("appealed")
    if appealed:
        return rules.unopposed_appeal_deadlines(d, UnopposedAppeal(str(appealed)))
    # recorded before the form asked which decision was appealed: the old yes/no answer,
    # shown with "check this date" until the event is edited to say which decision it was
    old = rules.unopposed_appeal_deadlines(d, contents_appeal=bool(p.get("contents")))
    return [replace(x, confidence=Confidence.UNCONFIRMED,
                    note="Check this date: edit the event to say which decision was "
                         "appealed, as each has its own time limit. " + x.note) for x in old]


APPEALABLE_REVIEW = ("keep", "cease", "not_amend_after_notice")
NOT_AMENDING = "not_amend_after_notice"


# A deadline is met automatically when a later event of one of these kinds is recorded for
# the same child (on or after the event that started it).
_MET_BY: dict[tuple[EventKind, str], tuple[EventKind, ...]] = {
    (K.EHC_REQUEST_RECEIVED, "decide_whether_to_assess"): (K.ASSESSMENT_DECISION,),
    (K.EHC_REQUEST_RECEIVED, "decide_no_plan"): (K.DECISION_NOT_TO_ISSUE,),
    (K.EHC_REQUEST_RECEIVED, "final_plan"): (K.FINAL_PLAN_ISSUED,),
    (K.FINAL_PLAN_ISSUED, "annual_review_due"): (K.ANNUAL_REVIEW_MEETING,),
    (K.ANNUAL_REVIEW_MEETING, "annual_review_due"): (K.ANNUAL_REVIEW_MEETING,),
    (K.ANNUAL_REVIEW_MEETING, "review_decision"): (K.REVIEW_DECISION,),
    (K.ANNUAL_REVIEW_MEETING, "review_cap"): (K.FINAL_AMENDED_PLAN_ISSUED,),
    (K.AMENDMENT_NOTICE_SENT, "amended_final"): (K.FINAL_AMENDED_PLAN_ISSUED,),
    (K.REASSESSMENT_REQUESTED, "reassessment_decision"): (K.REASSESSMENT_DECISION,),
    (K.REASSESSMENT_DECISION, "reassessment_final_plan"): (K.FINAL_PLAN_ISSUED,
                                                           K.FINAL_AMENDED_PLAN_ISSUED),
}
# ...and no longer applies when one of these happens instead (reg 10(1) times only a decision
# NOT to issue a plan: a plan on its way makes that limit not needed, never met or missed).
_VOIDED_BY: dict[tuple[EventKind, str], tuple[EventKind, ...]] = {
    (K.EHC_REQUEST_RECEIVED, "decide_no_plan"): (K.DRAFT_PLAN_SERVED, K.FINAL_PLAN_ISSUED),
    (K.EHC_REQUEST_RECEIVED, "final_plan"): (K.DECISION_NOT_TO_ISSUE,),
    (K.AMENDMENT_NOTICE_SENT, "decides_not_to_amend"): (K.FINAL_AMENDED_PLAN_ISSUED,),
    (K.ANNUAL_REVIEW_MEETING, "review_cap"): (K.REVIEW_DECISION,),
}
# ...but only a later event with one of these outcomes voids it: a decision to amend is
# exactly what the Devon 12-week cap is for, so it keeps the cap open.
_VOIDING_OUTCOMES: dict[tuple[EventKind, str], tuple[str, ...]] = {
    (K.ANNUAL_REVIEW_MEETING, "review_cap"): ("keep", "cease", "not_amend_after_notice"),
}


@dataclass(frozen=True)
class DueItem:
    """One deadline of one event, with whether it is still open."""

    event: StatutoryEvent
    deadline: Deadline
    state: DeadlineState = DeadlineState.OPEN
    state_on: date | None = None
    reason: str = ""

    @property
    def is_open(self) -> bool:
        return self.state is DeadlineState.OPEN


def _later_event(event: StatutoryEvent, kinds: tuple[EventKind, ...],
                 events: list[StatutoryEvent], outcomes: tuple[str, ...] | None = None
                 ) -> StatutoryEvent | None:
    for other in events:  # already one child's events, in date order (see derive)
        if other.id == event.id or other.kind not in kinds:
            continue
        if outcomes is not None and other.details.params.get("outcome") not in outcomes:
            continue
        same_kind = other.kind is event.kind
        if other.event_date > event.event_date or (
                not same_kind and other.event_date == event.event_date):
            return other
    return None


def _refused_assessment(event: StatutoryEvent, events: list[StatutoryEvent]) -> bool:
    """*events* are the same child's."""
    return any(e.kind is K.ASSESSMENT_DECISION and e.details.params.get("outcome") == "refuse"
               and e.event_date >= event.event_date for e in events)


def _not_amending(event: StatutoryEvent, events: list[StatutoryEvent]
                  ) -> StatutoryEvent | None:
    """A later decision not to amend after all (reg 22(4)), for a notice of amendments."""
    for other in events:
        if (other.kind is K.REVIEW_DECISION and other.details.params.get("outcome") == NOT_AMENDING
                and other.event_date >= event.event_date):
            return other
    return None


def derive(events: Iterable[StatutoryEvent], marks: Iterable[DeadlineMark] = (),
           calendar: WorkingDayCalendar = ENGLAND) -> list[DueItem]:
    """All deadlines of *events*, each open, met or not applicable, soonest first."""
    by_key = {(m.event_id, m.deadline_key): m for m in marks}
    by_child: dict[str, list[StatutoryEvent]] = {}
    for event in sorted(events, key=lambda e: e.event_date):  # sorted once, grouped once
        by_child.setdefault(event.details.child_id, []).append(event)
    out = []
    for child_events in by_child.values():
        for event in child_events:
            for deadline in deadlines_for_event(event, calendar):
                out.append(_with_state(event, deadline, child_events, by_key))
    return sorted(out, key=lambda item: (item.deadline.due, item.deadline.label))


def _with_state(event: StatutoryEvent, deadline: Deadline, events: list[StatutoryEvent],
                marks: dict[tuple[str, str], DeadlineMark]) -> DueItem:
    mark = marks.get((event.id, deadline.key))
    if mark is not None:
        if mark.state is DeadlineState.MET and mark.on is not None and mark.on > deadline.due:
            return DueItem(event, deadline, DeadlineState.MISSED, mark.on,
                           mark.reason or f"Marked done on {format_date(mark.on)}, after the "
                                          "limit.")
        return DueItem(event, deadline, mark.state, mark.on, mark.reason)
    rule = (event.kind, deadline.key)
    if (event.kind is K.EHC_REQUEST_RECEIVED and deadline.key in ("decide_no_plan",
                                                                  "final_plan")
            and _refused_assessment(event, events)):
        return DueItem(event, deadline, DeadlineState.NOT_APPLICABLE, None,
                       "The local authority refused to assess.")
    if event.kind is K.AMENDMENT_NOTICE_SENT:
        decided = _not_amending(event, events)
        if decided is not None:
            said = f"{decided.kind.label}: not to amend after all, on " \
                   f"{format_date(decided.event_date)}."
            if deadline.key == "decides_not_to_amend":
                return _done(event, deadline, decided.event_date, said)
            if deadline.key == "amended_final":
                return DueItem(event, deadline, DeadlineState.NOT_APPLICABLE,
                               decided.event_date, f"Not needed: {said}")
    voided = _later_event(event, _VOIDED_BY.get(rule, ()), events,
                          _VOIDING_OUTCOMES.get(rule))
    if voided is not None:
        return DueItem(event, deadline, DeadlineState.NOT_APPLICABLE, voided.event_date,
                       f"Not needed: {voided.kind.label} on "
                       f"{format_date(voided.event_date)}.")
    done = _later_event(event, _MET_BY.get(rule, ()), events)
    if done is not None:
        return _done(event, deadline, done.event_date,
                     f"{done.kind.label} on {format_date(done.event_date)}.")
    return DueItem(event, deadline)


def _done(event: StatutoryEvent, deadline: Deadline, on: date, said: str) -> DueItem:
    """Met on or before the limit; missed (done late) after it, never "Met"."""
    if on > deadline.due:
        return DueItem(event, deadline, DeadlineState.MISSED, on,
                       f"Missed: {said.rstrip('.')}, after the limit.")
    return DueItem(event, deadline, DeadlineState.MET, on, f"Met: {said}")


DECISION_KEYS = ("contact_mediation_adviser", "appeal")


def one_decision(items: list[DueItem]) -> list[DueItem]:
    """One decision, one set of dates: where a decision recorded as a statutory event is also
    recorded in the mediation wizard (same child, letter sent or dated the same day), the
    wizard's contact limit and appeal deadline stand (they know the certificate) and the
    event's are dropped; a mark a person put on the event's date is kept on the wizard's."""
    records = {i.event.id: i.event for i in items if i.event.kind is K.DISAGREEMENT}
    if not records:
        return items
    wizard = {(i.event.id, i.deadline.key): i for i in items if i.event.id in records}
    replaced: dict[tuple[str, str], DueItem] = {}
    dropped: set[int] = set()
    for n, item in enumerate(items):
        if item.event.kind is K.DISAGREEMENT or item.deadline.key not in DECISION_KEYS:
            continue
        for record in records.values():
            days = {record.event_date, *(date.fromisoformat(v) for v in
                                         record.details.params.get("letter_days", ()))}
            if (record.details.child_id != item.event.details.child_id
                    or item.event.event_date not in days):
                continue
            twin = replaced.get((record.id, item.deadline.key)) or wizard.get(
                (record.id, item.deadline.key))
            if twin is None:  # the wizard has no such date (say no certificate is needed)
                continue
            dropped.add(n)
            if twin.is_open and not item.is_open:
                replaced[(record.id, item.deadline.key)] = DueItem(
                    twin.event, twin.deadline, item.state, item.state_on, item.reason)
            break
    out = [replaced.get((i.event.id, i.deadline.key), i) for n, i in enumerate(items)
           if n not in dropped]
    return out
