"""Crash output names code locations, never the data in the exception message."""

from __future__ import annotations

import sys

from adviser_app.crash import crash_report


def test_crash_report_has_no_message_or_locals() -> None:
    canary = "CANARY-Zoë-O'Brien-2015"
    try:
        child_name = canary  # noqa: F841 - a local holding case data
        raise ValueError(f"could not save {canary}")
    except ValueError:
        kind, _, tb = sys.exc_info()
        assert kind is not None
        report = crash_report(kind, tb)
    assert "builtins.ValueError" in report
    assert "test_crash_report.py" in report and "in test_crash_report_has_no_message" in report
    assert canary not in report and "could not save" not in report


def test_only_sqlites_damage_verdicts_count_as_damage() -> None:
    import sqlcipher3

    from adviser_app.store.integrity import is_damage

    assert is_damage(sqlcipher3.DatabaseError("database disk image is malformed"))
    assert is_damage(sqlcipher3.DatabaseError("file is not a database"))
    assert not is_damage(sqlcipher3.OperationalError("disk I/O error"))
    assert not is_damage(sqlcipher3.OperationalError("database or disk is full"))
    assert not is_damage(ValueError("malformed"))  # only SQLite's own errors


def test_a_damaged_page_read_anywhere_goes_to_recovery_not_the_crash_message(
        qtbot, monkeypatch) -> None:
    import sys

    import sqlcipher3
    from PySide6.QtWidgets import QMessageBox, QWidget

    from adviser_app.app import install_crash_handler

    class Window(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[str] = []

        def damage_found(self, damage: Exception) -> None:
            self.found.append(str(damage))

    window = Window()
    qtbot.addWidget(window)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warned.append(args[1]))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_crash_handler(window, window.damage_found)
    sys.excepthook(sqlcipher3.DatabaseError, sqlcipher3.DatabaseError(
        "database disk image is malformed"), None)
    assert len(window.found) == 1 and "damaged page" in window.found[0] and warned == []
    sys.excepthook(RuntimeError, RuntimeError("boom"), None)
    assert warned == ["Something went wrong"] and len(window.found) == 1
