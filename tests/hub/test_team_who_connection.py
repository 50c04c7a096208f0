"""Who did what, without waiting on the network: opening case after case asks the office hub
on one kept connection (never a new one per case), a hub that cannot be reached is tried
once and then answered from this laptop at once, as offline, and the timeline's "On" column
names the laptop of entries that page in as the list is scrolled, not only the first page."""

from __future__ import annotations

import dataclasses
import socket
import threading
from datetime import date

from PySide6.QtCore import Qt, QThreadPool
from hub.pg import HubDb
from hub.team_windows import db_of, joined, laptop, office, sync_window

from adviser_app.domain.records import EntryDetails
from adviser_app.domain.vocab import EntryKind
from adviser_app.services import casework
from adviser_app.store import sync_log
from adviser_app.store.db import Database
from adviser_app.store.settings import LAPTOP_NUMBER, get_setting
from adviser_app.sync import joining, provenance
from adviser_app.ui.case_view.case_detail import TIMELINE_PAGE
from adviser_app.ui.main_window import MainWindow
from adviser_app.ui.team.where_made import hub_questions

__all__ = ["laptop", "office"]  # the fixtures


def _note(db: Database, case_id: str, body: str) -> None:
    casework.add_timeline_entry(db, case_id, EntryDetails(
        EntryKind.NOTE, date(2026, 11, 27), "Sam", body), "Sam Patel")


def _open(qtbot, win: MainWindow, case_id: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Open the case, wait until nothing is still out to the hub: {note: laptop}."""
    assert win.workspace is not None
    detail = win.workspace.detail
    win.workspace.open_case(case_id)
    detail.where_made.wait()
    qtbot.waitUntil(lambda: not detail.where_made._asking, timeout=30_000)
    return _shown(win)


def _shown(win: MainWindow) -> dict[str, str]:
    assert win.workspace is not None
    model = win.workspace.detail.timeline_model
    return {model.index(r, 6).data(): model.index(r, 3).data() for r in range(model.rowCount())}


def _hub_sessions(hub_db: HubDb, user: str) -> list[int]:
    with hub_db.admin() as conn:
        return [int(pid) for (pid,) in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE usename = %s", [user])]


def test_opening_case_after_case_asks_on_one_connection(
        qtbot, laptop: MainWindow, office: MainWindow, hub_db: HubDb) -> None:  # type: ignore[no-untyped-def]
    joined(qtbot, laptop, hub_db, "sam_one")
    joined(qtbot, office, hub_db, "priya_one")
    a = db_of(laptop)
    cases = [row[0] for row in a.execute("SELECT id FROM case_file ORDER BY reference")]
    assert len(cases) == 2
    for number, case_id in enumerate(cases):
        _note(a, case_id, f"Visit {number}")
    sync_window(qtbot, laptop)
    sync_window(qtbot, office)
    office.team.wait()
    laptop_number = get_setting(a, LAPTOP_NUMBER)
    made = provenance.READER.connections
    seen: set[int] = set()
    for case_id in (*cases, cases[0], cases[1]):
        assert _open(qtbot, office, case_id) in ({"Visit 0": f"laptop {laptop_number}"},
                                                 {"Visit 1": f"laptop {laptop_number}"})
        seen.update(_hub_sessions(hub_db, "priya_one"))
    assert provenance.READER.connections == made + 1  # one, kept for every case
    assert len(seen) == 1  # and the hub saw one session of this user throughout
    # the hub dropped it (a restart, the network): the next case connects once more
    with hub_db.admin() as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE usename = 'priya_one'")
    assert _open(qtbot, office, cases[1]) == {"Visit 1": f"laptop {laptop_number}"}
    assert provenance.READER.connections == made + 2
    # locking lets it go
    office.book.lock()
    qtbot.waitUntil(lambda: not _hub_sessions(hub_db, "priya_one"), timeout=10_000)


class _SilentHub:
    """Accepts connections and never answers: a hub behind a network that has gone quiet
    (the worst case for a window: nothing refuses, everything waits)."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.server.getsockname()[1])
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self) -> None:
        self.server.close()
        for conn in self.accepted:
            conn.close()


def test_a_hub_that_does_not_answer_is_tried_once_and_cases_open_as_offline(
        qtbot, laptop: MainWindow, hub_db: HubDb, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(provenance, "CONNECT_SECONDS", 2)
    db = db_of(laptop)
    cases = [row[0] for row in db.execute("SELECT id FROM case_file ORDER BY reference")]
    joined(qtbot, laptop, hub_db, "sam_quiet")
    laptop.team.stop()  # no syncing in this test: only the case view asks
    laptop.team.wait()
    silent = _SilentHub()
    try:
        held = joining.connected(db)
        assert held is not None
        sync_log.save_hub_settings(db, dataclasses.replace(held, port=silent.port).as_dict())
        for number, case_id in enumerate(cases):
            _note(db, case_id, f"Written offline {number}")
        assert laptop.workspace is not None
        detail = laptop.workspace.detail
        laptop.workspace.open_case(cases[0])
        # shown at once from this laptop, while the question is still out, on the hub
        # questions' own worker (the workers the rest of the app uses stay free)
        assert detail.where_made._asking
        assert hub_questions().activeThreadCount() == 1
        assert detail.where_made.runner.pool is not QThreadPool.globalInstance()
        assert _shown(laptop) == {"Written offline 0": "this laptop (not yet sent)"}
        qtbot.waitUntil(lambda: not detail.where_made._asking, timeout=30_000)
        assert "cannot be reached" in detail.where_made.problem
        assert len(silent.accepted) == 1
        for case_id in (cases[1], cases[0], cases[1]):
            shown = _open(qtbot, laptop, case_id)
            assert list(shown.values()) == ["this laptop (not yet sent)"]
            assert "cannot be reached" in detail.where_made.problem
        assert len(silent.accepted) == 1  # never tried again meanwhile
    finally:
        silent.close()
        provenance.READER.close()


def test_the_on_column_names_entries_as_they_page_in(
        qtbot, laptop: MainWindow, office: MainWindow, hub_db: HubDb) -> None:  # type: ignore[no-untyped-def]
    joined(qtbot, laptop, hub_db, "sam_pages")
    joined(qtbot, office, hub_db, "priya_pages")
    a = db_of(laptop)
    case_id = a.execute("SELECT id FROM case_file ORDER BY reference LIMIT 1").fetchone()[0]
    total = 2 * TIMELINE_PAGE + 30
    with a.atomic():
        for n in range(total):
            _note(a, case_id, f"Visit {n:04d}")
    sync_window(qtbot, laptop)
    sync_window(qtbot, office)
    office.team.wait()
    number = get_setting(a, LAPTOP_NUMBER)
    shown = _open(qtbot, office, case_id)
    assert len(shown) == TIMELINE_PAGE and set(shown.values()) == {f"laptop {number}"}
    assert office.workspace is not None
    detail = office.workspace.detail
    model = detail.timeline_model
    model.fetchMore()  # as scrolling to the end does
    model.fetchMore()
    assert model.rowCount() == total
    qtbot.waitUntil(lambda: not detail.where_made._asking, timeout=30_000)
    detail.where_made.wait()
    qtbot.waitUntil(lambda: not detail.where_made._asking, timeout=30_000)
    shown = _shown(office)
    visits = {note: on for note, on in shown.items() if note.startswith("Visit ")}
    assert len(visits) == total
    assert set(visits.values()) == {f"laptop {number}"}, [
        note for note, on in visits.items() if on != f"laptop {number}"][:5]
    assert model.headerData(3, Qt.Orientation.Horizontal) == "On"
