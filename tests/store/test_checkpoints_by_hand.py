"""Checkpointing by hand (a window's first load of the team register): no COMMIT runs SQLite's
automatic checkpoint meanwhile, the caller folds the WAL into the main file in steps of its
own, and a held main file (a background check or backup) is never changed by it."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from adviser_app.domain.records import CaseDetails
from adviser_app.domain.vocab import CaseIssue
from adviser_app.services import case_books, casework
from adviser_app.store.data_protection import fold_log_into_file
from adviser_app.store.checkpoints import (AUTO_CHECKPOINT_PAGES, checkpoint_now,
                                           checkpoints_by_hand, hold_main_file,
                                           main_file_held, release_main_file, wal_pages)
from adviser_app.store.db import Database


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _add_families(db: Database, count: int, prefix: str) -> None:
    for n in range(count):
        casework.open_new_family_case(
            db, family_name=f"{prefix} {n}", person=None, children=[],
            case=CaseDetails("Long note " * 400, date(2026, 11, 1),
                             frozenset({CaseIssue.OTHER})), actor="t")


def _auto(db: Database) -> int:
    return int(db.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])


def test_by_hand_no_commit_checkpoints_and_the_caller_does(db: Database,
                                                           data_dir: Path) -> None:
    path = case_books.real_place(data_dir).path
    _add_families(db, 2, "Before")
    assert checkpoint_now(db) and wal_pages(db) == 0
    before = _digest(path)
    with checkpoints_by_hand(db):
        assert _auto(db) == 0
        _add_families(db, 300, "Loaded")  # far more than the automatic checkpoint's pages
        assert _digest(path) == before  # no COMMIT checkpointed
        assert wal_pages(db) > AUTO_CHECKPOINT_PAGES
        assert checkpoint_now(db)
        assert wal_pages(db) == 0 and _digest(path) != before
        assert fold_log_into_file(db)  # an erasure meanwhile still empties the WAL
    assert _auto(db) == AUTO_CHECKPOINT_PAGES
    names = db.execute("SELECT count(*) FROM family WHERE family_name LIKE 'Loaded%'").fetchone()[0]
    assert names == 300


def test_after_by_hand_commits_checkpoint_again(db: Database, data_dir: Path) -> None:
    """Teeth: once by hand is over, a COMMIT does checkpoint a full WAL by itself."""
    path = case_books.real_place(data_dir).path
    with checkpoints_by_hand(db):
        _add_families(db, 2, "Before")
        checkpoint_now(db)
    before = _digest(path)
    _add_families(db, 300, "After")
    assert _digest(path) != before


def test_a_held_main_file_is_never_checkpointed_by_hand(db: Database, data_dir: Path) -> None:
    path = case_books.real_place(data_dir).path
    with checkpoints_by_hand(db):
        hold_main_file(db)  # a background check begins during the load
        held = _digest(path)
        _add_families(db, 300, "Held")
        assert main_file_held(db)
        assert not checkpoint_now(db) and not fold_log_into_file(db)
        assert _digest(path) == held
    assert _auto(db) == 0  # the load ended first: the hold still keeps the file as it is
    _add_families(db, 50, "Still held")
    assert _digest(path) == held
    release_main_file(db)
    assert _auto(db) == AUTO_CHECKPOINT_PAGES and not main_file_held(db)


def test_a_hold_released_during_the_load_leaves_it_by_hand(db: Database,
                                                          data_dir: Path) -> None:
    path = case_books.real_place(data_dir).path
    with checkpoints_by_hand(db):
        hold_main_file(db)
        release_main_file(db)  # the check ended before the load
        assert _auto(db) == 0
        checkpoint_now(db)
        before = _digest(path)
        _add_families(db, 300, "Loaded")
        assert _digest(path) == before
        assert checkpoint_now(db) and _digest(path) != before
    assert _auto(db) == AUTO_CHECKPOINT_PAGES
