"""The "Needs a decision" list: the open conflicts the hub holds, said in words (which family,
which record and field, both values, who made each change and when), and the two choices a
person can make on one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from adviser_app.store import sync_log
from adviser_app.store.db import Database

RECORDS = {
    "family": "Family", "person": "Parent or carer", "child": "Child",
    "child_need": "Child's area of need", "case_file": "Case", "case_issue": "Case issue",
    "timeline_entry": "Timeline entry", "task": "Task", "statutory_event": "Statutory step",
    "document": "Letter or document", "disagreement": "Disagreement",
}
KEEP, TAKE = "keep", "take"


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


def _words(value: Any, deleted: bool) -> str:
    if deleted:
        return "(deleted)"
    if value is None or value == "":
        return "(empty)"
    return str(value)


def open_decisions(db: Database) -> list[Decision]:
    out = []
    for c in sync_log.open_conflicts(db):
        deleted_here, deleting = bool(c["hub_deleted"]), bool(c["incoming_delete"])
        keep = "Confirm the delete" if deleted_here else "Keep the office's value"
        take = ("Restore the record" if deleted_here else
                "Delete the record" if deleting else "Take the other value")
        try:
            raised = datetime.fromisoformat(str(c["raised_at"])).astimezone()
        except ValueError:
            raised = None
        field = "(whole record)" if c["field"] in ("", "*") else str(c["field"]).replace("_", " ")
        out.append(Decision(
            int(c["id"]), sync_log.record_family(db, c["table"], c["key"]),
            RECORDS.get(c["table"], str(c["table"]).replace("_", " ").capitalize()), field,
            _words(c["hub_value"], deleted_here), _words(c["incoming"], deleting),
            str(c["kept_by"]), str(c["raised_by"]), raised, keep, take))
    return out
