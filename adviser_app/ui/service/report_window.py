"""The activity report inside the app: pick a period, read the figures, click one to list the
cases behind it (and open one), preview the PDF and export the figures.

The parts live beside it: report_period (the period), report_figures (the figures and the
cases behind them), report_jobs (reading in steps, and the work on worker threads)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (QCheckBox, QDialog, QHBoxLayout, QLabel,
                               QProgressBar, QPushButton, QTabWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from adviser_app.domain.figures import Report
from adviser_app.domain.figures_facts import Period
from adviser_app.services import reports
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.export_files import ask_save_path, written
from adviser_app.ui.documents.pdf_view import PdfPreview
from adviser_app.ui.jobs import JobRunner, QuietCollector
from adviser_app.ui.service.report_figures import FiguresPanel
from adviser_app.ui.service.report_jobs import Jobs, StepReader, sharing_the_interpreter
from adviser_app.ui.service.report_period import PeriodPicker
from adviser_app.domain.validation import plural


class ReportWindow(QDialog):
    """After it closes, open_case_id is the case the manager chose to open (if any)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        title = "Activity report"
        if session.training:
            title += " (training case book: fictional families)"
        self.setWindowTitle(title)
        self.report: Report | None = None
        self.pdf_bytes: bytes | None = None
        self.open_case_id: str | None = None
        self.quiet: QuietCollector | None = None  # held while the figures are made
        self.reader = StepReader(self, self._reading, self._start_figures)
        self.runner = JobRunner(self)
        self.runner.finished.connect(self._figures_ready)
        self.runner.failed.connect(self._failed)
        self.runner.progressed.connect(self._computing)
        self.pdf_runner = JobRunner(self)
        self.pdf_runner.finished.connect(self._pdf_ready)
        self.pdf_runner.failed.connect(self._failed)
        self.jobs = Jobs(self.runner, self.pdf_runner, with_progress=self.runner)

        top = QHBoxLayout()
        self.picker = PeriodPicker(session.today(), top)
        self.period, self.date_from, self.date_to = (self.picker.period, self.picker.date_from,
                                                     self.picker.date_to)
        self.make_button = QPushButton("Make the report")
        self.make_button.clicked.connect(self.make)
        top.addWidget(self.make_button)

        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress")
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Report status")

        self.figures = FiguresPanel(session.db, self._open_case)
        self.tree, self.behind, self.behind_label, self.open_button = (
            self.figures.tree, self.figures.behind, self.figures.behind_label,
            self.figures.open_button)
        self.preview = PdfPreview()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.figures, "Figures")
        self.tabs.addTab(self.preview, "PDF preview")
        self.tabs.currentChanged.connect(self._tab_changed)

        self.suppress = QCheckBox("In exports, show counts of 1 to 4 as \u201cfewer than "
                                  "5\u201d (so no family can be recognised)")
        self.suppress.setChecked(True)
        self.suppress.toggled.connect(self._suppress_changed)
        self.export_buttons = {fmt: QPushButton(label) for fmt, label in (
            ("pdf", "Export PDF\u2026"), ("xlsx", "Export spreadsheet (XLSX)\u2026"),
            ("csv", "Export CSV\u2026"))}
        bottom = QHBoxLayout()
        bottom.addWidget(self.suppress, 1)
        for fmt, button in self.export_buttons.items():
            button.setEnabled(False)
            button.clicked.connect(lambda _=False, f=fmt: self.export(f))
            bottom.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.resize(1180, 720)

    # ----- choosing the period and reading ---------------------------------------------
    def chosen_period(self) -> Period | None:
        chosen = self.picker.chosen()
        if isinstance(chosen, str):
            self.status.setText(chosen)
            return None
        return chosen

    @property
    def busy(self) -> bool:
        return self.reader.reading or not self.make_button.isEnabled()

    def make(self) -> None:
        period = self.chosen_period()
        if period is None or self.busy:
            return
        self.report = self.pdf_bytes = None
        self.figures.clear()
        for button in self.export_buttons.values():
            button.setEnabled(False)
        self.make_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.status.setText(f"Reading the case book for {period.title}\u2026")
        self.quiet = QuietCollector()
        self.reader.start(reports.gather_steps(self.session.db, period, self.session.today()))

    def _reading(self, done: int) -> None:
        self.status.setText(f"Reading the case book\u2026 {done:,} records read.")

    def _start_figures(self, given: reports.ReportInput) -> None:
        self.status.setText("Working out the figures\u2026")
        self.progress.setRange(0, max(1, len(given.rows.cases)))
        self.progress.setValue(0)
        runner = self.runner

        def progress(done: int) -> None:
            runner.report(done)
            time.sleep(0.001)  # hand the GIL to the GUI thread, so the window keeps moving

        self.jobs.start(runner, lambda: sharing_the_interpreter(
            lambda: reports.compute(given, progress=progress)))

    def _computing(self, done: int) -> None:
        if done:
            self.progress.setValue(done)

    def _let_collector_go(self) -> None:
        if self.quiet is not None:
            self.quiet.release()
            self.quiet = None

    def _failed(self, why: str) -> None:
        self.reader.stop()
        self._let_collector_go()
        self.progress.setVisible(False)
        self.make_button.setEnabled(True)
        self.status.setText(f"The report could not be made: {why}")

    # ----- the figures ---------------------------------------------------------------------
    def _figures_ready(self, report: object) -> None:
        assert isinstance(report, Report)
        self.report = report
        self._let_collector_go()
        self.progress.setVisible(False)
        self.make_button.setEnabled(True)
        self.figures.show_figures(report)
        for button in self.export_buttons.values():
            button.setEnabled(True)
        note = " Training case book: fictional families." if report.training else ""
        if counted := report.how_much_counted(in_a_file=False):
            note = f" {counted}{note}"
        self.status.setText(f"{report.period.title}. Click a figure to list the cases behind "
                            f"it.{note}")
        if self.tabs.currentIndex() == 1:
            self._start_pdf()

    def figure_item(self, key: str) -> QTreeWidgetItem:
        return self.figures.figure_item(key)

    def select_figure(self, key: str, column: int = -1) -> None:
        """Select one figure's cell (column -1: the whole period)."""
        self.figures.select_figure(key, column)

    def open_chosen_case(self) -> None:
        self.figures.open_chosen_case()

    def _open_case(self, case_id: str) -> None:
        self.open_case_id = case_id
        self.accept()

    # ----- PDF preview and exports ---------------------------------------------------------
    def _tab_changed(self, index: int) -> None:
        if index == 1 and self.report is not None and self.pdf_bytes is None:
            self._start_pdf()

    def _suppress_changed(self) -> None:
        self.pdf_bytes = None
        if self.tabs.currentIndex() == 1 and self.report is not None:
            self._start_pdf()

    def _start_pdf(self) -> None:
        report, suppress = self.report, self.suppress.isChecked()
        assert report is not None
        service = reports.service_name(self.session.db)
        self.status.setText("Making the PDF\u2026")
        self.jobs.start(self.pdf_runner, lambda: (suppress, sharing_the_interpreter(
            lambda: reports.pdf(report, suppress=suppress, service=service))))

    def _pdf_ready(self, result: object) -> None:
        assert isinstance(result, tuple)
        suppress, data = result
        if suppress != self.suppress.isChecked():
            return  # the option changed while it was made: a newer one is on its way
        self.pdf_bytes = data
        pages = self.preview.show_pdf(data)
        self.status.setText(f"PDF preview: {plural(pages, 'page')}.")

    def export_path(self, fmt: str) -> Path | None:
        """Ask where to save. Tests replace this."""
        assert self.report is not None
        name = f"Activity report {self.report.period.label.replace('/', '-')}.{fmt}"
        return ask_save_path(self, self.session.db, "Export the figures", name,
                             f"{fmt.upper()} files (*.{fmt})")

    def export(self, fmt: str) -> Path | None:
        if self.report is None:
            return None
        path = self.export_path(fmt)
        if path is None:
            return None
        suppress = self.suppress.isChecked()
        ready = self.pdf_bytes if fmt == "pdf" and self.pdf_bytes is not None else None
        reports.save_export(self.session.db, self.report, path, fmt, suppress=suppress,
                            actor=self.session.actor, pdf_bytes=ready)
        written(self.session.db, path)
        hidden = " Counts of 1 to 4 are shown as \u201cfewer than 5\u201d." if suppress else (
            " Small numbers are NOT hidden: check before sharing.")
        self.status.setText(f"Saved the figures (no names) to {path}.{hidden}")
        return path

    def done(self, result: int) -> None:
        """Stop reading. A job still running keeps its runner (handed to the main window)
        until it ends, so this window can go at once."""
        self.reader.stop()
        self._let_collector_go()
        self.jobs.release(self.parent())
        super().done(result)


def open_report(session: Session, parent: QWidget,
                open_case: Callable[[str], None] | None) -> ReportWindow:
    window = ReportWindow(session, parent)
    window.exec()
    chosen = window.open_case_id
    window.deleteLater()  # it holds the cases behind the figures: nothing kept after
    if chosen and open_case is not None:
        open_case(chosen)
    return window
