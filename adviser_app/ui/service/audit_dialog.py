"""The audit log viewer for the data protection lead: entries, "verify", and CSV export; with
an office hub, a second tab shows the whole service's log as the hub holds it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel,
                               QPushButton, QTabWidget, QVBoxLayout, QWidget)

from adviser_app.services import audit_log
from adviser_app.store.audit import AuditEntry
from adviser_app.ui.record_table import Column, RecordTableModel, record_view
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.export_files import ask_save_path, written
from adviser_app.ui.team.service_log import ServiceLogPanel
from adviser_app.ui.team.where_made import joined
from adviser_app.ui.theme import ERROR_STYLE, SUCCESS_STYLE


def _local(at: str) -> str:
    return datetime.fromisoformat(at).astimezone().strftime("%d/%m/%Y %H:%M:%S")


class AuditDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Audit log")
        self.setAccessibleName("Audit log")
        layout = QVBoxLayout(self)
        intro = QLabel("Who viewed, created, changed, printed, exported or erased which record, "
                       "and when. Entries are chained together, so any change to the log is "
                       "found by Verify.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        shown = audit_log.recent(session.db)
        self.whose = audit_log.whose(session.db, shown)
        self.model: RecordTableModel[AuditEntry] = RecordTableModel([
            Column("#", lambda e: str(e.seq)),
            Column("When", lambda e: _local(e.at)),
            Column("Who", lambda e: e.actor),
            Column("What", lambda e: e.action.replace("_", " ")),
            Column("Record", lambda e: e.record_type.replace("_", " ")),
            Column("Case / family", lambda e: self.whose.get((e.record_type, e.record_id), "")),
            Column("Record id", lambda e: e.record_id),
            Column("Detail", lambda e: e.detail),
        ])
        self.table = record_view(self.model, "Audit log entries")
        self.service: ServiceLogPanel | None = None
        if joined(session):
            self.tabs = QTabWidget()
            self.tabs.addTab(self.table, "This &laptop")
            self.service = ServiceLogPanel(session)
            self.tabs.addTab(self.service, "The whole &service (from the office hub)")
            self.tabs.currentChanged.connect(self._tab_chosen)
            layout.addWidget(self.tabs)
        else:
            layout.addWidget(self.table)
        row = QHBoxLayout()
        self.verify_button = QPushButton("Verify the log")
        self.export_button = QPushButton("Export as CSV…")
        for b in (self.verify_button, self.export_button):
            b.setAccessibleName(b.text().rstrip("…"))
            row.addWidget(b)
        row.addStretch()
        layout.addLayout(row)
        self.outcome_label = QLabel()
        self.outcome_label.setAccessibleName("Verification result")
        self.outcome_label.setWordWrap(True)
        layout.addWidget(self.outcome_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.verify_button.clicked.connect(self.verify)
        self.export_button.clicked.connect(self.export)
        self.model.set_rows(shown)
        self.resize(900, 560)

    def _tab_chosen(self, index: int) -> None:
        """Verify and export are for this laptop's own chained log; the service's log is read
        from the hub the first time its tab is shown."""
        on_service = index == 1
        for button in (self.verify_button, self.export_button):
            button.setEnabled(not on_service)
        if on_service and self.service is not None and not self.service.model.rowCount():
            self.service.load()

    def verify(self) -> bool:
        outcome = audit_log.verify(self.session.db)
        if outcome.ok:
            self.outcome_label.setStyleSheet(SUCCESS_STYLE)
            self.outcome_label.setText(f"All {outcome.checked} entries verify: nothing has been "
                                "changed or removed in the middle of the log.")
        elif outcome.missing:
            self.outcome_label.setStyleSheet(ERROR_STYLE)
            self.outcome_label.setText(
                f"The last {outcome.missing} entr{'ies' if outcome.missing != 1 else 'y'} "
                f"(from entry {outcome.first_bad}) are missing: this laptop recorded them, but "
                f"they are no longer in the log ({outcome.checked} earlier entries are intact)."
                " Tell your data protection lead.")
        else:
            self.outcome_label.setStyleSheet(ERROR_STYLE)
            self.outcome_label.setText(f"Entry {outcome.first_bad} does not verify: the log was "
                                f"altered at or after that entry ({outcome.checked} earlier "
                                "entries are intact). Tell your data protection lead.")
        return outcome.ok

    def export_path(self) -> Path | None:
        """Where to write the CSV. Tests replace this."""
        return ask_save_path(self, self.session.db, "Export the audit log", "audit-log.csv",
                             "CSV files (*.csv)")

    def export(self) -> Path | None:
        path = self.export_path()
        if path is None:
            return None
        path.write_text(audit_log.export_csv(self.session.db), encoding="utf-8")
        audit_log.note(self.session.db, self.session.actor, "exported", "audit_log", "all")
        written(self.session.db, path)
        self.outcome_label.setText(f"Exported to {path}. It holds record ids and case "
                                   "references, not names.")
        return path
