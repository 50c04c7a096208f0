"""One document for many cases at once: letters are filled here, drawn as PDFs on a
background thread with progress and Cancel, then each kept on its case."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QListWidget,
                               QListWidgetItem, QProgressBar, QPushButton, QVBoxLayout,
                               QWidget)

from adviser_app.domain.letters import Letter
from adviser_app.services import documents
from adviser_app.store.cases import CaseFilter, list_case_summaries
from adviser_app.store.errors import CaseBookError
from adviser_app.store.settings import is_training
from adviser_app.domain.vocab import CaseState
from adviser_app.ui.form_support import checked_data, combo
from adviser_app.ui.jobs import JobRunner
from adviser_app.ui.session import Session


class BatchDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("One document for many cases")
        self.setAccessibleName("One document for many cases")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.choice = combo("Document", [(t.title, t.id) for t in documents.templates()
                                         if t.audience in ("family", "office")])
        form.addRow("Document:", self.choice)
        layout.addLayout(form)
        self._names: dict[str, str] = {}
        self.cases = QListWidget()
        self.cases.setAccessibleName("Cases")
        for summary in list_case_summaries(session.db, CaseFilter(state=CaseState.OPEN)):
            item = QListWidgetItem(f"{summary.reference}  {summary.family_name}  "
                                   f"({summary.children})")
            self._names[summary.id] = f"{summary.reference} ({summary.family_name})"
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.cases.addItem(item)
        layout.addWidget(QLabel("Open cases (tick the ones to include):"))
        layout.addWidget(self.cases)
        self.all_button = QPushButton("Tick all")
        self.all_button.clicked.connect(self._tick_all)
        layout.addWidget(self.all_button)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress")
        layout.addWidget(self.progress)
        self.report = QLabel()
        self.report.setWordWrap(True)
        self.report.setAccessibleName("Result")
        layout.addWidget(self.report)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.start_button = self.buttons.addButton("Make the documents",
                                                   QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = self.buttons.addButton("Cancel making them",
                                                    QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.runner = JobRunner(self)
        self.runner.progressed.connect(self.progress.setValue)
        self.runner.finished.connect(self._rendered)
        self.runner.failed.connect(lambda text: self.report.setText(f"Stopped: {text}"))
        self._cancel = threading.Event()
        self._planned: list[tuple[str, Letter, str]] = []
        self._skipped: list[str] = []
        self.kept = 0
        self.resize(640, 560)

    def _tick_all(self) -> None:
        for row in range(self.cases.count()):
            self.cases.item(row).setCheckState(Qt.CheckState.Checked)

    def start(self) -> None:
        template_id = self.choice.choice()
        today = self.session.today()
        self._planned, self._skipped = [], []
        for case_id in checked_data(self.cases):
            draft = documents.start(self.session.db, case_id, template_id, today)
            try:
                letter = documents.compose(self.session.db, case_id, template_id,
                                           draft.wording, {}, draft.recipient, today)
            except (CaseBookError, ValueError) as exc:
                reason = str(exc).replace("Before this document can be made, fill in: ", "")
                self._skipped.append(f"{self._names.get(case_id, case_id)} needs {reason}")
                continue
            self._planned.append((case_id, letter, draft.wording))
        if not self._planned:
            self.report.setText("Nothing to make: tick some cases"
                                + (" that have everything the document needs."
                                   if self._skipped else "."))
            return
        try:
            head = documents.pdf_letterhead(self.session.db)
        except CaseBookError as exc:
            self.report.setText(str(exc))
            return
        letters = [letter for _, letter, _ in self._planned]
        training = is_training(self.session.db)
        self._cancel.clear()
        self.progress.setRange(0, len(letters))
        self.progress.setValue(0)
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.report.setText(f"Making {len(letters)} documents…")
        runner, cancelled = self.runner, self._cancel
        self.runner.start(lambda: documents.render_many(letters, head, training,
                                                        runner.report, cancelled.is_set))

    def cancel(self) -> None:
        self._cancel.set()
        self.report.setText("Cancelling: the documents already made will be kept.")

    def _rendered(self, pdfs: object) -> None:
        assert isinstance(pdfs, list)
        today = self.session.today()
        for (case_id, letter, wording), pdf in zip(self._planned, pdfs, strict=False):
            documents.keep(self.session.db, case_id, letter, wording, pdf,
                           self.session.actor, today)
            self.kept += 1
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        text = f"Made and kept {len(pdfs)} document{'s' if len(pdfs) != 1 else ''}."
        if len(pdfs) < len(self._planned):
            text += f" Cancelled before the other {len(self._planned) - len(pdfs)}."
        if self._skipped:
            text += (f" {len(self._skipped)} case{'s were' if len(self._skipped) != 1 else ' was'}"
                     " skipped because something was missing: " + "; ".join(self._skipped))
        self.report.setText(text)
