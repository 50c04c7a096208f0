"""Which laptop made each change shown on screen: the case book's own unsent changes at once,
then what the office hub says, asked on a worker thread (the window never waits for it).
Offline, or before the hub answers, records the laptop cannot vouch for stay blank."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

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
    changes: dict[Record, list[Change]] | None
    problem: str = ""


def joined(session: Session | None) -> bool:
    return (session is not None and not session.training
            and sync_log.hub_settings(session.db) is not None)


class WhereMade(QObject):
    known = Signal()
    """The names below changed (the hub answered, or the records asked about changed)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = JobRunner(self)
        self.runner.finished.connect(self._answered)
        self.names: dict[Record, str] = {}
        self.changes: dict[Record, list[Change]] = {}
        self.problem = ""
        """Why the hub could not say (offline): shown as a hint, never as an error."""
        self._run = 0
        self._session: Session | None = None
        self._records: list[Record] = []

    def ask(self, session: Session, records: Sequence[Record]) -> bool:
        """Name the laptop of each record's latest change; False when the case book has not
        joined a hub (there is then only this laptop, and nothing is asked)."""
        self._run += 1
        self._session, self._records = session, list(records)
        self.names, self.changes, self.problem = {}, {}, ""
        if not joined(session):
            self.known.emit()
            return False
        from adviser_app.sync import joining, provenance  # here, on the GUI thread

        db = session.db
        self.names = provenance.where_made(db, self._records, {})
        settings = joining.connected(db)
        device = sync_log.device_id(db)
        run, wanted = self._run, list(self._records)
        self.known.emit()
        if settings is None:
            return True

        def job() -> _Answer:
            try:
                return _Answer(run, provenance.ask_changes(settings, device, wanted))
            except Exception as exc:
                return _Answer(run, None, str(joining.explain(exc)))
        self.runner.start(job)
        return True

    def _answered(self, answer: object) -> None:
        from adviser_app.store.db import is_open
        from adviser_app.sync import provenance

        session = self._session
        if (not isinstance(answer, _Answer) or answer.run != self._run or session is None
                or not is_open(session.db)):
            return  # an older question, or the case book locked meanwhile
        if answer.changes is None:
            self.problem = answer.problem
        else:
            self.changes = answer.changes
            self.names = provenance.where_made(session.db, self._records, answer.changes)
        self.known.emit()

    def name(self, table: str, *key: Any) -> str:
        if not self.names:
            return ""
        from adviser_app.sync.provenance import record_key

        return self.names.get((table, record_key(*key)), "")

    def forget(self) -> None:
        """Locking or another case: answers still out are dropped."""
        self._run += 1
        self._session = None
        self.names, self.changes = {}, {}

    def wait(self) -> None:
        self.runner.wait()
