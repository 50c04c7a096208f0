"""The slow work on the case book file, kept off the GUI thread: the full integrity check after
unlocking, and backups. One job runs at a time; others wait their turn.

While a job reads the open case book, its main file is held (services.backups.hold): saves go
on into the WAL, so the adviser keeps working. Closing or locking stops a check at once and
waits only for the file to be let go; a backup of a closed case book finishes on its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from adviser_app.services import backups
from adviser_app.services.places import CaseBookPlace
from adviser_app.store.checkpoints import release_main_file
from adviser_app.store.db import Database, data_key, is_open
from adviser_app.store.errors import CaseBookDamaged, CaseBookError, CheckStopped, DiskFull
from adviser_app.store.integrity import is_disk_full
from adviser_app.ui.jobs import JobRunner


@dataclass(frozen=True)
class _Job:
    kind: str  # "check" or "backup"
    db: Database | None  # None: the case book is closed, nothing to hold or release
    place: CaseBookPlace
    extra_folder: Path | None = None
    closed: backups.HeldFile | None = None  # the closed case book's file, with its key


@dataclass(frozen=True)
class _Outcome:
    job: _Job
    value: object  # BackupInfo, None (checked), or the CaseBookError / OSError raised


class FileJobs(QObject):
    checked = Signal()
    """The full check found no damage."""
    damaged = Signal(object)
    """The full check found damage (a CaseBookDamaged); the case book is still open."""
    backed_up = Signal(object)
    """A backup was written and checked (a BackupInfo)."""
    backup_failed = Signal(str)
    """A backup could not be made; the text says why."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = JobRunner(self)
        self.runner.finished.connect(self._finished)
        self._queue: list[_Job] = []
        self._running: tuple[_Job, backups.HeldFile] | None = None

    @property
    def busy(self) -> bool:
        return self._running is not None or bool(self._queue)

    def check(self, db: Database, place: CaseBookPlace) -> None:
        self._add(_Job("check", db, place))

    def back_up(self, db: Database, place: CaseBookPlace,
                extra_folder: Path | None = None) -> None:
        if not any(job.kind == "backup" and job.db is db for job in self._queue):
            self._add(_Job("backup", db, place, extra_folder))

    def back_up_closed(self, db: Database, place: CaseBookPlace,
                       extra_folder: Path | None = None) -> Callable[[], None]:
        """Before closing *db*: returns what to call once it is closed to back it up."""
        key = data_key(db)

        def start() -> None:
            self._add(_Job("backup", None, place, extra_folder,
                           closed=backups.HeldFile(place.path, key)))
        return start

    def let_go(self, db: Database) -> bool:
        """Before closing or locking *db*: stop a check, wait for a backup to finish copying,
        take its queued jobs off the list, and let the file change again. True if a backup
        was waiting its turn: back it up once closed instead (back_up_closed)."""
        waiting = any(job.db is db and job.kind == "backup" for job in self._queue)
        self._queue = [job for job in self._queue if job.db is not db]
        if self._running is not None and self._running[0].db is db:
            job, held = self._running
            if job.kind == "check":
                held.stop.set()  # a backup is left to finish copying: it is nearly done
            self._wait_for_copy(held)
            release_main_file(db)
        return waiting

    def settle(self) -> None:
        """Before anything replaces or opens the case book file: wait until no job is
        reading it (a backup's check of its own copy may go on)."""
        if self._running is not None:
            self._wait_for_copy(self._running[1])

    def wait(self, msecs: int = 120_000) -> bool:
        """Wait for every job (at quit, and in tests); results are delivered by signals."""
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer

        deadline = QDeadlineTimer(msecs)
        while self.busy and not deadline.hasExpired():
            self.runner.wait(50)
            QCoreApplication.processEvents()
        return not self.busy

    # ----- inside -------------------------------------------------------------------------
    @staticmethod
    def _wait_for_copy(held: backups.HeldFile) -> None:
        with held.reading:
            pass

    def _add(self, job: _Job) -> None:
        self._queue.append(job)
        if self._running is None:
            self._next()

    def _next(self) -> None:
        if self._running is not None or not self._queue:
            return
        job = self._queue.pop(0)
        held = job.closed
        if held is None:
            assert job.db is not None
            try:
                held = backups.hold(job.db, job.place)
            except CaseBookError as exc:
                self._report(_Outcome(job, exc))
                self._next()
                return
        self._running = (job, held)
        work = _work(job, held)
        self.runner.start(work)

    def _finished(self, outcome: object) -> None:
        assert isinstance(outcome, _Outcome)
        running, self._running = self._running, None
        if running is not None and running[0].db is not None:
            backups.release(running[0].db, running[1])
        self._report(outcome)
        self._next()

    def _report(self, outcome: _Outcome) -> None:
        value = outcome.value
        if isinstance(value, CheckStopped):
            return
        if outcome.job.kind == "check":
            if outcome.job.db is None or not is_open(outcome.job.db):
                return  # closed or locked since: the next unlock checks again
            if value is None:
                self.checked.emit()
            elif isinstance(value, CaseBookDamaged):
                self.damaged.emit(value)
            # any other error (a locked file, say) says nothing either way: stay quiet
        elif isinstance(value, backups.BackupInfo):
            self.backed_up.emit(value)
        elif isinstance(value, OSError) and is_disk_full(value):
            self.backup_failed.emit(str(DiskFull("The backup")))
        else:
            self.backup_failed.emit(str(value))


def _work(job: _Job, held: backups.HeldFile) -> Callable[[], _Outcome]:
    def run() -> _Outcome:  # worker thread: the held file only, never the connection
        try:
            if job.kind == "check":
                backups.check_held(held)
                return _Outcome(job, None)
            return _Outcome(job, backups.back_up_held(held, job.place, job.extra_folder))
        except (CaseBookError, OSError) as exc:
            return _Outcome(job, exc)
    return run
