"""Statutory events, the marks people put on their deadlines, and extra bank holidays."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlite_utils import Database

from adviser_app.domain.statutory.events import (
    DeadlineMark, DeadlineState, EventDetails, EventKind,
                                       StatutoryEvent)
from adviser_app.store.cases import touch_case
from adviser_app.store.rows import get_row, iso, new_id, now_stamp, stamps, to_date


def _row(details: EventDetails) -> dict[str, Any]:
    return {"kind": details.kind.value, "event_date": details.event_date.isoformat(),
            "child_id": details.child_id, "params": json.dumps(details.params, sort_keys=True),
            "document": details.document, "notes": details.notes}


def _event(row: dict[str, Any]) -> StatutoryEvent:
    return StatutoryEvent(row["id"], row["case_id"], EventDetails(
        EventKind(row["kind"]), date.fromisoformat(row["event_date"]), row["child_id"],
        json.loads(row["params"]), row["document"], row["notes"]), row["updated_at"])


def insert_event(db: Database, case_id: str, details: EventDetails, actor: str) -> str:
    event_id = new_id()
    db.table("statutory_event").insert({"id": event_id, "case_id": case_id, **_row(details),
                                        **stamps(actor, created=True)})
    touch_case(db, case_id, actor)
    return event_id


def update_event(db: Database, event_id: str, details: EventDetails, actor: str) -> None:
    event = get_event(db, event_id)
    db.table("statutory_event").update(event_id, {**_row(details),
                                                  **stamps(actor, created=False)})
    touch_case(db, event.case_id, actor)


def delete_event(db: Database, event_id: str, actor: str) -> None:
    event = get_event(db, event_id)
    db.execute("DELETE FROM statutory_event WHERE id = ?", [event_id])
    touch_case(db, event.case_id, actor)


def get_event(db: Database, event_id: str) -> StatutoryEvent:
    return _event(get_row(db, "statutory_event", event_id, "event"))


def events_for_case(db: Database, case_id: str) -> list[StatutoryEvent]:
    return [_event(r) for r in db.query(
        "SELECT * FROM statutory_event WHERE case_id = ? ORDER BY event_date, created_at",
        [case_id])]


def events_for_open_cases(db: Database) -> list[StatutoryEvent]:
    return [_event(r) for r in db.query(
        "SELECT e.* FROM statutory_event e JOIN case_file c ON c.id = e.case_id "
        "WHERE c.state = 'open' ORDER BY e.event_date, e.created_at")]


def set_mark(db: Database, mark: DeadlineMark, actor: str) -> None:
    db.execute(
        "INSERT INTO deadline_mark (event_id, deadline_key, state, state_on, reason, "
        "updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(event_id, deadline_key) DO UPDATE SET state = excluded.state, "
        "state_on = excluded.state_on, reason = excluded.reason, "
        "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        [mark.event_id, mark.deadline_key, mark.state.value, iso(mark.on), mark.reason,
         now_stamp(), actor])
    touch_case(db, get_event(db, mark.event_id).case_id, actor)


def clear_mark(db: Database, event_id: str, deadline_key: str, actor: str) -> None:
    db.execute("DELETE FROM deadline_mark WHERE event_id = ? AND deadline_key = ?",
               [event_id, deadline_key])
    touch_case(db, get_event(db, event_id).case_id, actor)


def marks_for(db: Database, event_ids: list[str]) -> list[DeadlineMark]:
    if not event_ids:
        return []
    marks = ",".join("?" * len(event_ids))
    return [DeadlineMark(r["event_id"], r["deadline_key"], DeadlineState(r["state"]),
                         to_date(r["state_on"]), r["reason"])
            for r in db.query(f"SELECT * FROM deadline_mark WHERE event_id IN ({marks})",
                              event_ids)]


def extra_bank_holidays(db: Database) -> dict[date, str]:
    return {date.fromisoformat(r["day"]): r["name"]
            for r in db.query("SELECT day, name FROM extra_bank_holiday ORDER BY day")}


def add_extra_bank_holiday(db: Database, day: date, name: str) -> None:
    db.execute("INSERT INTO extra_bank_holiday (day, name) VALUES (?, ?) "
               "ON CONFLICT(day) DO UPDATE SET name = excluded.name", [day.isoformat(), name])


def remove_extra_bank_holiday(db: Database, day: date) -> None:
    db.execute("DELETE FROM extra_bank_holiday WHERE day = ?", [day.isoformat()])
