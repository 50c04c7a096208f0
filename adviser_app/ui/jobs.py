"""Running slow, pure work (PDF batches) off the GUI thread, with progress and results
delivered back on the GUI thread. The pattern follows the one that survived our stress test:
the runnable does not own its signals, is not auto-deleted, and drops its payload after run."""

from __future__ import annotations

import gc
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, SignalInstance


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], object], done: SignalInstance,
                 failed: SignalInstance) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._fn: Callable[[], object] | None = fn
        self._done, self._failed = done, failed

    def run(self) -> None:  # pool thread: no widgets, no database
        fn, self._fn = self._fn, None  # PySide keeps the task alive: drop the payload
        assert fn is not None
        try:
            result = fn()
        except Exception as exc:
            self._failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self._done.emit(result)


class JobRunner(QObject):
    finished = Signal(object)
    """The job returned this result."""
    failed = Signal(str)
    """The job raised; the text says what."""
    progressed = Signal(int)
    """How many items are done so far (emit it from the job through report())."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool.globalInstance()
        self._tasks: list[_Task] = []

    def start(self, fn: Callable[[], object]) -> None:
        task = _Task(fn, self.finished, self.failed)
        self._tasks.append(task)
        self.pool.start(task)

    def report(self, done: int) -> None:
        """Safe to call from the worker thread: the signal is queued to the GUI thread."""
        self.progressed.emit(done)

    def wait(self, msecs: int = 30_000) -> bool:
        return self.pool.waitForDone(msecs)


class QuietCollector:
    """Holds Python's full garbage collections short while a long job runs.

    A full (oldest-generation) collection walks every object the app holds and takes the
    interpreter lock from whichever thread triggers it. With a 20,000-family case book open,
    each one took 33-126 ms while a report was made, and the window stood still that long.
    A report's own objects are plain rows with no reference cycles, so those walks free
    nothing. While any QuietCollector is held, everything that existed when the first was
    taken is frozen (`gc.freeze`): collections then walk only what the job made. The last
    release unfreezes, so nothing frozen is kept for ever; release is safe to call twice."""

    _held = 0

    def __init__(self) -> None:
        if QuietCollector._held == 0:
            gc.freeze()
        QuietCollector._held += 1
        self._holding = True

    def release(self) -> None:
        if not self._holding:
            return
        self._holding = False
        QuietCollector._held -= 1
        if QuietCollector._held == 0:
            gc.unfreeze()

    @staticmethod
    def holding() -> bool:
        return QuietCollector._held > 0
