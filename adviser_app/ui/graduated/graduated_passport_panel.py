"""The pupil passport as the tab shows it: the passport read through, its targets with their
history, and the buttons that open the editor and the target review."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QMessageBox, QPushButton, QSplitter, QTextBrowser,
                               QVBoxLayout, QWidget)

from adviser_app.domain.graduated.passport import PassportDetails, Target
from adviser_app.domain.graduated.summary import Section, passport_sections
from adviser_app.domain.records import Child
from adviser_app.domain.validation import format_date
from adviser_app.ui.graduated.passport_editor import PassportEditor
from adviser_app.ui.record_table import Column, RecordTableModel, record_view
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.graduated.target_review_dialog import TargetReviewDialog


def sections_html(sections: tuple[Section, ...]) -> str:
    return "".join(f"<h4 style='margin-bottom:2px'>{escape(s.heading)}</h4>"
                   + "<br>".join(escape(line) for line in s.lines) for s in sections)


class PassportPanel(QWidget):
    changed = Signal()
    """The passport, its targets or their progress was saved."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.child: Child | None = None
        self.passport: PassportDetails | None = None
        self.targets: list[Target] = []
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.edit_button = QPushButton("Edit passport…")
        self.edit_button.setAccessibleName("Edit passport")
        self.progress_button = QPushButton("Record progress on targets…")
        self.progress_button.setAccessibleName("Record progress on targets")
        row.addWidget(self.edit_button)
        row.addWidget(self.progress_button)
        row.addStretch()
        layout.addLayout(row)
        split = QSplitter(Qt.Orientation.Vertical)
        self.text = QTextBrowser()
        self.text.setAccessibleName("Pupil passport")
        split.addWidget(self.text)
        self.targets_model: RecordTableModel[Target] = RecordTableModel([
            Column("Target", lambda t: t.description),
            Column("Set", lambda t: format_date(t.set_on)),
            Column("Status now", lambda t: t.status.label),
            Column("At each review", lambda t: t.history),
        ])
        self.targets_view = record_view(self.targets_model, "Passport targets")
        split.addWidget(self.targets_view)
        split.setSizes([320, 140])
        layout.addWidget(split, 1)
        self.edit_button.clicked.connect(self.edit)
        self.progress_button.clicked.connect(self.record_progress)

    def show_passport(self, child: Child | None, passport: PassportDetails | None,
                      targets: list[Target]) -> None:
        self.child, self.passport, self.targets = child, passport, targets
        self.targets_model.set_rows(targets)
        if passport is None:
            self.text.setHtml("<p><i>No pupil passport recorded yet. A passport is a "
                              "non-statutory one-page summary of the pupil, locally "
                              "designed; use <b>Edit passport</b> to write one with the "
                              "family.</i></p>")
        else:
            self.text.setHtml(sections_html(passport_sections(passport)))
        self.progress_button.setEnabled(bool(targets))
        self.setEnabled(child is not None)

    def edit(self) -> None:
        if self.child is not None and PassportEditor(self.session, self.child, self.passport,
                                                     self.targets, self).exec():
            self.changed.emit()

    def record_progress(self) -> None:
        if not self.targets:
            QMessageBox.information(self, "No targets yet",
                                    "Add targets to the passport first (Edit passport).")
            return
        if TargetReviewDialog(self.session, self.targets, self).exec():
            self.changed.emit()
