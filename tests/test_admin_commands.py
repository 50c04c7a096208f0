"""The IT support commands, run as a real process: check, backup, restore. One test per row
of the README's exit-code table (0 all well; 1 damage found or nothing done; 2 could not
unlock), each covering every way into that row."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from adviser_app.domain.records import CaseDetails
from adviser_app.domain.vocab import CaseIssue
from adviser_app.services import backups, case_books, casework
from adviser_app.store.db import close_case_book
from support import PASSPHRASE, create_book, open_book

ROOT = Path(__file__).resolve().parent.parent
PAGE = 4096


def admin(*args: str, passphrase: str | bytes = PASSPHRASE) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    given = passphrase if isinstance(passphrase, bytes) else (passphrase + "\n").encode()
    done = subprocess.run([sys.executable, "-m", "adviser_app", *args], input=given,
                          capture_output=True, timeout=120, cwd=ROOT, env=env)
    return subprocess.CompletedProcess(done.args, done.returncode,
                                       done.stdout.decode("utf-8", "replace"),
                                       done.stderr.decode("utf-8", "replace"))


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def add_family(db, name: str) -> None:
    casework.open_new_family_case(db, family_name=name, person=None, children=[],
                                  case=CaseDetails("Sam", date(2026, 11, 1),
                                                   frozenset({CaseIssue.OTHER})), actor="t")


@pytest.fixture
def folder(data_dir: Path) -> str:
    db = create_book(data_dir)
    add_family(db, "Okafor")
    close_case_book(db)
    return str(data_dir)


def place_of(folder: str) -> case_books.CaseBookPlace:
    return case_books.real_place(Path(folder))


def test_row_0_all_well(folder: str) -> None:
    result = admin("check", "--data-dir", folder)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK")
    result = admin("backup", "--data-dir", folder)
    assert result.returncode == 0 and "Backup written and checked" in result.stdout
    assert len(backups.list_backups(place_of(folder))) == 1
    assert admin("check", "--data-dir", folder).returncode == 0  # the book and its backup
    # a passphrase piped with Windows line endings, or after a byte-order mark, is the same
    assert admin("check", "--data-dir", folder,
                 passphrase=(PASSPHRASE + "\r\n").encode()).returncode == 0
    assert admin("check", "--data-dir", folder,
                 passphrase=b"\xef\xbb\xbf" + PASSPHRASE.encode() + b"\n").returncode == 0
    result = admin("restore", "--data-dir", folder)
    assert result.returncode == 0 and "kept in" in result.stdout


def test_row_1_damage_found(folder: str) -> None:
    place = place_of(folder)
    assert admin("backup", "--data-dir", folder).returncode == 0
    flip(backups.list_backups(place)[0].path, 2 * PAGE + 7)
    result = admin("check", "--data-dir", folder)  # the case book is fine, a backup is not
    assert result.returncode == 1 and "DAMAGED" in result.stdout and \
        result.stdout.startswith("OK")
    flip(place.path, 2 * PAGE + 7)
    result = admin("check", "--data-dir", folder)
    assert result.returncode == 1 and result.stdout.startswith("DAMAGED")
    result = admin("backup", "--data-dir", folder)
    assert result.returncode == 1 and "No backup was made" in result.stderr


def test_row_1_first_page_damage_is_damage_not_a_key_file_problem(folder: str) -> None:
    place = place_of(folder)
    flip(place.path, 100)
    result = admin("check", "--data-dir", folder)
    assert result.returncode == 1 and "first page" in result.stdout
    assert "key file" not in result.stderr


def test_row_1_restore_falls_back_to_the_newest_good_backup(folder: str,
                                                            monkeypatch) -> None:
    place = place_of(folder)
    db = open_book(place)
    backups.backup_now(db, place)
    close_case_book(db)
    older = backups.list_backups(place)[0].path
    newest = older.with_name(older.name.replace(older.stem[-6:], "235959"))
    older.rename(newest)  # later the same day
    db = open_book(place)
    backups.backup_now(db, place)
    close_case_book(db)
    found = backups.list_backups(place)
    assert found[0].path == newest
    flip(newest, 2 * PAGE + 7)
    result = admin("restore", "--data-dir", folder)
    assert result.returncode == 0, result.stderr
    assert "damaged" in result.stdout and found[1].label in result.stdout
    flip(found[1].path, 2 * PAGE + 7)  # now no backup is good
    result = admin("restore", "--data-dir", folder)
    assert result.returncode == 1 and "No backup passed" in result.stderr


def test_row_1_nothing_done(folder: str, tmp_path: Path) -> None:
    result = admin("check", "--data-dir", str(tmp_path))
    assert result.returncode == 1 and "No case book" in result.stderr
    result = admin("restore", "--data-dir", folder, "--backup", str(tmp_path / "none.db"))
    assert result.returncode == 1 and "No such backup" in result.stderr


def test_the_folder_is_read_wherever_it_is_given(folder: str) -> None:
    """One parser for every command: --data-dir before the command, or as --data-dir=DIR,
    and an argument that happens to equal the folder is no longer dropped."""
    assert admin("--data-dir", folder, "check").returncode == 0
    result = admin("check", f"--data-dir={folder}")
    assert result.returncode == 0 and result.stdout.startswith("OK")
    result = admin("restore", "--data-dir", folder, "--backup", folder)
    assert result.returncode == 1 and "No such backup" in result.stderr


def test_row_1_a_case_book_open_in_the_app_is_left_alone(folder: str) -> None:
    place = place_of(folder)
    db = open_book(place)  # as the running app holds it
    try:
        backups.backup_now(db, place)
        for command in ("check", "backup", "restore"):
            result = admin(command, "--data-dir", folder)
            assert result.returncode == 1, command
            assert "open in Adviser Toolkit" in result.stderr
        assert place.path.exists() and not (place.path.parent / "quarantine").exists()
        add_family(db, "Saved after the attempt")  # the app's saves still go to the book
    finally:
        close_case_book(db)
    db = open_book(place)
    try:
        assert len(list(db.query("SELECT id FROM family"))) == 2
    finally:
        close_case_book(db)


def test_row_2_could_not_unlock(folder: str) -> None:
    place = place_of(folder)
    result = admin("check", "--data-dir", folder, passphrase="wrong passphrase here")
    assert result.returncode == 2 and "not recognised" in result.stderr
    for _ in range(2):
        admin("check", "--data-dir", folder, passphrase="wrong passphrase here")
    # The third slip's 2-second wait can pass while a loaded machine starts the next process:
    # date the slip a minute ahead (a clock set back never lengthens the wait past the rule's).
    attempts = Path(folder) / "casebook.attempts"
    attempts.write_text(json.dumps({**json.loads(attempts.read_text()),
                                    "last": time.time() + 60}))
    result = admin("check", "--data-dir", folder)  # the right one, but too soon after three
    assert result.returncode == 2 and "wait" in result.stderr
    (Path(folder) / "casebook.attempts").unlink()  # (rather than wait in a test)
    result = admin("check", "--data-dir", folder, passphrase=b"\xff\xfe caf\xe9 \n")
    assert result.returncode == 2 and "not UTF-8" in result.stderr
    assert "damaged" not in result.stderr
    place.key_path.write_text(place.key_path.read_text().replace('"', "'", 3))
    copy = place.backups / place.key_path.name
    kept = copy.read_bytes()
    copy.unlink()  # and no copy to fall back on
    result = admin("backup", "--data-dir", folder)
    assert result.returncode == 2 and "key file" in result.stderr
    copy.write_bytes(kept)  # with the copy beside the backups, it is used and said
    result = admin("backup", "--data-dir", folder)
    assert result.returncode == 0 and "its copy in the backups folder" in result.stdout


def test_the_readme_table_has_these_rows() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| ") and
            line[2:3].isdigit() and "|" in line[3:6]]
    assert [row[2] for row in rows] == ["0", "1", "2"]
