"""The window's recovery-key unlock on a case book behind its anchor (an older copy of the
file put in its place): it opens, says what may be missing, then that the passphrase is new."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

from adviser_app.domain.records import CaseDetails
from adviser_app.domain.vocab import CaseIssue
from adviser_app.services import case_books, casework
from adviser_app.store.db import close_case_book
from adviser_app.ui.main_window import MainWindow
from support import CHEAP, open_book


def _family(db, name: str) -> None:
    casework.open_new_family_case(db, family_name=name, person=None, children=[],
                                  case=CaseDetails("Sam", date(2026, 11, 1),
                                                   frozenset({CaseIssue.OTHER})), actor="t")


def test_the_recovery_key_on_an_older_file_opens_and_says_so(qtbot, data_dir: Path, today):
    made = case_books.create_real(data_dir, "otter lantern pumpkin", kdf=CHEAP)
    _family(made.db, "Before")
    close_case_book(made.db)
    place = case_books.real_place(data_dir)
    older = data_dir / "older.db"
    shutil.copyfile(place.path, older)
    db = open_book(place)
    _family(db, "Saved later")
    close_case_book(db)
    os.replace(older, place.path)
    win = MainWindow(data_dir, actor="sam", today=lambda: today, kdf=CHEAP)
    qtbot.addWidget(win)
    win.show()
    told: list[tuple[str, str]] = []
    win.access.tell = lambda title, message: told.append((title, message))
    win.access.ask_recovery = lambda: (made.recovery_key, "kettle thistle yacht")
    assert win.book.unlock_with_recovery(), win.unlock_page.error.text()
    assert win.session is not None
    assert [title for title, _ in told] == ["Some recent changes may be missing",
                                            "New passphrase set"]
    assert "quarantine" in told[0][1] and "re-enter" in told[0][1]
    win.book.close_case_book()
