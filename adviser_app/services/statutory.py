"""Recording statutory events and marking deadlines; reading the deadlines they produce."""

from __future__ import annotations

from datetime import date

from adviser_app.services.due_rows import DueRow
from adviser_app.domain.statutory.working_days import WorkingDayCalendar
from adviser_app.domain.statutory.child_clock import DueItem, derive, one_decision
from adviser_app.domain.statutory.events import (
    DeadlineMark, DeadlineState, EventDetails, EventKind,
                                       StatutoryEvent)
from adviser_app.domain.mediation import Decision, MediationDraft
from adviser_app.domain.statutory.disagreement_dates import mediation_dates
from adviser_app.store import audit, cases, disagreements, events, families
from adviser_app.store.db import Database
from adviser_app.store.errors import CaseBookError


def calendar_for(db: Database) -> WorkingDayCalendar:
    """England's working days plus the extra bank holidays this case book knows."""
    return WorkingDayCalendar(events.extra_bank_holidays(db))


def _check_child(db: Database, case_id: str, child_id: str) -> None:
    case = cases.get_case(db, case_id)
    if families.family_ids_of_children(db, [child_id]) != {case.family_id}:
        raise CaseBookError("That child is not in this case's family.")


def record_event(db: Database, case_id: str, details: EventDetails, actor: str) -> str:
    _check_child(db, case_id, details.child_id)
    with db.atomic():
        event_id = events.insert_event(db, case_id, details, actor)
        audit.record(db, actor, "created", "statutory_event", event_id)
        return event_id


def change_event(db: Database, event_id: str, details: EventDetails, actor: str) -> None:
    _check_child(db, events.get_event(db, event_id).case_id, details.child_id)
    with db.atomic():
        events.update_event(db, event_id, details, actor)
        audit.record(db, actor, "changed", "statutory_event", event_id)


def remove_event(db: Database, event_id: str, actor: str) -> None:
    with db.atomic():
        events.delete_event(db, event_id, actor)
        audit.record(db, actor, "erased", "statutory_event", event_id)


DISAGREEMENT_PREFIX = "disagreement:"


def mark_deadline(db: Database, event_id: str, deadline_key: str, state: DeadlineState, *,
                  on: date | None, reason: str, actor: str, today: date) -> None:
    """Record that a deadline was met (on a date) or does not apply (with a reason). Dates
    from the mediation wizard keep their marks on the disagreement record."""
    if state is DeadlineState.MET and (on is None or on > today):
        raise CaseBookError("Give the date it was met; it can't be in the future.")
    if state is DeadlineState.NOT_APPLICABLE and not reason.strip():
        raise CaseBookError("Say why this deadline does not apply.")
    if state is DeadlineState.MISSED:
        raise CaseBookError("A missed date is worked out, not marked.")
    if event_id.startswith(DISAGREEMENT_PREFIX):
        _mark_disagreement(db, event_id.removeprefix(DISAGREEMENT_PREFIX), deadline_key,
                           state, on, reason.strip(), actor)
        return
    with db.atomic():
        audit.record(db, actor, "changed", "deadline", f"{event_id}/{deadline_key}",
                     state.value)
        if state is DeadlineState.OPEN:
            events.clear_mark(db, event_id, deadline_key, actor)
        else:
            events.set_mark(db, DeadlineMark(event_id, deadline_key, state, on,
                                             reason.strip()), actor)


def _mark_disagreement(db: Database, disagreement_id: str, key: str, state: DeadlineState,
                       on: date | None, reason: str, actor: str) -> None:
    case_id, draft = disagreements.get(db, disagreement_id)
    marks = tuple(m for m in draft.marks if m.deadline_key != key)
    if state is not DeadlineState.OPEN:
        marks += (DeadlineMark("", key, state, on, reason),)
    with db.atomic():
        audit.record(db, actor, "changed", "deadline", f"{disagreement_id}/{key}",
                     state.value)
        disagreements.save(db, case_id, draft.with_(marks=marks), actor, disagreement_id)


def _disagreement_items(disagreement_id: str, case_id: str, draft: MediationDraft,
                        calendar: WorkingDayCalendar) -> list[DueItem]:
    start = (draft.conduct_on if draft.decision is Decision.DISCRIMINATION
             else draft.letter_sent)
    if start is None:
        return []
    days = [d.isoformat() for d in (draft.letter_dated,) if d is not None]
    stands_for = StatutoryEvent(f"{DISAGREEMENT_PREFIX}{disagreement_id}", case_id,
                                EventDetails(EventKind.DISAGREEMENT, start, draft.child_id,
                                             {"letter_days": days}))
    return [DueItem(stands_for, d.deadline, d.state, d.on, d.reason)
            for d in mediation_dates(draft, calendar)]


def case_deadlines(db: Database, case_id: str) -> list[DueItem]:
    """Deadlines from the case's statutory events and its disagreement records, soonest
    first."""
    found = events.events_for_case(db, case_id)
    calendar = calendar_for(db)
    items = derive(found, events.marks_for(db, [e.id for e in found]), calendar)
    for disagreement_id, draft in disagreements.for_case(db, case_id):
        items += _disagreement_items(disagreement_id, case_id, draft, calendar)
    return _one_of_each(one_decision(items))


def _one_of_each(items: list[DueItem]) -> list[DueItem]:
    """The same deadline from two records (say an appeal deadline from a statutory event and
    from the mediation wizard) is listed once; a limit met (or marked) on either record stays
    met rather than being replaced by an open copy. Two children's deadlines are never
    merged, even with the same rule and date."""
    seen: set[tuple[str, str, str, str]] = set()
    out = []
    for item in sorted(items, key=lambda i: i.is_open):
        key = (item.event.case_id, item.event.details.child_id, item.deadline.key,
               item.deadline.due.isoformat())
        if key not in seen:
            seen.add(key)
            out.append(item)
    return sorted(out, key=lambda i: (i.deadline.due, i.deadline.label))


def open_deadlines(db: Database) -> list[DueRow[DueItem]]:
    """Every open deadline on every open case, soonest first."""
    found = events.events_for_open_cases(db)
    calendar = calendar_for(db)
    items = derive(found, events.marks_for(db, [e.id for e in found]), calendar)
    for disagreement_id, case_id, draft in disagreements.for_open_cases(db):
        items += _disagreement_items(disagreement_id, case_id, draft, calendar)
    items = _one_of_each(one_decision(items))
    case_info = {r["id"]: r for r in db.query(
        "SELECT c.id, c.reference, c.adviser, f.family_name FROM case_file c "
        "JOIN family f ON f.id = c.family_id WHERE c.state = 'open'")}
    child_names = {r["id"]: f"{r['given_name']} {r['family_name']}" for r in db.query(
        "SELECT id, given_name, family_name FROM child")}
    rows = []
    for item in items:
        if not item.is_open:
            continue
        info = case_info[item.event.case_id]
        rows.append(DueRow(item, item.event.case_id, info["reference"], info["family_name"],
                           child_names.get(item.event.details.child_id, ""), info["adviser"],
                           item.event.kind.group))
    return rows


def add_extra_holiday(db: Database, day: date, name: str) -> None:
    if not name.strip():
        raise CaseBookError("Give the holiday a name, e.g. \u201cCoronation bank holiday\u201d.")
    if day.weekday() >= 5:
        raise CaseBookError("That date is a weekend, which is never a working day anyway.")
    with db.atomic():
        events.add_extra_bank_holiday(db, day, name.strip())


def remove_extra_holiday(db: Database, day: date) -> None:
    with db.atomic():
        events.remove_extra_bank_holiday(db, day)
