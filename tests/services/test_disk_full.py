"""T4: a full disk. The save that does not fit is refused whole, everything before it stays,
the message is plain, and saving works again once there is room."""

from __future__ import annotations

from datetime import date

import pytest

from adviser_app.domain.records import CaseDetails, EntryDetails
from adviser_app.domain.vocab import CaseIssue, EntryKind
from adviser_app.services import casework
from adviser_app.store.timeline import list_entries
from adviser_app.ui.form_support import save_failure_message


def test_full_disk_refuses_the_save_whole_and_keeps_the_rest(book) -> None:
    db = book.db
    case_id = casework.open_new_family_case(
        db, family_name="Okafor", person=None, children=[],
        case=CaseDetails("Sam", date(2026, 11, 1), frozenset({CaseIssue.OTHER})), actor="t")
    casework.add_timeline_entry(db, case_id, EntryDetails(
        EntryKind.NOTE, date(2026, 11, 2), "Sam", "saved before the disk filled"), "t")
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 2}")  # the "disk" is now nearly full
    with pytest.raises(Exception) as caught:
        casework.add_timeline_entry(db, case_id, EntryDetails(
            EntryKind.NOTE, date(2026, 11, 3), "Sam", "x" * 200_000), "t")
    assert "full" in str(caught.value).lower()
    message = save_failure_message(caught.value)
    assert message.startswith("Not enough free space") and "still here" in message
    assert [e.details.body for e in list_entries(db, case_id)] == [
        "saved before the disk filled"]  # the failed save left nothing behind
    db.execute("PRAGMA max_page_count = 1073741823")  # space freed
    casework.add_timeline_entry(db, case_id, EntryDetails(
        EntryKind.NOTE, date(2026, 11, 3), "Sam", "saved after freeing space"), "t")
    db = book.reopen()
    assert len(list_entries(db, case_id)) == 2
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
