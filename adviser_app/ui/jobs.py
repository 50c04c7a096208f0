"""Running slow, pure work (PDF batches) off the GUI thread, with progress and results
delivered back on the GUI thread. The pattern follows the one that survived our stress test:
the runnable does not own its signals, is not auto-deleted, and drops its payload after run."""

from __future__ import annotations

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
