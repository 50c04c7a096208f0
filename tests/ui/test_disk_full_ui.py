"""A full disk (issue 14 item 6): "Back up now", the backup timer, changing the passphrase
and making a case book each say plainly that the disk is full and leave everything as it was
(never the generic "Something went wrong")."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

from adviser_app.services import backups, case_books
from adviser_app.store import files, migrate
from adviser_app.ui.main_window import MainWindow
from support import CHEAP, PASSPHRASE
from ui.conftest import TODAY


def full(*_args: Any, **_kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_back_up_now_on_a_full_disk_says_so(window, populated_dir, monkeypatch) -> None:
    window.book.file_jobs.wait()
    monkeypatch.setattr(backups, "copy_held_file", full)
    assert window.book.backup_now()
    assert window.book.file_jobs.wait()
    message = window.statusBar().currentMessage()
    assert "disk is full" in message and "nothing saved is lost" in message
    place = case_books.real_place(populated_dir)
    assert backups.list_backups(place) == [] and not list(place.backups.glob("*.partial"))
    assert window.session is not None  # still working


def test_the_backup_timer_on_a_nearly_full_disk_says_so(window, populated_dir,
                                                         monkeypatch) -> None:
    window.book.file_jobs.wait()
    window.book.changed_since_backup = True
    monkeypatch.setattr(backups.shutil, "disk_usage",
                        lambda _folder: type("Usage", (), {"free": 4096})())
    window.book.backup_timer.timeout.emit()
    assert window.book.file_jobs.wait()
    message = window.statusBar().currentMessage()
    assert "disk is full" in message and "MB is free" in message


def test_changing_the_passphrase_on_a_full_disk_keeps_the_old_one(window, populated_dir,
                                                                   monkeypatch) -> None:
    place = case_books.real_place(populated_dir)
    before = place.key_path.read_bytes()
    told: list[tuple[str, str]] = []
    window.access.tell = lambda title, message: told.append((title, message))
    window.access.ask_passphrase_change = lambda: (PASSPHRASE, "marble kettle orchard sky")
    monkeypatch.setattr(files.OsFileSystem, "write_temp", full)
    assert not window.book.change_passphrase()
    assert told and told[0][0] == "Passphrase not changed" and "disk is full" in told[0][1]
    assert place.key_path.read_bytes() == before
    assert not list(place.path.parent.glob(".casebook.key.tmp-*"))


def test_making_a_case_book_on_a_full_disk_says_so(qtbot, data_dir: Path,
                                                    monkeypatch) -> None:
    real_apply = migrate.apply

    def apply_on_a_full_disk(conn: Any, migrations: Any) -> int:
        try:
            conn.execute("PRAGMA max_page_count = 1")  # no room for the first table
            return real_apply(conn, migrations)
        finally:
            conn.execute("PRAGMA max_page_count = 1073741823")
    monkeypatch.setattr(migrate, "apply", apply_on_a_full_disk)
    window = MainWindow(data_dir, actor="Sam", today=lambda: TODAY, kdf=CHEAP)
    qtbot.addWidget(window)
    window.access.ask_new_book = lambda _name: ("Sam", PASSPHRASE)
    assert not window.book.create_case_book()
    message = window.welcome.error.text()
    assert "disk is full" in message and "format 1" not in message
    assert sorted(p.name for p in data_dir.iterdir()) == []  # nothing half-made is left

