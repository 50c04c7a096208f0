"""Timeline entries and their history: an edit adds a version, it never overwrites one."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlite_utils import Database

from adviser_app.domain.records import EntryDetails, EntryVersion, TimelineEntry
from adviser_app.domain.vocab import ContactWay, EntryKind
from adviser_app.store.errors import CaseBookError
from adviser_app.store.rows import get_row, new_id, now_stamp
from adviser_app.store.cases import touch_case
from adviser_app.store.search import index_entry


class StaleEdit(CaseBookError):
    def __init__(self) -> None:
        super().__init__("This note was changed elsewhere since you opened it, so your edit "
                         "was not saved over it. Copy your text, reopen the note and try again.")


def _details(row: dict[str, Any]) -> EntryDetails:
    return EntryDetails(EntryKind(row["kind"]), date.fromisoformat(row["entry_date"]),
                        row["author"], row["body"], row.get("minutes"),
                        ContactWay(row["contact"]) if row.get("contact") else None)


def _entry(r: dict[str, Any]) -> TimelineEntry:
    """The one builder of a timeline entry from its row."""
    return TimelineEntry(r["id"], r["case_id"], _details(r), r["version"], r["created_at"],
                         r["updated_at"], r["updated_by"])


def _row(details: EntryDetails) -> dict[str, Any]:
    return {"kind": details.kind.value, "entry_date": details.entry_date.isoformat(),
            "author": details.author, "body": details.body, "minutes": details.minutes,
            "contact": details.contact.value if details.contact else None}


def _save_version(db: Database, entry_id: str, version: int, details: EntryDetails,
                  saved_at: str, actor: str) -> None:
    db.table("timeline_entry_version").insert({
        "entry_id": entry_id, "version": version, **_row(details), "saved_at": saved_at,
        "saved_by": actor})


def insert_entry(db: Database, case_id: str, details: EntryDetails, actor: str) -> str:
    entry_id = new_id()
    now = now_stamp()
    db.table("timeline_entry").insert({
        "id": entry_id, "case_id": case_id, **_row(details), "version": 1,
        "created_at": now, "updated_at": now, "updated_by": actor})
    _save_version(db, entry_id, 1, details, now, actor)
    index_entry(db, case_id, entry_id, details.body)
    touch_case(db, case_id, actor)
    return entry_id


def edit_entry(db: Database, entry_id: str, details: EntryDetails, actor: str,
               based_on_version: int) -> int:
    """Save a new wording; refuses if someone saved a newer version since it was opened."""
    row = get_row(db, "timeline_entry", entry_id, "note")
    if row["version"] != based_on_version:
        raise StaleEdit()
    version = based_on_version + 1
    now = now_stamp()
    db.table("timeline_entry").update(entry_id, {**_row(details), "version": version,
                                                 "updated_at": now, "updated_by": actor})
    _save_version(db, entry_id, version, details, now, actor)
    index_entry(db, row["case_id"], entry_id, details.body)
    touch_case(db, row["case_id"], actor)
    return version


def list_entries(db: Database, case_id: str, limit: int | None = None,
                 offset: int = 0) -> list[TimelineEntry]:
    """Newest first; *limit* of them after the first *offset* (a page of a long timeline)."""
    return [_entry(r) for r in db.query(
        "SELECT * FROM timeline_entry WHERE case_id = ? "
        "ORDER BY entry_date DESC, created_at DESC, rowid DESC LIMIT ? OFFSET ?",
        [case_id, -1 if limit is None else limit, offset])]


def latest_entry_of_kind(db: Database, case_id: str, kind: EntryKind) -> TimelineEntry | None:
    """The newest entry of one kind on a case (as list_entries orders them), or None."""
    for r in db.query("SELECT * FROM timeline_entry WHERE case_id = ? AND kind = ? "
                      "ORDER BY entry_date DESC, created_at DESC LIMIT 1",
                      [case_id, kind.value]):
        return _entry(r)
    return None


def get_entry(db: Database, entry_id: str) -> TimelineEntry:
    return _entry(get_row(db, "timeline_entry", entry_id, "note"))


def entry_history(db: Database, entry_id: str) -> list[EntryVersion]:
    """Every saved version, oldest first."""
    return [EntryVersion(r["entry_id"], r["version"], _details(r), r["saved_at"], r["saved_by"])
            for r in db.query("SELECT * FROM timeline_entry_version WHERE entry_id = ? "
                              "ORDER BY version", [entry_id])]
