"""The report's slow work: reading the case book in short steps on the GUI thread (it holds
the database), and the figures and the PDF on worker threads that let the GUI thread have the
interpreter often, so the window never freezes."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from PySide6.QtCore import QObject, QTimer

from adviser_app.services import reports
from adviser_app.ui.jobs import JobRunner

STEP_BUDGET = 0.02  # seconds of reading per turn of the event loop
T = TypeVar("T")


def sharing_the_interpreter(work: Callable[[], T]) -> T:
    """Run pure-Python *work* on a worker thread while letting the GUI thread have the
    interpreter lock often: every Qt call into Python waits for it, and at Python's usual
    5 ms switch interval a busy worker kept the window still for 100-250 ms at a time on a
    20,000-family case book."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)
    try:
        return work()
    finally:
        sys.setswitchinterval(before)


class StepReader(QObject):
    """Reads the case book for a report a little at a time: *progress* gets the records read
    so far, *done* the ReportInput at the end."""

    def __init__(self, parent: QObject, progress: Callable[[int], None],
                 done: Callable[[reports.ReportInput], None]) -> None:
        super().__init__(parent)
        self._progress, self._done = progress, done
        self._steps: Iterator[int | reports.ReportInput] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._read_some)

    @property
    def reading(self) -> bool:
        return self._steps is not None

    def start(self, steps: Iterator[int | reports.ReportInput]) -> None:
        self._steps = steps
        self._timer.start(0)

    def stop(self) -> None:
        self._timer.stop()
        self._steps = None

    def _read_some(self) -> None:
        """Read for a short while, then let the window breathe."""
        if self._steps is None:
            return
        started = time.perf_counter()
        for step in self._steps:
            if isinstance(step, reports.ReportInput):
                self._steps = None
                self._done(step)
                return
            if time.perf_counter() - started > STEP_BUDGET:
                self._progress(step)
                self._timer.start(0)
                return


class Jobs:
    """The window's worker jobs, counted, so that closing the window can hand a job still
    running to the parent window until it ends."""

    def __init__(self, *runners: JobRunner, with_progress: JobRunner | None = None) -> None:
        self.running: dict[JobRunner, int] = {r: 0 for r in runners}
        self.with_progress = with_progress
        for r in runners:
            r.finished.connect(lambda _=None, r=r: self._ended(r))
            r.failed.connect(lambda _=None, r=r: self._ended(r))

    def start(self, runner: JobRunner, job: Callable[[], object]) -> None:
        self.running[runner] += 1
        runner.start(job)

    def _ended(self, runner: JobRunner) -> None:
        self.running[runner] = max(0, self.running[runner] - 1)

    def release(self, parent: QObject | None) -> None:
        """Disconnect every runner from the window; a running one moves to *parent*."""
        for runner, running in self.running.items():
            signals = [runner.finished, runner.failed]
            if runner is self.with_progress:
                signals.append(runner.progressed)
            for signal in signals:
                signal.disconnect()
            if running and parent is not None:
                runner.setParent(parent)
                runner.finished.connect(runner.deleteLater)
                runner.failed.connect(runner.deleteLater)
