"""A held case book file stays exactly as it is while saves go on, so another thread can check
or copy it without the case book's lock (the full checks after unlocking, and backups)."""

from __future__ import annotations

import hashlib
import threading
from datetime import date
from pathlib import Path

import pytest

from adviser_app.domain.records import CaseDetails
from adviser_app.domain.vocab import CaseIssue
from adviser_app.services import backups, case_books, casework
from adviser_app.store.cases import find_cases
from adviser_app.store.checkpoints import hold_main_file, release_main_file
from adviser_app.store.db import Database, close_case_book, copy_held_file, verify_file
from adviser_app.store.errors import CheckStopped
from support import key_of, open_book


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _add_families(db: Database, count: int, prefix: str = "Family") -> None:
    for n in range(count):
        casework.open_new_family_case(
            db, family_name=f"{prefix} {n}", person=None, children=[],
            case=CaseDetails("Long note " * 400, date(2026, 11, 1),
                             frozenset({CaseIssue.OTHER})), actor="t")


def test_saves_while_held_leave_the_main_file_unchanged(db: Database, data_dir: Path) -> None:
    place = case_books.real_place(data_dir)
    _add_families(db, 3)
    hold_main_file(db)
    before = _digest(place.path)
    _add_families(db, 300, "Held")  # far more than SQLite's 1,000-page automatic checkpoint
    assert _digest(place.path) == before
    release_main_file(db)
    _add_families(db, 1)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert _digest(place.path) != before  # teeth: released, the main file does change


def test_without_holding_the_main_file_changes(db: Database, data_dir: Path) -> None:
    """Teeth for the test above: the same saves do reach the main file when not held."""
    place = case_books.real_place(data_dir)
    _add_families(db, 3)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = _digest(place.path)
    _add_families(db, 300, "Loose")
    assert _digest(place.path) != before


def test_a_copy_of_the_held_file_holds_what_was_saved_before_it(db: Database,
                                                                 data_dir: Path) -> None:
    place = case_books.real_place(data_dir)
    _add_families(db, 2)
    hold_main_file(db)
    _add_families(db, 1, "After")
    target = data_dir / "copy.db"
    copy_held_file(place.path, target)
    release_main_file(db)
    key = key_of(place.key_path)
    verify_file(target, key, snapshot=True)
    close_case_book(db)
    target.rename(place.path)  # the copy stands in for the case book
    # (an older whole file is refused against its anchor: see test_anchor.py; here the copy
    # is only read back)
    for suffix in ("-wal", "-shm"):
        Path(f"{place.path}{suffix}").unlink(missing_ok=True)
    place.path.with_suffix(".anchor").unlink()
    again = open_book(place)
    try:
        assert sorted(s.family_name for s in find_cases(again).rows) == \
            ["Family 0", "Family 1"]
    finally:
        close_case_book(again)


def test_a_stopped_check_says_so_and_a_stopped_copy_leaves_nothing(db: Database,
                                                                   data_dir: Path) -> None:
    place = case_books.real_place(data_dir)
    _add_families(db, 40)
    held = backups.hold(db, place)
    held.stop.set()
    with pytest.raises(CheckStopped):
        backups.check_held(held)
    with pytest.raises(CheckStopped):
        backups.back_up_held(held, place)
    backups.release(db, held)
    assert backups.list_backups(place) == []
    assert not list(place.backups.glob("*.partial"))


def test_finish_waits_for_the_reader(db: Database, data_dir: Path) -> None:
    place = case_books.real_place(data_dir)
    held = backups.hold(db, place)
    reading, finished = threading.Event(), threading.Event()

    def reader() -> None:
        with held.reading:
            reading.set()
            held.stop.wait(5)
        finished.set()

    thread = threading.Thread(target=reader)
    thread.start()
    assert reading.wait(5)
    backups.release(db, held)  # sets stop, then waits until the reader lets go
    assert finished.wait(5)
    thread.join()
