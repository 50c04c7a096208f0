"""The calm note on the unlock and first-run pages when we cannot confirm full-disk
encryption (reliability.md 4.2 point 1). It never blocks: the check runs in the background."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtWidgets import QVBoxLayout, QWidget

from adviser_app.services.disk_encryption import DiskEncryption, Encryption
from adviser_app.ui.case_book.unlock_page import UnlockPage
from adviser_app.ui.case_book.welcome import DiskWarning, WelcomePage

OFF = DiskEncryption(Encryption.NOT_ENCRYPTED, "BitLocker is off on drive C:")
ON = DiskEncryption(Encryption.CONFIRMED, "BitLocker is on on drive C:")
UNSURE = DiskEncryption(Encryption.UNKNOWN, "the folder is on a network drive")


def test_unlock_page_shows_the_note_only_when_not_confirmed(qtbot, data_dir):
    page = UnlockPage(data_dir)
    qtbot.addWidget(page)
    page.show()
    note = page.disk_warning
    note.show_result(OFF)
    assert note.isVisible()
    assert "couldn't confirm" in note.text() and "IT team" in note.text()
    assert "case book is always encrypted" in note.text()
    assert "BitLocker is off on drive C:" in note.text()
    note.show_result(ON)
    assert not note.isVisible()
    note.show_result(UNSURE)
    assert note.isVisible() and "network drive" in note.text()
    assert page.unlock_button.isEnabled()  # a note, not a gate


def test_first_run_page_shows_the_note(qtbot, data_dir):
    page = WelcomePage(data_dir)
    qtbot.addWidget(page)
    page.show()
    page.disk_warning.show_result(OFF)
    assert page.disk_warning.isVisible() and page.create_button.isVisible()
    page.disk_warning.show_result(ON)
    assert not page.disk_warning.isVisible()


def test_the_check_runs_in_the_background_once_per_folder(qtbot, tmp_path):
    folder = tmp_path / "elsewhere"
    calls: list[tuple[Path, str]] = []
    gate = threading.Event()

    def slow_check(path: Path) -> DiskEncryption:
        calls.append((path, threading.current_thread().name))
        assert gate.wait(5)
        return OFF

    page = QWidget()
    qtbot.addWidget(page)
    layout = QVBoxLayout(page)
    first, second, third = DiskWarning(), DiskWarning(), DiskWarning()
    for note in (first, second, third):
        layout.addWidget(note)
    page.show()
    for note in (first, second):
        note.watch(folder, check=slow_check)
    assert first.result is None and not first.isVisible()  # the page did not wait
    gate.set()
    qtbot.waitUntil(lambda: first.isVisible() and second.isVisible(), timeout=30000)
    assert len(calls) == 1 and calls[0][0] == folder
    assert calls[0][1] != threading.main_thread().name
    third.watch(folder, check=slow_check)  # known already: shown straight away
    assert third.isVisible() and len(calls) == 1


def test_a_confirmed_disk_shows_nothing(qtbot, tmp_path):
    page = QWidget()
    qtbot.addWidget(page)
    note = DiskWarning(page)
    page.show()
    note.watch(tmp_path / "encrypted", check=lambda path: ON)
    qtbot.waitUntil(lambda: note.result is not None, timeout=5000)
    assert not note.isVisible()
