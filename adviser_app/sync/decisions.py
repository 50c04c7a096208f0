"""The "Needs a decision" list: the open conflicts the hub holds, said in words (which family,
which record and field, both values, who made each change and when), and the choices a person
can make on one: keep the office's value, take the other, or type a third (checked here first,
against what the field may hold)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from adviser_app.domain.validation import format_date, parse_date
from adviser_app.store import sync_log
from adviser_app.store.db import Database

RECORDS = {
    "family": "Family", "person": "Parent or carer", "child": "Child",
    "child_need": "Child's area of need", "case_file": "Case", "case_issue": "Case issue",
    "timeline_entry": "Timeline entry", "task": "Task", "statutory_event": "Statutory step",
    "document": "Letter or document", "disagreement": "Disagreement",
}
KEEP, TAKE = "keep", "take"
DATE_FIELDS = ("date_of_birth", "ehc_plan_issued", "ehc_plan_last_reviewed", "next_review",
               "review_due", "day")
DATE_ENDINGS = ("_date", "_on")
"""Fields holding a date (stored as yyyy-mm-dd, typed and shown as dd/mm/yyyy)."""


@dataclass(frozen=True)
class Decision:
    id: int
    family: str
    record: str
    field: str
    office_value: str
    """What the office holds now (kept), in words."""
    other_value: str
    """The change held beside it, in words."""
    office_by: str
    other_by: str
    raised_at: datetime | None
    keep_label: str
    take_label: str
    table: str = ""
    key: str = ""
    column: str = ""
    """The field's own name ("" or "*" for a whole record deleted on one side)."""
    typable: bool = False
    """Whether a third value may be typed (a clash of two values, not a delete)."""
    cases: frozenset[str] = frozenset()
    """The cases the clashing record belongs to (its own, or its family's)."""


def is_date_field(column: str) -> bool:
    return column in DATE_FIELDS or column.endswith(DATE_ENDINGS)


def _words(value: Any, deleted: bool, column: str = "") -> str:
    if deleted:
        return "(deleted)"
    if value is None or value == "":
        return "(empty)"
    if is_date_field(column):
        try:
            return format_date(date.fromisoformat(str(value)))
        except ValueError:
            pass
    return str(value)


def read_typed(db: Database, decision: Decision, text: str) -> Any:
    """The value *text* stands for in the clash's field, as the case book stores it; raises
    ValueError with one plain sentence when the field cannot hold it."""
    if not decision.typable:
        raise ValueError("This clash is about a deleted record: restore it or confirm the "
                         "delete.")
    kind = sync_log.column_kind(db, decision.table, decision.column)
    if kind is None:
        raise ValueError("That record is not on this laptop yet: sync, then decide.")
    declared, required = kind
    name = decision.field
    cleaned = text.strip()
    value: Any
    if not cleaned:
        if required:
            raise ValueError(f"The {name} cannot be left empty: type a value, or keep or "
                             "take one of the two.")
        value = None if declared != "TEXT" or is_date_field(decision.column) else ""
    elif is_date_field(decision.column):
        try:
            value = parse_date(cleaned).isoformat()
        except ValueError as exc:
            raise ValueError(f"The {name} must be a date: {exc}") from None
    elif declared == "INTEGER":
        try:
            value = int(cleaned.replace(",", ""))
        except ValueError:
            raise ValueError(f"The {name} must be a whole number, such as 3.") from None
    else:
        value = cleaned
    if sync_log.value_refused(db, decision.table, decision.key, decision.column, value):
        raise ValueError(f"\u201c{cleaned}\u201d is not a value the {name} can hold: keep or "
                         "take one of the two values, or type one like them.")
    return value


def open_decisions(db: Database) -> list[Decision]:
    out = []
    cases = sync_log.conflict_cases(db)
    for c in sync_log.open_conflicts(db):
        deleted_here, deleting = bool(c["hub_deleted"]), bool(c["incoming_delete"])
        keep = ("Confirm the delete" if deleted_here else
                "Keep the record" if deleting else "Keep the office's value")
        take = ("Restore the record" if deleted_here else
                "Delete the record" if deleting else "Take the other value")
        try:
            raised = datetime.fromisoformat(str(c["raised_at"])).astimezone()
        except ValueError:
            raised = None
        column = str(c["field"])
        whole = column in ("", "*")
        field = "(whole record)" if whole else column.replace("_", " ")
        out.append(Decision(
            int(c["id"]), sync_log.record_family(db, c["table"], c["key"]),
            RECORDS.get(c["table"], str(c["table"]).replace("_", " ").capitalize()), field,
            _words(c["hub_value"], deleted_here, column),
            _words(c["incoming"], deleting, column),
            str(c["kept_by"]), str(c["raised_by"]), raised, keep, take, str(c["table"]),
            str(c["key"]), column,
            not (whole or deleted_here or deleting or column.endswith("_at")),
            frozenset(cases.get(int(c["id"]), ()))))
    return out
