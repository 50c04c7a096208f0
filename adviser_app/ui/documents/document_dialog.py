"""Choosing a letter or summary, seeing it filled from the case, editing this copy's wording,
previewing it, and keeping it on the case (then exporting or printing)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QFormLayout, QHBoxLayout, QLabel,
                               QMessageBox, QPlainTextEdit, QPushButton, QSplitter,
                               QVBoxLayout, QWidget)

from adviser_app.domain.letters import Letter
from adviser_app.services import document_choice, documents
from adviser_app.store.errors import CaseBookError
from adviser_app.ui.flow_layout import flow_row
from adviser_app.ui.form_support import combo, text_area
from adviser_app.ui.theme import ERROR_STYLE
from adviser_app.ui.documents.pdf_view import PdfPreview, print_pdf
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.export_files import ask_save_path, written
from adviser_app.domain.validation import plural

EXPORT_WARNING = ("The file you save will not be encrypted: anyone who can open that folder "
                  "can read it. Save it only where it needs to go, and delete it when it has "
                  "been sent. The copy kept on the case stays encrypted.")


class DocumentDialog(QDialog):
    def __init__(self, session: Session, case_id: str, template_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.case_id = session, case_id
        self.setWindowTitle("Letters and summaries")
        self.setAccessibleName("Letters and summaries")
        self.saved_doc_id: str | None = None
        self.kept_letter: Letter | None = None
        self.pdf: bytes | None = None
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        form = QVBoxLayout(left)
        top = QFormLayout()
        self.choice = combo("Document", [(t.title, t.id) for t in documents.templates()])
        top.addRow("Document:", self.choice)
        form.addLayout(top)
        self.suggestion = QLabel()
        self.suggestion.setWordWrap(True)
        self.suggestion.setAccessibleName("Why this document")
        form.addWidget(self.suggestion)
        self.problems = QLabel()
        self.problems.setStyleSheet(ERROR_STYLE)
        self.problems.setWordWrap(True)
        self.problems.setAccessibleName("Problems")
        form.addWidget(self.problems)
        form.addWidget(QLabel("To (name and address, one line each):"))
        self.recipient = text_area("To")
        self.recipient.setMaximumHeight(80)
        form.addWidget(self.recipient)
        self.recipient_note = QLabel()
        self.recipient_note.setWordWrap(True)
        self.recipient_note.setAccessibleName("About the To box")
        form.addWidget(self.recipient_note)
        self.typed_host = QWidget()
        self.typed_form = QFormLayout(self.typed_host)
        form.addWidget(self.typed_host)
        form.addWidget(QLabel("Wording of this copy (edit freely; lines like {{next_dates}} "
                              "are filled from the case):"))
        self.wording = text_area("Wording")
        form.addWidget(self.wording, 1)
        buttons = QHBoxLayout()
        self.preview_button = QPushButton("Preview")
        self.save_button = QPushButton("Keep on the case")
        self.export_button = QPushButton("Export PDF…")
        self.print_button = QPushButton("Print…")
        # the PDF cannot be tagged for a screen reader: the same letter as a Word file can
        self.word_button = QPushButton("Export Word (accessible)…")
        self.word_button.setToolTip("The same letter as a Word file a screen reader can "
                                    "follow: headings, lists and tables, with its title and "
                                    "language.")
        for b in (self.preview_button, self.save_button, self.export_button, self.print_button,
                  self.word_button):
            b.setAccessibleName(b.text().rstrip("…"))
        buttons.addWidget(flow_row([self.preview_button, self.save_button, self.export_button,
                                    self.print_button, self.word_button]))
        form.addLayout(buttons)
        self.status = QLabel()
        self.status.setWordWrap(True)
        form.addWidget(self.status)
        self.preview = PdfPreview()
        split.addWidget(left)
        split.addWidget(self.preview)
        split.setSizes([520, 560])
        QVBoxLayout(self).addWidget(split)
        self.typed: dict[str, QPlainTextEdit] = {}
        self.choice.currentIndexChanged.connect(self._load)
        self.preview_button.clicked.connect(self.show_preview)
        self.save_button.clicked.connect(self.keep)
        self.export_button.clicked.connect(self.export)
        self.print_button.clicked.connect(self.print_document)
        self.word_button.clicked.connect(self.export_word)
        if not template_id:  # open on the document the case most likely needs next
            likely = document_choice.likely(session.db, case_id)
            template_id = likely.template_id
            self.suggestion.setText(f"Suggested for this case: {likely.reason}")
        self.suggestion.setVisible(bool(self.suggestion.text()))
        self.choice.select(template_id)
        self._load()
        self.resize(1180, 760)

    def _load(self) -> None:
        draft = documents.start(self.session.db, self.case_id, self.choice.choice(),
                                self.session.today())
        self.wording.setPlainText(draft.wording)
        self.recipient.setPlainText(draft.recipient)
        self.recipient_note.setText(draft.recipient_note)
        self.recipient_note.setVisible(bool(draft.recipient_note))
        while self.typed_form.rowCount():
            self.typed_form.removeRow(0)
        self.typed = {}
        for name in draft.to_type:
            box = text_area(documents.TYPED_FIELDS[name])
            box.setMaximumHeight(70)
            self.typed[name] = box
            self.typed_form.addRow(documents.TYPED_FIELDS[name] + ":", box)
        self.problems.setText("Missing from the case: " + "; ".join(draft.missing) + "."
                              if draft.missing else "")
        self.pdf = None
        self.saved_doc_id = None
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.export_button.setEnabled(self.saved_doc_id is not None)
        self.word_button.setEnabled(self.saved_doc_id is not None)
        self.print_button.setEnabled(self.pdf is not None)

    def _letter(self) -> Letter | None:
        try:
            return documents.compose(
                self.session.db, self.case_id, self.choice.choice(),
                self.wording.toPlainText(),
                {k: box.toPlainText() for k, box in self.typed.items()},
                self.recipient.toPlainText(), self.session.today())
        except (CaseBookError, ValueError) as exc:
            self.problems.setText(str(exc))
            return None

    def show_preview(self) -> bool:
        letter = self._letter()
        if letter is None:
            return False
        try:
            self.pdf = documents.preview(self.session.db, letter)
        except CaseBookError as exc:
            self.problems.setText(str(exc))
            return False
        self.problems.clear()
        pages = self.preview.show_pdf(self.pdf)
        self.status.setText(f"Preview: {plural(pages, 'A4 page')}. Not kept "
                            "yet: press \u201cKeep on the case\u201d.")
        self._update_buttons()
        return True

    def keep(self) -> bool:
        letter = self._letter()
        if letter is None:
            return False
        try:
            self.saved_doc_id, self.pdf = documents.produce(
                self.session.db, self.case_id, letter, self.wording.toPlainText(),
                self.session.actor, self.session.today())
        except CaseBookError as exc:
            self.problems.setText(str(exc))
            return False
        self.kept_letter = letter
        self.problems.clear()
        self.preview.show_pdf(self.pdf)
        self.status.setText("Kept on the case (encrypted) and noted on the timeline. If you "
                            "need a Word copy, export it now: it can't be made later from the "
                            "documents kept on the case.")
        self._update_buttons()
        return True

    def export_path(self, suffix: str = ".pdf") -> Path | None:
        """Ask where to save, after the warning. Tests replace this."""
        if QMessageBox.warning(self, "This file will not be encrypted", EXPORT_WARNING,
                               QMessageBox.StandardButton.Ok
                               | QMessageBox.StandardButton.Cancel) != \
                QMessageBox.StandardButton.Ok:
            return None
        suggested = documents.export_file_name(self.session.db, self.case_id,
                                               self.choice.currentText(),
                                               self.session.today(), suffix)
        kind = "Word files (*.docx)" if suffix == ".docx" else "PDF files (*.pdf)"
        return ask_save_path(self, self.session.db, "Export", suggested, kind)

    def export_word(self) -> Path | None:
        """The kept letter as an accessible Word file (same wording as the PDF)."""
        if self.saved_doc_id is None or self.kept_letter is None:
            return None
        path = self.export_path(".docx")
        if path is None:
            return None
        documents.export_accessible(self.session.db, self.saved_doc_id, self.kept_letter,
                                    path, self.session.actor)
        written(self.session.db, path)
        self.status.setText(f"Exported an accessible Word copy to {path}. Remember: that "
                            "file is not encrypted.")
        return path

    def export(self) -> Path | None:
        if self.saved_doc_id is None:
            return None
        path = self.export_path()
        if path is None:
            return None
        documents.export(self.session.db, self.saved_doc_id, path, self.session.actor)
        written(self.session.db, path)
        self.status.setText(f"Exported to {path}. Remember: that file is not encrypted.")
        return path

    def print_document(self) -> None:
        if self.pdf is not None:
            print_pdf(self.preview.pdf_document, self)
