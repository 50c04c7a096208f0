"""A case with a long timeline opens with its first page of entries read; scrolling down
reads the rest, in the same order as reading them all at once."""

from __future__ import annotations

from datetime import date, timedelta

from adviser_app.domain.records import EntryDetails
from adviser_app.domain.vocab import EntryKind
from adviser_app.services import casework
from adviser_app.store import timeline
from adviser_app.ui.case_view import case_detail


def test_the_timeline_comes_a_page_at_a_time(window, qtbot, monkeypatch):
    monkeypatch.setattr(case_detail, "TIMELINE_PAGE", 10)
    db = window.session.db
    window.workspace.case_list.search.setText("okafor")
    case_id = window.workspace.case_list.model.summary(0).id
    for n in range(34):  # some on the same day, so the order's last key counts too
        casework.add_timeline_entry(db, case_id, EntryDetails(
            EntryKind.NOTE, date(2026, 1, 1) + timedelta(days=n // 3), "Sam Patel",
            f"Note {n}"), "test")
    everything = timeline.list_entries(db, case_id)
    assert len(everything) == 35  # and the fixture's home visit
    window.workspace.open_case(case_id)
    detail = window.workspace.detail
    model = detail.timeline_model
    assert model.rowCount() == 10 and model.canFetchMore()
    assert model.record(0) == everything[0]
    assert detail.entry_text.toPlainText().endswith(everything[0].details.body)
    view = detail.timeline_view
    for _ in range(10):  # the view asks for more as it reaches the end
        view.scrollToBottom()
        qtbot.wait(20)
    assert model.rowCount() > 10
    model.fetch_all()
    assert model.records() == everything
    assert not model.canFetchMore()


def test_locking_with_a_long_timeline_open(window, qtbot, monkeypatch):
    """The view may ask for the next page after the case book is locked: nothing is read."""
    monkeypatch.setattr(case_detail, "TIMELINE_PAGE", 2)
    db = window.session.db
    window.workspace.case_list.search.setText("okafor")
    case_id = window.workspace.case_list.model.summary(0).id
    for n in range(4):
        casework.add_timeline_entry(db, case_id, EntryDetails(
            EntryKind.NOTE, date(2026, 2, 1), "Sam Patel", f"Note {n}"), "test")
    window.workspace.open_case(case_id)
    model = window.workspace.detail.timeline_model
    assert model.rowCount() == 2
    window.book.lock()
    model.fetch_all()  # as the view would, from its layout after the lock
    assert model.rowCount() == 2 and not model.canFetchMore()
