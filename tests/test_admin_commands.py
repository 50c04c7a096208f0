"""The IT support commands, run as a real process: check, backup, restore."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from adviser_app.services import backups, case_books
from adviser_app.store.db import close_case_book
from support import PASSPHRASE, create_book

ROOT = Path(__file__).resolve().parent.parent


def admin(*args: str, passphrase: str = PASSPHRASE) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "adviser_app", *args], input=passphrase + "\n",
                          capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)


def test_check_backup_and_restore(data_dir: Path) -> None:
    db = create_book(data_dir)
    close_case_book(db)
    folder = str(data_dir)
    result = admin("check", "--data-dir", folder)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK")
    result = admin("backup", "--data-dir", folder)
    assert result.returncode == 0 and "Backup written and checked" in result.stdout
    assert len(backups.list_backups(case_books.real_place(data_dir))) == 1
    result = admin("check", "--data-dir", folder, passphrase="wrong passphrase here")
    assert result.returncode == 2 and "not recognised" in result.stderr
    place = case_books.real_place(data_dir)
    data = bytearray(place.path.read_bytes())
    data[2 * 4096 + 7] ^= 0xFF
    place.path.write_bytes(bytes(data))
    result = admin("check", "--data-dir", folder)
    assert result.returncode == 1 and result.stdout.startswith("DAMAGED")
    result = admin("restore", "--data-dir", folder)
    assert result.returncode == 0 and "kept in" in result.stdout
    assert admin("check", "--data-dir", folder).returncode == 0
    assert list((data_dir / "quarantine").glob("*/casebook.db"))


def test_no_case_book(tmp_path: Path) -> None:
    result = admin("check", "--data-dir", str(tmp_path))
    assert result.returncode == 2 and "No case book" in result.stderr
