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
