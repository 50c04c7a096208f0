"""Settling a clash from the "Needs a decision" list against a real hub: a third value typed
by the person deciding (checked at entry, audited on the hub, pulled by every laptop), and a
record deleted on one laptop while edited on another (restore, or confirm the delete)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hub.pg import HubDb
from hub.team_windows import db_of, joined, laptop, sync_window, window

from adviser_app.store import families, sync_log
from adviser_app.ui.main_window import MainWindow
from adviser_app.ui.team.decisions_dialog import DecisionsDialog

__all__ = ["laptop"]  # the fixture


@pytest.fixture
def office(qtbot, tmp_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """The office's window, used by Sam Patel (the decisions name who decided)."""
    win = window(qtbot, tmp_path / "office")
    yield win
    win.team.wait()
    win.book.close_case_book(show_start=False)


def _both_joined(qtbot, laptop: MainWindow, office: MainWindow, hub_db: HubDb,  # type: ignore[no-untyped-def]
                 name: str) -> None:
    joined(qtbot, laptop, hub_db, f"sam_{name}")
    joined(qtbot, office, hub_db, f"priya_{name}")


def _decisions(win: MainWindow) -> DecisionsDialog:
    assert win.team_actions.show_decisions()
    dialog = win.team_actions.decisions
    assert dialog is not None
    return dialog


def _clash(qtbot, laptop: MainWindow, office: MainWindow, table: str, column: str,  # type: ignore[no-untyped-def]
           row_id: str, mine: object, theirs: object) -> None:
    for win, value in ((laptop, mine), (office, theirs)):
        db = db_of(win)
        with db.atomic():
            db.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE id = ?', [value, row_id])
    sync_window(qtbot, laptop)
    sync_window(qtbot, office)
    sync_window(qtbot, laptop)


def _marked_on_its_case(win: MainWindow, table: str, row_id: str) -> None:
    """The case the clashing row belongs to shows the line; the family's other case none."""
    db = db_of(win)
    column = "case_id" if table == "timeline_entry" else "family_id"
    owner = db.execute(f"SELECT {column} FROM {table} WHERE id = ?", [row_id]).fetchone()[0]
    case_id = owner if table == "timeline_entry" else db.execute(
        "SELECT id FROM case_file WHERE family_id = ?", [owner]).fetchone()[0]
    other = db.execute("SELECT id FROM case_file WHERE id <> ? LIMIT 1", [case_id]).fetchone()[0]
    assert win.workspace is not None
    band = win.workspace.detail.team_band
    win.workspace.open_case(other)
    assert not band.isVisible()
    win.workspace.open_case(case_id)
    assert band.isVisible() and band.clashes == 1


def test_a_typed_third_value_settles_the_clash_everywhere_and_is_audited(
        qtbot, laptop: MainWindow, office: MainWindow, hub_db: HubDb) -> None:  # type: ignore[no-untyped-def]
    _both_joined(qtbot, laptop, office, hub_db, "typed")
    fid = db_of(laptop).execute("SELECT id FROM family WHERE family_name = 'Okafor'").fetchone()[0]
    _clash(qtbot, laptop, office, "family", "notes", fid, "Mum prefers email",
           "Call after 4pm")
    chooser = _decisions(office)
    [row] = chooser.model.records()
    assert row.typable and chooser.typed.isEnabled()
    chooser.typed.setText("Email first, then call after 4pm")
    with qtbot.waitSignal(office.team.synced, timeout=30_000):
        assert chooser.use_typed()
    assert chooser.model.records() == []
    sync_window(qtbot, laptop)
    assert _decisions(laptop).model.records() == []
    for win in (laptop, office):
        notes = db_of(win).execute("SELECT notes FROM family WHERE id = ?", [fid]).fetchone()[0]
        assert notes == "Email first, then call after 4pm"
        assert sync_log.pending_count(db_of(win)) == 0
    with hub_db.admin() as conn:
        choice, resolved_by, note = conn.execute(
            "SELECT choice, resolved_by, note FROM hub.conflict").fetchone()
        detail = conn.execute("SELECT detail FROM hub.audit_entry WHERE device = "
                              "'hub:conflicts'").fetchone()[0]
    assert (choice, resolved_by) == ("typed", "priya_typed")
    assert note == "Decided by Sam Patel"  # the person at the office laptop, by name
    assert "a new value was typed" in detail


