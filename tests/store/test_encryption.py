"""The case book on disk is always encrypted, and bad files are refused without harm (T5, T8,
T9, T13)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import unicodedata
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

import pytest

from adviser_app.domain.records import (CaseDetails, ChildDetails, EntryDetails, PersonDetails,
                                        TaskDetails)
from adviser_app.domain.vocab import CaseIssue, EntryKind, Relationship
from adviser_app.services import case_books, casework
from adviser_app.store import cases, checkpoints
from adviser_app.store import db as store_db
from adviser_app.store.cases import CaseFilter
from adviser_app.store.db import (Database, close_case_book, create_case_book,
                                  open_case_book)
from adviser_app.store.errors import (CaseBookDamaged, CaseBookExists, CaseBookInUse,
                                      CaseBookMissing,
                                      EncryptionMissing, KeyFileError, NotEncrypted,
                                      UnsafeLocation, WrongKey)
from adviser_app.store.keyfile import create_protected_key_file
from adviser_app.store.location import location_problem
from support import CHEAP, PASSPHRASE, create_book, key_of, open_book

PLAIN_HEADER = b"SQLite format 3\x00"
PAGE = 4096


def new_key_file(path: Path) -> bytes:
    return create_protected_key_file(path, PASSPHRASE, CHEAP)[0]


def file_state(path: Path) -> tuple[str, int, int]:
    info = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), info.st_mtime_ns, info.st_size


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def closed_place(data_dir: Path) -> case_books.CaseBookPlace:
    db = create_book(data_dir)
    casework.open_new_family_case(
        db, family_name="Okafor", person=None,
        children=[ChildDetails("Zoë", "Okafor", date(2015, 3, 14))],
        case=CaseDetails("Sam", date(2026, 11, 1), frozenset({CaseIssue.OTHER})), actor="t")
    close_case_book(db)
    return case_books.real_place(data_dir)


# --- on disk ------------------------------------------------------------------------------


def test_header_is_not_plain_sqlite(db: Database, data_dir: Path) -> None:
    path = case_books.real_place(data_dir).path
    assert path.read_bytes()[:16] != PLAIN_HEADER  # while open
    close_case_book(db)
    assert path.read_bytes()[:16] != PLAIN_HEADER


def test_stdlib_sqlite3_cannot_read_it(closed_place: case_books.CaseBookPlace) -> None:
    conn = sqlite3.connect(closed_place.path)
    try:
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute("SELECT name FROM sqlite_schema").fetchall()
    finally:
        conn.close()


def test_cipher_version_is_4_or_later() -> None:
    assert int(store_db.check_encryption().split(".")[0]) >= 4


def _forms(canary: str) -> list[bytes]:
    forms = set()
    for text in (canary, canary.lower(), canary.upper(), unicodedata.normalize("NFD", canary)):
        forms.add(text.encode("utf-8"))
        forms.add(text.encode("utf-16-le"))
        forms.add(text.encode("utf-16-be"))
    return sorted(forms)


def _scan(folder: Path, canaries: list[str]) -> list[str]:
    hits = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for canary in canaries:
                for form in _forms(canary):
                    if form in data:
                        hits.append(f"{path.name}: {canary!r}")
    return hits


def test_canaries_never_reach_the_disk_in_plaintext(db: Database, data_dir: Path,
                                                    tmp_path: Path) -> None:
    token = uuid.uuid4().hex
    name_canary = f"Canaryname{token[:12]}"
    note_canary = f"CANARYnote{token[12:]}"
    accent_canary = f"Zoë{token[:8]}Łucja"
    canaries = [name_canary, note_canary, accent_canary, token[:12], token[12:]]

    person = PersonDetails(given_name=name_canary, family_name=accent_canary,
                           relationship=Relationship.MOTHER,
                           address=f"1 {note_canary} Street", postcode="LS1 1AA",
                           email=f"{name_canary}@example.org")
    case_id = casework.open_new_family_case(
        db, family_name=accent_canary, person=person,
        children=[ChildDetails(name_canary, accent_canary, date(2015, 3, 14),
                               school=f"{note_canary} Primary", notes=note_canary)],
        case=CaseDetails("Sam", date(2026, 11, 1), frozenset({CaseIssue.OTHER}),
                         summary=note_canary), actor="t")
    entry_id = casework.add_timeline_entry(
        db, case_id, EntryDetails(EntryKind.NOTE, date(2026, 11, 2), "Sam",
                                  f"first {note_canary}"), "Sam")
    casework.edit_timeline_entry(db, entry_id, EntryDetails(
        EntryKind.NOTE, date(2026, 11, 2), "Sam", f"second {note_canary} {name_canary}"),
        "Sam", based_on_version=1)
    casework.add_task(db, case_id, TaskDetails(f"ring {name_canary}"), "Sam")
    assert len(cases.find_cases(db, CaseFilter(text=name_canary)).rows) == 1
    for _ in range(3):  # make the WAL hold several versions of the pages
        casework.rename_family(db, cases.get_case(db, case_id).family_id,
                               accent_canary, f"notes {note_canary}", "Sam")

    assert (data_dir / "casebook.db-wal").exists()
    assert _scan(tmp_path, canaries) == []  # while open: db and -wal

    close_case_book(db)
    assert _scan(tmp_path, canaries) == []  # after close: everything under the test folder

    # the scanner does see plaintext when there is some (so the test above can fail)
    control = tmp_path / "control"
    control.mkdir()
    conn = sqlite3.connect(control / "plain.db")
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.execute("INSERT INTO t VALUES (?)", [f"a {note_canary} b"])
    conn.commit()
    conn.close()
    assert _scan(control, canaries) != []


def _open_files_holding(canary: bytes) -> list[str]:
    """Files this process has open, including unlinked temp files, that hold *canary*."""
    hits = []
    for fd in os.listdir("/proc/self/fd"):
        link = f"/proc/self/fd/{fd}"
        try:
            if not os.path.isfile(link):
                continue
            with open(link, "rb") as handle:
                if canary in handle.read():
                    hits.append(os.readlink(link))
        except OSError:
            continue
    return hits


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd")
def test_big_sorts_leave_no_plaintext_temp_files(db: Database) -> None:
    """The etilqs_* leak of T13: a sort too big for memory must not spill plaintext to disk."""
    canary = f"CANARY{uuid.uuid4().hex}"
    db.execute("PRAGMA cache_size = -2000")  # the sorter's memory follows the page cache
    case_id = casework.open_new_family_case(
        db, family_name="Okafor", person=None, children=[],
        case=CaseDetails("Sam", date(2026, 11, 1), frozenset({CaseIssue.OTHER})), actor="t")
    body = f"{canary} " * 60
    with db.atomic():  # 6,000 notes of ~2 KB: far more than the page cache holds
        for i in range(6000):
            db.execute("INSERT INTO timeline_entry (id, case_id, kind, entry_date, author, "
                       "body, version, created_at, updated_at, updated_by) VALUES "
                       "(?, ?, 'note', ?, 'Sam', ?, 1, ?, 'u', 't')",
                       [f"e{i}", case_id, f"2026-01-{i % 28 + 1:02d}", body, f"c{i:05d}"])
    sort = "SELECT body FROM timeline_entry ORDER BY entry_date DESC, created_at DESC"

    cursor = db.execute(sort)
    cursor.fetchone()  # the sort is done and any spill file is still open
    assert _open_files_holding(canary.encode()) == []
    cursor.close()

    # control: with temp files on disk the same sort does leak, so the scan above can fail
    db.execute("PRAGMA temp_store = FILE")
    cursor = db.execute(sort)
    cursor.fetchone()
    assert _open_files_holding(canary.encode()) != []
    cursor.close()


# --- refusing bad files without changing them ---------------------------------------------


def test_wrong_key_is_refused_and_file_unchanged(closed_place: case_books.CaseBookPlace,
                                                 data_dir: Path) -> None:
    before = file_state(closed_place.path)
    files = listing(data_dir)
    with pytest.raises(WrongKey) as caught:
        open_case_book(closed_place.path, os.urandom(32))
    assert "Nothing was changed" in str(caught.value)
    assert file_state(closed_place.path) == before
    assert listing(data_dir) == files


def test_another_valid_key_file_is_refused(closed_place: case_books.CaseBookPlace) -> None:
    before = file_state(closed_place.path)
    closed_place.key_path.unlink()
    new_key_file(closed_place.key_path)
    with pytest.raises(WrongKey):
        open_book(closed_place)
    assert file_state(closed_place.path) == before


def test_plaintext_sqlite_file_is_refused(data_dir: Path) -> None:
    place = case_books.real_place(data_dir)
    conn = sqlite3.connect(place.path)
    conn.execute("CREATE TABLE family (id TEXT)")
    conn.execute("INSERT INTO family VALUES ('x')")
    conn.commit()
    conn.close()
    new_key_file(place.key_path)
    before = file_state(place.path)
    with pytest.raises(NotEncrypted):
        open_book(place)
    assert file_state(place.path) == before


def test_missing_file_is_not_created(data_dir: Path) -> None:
    path = data_dir / "nothing.db"
    with pytest.raises(CaseBookMissing):
        open_case_book(path, os.urandom(32))
    assert not path.exists()
    assert listing(data_dir) == []


def test_create_refuses_to_overwrite_an_existing_file(closed_place: case_books.CaseBookPlace
                                                      ) -> None:
    before = file_state(closed_place.path)
    with pytest.raises(CaseBookExists, match="already exists"):
        create_case_book(closed_place.path, key_of(closed_place.key_path))
    assert file_state(closed_place.path) == before


def test_second_open_while_open_is_refused(db: Database, data_dir: Path) -> None:
    place = case_books.real_place(data_dir)
    with pytest.raises(CaseBookInUse) as caught:
        open_book(place)
    assert "already open" in str(caught.value)
    # the first window is unaffected and can still save
    casework.open_new_family_case(
        db, family_name="Nowak", person=None, children=[],
        case=CaseDetails("Sam", date(2026, 11, 1), frozenset({CaseIssue.OTHER})), actor="t")
    close_case_book(db)
    again = open_book(place)
    try:
        assert [r["family_name"] for r in again.query("SELECT family_name FROM family")] == \
            ["Nowak"]
    finally:
        close_case_book(again)


def test_in_use_even_with_the_wrong_key(db: Database, data_dir: Path) -> None:
    with pytest.raises((CaseBookInUse, WrongKey)):
        open_case_book(case_books.real_place(data_dir).path, os.urandom(32))


def _flip(data: bytes, offset: int, length: int = 16) -> bytes:
    return data[:offset] + bytes(b ^ 0x5A for b in data[offset:offset + length]) + \
        data[offset + length:]


@pytest.mark.parametrize("damage", [
    pytest.param(lambda d: _flip(d, PAGE + PAGE // 2, 1), id="one-byte-page-2"),
    pytest.param(lambda d: _flip(d, PAGE * 5 + 1000), id="middle-page-6"),
    pytest.param(lambda d: _flip(d, len(d) - PAGE // 2), id="last-page"),
    pytest.param(lambda d: d[:PAGE * 3] + bytes(PAGE) + d[PAGE * 4:], id="zeroed-page-4"),
])
def test_damaged_file_is_refused_and_kept(closed_place: case_books.CaseBookPlace,
                                          damage: Callable[[bytes], bytes]) -> None:
    original = closed_place.path.read_bytes()
    assert len(original) > PAGE * 8
    damaged = damage(original)
    assert damaged != original
    closed_place.path.write_bytes(damaged)
    key = key_of(closed_place.key_path)
    with pytest.raises(CaseBookDamaged) as caught:
        store_db.verify_file(closed_place.path, key)
    assert "Nothing was deleted" in str(caught.value)
    # Unlocking reads only page 1; the check of every page then runs on the held file, on
    # another thread in the app, and finds the same damage.
    db = open_book(closed_place)
    try:
        checkpoints.hold_main_file(db)
        with pytest.raises(CaseBookDamaged):
            store_db.verify_file(closed_place.path, key, snapshot=True)
    finally:
        close_case_book(db)
    assert closed_place.path.read_bytes() == damaged


@pytest.mark.parametrize("pages", [1, 3])
def test_truncated_file_is_reported_as_damaged(closed_place: case_books.CaseBookPlace,
                                               pages: int) -> None:
    original = closed_place.path.read_bytes()
    closed_place.path.write_bytes(original[:-pages * PAGE])
    with pytest.raises(CaseBookDamaged):
        open_book(closed_place)


def test_truncated_file_is_refused_and_kept(closed_place: case_books.CaseBookPlace) -> None:
    """Whatever it is called, a truncated file is not opened and not touched."""
    truncated = closed_place.path.read_bytes()[:-3 * PAGE]
    closed_place.path.write_bytes(truncated)
    with pytest.raises((CaseBookDamaged, WrongKey)):
        open_book(closed_place)
    assert closed_place.path.read_bytes() == truncated


def test_random_file_is_refused_and_kept(data_dir: Path) -> None:
    place = case_books.real_place(data_dir)
    content = os.urandom(PAGE * 4)
    place.path.write_bytes(content)
    new_key_file(place.key_path)
    with pytest.raises((CaseBookDamaged, WrongKey)):
        open_book(place)
    assert place.path.read_bytes() == content


def test_empty_file_is_refused_and_kept(data_dir: Path) -> None:
    place = case_books.real_place(data_dir)
    place.path.write_bytes(b"")
    new_key_file(place.key_path)
    try:
        with pytest.raises((CaseBookDamaged, WrongKey, CaseBookMissing)):
            db = open_book(place)
            close_case_book(db)
    finally:
        assert place.path.read_bytes() == b""


# --- where a case book may live -----------------------------------------------------------


@pytest.mark.parametrize("folder", ["OneDrive", "OneDrive - Contoso Council", "Dropbox",
                                    "Google Drive", "iCloud Drive", "onedrive", "Nextcloud"])
def test_synced_folder_is_refused_and_nothing_created(data_dir: Path, folder: str) -> None:
    path = data_dir / folder / "cases" / "casebook.db"
    with pytest.raises(UnsafeLocation) as caught:
        create_case_book(path, os.urandom(32))
    assert "synced" in str(caught.value)
    assert not (data_dir / folder).exists()


def test_existing_book_moved_into_a_synced_folder_is_refused(
        closed_place: case_books.CaseBookPlace, data_dir: Path) -> None:
    target = data_dir / "Dropbox" / "casebook.db"
    target.parent.mkdir()
    closed_place.path.rename(target)
    before = file_state(target)
    with pytest.raises(UnsafeLocation):
        open_case_book(target, key_of(closed_place.key_path))
    assert file_state(target) == before


def test_location_rules() -> None:
    assert location_problem(PurePosixPath("/home/sam/.local/share/adviser/casebook.db")) is None
    assert location_problem(PurePosixPath("/home/sam/OneDriveNotes/casebook.db")) is None
    assert location_problem(PurePosixPath("/home/sam/OneDrive/casebook.db")) is not None
    assert location_problem(PureWindowsPath(r"C:\Users\sam\OneDrive - SENDIASS\c.db")) \
        is not None
    assert "network share" in (location_problem(PureWindowsPath(r"\\server\share\c.db")) or "")
    assert "network share" in (location_problem(PurePosixPath("//server/share/c.db")) or "")


@pytest.mark.parametrize("path", [
    PurePosixPath("/Users/sam/Library/CloudStorage/OneDrive-Personal/casebook.db"),
    PurePosixPath("/Users/sam/Library/CloudStorage/OneDrive-ContosoCouncil/casebook.db"),
    PurePosixPath("/Users/sam/Library/CloudStorage/GoogleDrive-sam@example.org/My Drive/c.db"),
    PureWindowsPath(r"C:\Users\sam\Dropbox (Personal)\casebook.db"),
    PureWindowsPath(r"G:\My Drive\casebook.db"),
    PureWindowsPath(r"C:\Users\sam\iCloudDrive\casebook.db"),
], ids=str)
def test_real_synced_folder_layouts_are_refused(path: PurePath) -> None:
    assert location_problem(path) is not None


def test_create_real_in_a_synced_folder_leaves_nothing_behind(data_dir: Path) -> None:
    synced = data_dir / "OneDrive"
    with pytest.raises(UnsafeLocation):
        create_book(synced)
    assert not any(synced.rglob("*")) if synced.exists() else True
    with pytest.raises(UnsafeLocation):  # and the second try gives the same reason
        create_book(synced)


def test_missing_sqlcipher_is_refused_and_nothing_created(data_dir: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setattr(store_db, "sqlcipher3", sqlite3)
    path = data_dir / "casebook.db"
    with pytest.raises(EncryptionMissing) as caught:
        create_case_book(path, os.urandom(32))
    assert "encryption component is missing" in str(caught.value)
    assert listing(data_dir) == []


# --- key files (the format itself is tested in test_keyfile.py) ---------------------------


def test_missing_key_file(closed_place: case_books.CaseBookPlace) -> None:
    closed_place.key_path.unlink()
    with pytest.raises(KeyFileError, match="missing"):
        open_book(closed_place)
    assert closed_place.path.exists()
