"""The documents kept on a case: open any of them exactly as produced, or export it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel,
                               QMessageBox, QPushButton, QSplitter, QVBoxLayout, QWidget)

from adviser_app.services import documents
from adviser_app.store.documents import StoredDocument, document_pdf, documents_for_case
from adviser_app.ui.documents.document_dialog import EXPORT_WARNING
from adviser_app.ui.documents.pdf_view import PdfPreview
from adviser_app.ui.record_table import Column, RecordTableModel, record_view, selected_record
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.export_files import ask_save_path, written


class DocumentsList(QDialog):
    def __init__(self, session: Session, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Documents kept on this case")
        self.setAccessibleName("Documents kept on this case")
        self.model: RecordTableModel[StoredDocument] = RecordTableModel([
            Column("Made", lambda d: datetime.fromisoformat(d.created_at).astimezone()
                   .strftime("%d/%m/%Y %H:%M")),
            Column("Document", lambda d: d.title),
            Column("Template", lambda d: f"{d.template_id} v{d.template_version}"),
            Column("By", lambda d: d.created_by),
        ])
        self.model.set_rows(documents_for_case(session.db, case_id))
        self.table = record_view(self.model, "Documents")
        self.preview = PdfPreview()
        split = QSplitter()
        left = QWidget()
        column = QVBoxLayout(left)
        column.addWidget(self.table)
        row = QHBoxLayout()
        self.export_button = QPushButton("Export PDF…")
        self.export_button.setAccessibleName("Export PDF")
        row.addWidget(self.export_button)
        # no Word copy of a kept letter: the case book does not keep what it is built from
        self.word_button = QPushButton("Export Word (accessible)…")
        self.word_button.setAccessibleName("Export Word (accessible)")
        self.word_button.setAccessibleDescription(documents.NO_WORD_COPY_LATER)
        self.word_button.setEnabled(False)
        row.addWidget(self.word_button)
        row.addStretch()
        column.addLayout(row)
        self.word_note = QLabel(documents.NO_WORD_COPY_LATER)
        self.word_note.setWordWrap(True)
        self.word_note.setAccessibleName("Why there is no Word copy")
        column.addWidget(self.word_note)
        split.addWidget(left)
        split.addWidget(self.preview)
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.selectionModel().currentRowChanged.connect(self.show_selected)
        self.export_button.clicked.connect(self.export)
        if self.model.rowCount():
            self.table.selectRow(0)
        self.resize(1100, 700)

    def show_selected(self) -> None:
        doc = selected_record(self.table)
        if doc is not None:
            self.preview.show_pdf(document_pdf(self.session.db, doc.id))

    def export_path(self, doc: StoredDocument) -> Path | None:
        """Ask where to save, after the warning. Tests replace this."""
        if QMessageBox.warning(self, "This file will not be encrypted", EXPORT_WARNING,
                               QMessageBox.StandardButton.Ok
                               | QMessageBox.StandardButton.Cancel) != \
                QMessageBox.StandardButton.Ok:
            return None
        made_on = datetime.fromisoformat(doc.created_at).astimezone().date()
        suggested = documents.export_file_name(self.session.db, doc.case_id, doc.title,
                                               made_on)
        return ask_save_path(self, self.session.db, "Export PDF", suggested,
                             "PDF files (*.pdf)")

    def export(self) -> Path | None:
        doc = selected_record(self.table)
        if doc is None:
            return None
        path = self.export_path(doc)
        if path is None:
            return None
        documents.export(self.session.db, doc.id, path, self.session.actor)
        return written(self.session.db, path)