def test_a_bad_typed_date_is_refused_at_entry_and_nothing_is_sent(
        qtbot, laptop: MainWindow, office: MainWindow, hub_db: HubDb) -> None:  # type: ignore[no-untyped-def]
    _both_joined(qtbot, laptop, office, hub_db, "date")
    cid = db_of(laptop).execute("SELECT id FROM child WHERE family_name = 'Okafor'").fetchone()[0]
    _clash(qtbot, laptop, office, "child", "date_of_birth", cid, "2015-03-15", "2015-04-14")
    _marked_on_its_case(office, "child", cid)
    chooser = _decisions(office)
    [row] = chooser.model.records()
    assert (row.field, row.office_value, row.other_value) == (
        "date of birth", "15/03/2015", "14/04/2015")
    assert chooser.typed.placeholderText() == "dd/mm/yyyy"
    for typed, says in (("31/02/2015", "31 February 2015 doesn't exist"),
                        ("next Tuesday", "isn't a date in the form dd/mm/yyyy"),
                        ("", "cannot be left empty")):
        chooser.typed.setText(typed)
        assert not chooser.use_typed()
        assert chooser.problem.isVisible() and says in chooser.problem.text(), typed
        assert not office.team.busy  # nothing went to the hub
    assert len(chooser.model.records()) == 1
    chooser.view.setCurrentIndex(chooser.model.index(0, 2))  # a row chosen again: afresh
    assert chooser.typed.text() == "" and not chooser.problem.isVisible()
    chooser.typed.setText("14/03/2015")
    with qtbot.waitSignal(office.team.synced, timeout=30_000):
        assert chooser.use_typed()
    born = db_of(office).execute("SELECT date_of_birth FROM child WHERE id = ?",
                               [cid]).fetchone()[0]
    assert born == "2015-03-14"


def test_a_value_the_case_book_refuses_is_said_plainly(
        qtbot, laptop: MainWindow, office: MainWindow, hub_db: HubDb) -> None:  # type: ignore[no-untyped-def]
    _both_joined(qtbot, laptop, office, hub_db, "check")
    case_id = db_of(laptop).execute("SELECT id FROM case_file LIMIT 1").fetchone()[0]
    entry = date(2026, 11, 20).isoformat()
    db = db_of(laptop)
    with db.atomic():
        db.execute("INSERT INTO timeline_entry (id, case_id, kind, entry_date, author, body, "
                   "created_at, updated_at, updated_by) VALUES ('te1', ?, 'note', ?, 'Sam', "
                   "'x', ?, ?, 'Sam')", [case_id, entry, entry, entry])
    sync_window(qtbot, laptop)
    sync_window(qtbot, office)
    _clash(qtbot, laptop, office, "timeline_entry", "kind", "te1", "email", "meeting")
    _marked_on_its_case(office, "timeline_entry", "te1")
    chooser = _decisions(office)
    chooser.typed.setText("carrier pigeon")
    assert not chooser.use_typed()
    assert "is not a value the kind can hold" in chooser.problem.text()
    assert sync_log.pending_count(db_of(office)) == 0  # the trial left nothing to send


