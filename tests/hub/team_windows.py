"""Windows on real case books joined to a real hub, for the team tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hub.pg import HubDb
from support import CHEAP, PASSPHRASE, create_book

from adviser_app.domain.records import CaseDetails, ChildDetails
from adviser_app.domain.vocab import CaseIssue
from adviser_app.services import casework
from adviser_app.store.db import Database, close_case_book
from adviser_app.ui.main_window import MainWindow
from adviser_app.ui.team.join_dialog import JoinDialog

TODAY = date(2026, 11, 28)


def family(db: Database, name: str) -> str:
    return casework.open_new_family_case(
        db, family_name=name, person=None,
        children=[ChildDetails("Zoë", name, date(2015, 3, 14))],
        case=CaseDetails("Sam", date(2026, 11, 1), frozenset({CaseIssue.OTHER})), actor="sam")


def window(qtbot, folder: Path, families: tuple[str, ...] = (),  # type: ignore[no-untyped-def]
           actor: str = "Sam Patel") -> MainWindow:
    folder.mkdir(parents=True)
    db = create_book(folder)
    for name in families:
        family(db, name)
    close_case_book(db)
    win = MainWindow(folder, actor=actor, today=lambda: TODAY, kdf=CHEAP)
    qtbot.addWidget(win)
    win.show()
    assert win.book.unlock(PASSPHRASE)
    win.access.confirm = lambda title, message: True  # type: ignore[method-assign]
    return win


@pytest.fixture
def laptop(qtbot, tmp_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = window(qtbot, tmp_path / "laptop", ("Okafor", "Nowak"))
    yield win
    win.team.wait()
    win.book.close_case_book(show_start=False)


@pytest.fixture
def office(qtbot, tmp_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """A second window, with an empty case book of its own: the office's."""
    win = window(qtbot, tmp_path / "office", actor="Priya Shah")
    yield win
    win.team.wait()
    win.book.close_case_book(show_start=False)


def db_of(win: MainWindow) -> Database:
    """The open case book of a window."""
    assert win.book.session is not None
    return win.book.session.db


def hub_file(hub_db: HubDb, name: str) -> Path:
    hub_db.add_user(name)
    return hub_db.folder / f"{name}.adviser-hub"


def join_dialog(win: MainWindow) -> JoinDialog:
    assert win.team_actions.connect_to_hub()
    dialog = win.team_actions.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def sync_window(qtbot, win: MainWindow) -> object:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(win.team.synced, timeout=30_000) as got:
        assert win.team.sync_now()
    return got.args[0]


def joined(qtbot, win: MainWindow, hub_db: HubDb, user: str) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(win.team.synced, timeout=30_000):
        join_dialog(win).connect_to(hub_file(hub_db, user))
