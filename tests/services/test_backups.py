"""Backups and damage (T5, T6): verified and rotated backups; a damaged case book is moved to
quarantine (never deleted) and the newest good backup restored; a bad backup never replaces
anything."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest

from adviser_app.domain.records import CaseDetails
from adviser_app.domain.vocab import CaseIssue
from adviser_app.services import book_check, backups, case_books, casework, recovering, restoring
from adviser_app.store.cases import find_cases
from adviser_app.store.db import close_case_book
from adviser_app.store.errors import CaseBookDamaged, CaseBookError
from support import PASSPHRASE, create_book, key_of

PAGE = 4096


def add_family(db, name: str) -> None:
    casework.open_new_family_case(db, family_name=name, person=None, children=[],
                                  case=CaseDetails("Sam", date(2026, 11, 1),
                                                   frozenset({CaseIssue.OTHER})), actor="t")


def families(db) -> list[str]:
    return sorted(s.family_name for s in find_cases(db).rows)


@pytest.fixture
def place(data_dir: Path) -> case_books.CaseBookPlace:
    return case_books.real_place(data_dir)


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x5A
    path.write_bytes(bytes(data))


def test_backup_is_encrypted_verified_and_opens(data_dir, place):
    db = create_book(data_dir)
    add_family(db, "Okafor")
    info = backups.backup_now(db, place)
    close_case_book(db)
    assert info.path.read_bytes()[:16] != b"SQLite format 3\x00"
    assert b"Okafor" not in info.path.read_bytes()
    assert not list(place.backups.glob("*.partial"))
    assert (place.backups / "casebook.key").exists()
    restoring.restore(place, info, key_of(place.key_path))  # verified before use
    opened = recovering.open_or_recover(place, PASSPHRASE)
    assert families(opened.db) == ["Okafor"] and opened.restored_from is None
    close_case_book(opened.db)


def test_rotation_keeps_the_newest(data_dir, place, monkeypatch):
    db = create_book(data_dir)
    times = iter(datetime(2026, 11, 28, 9, m) for m in range(20))
    monkeypatch.setattr(backups, "now", lambda: next(times))
    for _ in range(6):
        backups.backup_now(db, place, keep=3)
    close_case_book(db)
    kept = backups.list_backups(place)
    assert [b.taken_at.minute for b in kept] == [5, 4, 3]


@pytest.mark.parametrize("where", ["page 1", "page 3", "last page", "truncated", "zeroed"])
def test_damaged_case_book_is_quarantined_and_the_backup_restored(data_dir, place, where,
                                                                 monkeypatch):
    db = create_book(data_dir)
    for name in ("Okafor", "Nowak", "Wiśniewska"):
        add_family(db, name)
    monkeypatch.setattr(backups, "now", lambda: datetime(2026, 11, 28, 14, 32))
    backups.backup_now(db, place)
    add_family(db, "Later")  # saved after the backup: will need re-entering
    close_case_book(db)
    size = place.path.stat().st_size
    if where == "page 1":
        flip(place.path, 100)
    elif where == "page 3":
        flip(place.path, 2 * PAGE + 500)
    elif where == "last page":
        flip(place.path, size - 200)
    elif where == "truncated":
        with place.path.open("r+b") as f:
            f.truncate(size - 3 * PAGE)
    else:
        place.path.write_bytes(b"\0" * size)
    damaged = place.path.read_bytes()
    monkeypatch.setattr(backups, "now", lambda: datetime(2026, 11, 28, 15, 0))
    opened = recovering.open_or_recover(place, PASSPHRASE)
    if opened.restored_from is None:
        # Only page 1 is read while unlocking; the full check that follows finds the rest.
        assert where not in ("page 1", "zeroed")
        with pytest.raises(CaseBookDamaged):
            backups.full_check(opened.db, place)
        opened = recovering.recover_open(opened.db, place, CaseBookDamaged("found by the check"))
    try:
        assert families(opened.db) == ["Nowak", "Okafor", "Wiśniewska"]
        assert opened.restored_from is not None and "28/11/2026 at 14:32" in opened.message
        assert opened.quarantined is not None
        assert (opened.quarantined / "casebook.db").read_bytes() == damaged  # kept as it was
        assert "re-entering" in opened.message
    finally:
        close_case_book(opened.db)


def test_damaged_with_no_good_backup_is_kept_and_explained(data_dir, place):
    db = create_book(data_dir)
    add_family(db, "Okafor")
    info = backups.backup_now(db, place)
    close_case_book(db)
    flip(info.path, 2 * PAGE + 10)  # the backup is damaged too
    flip(place.path, 2 * PAGE + 10)
    opened = recovering.open_or_recover(place, PASSPHRASE)  # page 1 is fine
    with pytest.raises(CaseBookDamaged) as found:
        backups.full_check(opened.db, place)
    with pytest.raises(CaseBookDamaged, match="no good backup"):
        recovering.recover_open(opened.db, place, found.value)
    quarantined = list((data_dir / "quarantine").glob("*/casebook.db"))
    assert len(quarantined) == 1  # never deleted
    assert info.path.exists()


def test_a_bad_backup_never_replaces_the_case_book(data_dir, place):
    db = create_book(data_dir)
    add_family(db, "Okafor")
    info = backups.backup_now(db, place)
    close_case_book(db)
    flip(info.path, 2 * PAGE + 10)
    before = place.path.read_bytes()
    with pytest.raises(CaseBookError):
        recovering.restore_from_backup(place, info, PASSPHRASE)
    assert place.path.read_bytes() == before
    assert not (data_dir / "quarantine").exists()


def test_choosing_to_restore_keeps_the_current_file(data_dir, place, monkeypatch):
    db = create_book(data_dir)
    add_family(db, "Okafor")
    monkeypatch.setattr(backups, "now", lambda: datetime(2026, 11, 28, 9, 0))
    info = backups.backup_now(db, place)
    add_family(db, "Nowak")
    close_case_book(db)
    monkeypatch.setattr(backups, "now", lambda: datetime(2026, 11, 28, 10, 0))
    opened = recovering.restore_from_backup(place, info, PASSPHRASE)
    try:
        assert families(opened.db) == ["Okafor"]
    finally:
        close_case_book(opened.db)
    assert opened.quarantined is not None and (opened.quarantined / "casebook.db").exists()
    # the service words it as a choice, not as damage
    assert opened.message.startswith(f"The case book you had open was kept in "
                                     f"{opened.quarantined}. Your case book was restored from "
                                     "the backup made on 28/11/2026 at 09:00")
    assert "damaged" not in opened.message


def test_backup_to_an_extra_folder(data_dir, place, tmp_path):
    db = create_book(data_dir)
    add_family(db, "Okafor")
    usb = tmp_path / "usb"
    info = backups.backup_now(db, place, extra_folder=usb)
    close_case_book(db)
    assert (usb / info.path.name).read_bytes() == info.path.read_bytes()
    assert (usb / "casebook.key").exists()


def test_interrupted_backup_leaves_no_good_looking_file(data_dir, place, monkeypatch):
    db = create_book(data_dir)
    add_family(db, "Okafor")
    from adviser_app.store import db as store_db

    def broken_verify(path, key, **_):
        raise CaseBookDamaged("simulated fault while checking")

    monkeypatch.setattr(store_db, "_verify", broken_verify)
    with pytest.raises(CaseBookDamaged):
        backups.backup_now(db, place)
    monkeypatch.undo()
    close_case_book(db)
    assert backups.list_backups(place) == []
    assert not list(place.backups.glob("*.partial"))


def test_check_reports_each_file(data_dir, place):
    db = create_book(data_dir)
    info = backups.backup_now(db, place)
    close_case_book(db)
    flip(info.path, 2 * PAGE + 10)
    report = book_check.check(place, PASSPHRASE)
    assert report.splitlines()[0].startswith("OK")
    assert "DAMAGED" in report.splitlines()[1]
    assert os.path.basename(info.path) in report


def test_leftovers_of_interrupted_backups_are_cleaned_on_start(data_dir, place):
    """Issue 14 item 4: killed backups left full-size *.partial files that were never
    removed. Unlocking removes them (and a half-copied restore), never a finished backup."""
    db = create_book(data_dir)
    info = backups.backup_now(db, place)
    close_case_book(db)
    for number in range(3):
        (place.backups / f"casebook-2026120{number}T101010.db.partial").write_bytes(
            b"\0" * 50_000)
    (data_dir / "casebook.db.restoring").write_bytes(b"\0" * 50_000)
    opened = recovering.open_or_recover(place, PASSPHRASE)
    close_case_book(opened.db)
    assert not list(place.backups.glob("*.partial"))
    assert not (data_dir / "casebook.db.restoring").exists()
    assert info.path.exists() and backups.list_backups(place)[0].path == info.path


def test_a_backup_with_too_little_free_space_is_refused_before_writing(data_dir, place,
                                                                       monkeypatch):
    db = create_book(data_dir)
    monkeypatch.setattr(backups.shutil, "disk_usage",
                        lambda _folder: type("Usage", (), {"free": 10_000})())
    try:
        with pytest.raises(CaseBookError, match="disk is full.*MB is free"):
            backups.backup_now(db, place)
    finally:
        close_case_book(db)
    assert backups.list_backups(place) == []
    assert not list(place.backups.glob("*.partial"))


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_every_file_is_owner_only_even_with_an_open_umask(data_dir, place, tmp_path):
    """Issue 14 item 11: used as a library (no app start-up to set the umask), files were
    0644. The case book, its WAL, backups, quarantine and restored files are 0600."""
    old = os.umask(0o022)
    try:
        db = create_book(data_dir)
        add_family(db, "Okafor")
        assert Path(f"{place.path}-wal").exists()
        extra = tmp_path / "usb"
        info = backups.backup_now(db, place, extra_folder=extra)
        made = [p for p in [*data_dir.rglob("*"), *extra.rglob("*")] if p.is_file()]
        loose = {str(p): oct(p.stat().st_mode & 0o777) for p in made
                 if p.stat().st_mode & 0o077}
        close_case_book(db)
        restoring.restore(place, info, key_of(place.key_path))
        opened = recovering.open_or_recover(place, PASSPHRASE)
        add_family(opened.db, "Adeyemi")
        made += [p for p in [*data_dir.rglob("*"), *extra.rglob("*")] if p.is_file()]
        loose.update({str(p): oct(p.stat().st_mode & 0o777) for p in made
                      if p.exists() and p.stat().st_mode & 0o077})
        close_case_book(opened.db)
    finally:
        os.umask(old)
    assert {p.name for p in made} >= {"casebook.db", "casebook.db-wal", "casebook.key",
                                      "casebook.anchor", info.path.name}
    assert any("quarantine" in p.parts for p in made)
    assert loose == {}


def test_a_damaged_key_file_is_replaced_by_its_copy_when_that_opens_the_book(data_dir,
                                                                            place):
    """Issue 14 item 8: only a manual copy fixed a damaged key file."""
    close_case_book(create_book(data_dir))
    damaged = place.key_path.read_bytes()[:-40]
    place.key_path.write_bytes(damaged)
    opened = recovering.open_or_recover(place, PASSPHRASE)
    close_case_book(opened.db)
    assert opened.key_replaced is not None
    assert (opened.key_replaced / "casebook.key").read_bytes() == damaged
    assert "key file was damaged" in opened.message and str(opened.key_replaced) in \
        opened.message
    assert place.key_path.read_bytes() == (place.backups / "casebook.key").read_bytes()


def test_a_key_copy_that_does_not_open_this_book_is_not_used(data_dir, place, tmp_path):
    close_case_book(create_book(data_dir))
    other = tmp_path / "other"
    other.mkdir()
    close_case_book(create_book(other))
    (place.backups / "casebook.key").write_bytes((other / "casebook.key").read_bytes())
    place.key_path.write_bytes(place.key_path.read_bytes()[:-40])
    before = sorted(p.name for p in data_dir.rglob("*"))
    with pytest.raises(CaseBookError, match="key file .* damaged"):
        recovering.open_or_recover(place, PASSPHRASE)
    assert sorted(p.name for p in data_dir.rglob("*")) == before  # nothing moved