def test_a_record_deleted_on_one_laptop_and_edited_on_another_can_be_restored(
        qtbot, laptop: MainWindow, office: MainWindow, hub_db: HubDb) -> None:  # type: ignore[no-untyped-def]
    _both_joined(qtbot, laptop, office, hub_db, "restore")
    a, b = db_of(laptop), db_of(office)
    with a.atomic():
        fid = families.insert_family(a, "Kowalski", "Sam Patel")
    sync_window(qtbot, laptop)
    sync_window(qtbot, office)
    with a.atomic():
        a.execute("DELETE FROM family WHERE id = ?", [fid])
    with b.atomic():
        families.update_family(b, fid, "Kowalski", "edited at a visit", "Priya Shah")
    sync_window(qtbot, laptop)
    sync_window(qtbot, office)
    chooser = _decisions(office)
    [row] = chooser.model.records()
    assert (row.office_value, row.other_value) == ("(deleted)", "edited at a visit")
    assert (chooser.keep_button.text(), chooser.take_button.text()) == (
        "Confirm the delete", "Restore the record")
    assert not chooser.typed.isEnabled()  # restore or confirm: no third value
    with qtbot.waitSignal(office.team.synced, timeout=30_000):
        assert chooser.decide("take")
    sync_window(qtbot, laptop)
    for db in (a, b):
        notes = db.execute("SELECT notes FROM family WHERE id = ?", [fid]).fetchone()
        assert notes is not None and notes[0] == "edited at a visit"


def test_a_delete_that_met_an_edit_can_be_confirmed(
        qtbot, laptop: MainWindow, office: MainWindow, hub_db: HubDb) -> None:  # type: ignore[no-untyped-def]
    _both_joined(qtbot, laptop, office, hub_db, "confirm")
    a, b = db_of(laptop), db_of(office)
    with a.atomic():
        fid = families.insert_family(a, "Kowalski", "Sam Patel")
    sync_window(qtbot, laptop)
    sync_window(qtbot, office)
    with a.atomic():
        families.update_family(a, fid, "Kowalski", "edited first", "Sam Patel")
    with b.atomic():
        b.execute("DELETE FROM family WHERE id = ?", [fid])
    sync_window(qtbot, laptop)
    sync_window(qtbot, office)
    chooser = _decisions(office)
    [row] = chooser.model.records()
    assert (chooser.keep_button.text(), chooser.take_button.text()) == (
        "Keep the record", "Delete the record")
    with qtbot.waitSignal(office.team.synced, timeout=30_000):
        assert chooser.decide("take")
    sync_window(qtbot, laptop)
    for db in (a, b):
        assert db.execute("SELECT count(*) FROM family WHERE id = ?", [fid]).fetchone()[0] == 0


def test_the_case_view_marks_a_clash_and_opens_the_list_for_that_case(
        qtbot, laptop: MainWindow, office: MainWindow, hub_db: HubDb) -> None:  # type: ignore[no-untyped-def]
    _both_joined(qtbot, laptop, office, hub_db, "band")
    db = db_of(laptop)
    ids = dict(db.execute("SELECT family_name, id FROM family").fetchall())
    for name in ("Okafor", "Nowak"):
        _clash(qtbot, laptop, office, "family", "notes", ids[name], f"{name} here",
               f"{name} there")
    assert office.workspace is not None
    okafor_case = db_of(office).execute("SELECT id FROM case_file WHERE family_id = ?",
                                      [ids["Okafor"]]).fetchone()[0]
    office.workspace.open_case(okafor_case)
    band = office.workspace.detail.team_band
    assert band.isVisible() and band.clashes == 1
    assert "Needs a decision" in band.text() and "1 clash" in band.text()
    band.linkActivated.emit("decide")  # "See and decide…"
    chooser = office.team_actions.decisions
    assert chooser is not None and chooser.isVisible()
    assert [d.family for d in chooser.model.records()] == ["Okafor"]
    assert "on this case (of 2 in all)" in chooser.count.text()
    chooser.count.linkActivated.emit("all")
    assert sorted(d.family for d in chooser.model.records()) == ["Nowak", "Okafor"]
    chooser.show_case(okafor_case)
    with qtbot.waitSignal(office.team.synced, timeout=30_000):
        assert chooser.decide("keep")
    assert not band.isVisible()  # decided: the case is no longer marked
    nowak_case = db_of(office).execute("SELECT id FROM case_file WHERE family_id = ?",
                                     [ids["Nowak"]]).fetchone()[0]
    office.workspace.open_case(nowak_case)
    assert band.isVisible() and band.clashes == 1
