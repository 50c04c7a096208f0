"""The whole service's audit log: every laptop's entries as the office hub holds them (each
laptop sends its own at every sync), newest first, read from the hub on a worker thread a
page at a time. Read only: nothing here changes the hub or the case book."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from adviser_app.domain.validation import plural
from adviser_app.services import audit_log
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.jobs import JobRunner
from adviser_app.ui.record_table import Column, RecordTableModel, record_view
from adviser_app.ui.team.where_made import hub_questions
from adviser_app.ui.theme import HINT_STYLE

if TYPE_CHECKING:
    from adviser_app.sync.provenance import ServiceEntry

INTRO = ("Every laptop's audit entries, as the office hub holds them: each laptop sends its own "
         "when it syncs, so a laptop that has been offline adds its entries later.")


def _local(at: str) -> str:
    try:
        return datetime.fromisoformat(at).astimezone().strftime("%d/%m/%Y %H:%M:%S")
    except ValueError:
        return at


@dataclass(frozen=True)
class _Page:
    run: int
    entries: list[ServiceEntry]
    more: bool
    problem: str = ""


NOT_HERE = "not on this laptop"
"""A record the hub's log names that this case book does not hold (erased, or not pulled)."""


def _columns(whose: dict[tuple[str, str], str]) -> tuple[Column[ServiceEntry], ...]:
    return (
        Column("When", lambda e: _local(e.at)),
        Column("Who", lambda e: e.actor),
        Column("Laptop", lambda e: e.laptop),
        Column("What", lambda e: e.action.replace("_", " ")),
        Column("Record", lambda e: e.record_type.replace("_", " ")),
        Column("Case / family", lambda e: whose.get((e.record_type, e.record_id), "")),
        Column("Record id", lambda e: e.record_id),
        Column("Detail", lambda e: e.detail),
    )


class ServiceLogPanel(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = JobRunner(self)
        self.runner.pool = hub_questions()  # the hub's questions' own worker
        self.runner.finished.connect(self._arrived)
        self._run = 0
        self._oldest = 0
        layout = QVBoxLayout(self)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.whose: dict[tuple[str, str], str] = {}
        """Each entry's case and family, looked up in this case book as its page arrives
        (the hub's log holds ids only, like every laptop's)."""
        self.model: RecordTableModel[ServiceEntry] = RecordTableModel(_columns(self.whose))
        self.table = record_view(self.model, "The whole service's audit log")
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.refresh_button = QPushButton("Read from the office hub")
        self.more_button = QPushButton("Older entries")
        self.more_button.setEnabled(False)
        self.refresh_button.clicked.connect(self.load)
        self.more_button.clicked.connect(self.load_older)
        self.state = QLabel("Not read yet.")
        self.state.setStyleSheet(HINT_STYLE)
        self.state.setWordWrap(True)
        for widget in (self.refresh_button, self.more_button):
            row.addWidget(widget)
        row.addWidget(self.state, 1)
        layout.addLayout(row)

    def load(self) -> bool:
        """Read the newest page (again)."""
        self.model.set_rows([])
        self._oldest = 0
        return self._ask(0)

    def load_older(self) -> bool:
        return self._ask(self._oldest)

    def _ask(self, before: int) -> bool:
        from adviser_app.store import sync_log
        from adviser_app.sync import joining, provenance  # on the GUI thread, before the job

        settings = joining.connected(self.session.db)
        if settings is None:
            self.state.setText("This case book is not connected to an office hub.")
            return False
        device = sync_log.device_id(self.session.db)
        token = provenance.READER.token()
        self._run += 1
        run = self._run

        def job() -> _Page:
            try:
                entries, more = provenance.read_service_log(settings, device, before,
                                                            token=token)
            except Exception as exc:
                return _Page(run, [], False, str(joining.explain(exc)))
            return _Page(run, entries, more)
        for button in (self.refresh_button, self.more_button):
            button.setEnabled(False)
        self.state.setText("Reading the service's log from the office hub\u2026")
        self.runner.start(job)
        return True

    def _arrived(self, page: object) -> None:
        if not isinstance(page, _Page) or page.run != self._run:
            return
        self.refresh_button.setEnabled(True)
        if page.problem:
            self.state.setText(f"Could not read it: {page.problem}")
            return
        self.whose.update(audit_log.whose(self.session.db, page.entries, missing=NOT_HERE))
        rows = [*self.model.records(), *page.entries]
        self.model.set_rows(rows)
        if page.entries:
            self._oldest = page.entries[-1].id
        self.more_button.setEnabled(page.more)
        self.state.setText(f"The newest {plural(len(rows), 'entry', 'entries')} from every "
                           "laptop" + (" (more are older)." if page.more else "."))

    def wait(self) -> None:
        self.runner.wait()
