"""Which laptop made each change shown on screen: the case book's own unsent changes at once,
then what the office hub says, asked on a worker thread (the window never waits for it), one
question at a time on one kept connection (provenance.READER); rows paging in later are
asked about as they arrive. Offline, or before the hub answers, records the laptop cannot
vouch for stay blank."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal

from adviser_app.ui.case_book.session import Session
from adviser_app.ui.jobs import JobRunner

if TYPE_CHECKING:
    from adviser_app.store import sync_log
    from adviser_app.sync.provenance import Change, Record
else:  # the network code loads only for a case book that has joined a hub
    from adviser_app.lazy_import import lazy_module

    sync_log = lazy_module("adviser_app.store.sync_log")


@dataclass(frozen=True)
class _Answer:
    run: int
    records: list[Record]
    changes: dict[Record, list[Change]] | None
    problem: str = ""


def joined(session: Session | None) -> bool:
    return (session is not None and not session.training
            and sync_log.hub_settings(session.db) is not None)


def hub_questions() -> QThreadPool:
    """One worker for every read-only question to the hub (they share one connection and go
    one at a time anyway), so a hub slow to answer holds that worker only, never the ones
    the rest of the app uses."""
    app = QCoreApplication.instance()
    pool = app.findChild(QThreadPool, "hubQuestions") if app is not None else None
    if pool is None:
        pool = QThreadPool(app)
        pool.setObjectName("hubQuestions")
        pool.setMaxThreadCount(1)
    return pool


def let_hub_go(_session: object = None) -> None:
    """The case book locked or closed: the connection kept for these questions goes (if the
    network code was ever loaded)."""
    provenance = sys.modules.get("adviser_app.sync.provenance")
    if provenance is not None:
        provenance.READER.close()


def hub_reachable(*_args: object) -> None:
    """A sync reached the hub: the next question tries it again at once."""
    provenance = sys.modules.get("adviser_app.sync.provenance")
    if provenance is not None:
        provenance.READER.reachable()


class WhereMade(QObject):
    known = Signal()
    """The names below changed (the hub answered, or the records asked about changed)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = JobRunner(self)
        self.runner.pool = hub_questions()
        self.runner.finished.connect(self._answered)
        self.names: dict[Record, str] = {}
        self.changes: dict[Record, list[Change]] = {}
        self.problem = ""
        """Why the hub could not say (offline): shown as a hint, never as an error."""
        self._run = 0
        self._session: Session | None = None
        self._records: list[Record] = []
        self._waiting: list[Record] = []
        """Records to ask the hub about once the question out (if any) is answered."""
        self._asking = False

    def ask(self, session: Session, records: Sequence[Record]) -> bool:
        """Name the laptop of each record's latest change; False when the case book has not
        joined a hub (there is then only this laptop, and nothing is asked)."""
        self._run += 1
        self._session, self._records, self._waiting = session, [], []
        self.names, self.changes, self.problem = {}, {}, ""
        if not joined(session):
            let_hub_go()  # (left the hub: a connection kept for it goes)
            self.known.emit()
            return False
        self.add(records)
        return True

    def add(self, records: Sequence[Record]) -> None:
        """More records of the same question (a list paging in as it is scrolled): named from
        this laptop at once, then asked of the hub after anything still out."""
        session = self._session
        if session is None or not joined(session):
            return
        from adviser_app.sync import provenance  # here, on the GUI thread

        fresh = [r for r in dict.fromkeys(records) if r not in self.names]
        if not fresh:
            return
        self._records += fresh
        self.names.update(provenance.where_made(session.db, fresh, self.changes))
        self.known.emit()
        self._waiting += fresh
        self._next()

    def _next(self) -> None:
        session = self._session
        if self._asking or not self._waiting or session is None:
            return
        from adviser_app.sync import joining, provenance

        settings = joining.connected(session.db)
        if settings is None:
            return
        device = sync_log.device_id(session.db)
        token = provenance.READER.token()
        run, wanted, self._waiting = self._run, self._waiting, []

        def job() -> _Answer:
            try:
                return _Answer(run, wanted, provenance.ask_changes(settings, device, wanted,
                                                                   token))
            except Exception as exc:
                return _Answer(run, wanted, None, str(joining.explain(exc)))
        self._asking = True
        self.runner.start(job)

    def _answered(self, answer: object) -> None:
        from adviser_app.store.db import is_open
        from adviser_app.sync import provenance

        self._asking = False
        session = self._session
        if (not isinstance(answer, _Answer) or session is None
                or not is_open(session.db)):
            return  # the case book locked meanwhile
        if answer.run == self._run:
            if answer.changes is None:
                self.problem = answer.problem
            else:
                self.changes.update(answer.changes)
                self.names.update(provenance.where_made(session.db, answer.records,
                                                        self.changes))
            self.known.emit()
        self._next()  # (an older question's answer is dropped; the newest is asked now)

    def name(self, table: str, *key: Any) -> str:
        if not self.names:
            return ""
        from adviser_app.sync.provenance import record_key

        return self.names.get((table, record_key(*key)), "")

    def forget(self) -> None:
        """Locking or another case: answers still out are dropped."""
        self._run += 1
        self._session = None
        self._waiting = []
        self.names, self.changes = {}, {}

    def wait(self) -> None:
        self.runner.wait()
