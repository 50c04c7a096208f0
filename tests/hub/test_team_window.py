"""Working as a team from the app, against a real PostgreSQL hub: joining with the connection
file (each bad file says what is wrong and leaves the case book untouched), and a sync from
one window that a second case book then pulls."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from hub.pg import HubDb
from hub.team_windows import family, hub_file, join_dialog, joined, laptop, sync_window, window
from support import PASSPHRASE

from adviser_app.domain.records import EntryDetails
from adviser_app.domain.vocab import EntryKind
from adviser_app.services import casework
from adviser_app.store import sync_log
from adviser_app.store.db import Database
from adviser_app.sync import admin, certs, connection_file, joining
from adviser_app.ui.main_window import MainWindow

__all__ = ["laptop"]  # the fixture


def _untouched_state(db: Database) -> tuple[object, ...]:
    return (db.execute("SELECT * FROM sync_state").fetchall(),
            db.execute("SELECT count(*) FROM audit_log").fetchone()[0],
            db.execute("SELECT count(*) FROM sync_change").fetchone()[0])


def test_joining_with_a_good_file_keeps_it_in_the_case_book_and_syncs(
        qtbot, laptop: MainWindow, hub_db: HubDb) -> None:  # type: ignore[no-untyped-def]
    db = laptop.book.session.db  # type: ignore[union-attr]
    assert sync_log.pending_count(db) > 0
    asked: list[str] = []
    laptop.access.confirm = lambda t, m: asked.append(m) or True  # type: ignore[method-assign]
    dialog = join_dialog(laptop)
    with qtbot.waitSignal(laptop.team.synced, timeout=30_000):
        dialog.connect_to(hub_file(hub_db, "sam_join"))
    assert not dialog.isVisible()
    assert "will be sent to the office hub" in asked[0]  # asked first, with the count
    held = joining.connected(db)
    assert held is not None and held.user == "sam_join"
    assert sync_log.pending_count(db) == 0
    text = laptop.team.label.text()
    assert text.startswith("Synced with the office at "), text
    # the password is nowhere in plain text on this laptop (the case book is encrypted)
    for path in laptop.data_dir.rglob("*"):
        if path.is_file():
            assert held.password.encode() not in path.read_bytes(), path
    noted = db.execute("SELECT action, record_type, detail FROM audit_log").fetchall()
    assert ("changed", "hub", "joined") in noted


def _bad(hub_db: HubDb, tmp_path: Path, case: str) -> Path | str:
    good = hub_file(hub_db, "sam_" + case)
    settings = connection_file.read(good)
    with hub_db.admin() as conn:
        ca_key, _ = admin._ca(conn)
    out = tmp_path / f"{case}.adviser-hub"
    if case == "not_a_file":
        return "Dear Sam, here is the hub password: hunter2"
    if case == "edited":
        body = json.loads(good.read_text())
        body["hub"]["host"] = "10.9.9.9"
        out.write_text(json.dumps(body))
    elif case == "unreachable":
        connection_file.write(out, dataclasses.replace(settings, port=1), ca_key)
    elif case == "foreign_certificate":
        own_key, own_ca = certs.make_ca("Someone else's CA")
        connection_file.write(out, dataclasses.replace(
            settings, ca_pem=certs.cert_pem(own_ca).decode()), own_key)
    elif case == "password":
        connection_file.write(out, dataclasses.replace(settings, password="not-it"), ca_key)
    elif case == "newer_hub":
        with hub_db.admin() as conn:
            conn.execute("INSERT INTO public.hub_migration (version) VALUES (99)")
        return good
    return out


@pytest.mark.parametrize("case, says", [
    ("not_a_file", "not a connection file"),
    ("edited", "changed since IT made it"),
    ("unreachable", "cannot be reached"),
    ("foreign_certificate", "certificate"),
    ("password", "did not accept the password"),
    ("newer_hub", "update the app"),
])
def test_each_bad_file_says_what_is_wrong_and_leaves_the_case_book_untouched(
        qtbot, laptop: MainWindow, hub_db: HubDb, tmp_path: Path, case: str,
        says: str) -> None:  # type: ignore[no-untyped-def]
    db = laptop.book.session.db  # type: ignore[union-attr]
    source = _bad(hub_db, tmp_path, case)
    before = _untouched_state(db)
    dialog = join_dialog(laptop)
    dialog.connect_to(source)
    qtbot.waitUntil(lambda: dialog.problem.isVisible(), timeout=30_000)
    assert says in dialog.problem.text(), dialog.problem.text()
    assert dialog.isVisible() and dialog.connect_button.isEnabled()  # try another file
    assert joining.connected(db) is None
    assert _untouched_state(db) == before
    assert laptop.team.label.text() == ""  # not joined: nothing about the office
    dialog.reject()


def test_a_note_synced_from_one_window_reaches_a_second_case_book(
        qtbot, laptop: MainWindow, hub_db: HubDb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = laptop.book.session.db  # type: ignore[union-attr]
    with qtbot.waitSignal(laptop.team.synced, timeout=30_000):
        join_dialog(laptop).connect_to(hub_file(hub_db, "sam_a"))
    case_id = db.execute("SELECT id FROM case_file LIMIT 1").fetchone()[0]
    casework.add_timeline_entry(db, case_id, EntryDetails(
        EntryKind.HOME_VISIT, date(2026, 11, 27), "Sam", "Talked about the bus to school"),
        "Sam Patel")
    assert sync_log.pending_count(db) > 0
    with qtbot.waitSignal(laptop.team.synced, timeout=30_000):
        laptop.menus.sync_action.trigger()  # File › Sync with the office now (Ctrl+Shift+Y)
    assert sync_log.pending_count(db) == 0

    office = window(qtbot, tmp_path / "office")
    try:
        other = office.book.session.db  # type: ignore[union-attr]
        with qtbot.waitSignal(office.team.synced, timeout=30_000) as got:
            join_dialog(office).connect_to(hub_file(hub_db, "office_b"))
        assert got.args[0].pulled > 0
        # the families arrived while the case list was on screen: it shows them
        assert office.workspace is not None
        assert office.workspace.case_list.model.rowCount() == 2
        bodies = [r[0] for r in other.execute("SELECT body FROM timeline_entry")]
        assert "Talked about the bus to school" in bodies
        assert office.team.label.text().startswith("Synced with the office at ")
    finally:
        office.team.wait()
        office.book.close_case_book(show_start=False)


def test_no_network_is_not_an_error_and_locking_stops_thesync_window(
        qtbot, laptop: MainWindow, hub_db: HubDb) -> None:  # type: ignore[no-untyped-def]
    db = laptop.book.session.db  # type: ignore[union-attr]
    with qtbot.waitSignal(laptop.team.synced, timeout=30_000):
        join_dialog(laptop).connect_to(hub_file(hub_db, "sam_off"))
    held = joining.connected(db)
    assert held is not None
    sync_log.save_hub_settings(db, dataclasses.replace(held, port=1).as_dict())  # away
    family(db, "Ahmed")
    with qtbot.waitSignal(laptop.team.failed, timeout=30_000):
        assert laptop.team.sync_now()
    waiting = sync_log.pending_count(db)
    assert laptop.team.label.text() == f"Working offline: {waiting} changes waiting"
    assert laptop.workspace is not None
    model = laptop.workspace.case_list.model
    marked = {model.summary(r).family_name: model.index(r, 0).data()
              for r in range(model.rowCount())}
    assert marked["Ahmed"].endswith(" \u2191") and not marked["Okafor"].endswith(" \u2191")
    laptop.team.sync_now()
    laptop.book.lock()  # while a sync may be out: it stops, and nothing touches the book
    assert not laptop.team.busy and laptop.team.session is None
    laptop.team.wait()
    assert laptop.team.label.text() == ""


def test_the_training_case_book_never_connects(qtbot, laptop: MainWindow) -> None:  # type: ignore[no-untyped-def]
    told: list[str] = []
    laptop.access.tell = lambda title, message: told.append(message)  # type: ignore[method-assign]
    assert laptop.book.open_training_case_book()
    assert not laptop.menus.join_hub_action.isEnabled()
    assert not laptop.team_actions.connect_to_hub()
    assert "training case book never connects" in told[0]
    db = laptop.book.session.db  # type: ignore[union-attr]
    with pytest.raises(joining.HubError):
        joining.refuse_training(db)


def test_a_clash_shows_in_both_lists_and_deciding_in_one_clears_both(
        qtbot, laptop: MainWindow, hub_db: HubDb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from adviser_app.store import families

    a = laptop.book.session.db  # type: ignore[union-attr]
    with qtbot.waitSignal(laptop.team.synced, timeout=30_000):
        join_dialog(laptop).connect_to(hub_file(hub_db, "sam_clash"))
    office = window(qtbot, tmp_path / "office")
    try:
        b = office.book.session.db  # type: ignore[union-attr]
        with qtbot.waitSignal(office.team.synced, timeout=30_000):
            join_dialog(office).connect_to(hub_file(hub_db, "priya_clash"))
        fid = a.execute("SELECT id FROM family WHERE family_name = 'Okafor'").fetchone()[0]
        with a.atomic():
            families.update_family(a, fid, "Okafor", "Mum prefers email", "Sam Patel")
        with b.atomic():
            families.update_family(b, fid, "Okafor", "Call after 4pm", "Priya Shah")
        sync_window(qtbot, laptop)
        assert sync_window(qtbot, office).conflicts_raised == 1  # type: ignore[attr-defined]
        sync_window(qtbot, laptop)
        for win in (laptop, office):
            assert win.team_actions.show_decisions()
            dialog = win.team_actions.decisions
            assert dialog is not None
            [row] = dialog.model.records()
            assert (row.family, row.record, row.field) == ("Okafor", "Family", "notes")
            assert row.office_value == "Mum prefers email"
            assert row.other_value == "Call after 4pm"
            assert "1 need" in win.team.label.text() or "1 needs" in win.team.label.text()
        model = office.workspace.case_list.model  # type: ignore[union-attr]
        row = next(r for r in range(model.rowCount())
                   if model.summary(r).family_name == "Okafor")
        assert "\u26a0" in model.index(row, 0).data()  # marked where the case is listed
        assert "Needs a decision" in model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
        chooser = office.team_actions.decisions
        assert chooser is not None
        with qtbot.waitSignal(office.team.synced, timeout=30_000):
            assert chooser.decide("take")
        assert chooser.model.records() == []
        assert not any("\u26a0" in model.index(r, 0).data() for r in range(model.rowCount()))
        sync_window(qtbot, laptop)
        shown = laptop.team_actions.decisions
        assert shown is not None and shown.model.records() == []
        for db in (a, b):
            notes = db.execute("SELECT notes FROM family WHERE id = ?", [fid]).fetchone()[0]
            assert notes == "Call after 4pm"
    finally:
        office.team.wait()
        office.book.close_case_book(show_start=False)


def test_it_syncs_after_a_save_and_on_unlocking(
        qtbot, laptop: MainWindow, hub_db: HubDb) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(laptop.team.synced, timeout=30_000):
        join_dialog(laptop).connect_to(hub_file(hub_db, "sam_saves"))
    db = laptop.book.session.db  # type: ignore[union-attr]
    family(db, "Ahmed")
    laptop.team.after_save.setInterval(10)  # normally 20 seconds, so a burst makes one sync
    with qtbot.waitSignal(laptop.team.synced, timeout=30_000):
        laptop.book.saved("")  # what the forms call after a save
    assert sync_log.pending_count(db) == 0
    laptop.book.lock()
    assert laptop.team.session is None and not laptop.team.timer.isActive()
    with qtbot.waitSignal(laptop.team.synced, timeout=30_000):
        assert laptop.book.unlock(PASSPHRASE)
    assert laptop.team.timer.isActive()  # and every few minutes from now on


def test_a_window_writes_each_page_in_chunks_that_fit_its_time_budget(
        hub_db: HubDb, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """With no time at all to spare, each write (one transaction, one GUI-thread step) takes
    one chunk of records, moves the first load's place to its last record (and at the end
    the pull cursor to the load's snapshot), and the chunks add up to the whole register
    with nothing lost."""
    from hub.laptops import Laptop

    from adviser_app.store import sync_first_load, sync_log, sync_pull
    from adviser_app.store.sync_tables import SYNCED
    from adviser_app.sync import engine
    from adviser_app.sync.hub import Hub

    office = Laptop(tmp_path, hub_db.add_user(), "office")
    for n in range(60):
        family(office.db, f"Family{n}")
    office.sync()
    new = Laptop(tmp_path, hub_db.add_user(), "new")
    writes: list[tuple[int, int, tuple[int, str]]] = []  # (records given, taken, place)
    real = sync_pull.apply_page

    def watched(db, records, cursor, **kwargs):  # type: ignore[no-untyped-def]
        done = real(db, records, cursor, **kwargs)
        last = records[done.taken - 1]
        writes.append((len(records), done.taken, (SYNCED.index(last["table"]), last["key"])))
        at = sync_first_load.position(db)
        if at is None:  # the load is done: the ordinary pull goes on from its snapshot
            assert done.taken == len(records) and sync_log.pull_cursor(db) > 0
        else:
            assert (at.table, at.key) == (last["table"], last["key"])
            assert sync_log.pull_cursor(db) == 0
        return done
    monkeypatch.setattr(sync_pull, "apply_page", watched)
    with Hub(new.settings) as hub:
        result = engine.run(engine.sync_steps(new.db, page_size=100, page_seconds=0.0), hub)
    assert result.pulled > 100 and result.pages >= 3  # 20, 40, then 100 a page
    # a chunk is CHUNK records, or fewer when it reaches the cases (written CASE_CHUNK at a
    # time, each with its search header)
    assert all(taken == given or sync_pull.CASE_CHUNK <= taken <= sync_pull.CHUNK
               for given, taken, _ in writes), writes
    assert sync_pull.CHUNK in {taken for _, taken, _ in writes}
    cases_only = [taken for given, taken, (table, _) in writes
                  if SYNCED[table] == "case_file" and given > taken]
    assert cases_only and set(cases_only) == {sync_pull.CASE_CHUNK}, writes
    assert sum(taken for _, taken, _ in writes) == result.pulled
    cursors = [c for _, _, c in writes]
    assert cursors == sorted(cursors) and len(set(cursors)) == len(cursors)
    assert result.parked == 0 and result.writes == len(writes)
    for table in ("family", "person"):
        assert new.rows(table) == office.rows(table), table


def test_cancelling_while_the_hub_is_tried_keeps_nothing(
        qtbot, laptop: MainWindow, hub_db: HubDb) -> None:  # type: ignore[no-untyped-def]
    db = laptop.book.session.db  # type: ignore[union-attr]
    dialog = join_dialog(laptop)
    answered: list[object] = []
    dialog.runner.finished.connect(answered.append)
    dialog.connect_to(hub_file(hub_db, "sam_cancel"))
    dialog.reject()  # at once: the window is not held up while the hub answers
    qtbot.waitUntil(lambda: bool(answered), timeout=30_000)
    assert joining.connected(db) is None
    assert laptop.team.label.text() == ""


def test_full_garbage_collections_are_held_short_while_a_sync_runs(
        qtbot, laptop: MainWindow, hub_db: HubDb) -> None:  # type: ignore[no-untyped-def]
    """While the window syncs, what existed before is frozen for the collector (a first
    load makes and drops many records: each full collection walked everything); the freeze
    ends with the sync, whether it ends well or is stopped by a lock."""
    from adviser_app.ui.jobs import QuietCollector

    joined(qtbot, laptop, hub_db, "sam_quiet")
    assert not QuietCollector.holding()
    with qtbot.waitSignal(laptop.team.synced, timeout=30_000):
        assert laptop.team.sync_now()
        assert QuietCollector.holding()
    assert not QuietCollector.holding()
    assert laptop.team.sync_now() and QuietCollector.holding()
    laptop.book.lock()  # stopped part way
    assert not QuietCollector.holding()
