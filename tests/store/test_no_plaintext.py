"""T13: no plaintext at rest. A scripted session writes canary names and notes, edits, searches,
sorts, backs up, closes and reopens; then every file in the data folder, the temp folder and
every file this process still holds open (deleted ones included) is scanned for the canaries
in UTF-8, UTF-16 and decomposed forms. The control run proves the scanner can see a leak."""

from __future__ import annotations

import os
import sqlite3
import stat
import tempfile
import unicodedata
import uuid
from datetime import date
from pathlib import Path

from adviser_app.domain.records import CaseDetails, ChildDetails, EntryDetails, PersonDetails
from adviser_app.domain.vocab import CaseIssue, EntryKind, Relationship
from adviser_app.services import backups, case_books, casework
from adviser_app.store.cases import CaseFilter, find_cases
from adviser_app.store.db import close_case_book
from support import create_book, open_book


def forms(canary: str) -> list[bytes]:
    return [canary.encode("utf-8"), canary.encode("utf-16-le"),
            unicodedata.normalize("NFD", canary).encode("utf-8")]


def scan(folders: list[Path], canaries: list[str]) -> list[str]:
    needles = [n for c in canaries for n in forms(c)]
    hits = []
    paths: list[Path] = []
    for folder in folders:
        paths += [p for p in folder.rglob("*") if p.is_file()]
    fd_dir = Path("/proc/self/fd")
    if fd_dir.is_dir():  # files still open, even once unlinked (how etilqs_* leaks hide)
        paths += [fd_dir / name for name in os.listdir(fd_dir)]
    for path in paths:
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):
                continue  # pipes and terminals would block
            data = path.read_bytes()
        except OSError:
            continue
        if any(n in data for n in needles):
            hits.append(str(path))
    return hits


def scripted_session(data_dir: Path, canary: str) -> None:
    name = f"Zoë-{canary}"
    db = create_book(data_dir)
    case_id = casework.open_new_family_case(
        db, family_name=name,
        person=PersonDetails(name, "O'Brien", Relationship.MOTHER, address=f"1 {canary} Road"),
        children=[ChildDetails(name, "O'Brien", date(2015, 5, 5), notes=canary * 3)],
        case=CaseDetails("Sam", date(2026, 11, 1), frozenset({CaseIssue.OTHER})), actor="t")
    for n in range(300):  # enough rows for a sort that would spill to a temp file
        entry = casework.add_timeline_entry(db, case_id, EntryDetails(
            EntryKind.NOTE, date(2026, 11, 1), "Sam", f"{canary} note {n} " + "x" * 2000), "t")
    casework.edit_timeline_entry(db, entry, EntryDetails(
        EntryKind.NOTE, date(2026, 11, 2), "Sam", f"{canary} edited"), "t", 1)
    assert find_cases(db, CaseFilter(text=canary[:8])).rows
    list(db.query("SELECT body FROM timeline_entry ORDER BY body DESC"))
    db.execute("CREATE INDEX canary_sort ON timeline_entry(body)")
    backups.backup_now(db, case_books.real_place(data_dir))
    close_case_book(db)
    db = open_book(case_books.real_place(data_dir))
    db.execute("VACUUM")
    close_case_book(db)


def test_no_canary_anywhere_on_disk(data_dir: Path, monkeypatch) -> None:
    watched = Path(tempfile.mkdtemp(prefix="canary-tmp-"))
    monkeypatch.setenv("TMPDIR", str(watched))
    monkeypatch.setenv("SQLITE_TMPDIR", str(watched))
    canary = f"CANARY{uuid.uuid4().hex}"
    scripted_session(data_dir, canary)
    assert scan([data_dir, watched], [canary]) == []


def test_control_the_scanner_finds_a_plaintext_leak(data_dir: Path) -> None:
    canary = f"CANARY{uuid.uuid4().hex}"
    conn = sqlite3.connect(data_dir / "plain.db")
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.execute("INSERT INTO t VALUES (?)", [canary])
    conn.commit()
    conn.close()
    assert scan([data_dir], [canary]) == [str(data_dir / "plain.db")]
    (data_dir / "utf16.txt").write_bytes(canary.encode("utf-16-le"))
    assert len(scan([data_dir], [canary])) == 2
