"""Creating the real case book is all or nothing: a failure at any step (key file, a migration,
the key file's copy beside the backups) removes exactly the files that call made and passes
the same error on, so "Create" works the next time; files that were there before are never
removed or changed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from adviser_app.store.errors import DiskFull

from adviser_app.services import case_books
from adviser_app.store import migrate
from adviser_app.store.db import close_case_book
from adviser_app.store.errors import CaseBookExists, KeyFileError, UpgradeFailed
from adviser_app.store.migrate import Migration
from support import CHEAP, PASSPHRASE, create_book, open_book

REAL_MIGRATIONS = migrate.known_migrations
CURRENT = len(REAL_MIGRATIONS())


class InjectedFault(Exception):
    pass


@dataclass(frozen=True)
class FailsBeforeItsStatements(Migration):
    def statements(self) -> list[str]:
        raise InjectedFault(f"step {self.number}")


@dataclass(frozen=True)
class FailsAfterItsStatements(Migration):
    """Every statement of the step runs, then it fails before the version is set."""

    def statements(self) -> list[str]:
        return [*super().statements(), "INSERT INTO no_such_table VALUES (1)"]


def break_step(monkeypatch: pytest.MonkeyPatch, step: int, fault: type[Migration]) -> None:
    broken = [fault(m.number, m.path) if m.number == step else m for m in REAL_MIGRATIONS()]
    monkeypatch.setattr(migrate, "known_migrations", lambda: broken)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under *folder* (relative name -> SHA-256), and every folder (-> "dir")."""
    return {str(p.relative_to(folder)): "dir" if p.is_dir()
            else hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))}


def creates_cleanly_afterwards(data_dir: Path) -> None:
    db = create_book(data_dir)
    try:
        assert migrate.user_version(db.conn) == CURRENT
    finally:
        close_case_book(db)
    assert sorted(p.name for p in data_dir.iterdir()) == ["backups", "casebook.anchor",
                                                          "casebook.db", "casebook.key"]
    close_case_book(open_book(case_books.real_place(data_dir)))


@pytest.mark.parametrize("fault", [FailsBeforeItsStatements, FailsAfterItsStatements])
@pytest.mark.parametrize("step", sorted({1, CURRENT}))
def test_a_failed_migration_leaves_nothing_and_create_then_works(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch, step: int,
        fault: type[Migration]) -> None:
    break_step(monkeypatch, step, fault)
    with pytest.raises(UpgradeFailed) as caught:
        create_book(data_dir)
    assert caught.value.version == step
    assert str(caught.value).startswith(
        f"The update to case book format {step} couldn't be applied; your data is unchanged.")
    assert snapshot(data_dir) == {}  # no book, WAL, shared memory, key file or backups
    monkeypatch.undo()
    creates_cleanly_afterwards(data_dir)


def test_a_failed_copy_to_backups_closes_and_removes_the_new_book(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_copy = case_books.copy_key_file_to_backups

    def copy_then_fail(place: case_books.CaseBookPlace) -> None:
        real_copy(place)  # the copy is made, then the disk fails
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(case_books, "copy_key_file_to_backups", copy_then_fail)
    with pytest.raises(DiskFull, match="The disk is full. Making the new case book"):
        create_book(data_dir)
    assert snapshot(data_dir) == {}
    monkeypatch.undo()
    creates_cleanly_afterwards(data_dir)  # the half-made book's lock was let go


def test_a_failed_key_file_leaves_nothing(data_dir: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    real_create = case_books.create_protected_key_file

    def write_then_fail(path: Path, *args: Any, **kwargs: Any) -> Any:
        real_create(path, *args, **kwargs)
        raise OSError(5, "Input/output error")  # e.g. the folder's fsync after the rename

    monkeypatch.setattr(case_books, "create_protected_key_file", write_then_fail)
    with pytest.raises(OSError, match="Input/output"):
        create_book(data_dir)
    assert snapshot(data_dir) == {}
    monkeypatch.undo()
    creates_cleanly_afterwards(data_dir)


def test_an_existing_case_book_is_never_touched(data_dir: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    close_case_book(create_book(data_dir))
    (data_dir / "backups" / "casebook-20261101T100000Z.db").write_bytes(b"an old backup")
    before = snapshot(data_dir)
    assert {"casebook.db", "casebook.key", "backups/casebook.key"} <= before.keys()
    break_step(monkeypatch, 1, FailsBeforeItsStatements)
    with pytest.raises(CaseBookExists, match="already exists there"):
        create_book(data_dir)
    monkeypatch.undo()
    with pytest.raises(CaseBookExists, match="already exists there"):
        create_book(data_dir)
    assert snapshot(data_dir) == before
    close_case_book(open_book(case_books.real_place(data_dir)))


def test_a_key_file_with_no_book_is_kept(data_dir: Path) -> None:
    """A key file without its book (say, the book was moved away) is refused, not replaced:
    the book it belongs to may turn up again."""
    key_path = case_books.real_place(data_dir).key_path
    key_path.write_bytes(b"the key of a book that was moved away")
    before = snapshot(data_dir)
    with pytest.raises(KeyFileError, match="already exists"):
        create_book(data_dir)
    assert snapshot(data_dir) == before


def test_files_that_were_there_before_a_failure_stay(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Old backups (and their key copy) and other files in the folder are left exactly as they
    were when creating a new book fails; only the new book's files go."""
    backups = data_dir / "backups"
    backups.mkdir()
    (backups / "casebook-20261101T100000Z.db").write_bytes(b"an old backup")
    (backups / "casebook.key").write_bytes(b"the old backups' key")
    (data_dir / "notes.txt").write_text("not ours")
    before = snapshot(data_dir)
    break_step(monkeypatch, CURRENT, FailsAfterItsStatements)
    with pytest.raises(UpgradeFailed):
        create_book(data_dir)
    assert snapshot(data_dir) == before


def test_teeth_without_the_clean_up_a_failure_leaves_files_and_blocks_create(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks above can see leftovers: with the clean-up switched off, the half-made book
    and its key file stay and the next "Create" is refused."""
    monkeypatch.setattr(case_books, "_undo_create", lambda *args: None)
    break_step(monkeypatch, 1, FailsAfterItsStatements)
    with pytest.raises(UpgradeFailed):
        create_book(data_dir)
    assert {"casebook.db", "casebook.key"} <= snapshot(data_dir).keys()
    with pytest.raises(CaseBookExists):
        case_books.create_real(data_dir, PASSPHRASE, kdf=CHEAP)
