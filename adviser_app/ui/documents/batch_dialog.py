"""One document for many cases at once: letters are filled here, drawn as PDFs on a
background thread with progress and Cancel, then each kept on its case."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QListView, QProgressBar, QPushButton,
                               QVBoxLayout, QWidget)

from adviser_app.domain.letters import Letter
from adviser_app.services import documents
from adviser_app.store.cases import open_case_labels
from adviser_app.store.errors import CaseBookError
from adviser_app.store.settings import is_training
from adviser_app.ui.case_view.case_picker import CasePickerModel
from adviser_app.ui.form_support import combo, confirm
from adviser_app.ui.jobs import JobRunner
from adviser_app.ui.case_book.session import Session
from adviser_app.domain.validation import plural


READ_AT_ONCE = 200
"""Open cases read into the list in one turn (a few ms each when the file is in memory; the
first read of a large case book just opened was 400-800 ms, all at once)."""
CONFIRM_FROM = 5
"""Making this many documents or more is confirmed first (they are kept on every case)."""
SKIPPED_NAMED = 5
"""How many skipped cases the report names; the rest are counted."""


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
        self.ready = False
        """The open cases have been read into the list (a part a turn after the dialog
        opens: on a large case book reading them was most of the time to open it)."""
        self._names: dict[str, str] = {}
        self._rows: dict[str, int] = {}
        self.case_model = CasePickerModel([])
        self.shown = QSortFilterProxyModel(self)
        self.shown.setSourceModel(self.case_model)
        self.shown.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Show only cases with… (reference, family, child)")
        self.filter.setAccessibleName("Filter the cases")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.shown.setFilterFixedString)
        self.cases = QListView()
        self.cases.setModel(self.shown)
        self.cases.setAccessibleName("Cases")
        self.cases.setUniformItemSizes(True)  # thousands of rows: don't measure each one
        layout.addWidget(QLabel("Open cases (tick the ones to include):"))
        layout.addWidget(self.filter)
        layout.addWidget(self.cases)
        ticks = QHBoxLayout()
        self.all_button = QPushButton("Tick all shown")
        self.all_button.clicked.connect(self._tick_all)
        self.none_button = QPushButton("Untick all")
        self.none_button.clicked.connect(self.untick_all)
        self.count = QLabel()
        self.count.setAccessibleName("How many are ticked")
        for widget in (self.all_button, self.none_button):
            ticks.addWidget(widget)
        ticks.addStretch()
        ticks.addWidget(self.count)
        layout.addLayout(ticks)
        self.case_model.dataChanged.connect(self._show_count)
        self.count.setText("Reading the open cases\u2026")
        self._until_read: tuple[QWidget, ...] = (self.filter, self.cases, self.all_button,
                                                 self.none_button)
        for part in self._until_read:
            part.setEnabled(False)
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
        # Filling letters in and keeping PDFs need the database, so they run on this thread,
        # a few at a time from a timer, so the window never stops answering.
        self._steps: Iterator[None] | None = None
        self._after_steps: Callable[[], None] = lambda: None
        self.step_timer = QTimer(self)
        self.step_timer.setInterval(0)
        self.step_timer.timeout.connect(self._step)
        self.resize(640, 560)
        self.reading = QTimer(self)
        self.reading.setInterval(0)
        self.reading.timeout.connect(self._read_part)
        self.reading.start()

    def _read_part(self, limit: int | None = None) -> None:
        """Read the next part of the open cases into the list (READ_AT_ONCE of them, or all
        that are left with -1); the last part enables it."""
        limit = READ_AT_ONCE if limit is None else limit
        labels = self.case_model.labels
        part = open_case_labels(self.session.db, after=labels[-1] if labels else None,
                                limit=limit)
        for row, label in enumerate(part, start=len(labels)):
            self._names[label.id] = f"{label.reference} ({label.family_name})"
            self._rows[label.id] = row
        self.case_model.add_labels(part)
        if 0 <= limit <= len(part):
            self.count.setText(f"Reading the open cases\u2026 {len(self.case_model.labels):,}")
            return
        self.reading.stop()
        for widget in self._until_read:
            widget.setEnabled(True)
        self.ready = True
        self._show_count()

    def read_cases(self) -> None:
        """Read whatever of the open cases is not read yet, at once."""
        if not self.ready:
            self._read_part(limit=-1)

    def _tick_all(self) -> None:
        """Tick every case shown (all of them, unless the filter narrows the list)."""
        self.read_cases()
        if not self.filter.text():
            self.case_model.tick_all()
            return
        for row in range(self.shown.rowCount()):
            self.case_model.tick(self.shown.mapToSource(self.shown.index(row, 0)).row())

    def untick_all(self) -> None:
        for row in sorted(self.case_model.ticked):
            self.case_model.tick(row, False)

    def _show_count(self, *_args: object) -> None:
        ticked, total = len(self.case_model.ticked), self.case_model.rowCount()
        self.count.setText(f"{ticked} of {total} ticked")

    def confirm_many(self, count: int, title: str) -> bool:
        """Ask before making many documents. Tests replace this."""
        return confirm(self, "Make the documents?",
                       f"Make “{title}” for {count} cases? Each is kept on its case and noted "
                       "on its timeline.")

    def start(self) -> None:
        self.read_cases()
        template_id = self.choice.choice()
        today = self.session.today()
        chosen = self.case_model.ticked_ids()
        if not chosen:
            self.report.setText("Tick the cases to make the document for.")
            return
        if len(chosen) >= CONFIRM_FROM and \
                not self.confirm_many(len(chosen), self.choice.currentText()):
            return
        self._planned, self._skipped = [], []
        self.start_button.setEnabled(False)
        self.progress.setRange(0, max(len(chosen), 1))
        self.progress.setValue(0)
        self.report.setText(f"Filling in {len(chosen)} documents\u2026")

        def fill_in() -> Iterator[None]:
            for number, case_id in enumerate(chosen, start=1):
                try:
                    letter, wording = documents.standard_letter(self.session.db, case_id,
                                                                template_id, today)
                except (CaseBookError, ValueError) as exc:
                    reason = str(exc).replace("Before this document can be made, fill in: ",
                                              "")
                    self._skipped.append(f"{self._names.get(case_id, case_id)} needs {reason}")
                else:
                    self._planned.append((case_id, letter, wording))
                self.progress.setValue(number)
                yield
        self._run_in_steps(fill_in(), self._render)

    def _render(self) -> None:
        if not self._planned:
            self.start_button.setEnabled(True)
            self.report.setText("Nothing to make: tick some cases"
                                + (" that have everything the document needs."
                                   if self._skipped else "."))
            return
        try:
            head = documents.pdf_letterhead(self.session.db)
        except CaseBookError as exc:
            self.start_button.setEnabled(True)
            self.report.setText(str(exc))
            return
        letters = [letter for _, letter, _ in self._planned]
        training = is_training(self.session.db)
        self._cancel.clear()
        self.progress.setRange(0, len(letters))
        self.progress.setValue(0)
        self.cancel_button.setEnabled(True)
        self.report.setText(f"Making {len(letters)} documents\u2026")
        runner, cancelled = self.runner, self._cancel
        self.runner.start(lambda: documents.render_many(letters, head, training,
                                                        runner.report, cancelled.is_set))

    def _run_in_steps(self, steps: Iterator[None], then: Callable[[], None]) -> None:
        self._steps, self._after_steps = steps, then
        self.step_timer.start()

    def _step(self) -> None:
        """Run steps for up to about 30 ms, then let the window answer again."""
        assert self._steps is not None
        until = time.perf_counter() + 0.03
        while time.perf_counter() < until:
            if next(self._steps, StopIteration) is StopIteration:
                self.step_timer.stop()
                self._steps = None
                self._after_steps()
                return

    def done(self, code: int) -> None:  # closing, or locking the case book: stop here
        self.step_timer.stop()
        self._steps = None
        self._cancel.set()
        super().done(code)

    def cancel(self) -> None:
        self._cancel.set()
        self.report.setText("Cancelling: the documents already made will be kept.")

    def _rendered(self, pdfs: object) -> None:
        assert isinstance(pdfs, list)
        self.cancel_button.setEnabled(False)
        self.report.setText(f"Keeping {len(pdfs)} documents on their cases\u2026")
        today = self.session.today()

        def keep_each() -> Iterator[None]:
            for (case_id, letter, wording), pdf in zip(self._planned, pdfs, strict=False):
                # each kept in its own transaction: one that fails loses no other
                documents.keep(self.session.db, case_id, letter, wording, pdf,
                               self.session.actor, today)
                self.kept += 1
                self.case_model.tick(self._rows[case_id], False)  # made: never made twice
                yield
        self._run_in_steps(keep_each(), lambda: self._report_done(len(pdfs)))

    def _report_done(self, made: int) -> None:
        self.start_button.setEnabled(True)
        text = f"Made and kept {plural(made, 'document')}."
        if made < len(self._planned):
            text += f" Cancelled before the other {len(self._planned) - made}."
        if self._skipped:
            shown = [reason.rstrip(".") for reason in self._skipped[:SKIPPED_NAMED]]
            more = len(self._skipped) - len(shown)
            text += (f" {len(self._skipped)} case{'s were' if len(self._skipped) != 1 else ' was'}"
                     " skipped because something was missing: " + "; ".join(shown)
                     + (f"; and {more} more." if more else "."))
        self.report.setText(text)
