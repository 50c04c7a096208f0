"""Saves lost without a word (issue 14, items 1 to 3): a damaged or missing write-ahead log
after a crash and an older whole file are found against the anchor kept outside the case book
file; a restore killed at any step is finished at the next start."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from adviser_app.domain.records import CaseDetails
from adviser_app.domain.vocab import CaseIssue
from adviser_app.services import book_check, backups, case_books, casework, recovering, restoring
from adviser_app.store.cases import find_cases
from adviser_app.store.db import close_case_book, in_use
from adviser_app.domain.recovery_key import new_recovery_words
from adviser_app.store import keyfile
from adviser_app.store.errors import WrongRecoveryKey
from support import CHEAP, PASSPHRASE, create_book, open_book

HERE = Path(__file__).resolve().parent
PAGE = 4096
WAL_HEADER, FRAME = 32, 24 + PAGE


def run_killed(data_dir: Path, *args: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE.parent),
                                                        str(HERE.parent.parent)])}
    done = subprocess.run([sys.executable, str(HERE / "killed_midway.py"), str(data_dir),
                           *args], capture_output=True, text=True, env=env, timeout=120)
    return done.stdout.split()


def add_family(db, name: str) -> None:
    casework.open_new_family_case(db, family_name=name, person=None, children=[],
                                  case=CaseDetails("Sam", date(2026, 11, 1),
                                                   frozenset({CaseIssue.OTHER})), actor="t")


def names(db) -> list[str]:
    return sorted(s.family_name for s in find_cases(db).rows)


@pytest.fixture
def place(data_dir: Path) -> case_books.CaseBookPlace:
    db = create_book(data_dir)
    add_family(db, "Before the crash")
    close_case_book(db)
    return case_books.real_place(data_dir)


def crash_with_saves(place: case_books.CaseBookPlace, count: int = 12) -> Path:
    saved = run_killed(place.path.parent, "save", str(count))
    assert len(saved) == count  # each printed only once committed: "Saved"
    wal = Path(f"{place.path}-wal")
    assert wal.stat().st_size > WAL_HEADER + count * FRAME  # the saves are in the WAL
    return wal


def test_a_crash_with_an_intact_wal_loses_nothing(place) -> None:
    crash_with_saves(place)
    opened = recovering.open_or_recover(place, PASSPHRASE)
    try:
        assert opened.behind is None and opened.message == ""
        assert len(names(opened.db)) == 13
    finally:
        close_case_book(opened.db)


def _flip(wal: Path) -> None:
    data = bytearray(wal.read_bytes())
    data[WAL_HEADER + 5 * FRAME + 24 + 100] ^= 0x40  # inside the 6th frame's page
    wal.write_bytes(bytes(data))


def _truncate(wal: Path) -> None:
    with wal.open("r+b") as handle:
        handle.truncate(WAL_HEADER + 4 * FRAME + 1000)


def _zero(wal: Path) -> None:
    wal.write_bytes(bytes(wal.stat().st_size))


def _delete(wal: Path) -> None:
    wal.unlink()


@pytest.mark.parametrize("damage", [_flip, _truncate, _zero, _delete],
                         ids=["flipped", "truncated", "zeroed", "deleted"])
def test_a_damaged_or_missing_wal_is_found_and_said(place, damage) -> None:
    wal = crash_with_saves(place)
    original_wal = wal.read_bytes()
    damage(wal)
    left = wal.read_bytes() if wal.exists() else None
    opened = recovering.open_or_recover(place, PASSPHRASE)
    try:
        assert opened.behind is not None, "saves went missing without a word"
        assert len(names(opened.db)) < 13  # they really are gone from the file
        message = opened.message
        assert "not in it" in message and "not closed properly" in message
        assert "re-enter" in message and str(opened.quarantined) in message
        kept = opened.quarantined
        assert kept is not None and (kept / "casebook.db").exists()
        assert (kept / "casebook.anchor").exists()
        if left is not None:  # the WAL exactly as the crash (and the damage) left it
            assert (kept / "casebook.db-wal").read_bytes() == left
        assert original_wal  # (for the reader: what was lost was there before the damage)
    finally:
        close_case_book(opened.db)
    again = recovering.open_or_recover(place, PASSPHRASE)  # said once, then carried on
    try:
        assert again.behind is None
        add_family(again.db, "After")
    finally:
        close_case_book(again.db)


def test_an_older_whole_file_is_found_and_a_newer_backup_offered(place) -> None:
    older = place.path.parent / "older-copy.db"
    shutil.copyfile(place.path, older)  # a genuine copy, taken while closed
    db = open_book(place)
    add_family(db, "Saved later")
    backups.backup_now(db, place)
    add_family(db, "Saved after the backup")  # the anchor has this too
    close_case_book(db)
    os.replace(older, place.path)
    opened = recovering.open_or_recover(place, PASSPHRASE)
    try:
        assert opened.behind is not None
        # the backup lacks the last save, so it is not offered: never older than recorded
        assert opened.restored_from is None
        assert names(opened.db) == ["Before the crash"]
    finally:
        close_case_book(opened.db)


def test_an_older_whole_file_is_replaced_by_a_backup_that_holds_everything(place) -> None:
    older = place.path.parent / "older-copy.db"
    shutil.copyfile(place.path, older)
    db = open_book(place)
    add_family(db, "Saved later")
    close_case_book(db)
    db = open_book(place)
    backups.backup_now(db, place)  # holds everything, including the "unlocked" note
    db.conn.close()  # gone without closing cleanly: the anchor still has the backup's head
    os.replace(older, place.path)
    opened = recovering.open_or_recover(place, PASSPHRASE)
    try:
        assert opened.behind is not None and opened.restored_from is not None
        assert names(opened.db) == ["Before the crash", "Saved later"]
        assert "nothing needs re-entering" in opened.message
        assert (opened.quarantined / "casebook.db").exists()
    finally:
        close_case_book(opened.db)


def test_the_it_check_says_a_file_behind_its_anchor_without_changing_it(place) -> None:
    wal = crash_with_saves(place)
    _truncate(wal)
    def files() -> dict[str, bytes]:  # (not the -shm index, which any reader rebuilds)
        return {p.name: p.read_bytes() for p in place.path.parent.iterdir()
                if p.is_file() and not p.name.endswith("-shm")}
    before = files()
    report = book_check.check(place, PASSPHRASE)
    assert report.startswith("DAMAGED") and "behind" in report
    assert files() == before  # the WAL a crash left is evidence: left as it is


def test_an_open_case_book_is_seen_as_in_use(place) -> None:
    assert not in_use(place.path)
    db = open_book(place)
    try:
        assert run_in_other_process_in_use(place.path)
    finally:
        close_case_book(db)
    assert not run_in_other_process_in_use(place.path)


def run_in_other_process_in_use(path: Path) -> bool:
    done = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                           "from adviser_app.store.db import in_use; "
                           f"print(in_use(Path({str(path)!r})))"],
                          capture_output=True, text=True, timeout=60)
    return done.stdout.strip() == "True"


STEPS = ["journal written", "moved casebook.db", "moved casebook.anchor", "quarantined",
         "copied", "replaced"]


@pytest.mark.parametrize("step", STEPS)
def test_a_restore_killed_at_any_step_is_finished_at_the_next_start(place, step) -> None:
    db = open_book(place)
    add_family(db, "In the backup")
    backups.backup_now(db, place)
    add_family(db, "Only in the current file")
    close_case_book(db)
    seen = run_killed(place.path.parent, "restore", step)
    assert "finished" not in seen and seen[-1] == step.split()[-1]
    assert place.exists()  # the app shows the unlock page, never the first-run page
    report = book_check.check(place, PASSPHRASE)
    assert "UNFINISHED" in report
    opened = recovering.open_or_recover(place, PASSPHRASE)
    try:
        assert names(opened.db) == ["Before the crash", "In the backup"]
        assert "cut off part-way" in opened.message
    finally:
        close_case_book(opened.db)
    kept = opened.resumed
    assert kept is not None and (kept / "casebook.db").exists()
    assert not restoring.restore_interrupted(place)
    assert not list(place.path.parent.glob("*.restoring"))
    quarantined = [p for p in (place.path.parent / "quarantine").rglob("casebook.db*")]
    assert quarantined  # the file that was replaced is kept, never deleted


def test_a_training_case_book_behind_its_anchor_is_built_again(data_dir: Path, today) -> None:
    db = case_books.open_training(data_dir, today)
    close_case_book(db)
    place = case_books.training_place(data_dir)
    older = data_dir / "older-training.db"
    shutil.copyfile(place.path, older)
    db = case_books.open_training(data_dir, today)
    add_family(db, "Added in a training session")
    close_case_book(db)
    os.replace(older, place.path)
    db = case_books.open_training(data_dir, today)  # no error: fictional, so rebuilt
    try:
        assert "Added in a training session" not in names(db)
        assert names(db)
    finally:
        close_case_book(db)
    assert not list(data_dir.glob("**/quarantine"))


# --- the printed recovery key on a book behind its anchor (issue 14, left from last time) ----

NEW_PASSPHRASE = "kettle thistle yacht"


@pytest.fixture
def recoverable(data_dir: Path) -> tuple[case_books.CaseBookPlace, str]:
    made = case_books.create_real(data_dir, PASSPHRASE, kdf=CHEAP)
    add_family(made.db, "Before the crash")
    close_case_book(made.db)
    return case_books.real_place(data_dir), made.recovery_key


def test_the_recovery_key_on_a_book_with_a_damaged_wal_says_so_and_keeps_every_file(
        recoverable) -> None:
    """Unlocking with the recovery key used to stop at "the case book file is behind" with no
    way on (the passphrase route quarantines, says what is missing and opens)."""
    place, recovery = recoverable
    wal = crash_with_saves(place)
    _truncate(wal)
    left = wal.read_bytes()
    opened = recovering.open_with_recovery(place, recovery, NEW_PASSPHRASE, kdf=CHEAP)
    try:
        assert opened.behind is not None and opened.restored_from is None
        assert 1 <= len(names(opened.db)) < 13
        assert "not in it" in opened.message and "re-enter" in opened.message
        assert str(opened.quarantined) in opened.message
        assert (opened.quarantined / "casebook.db-wal").read_bytes() == left
        said: list[tuple[str, str]] = []
        assert opened.told(lambda *words: said.append(words)) is opened.db  # (the window's)
        assert said == [("Some recent changes may be missing", opened.message)]
    finally:
        close_case_book(opened.db)
    # the new passphrase is set, and the book opens with it without a second warning
    again = case_books.open_existing(place, NEW_PASSPHRASE, kdf=CHEAP)
    close_case_book(again)


def test_the_recovery_key_on_an_older_whole_file_restores_the_backup_holding_everything(
        recoverable) -> None:
    place, recovery = recoverable
    older = place.path.parent / "older-copy.db"
    shutil.copyfile(place.path, older)
    db = open_book(place)
    add_family(db, "Saved later")
    close_case_book(db)
    db = open_book(place)
    backups.backup_now(db, place)
    db.conn.close()  # not closed cleanly: the anchor still has the backup's head
    os.replace(older, place.path)
    opened = recovering.open_with_recovery(place, recovery, NEW_PASSPHRASE, kdf=CHEAP)
    try:
        assert opened.behind is not None and opened.restored_from is not None
        assert names(opened.db) == ["Before the crash", "Saved later"]
        assert "nothing needs re-entering" in opened.message
        assert opened.title == "Case book restored from a backup"
    finally:
        close_case_book(opened.db)
    assert keyfile.unlock_with_passphrase(place.key_path, NEW_PASSPHRASE) == \
        keyfile.unlock_with_recovery_key(place.key_path, recovery)


def test_the_recovery_key_with_a_damaged_key_file_uses_the_copy_beside_the_backups(
        recoverable) -> None:
    place, recovery = recoverable
    damaged = place.key_path.read_bytes()[:-40]
    place.key_path.write_bytes(damaged)
    opened = recovering.open_with_recovery(place, recovery, NEW_PASSPHRASE, kdf=CHEAP)
    close_case_book(opened.db)
    assert opened.key_replaced is not None
    assert (opened.key_replaced / "casebook.key").read_bytes() == damaged
    assert "key file was damaged" in opened.message
    close_case_book(case_books.open_existing(place, NEW_PASSPHRASE, kdf=CHEAP))


def test_a_wrong_recovery_key_changes_nothing(recoverable) -> None:
    place, _ = recoverable
    wal = crash_with_saves(place)
    _truncate(wal)
    before = {p.name: p.read_bytes() for p in place.path.parent.iterdir() if p.is_file()}
    with pytest.raises(WrongRecoveryKey):
        recovering.open_with_recovery(place, new_recovery_words(), NEW_PASSPHRASE, kdf=CHEAP)
    after = {p.name: p.read_bytes() for p in place.path.parent.iterdir() if p.is_file()}
    assert after == before
