"""The activity report inside the app: pick a period, read the figures, click one to list the
cases behind it (and open one), preview the PDF and export the figures.

The case book is read in short steps on the GUI thread (it holds the database); the figures
and the PDF are worked out on a worker thread, so the window never freezes."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QCheckBox, QDialog, QFileDialog, QHBoxLayout, QHeaderView,
                               QLabel, QListWidget, QListWidgetItem, QProgressBar,
                               QPushButton, QSplitter, QTabWidget, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from adviser_app.domain.figures import Report, shown
from adviser_app.domain.figures_facts import (Period, financial_year, financial_year_of,
                                              last_quarter, quarters)
from adviser_app.domain.validation import Checker, format_date, plural
from adviser_app.services import reports
from adviser_app.ui.form_support import combo, date_field
from adviser_app.ui.jobs import JobRunner
from adviser_app.ui.documents.pdf_view import PdfPreview
from adviser_app.ui.case_book.session import Session

OTHER = "other"
STEP_BUDGET = 0.02  # seconds of reading per turn of the event loop
FigureRole = Qt.ItemDataRole.UserRole
T = TypeVar("T")


def _sharing_the_interpreter(work: Callable[[], T]) -> T:
    """Run pure-Python *work* on a worker thread while letting the GUI thread have the
    interpreter lock often: every Qt call into Python waits for it, and at Python's usual
    5 ms switch interval a busy worker kept the window still for 100-250 ms at a time on a
    20,000-family case book."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)
    try:
        return work()
    finally:
        sys.setswitchinterval(before)


def period_choices(today: date) -> list[tuple[str, object]]:
    """This financial year and the four before, the last quarter, and each quarter of this
    year and last, then other dates."""
    this_year = financial_year_of(today)
    years = [financial_year(this_year.start.year - n) for n in range(5)]
    out: list[tuple[str, object]] = [(f"Financial year {y.title}", y) for y in years[:2]]
    lq = last_quarter(today)
    out.append((f"Last quarter: {lq.title}", lq))
    for year in years[:2]:
        out += [(f"Quarter {q.title}", q) for q in quarters(year) if q.start <= today]
    out += [(f"Financial year {y.title}", y) for y in years[2:]]
    out.append(("Other dates\u2026", OTHER))
    return out


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
        self._steps: Iterator[int | reports.ReportInput] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._read_some)
        self.runner = JobRunner(self)
        self.runner.finished.connect(self._figures_ready)
        self.runner.failed.connect(self._failed)
        self.runner.progressed.connect(self._computing)
        self.pdf_runner = JobRunner(self)
        self.pdf_runner.finished.connect(self._pdf_ready)
        self.pdf_runner.failed.connect(self._failed)
        self._running: dict[JobRunner, int] = {self.runner: 0, self.pdf_runner: 0}
        for r in self._running:
            r.finished.connect(lambda _=None, r=r: self._job_ended(r))
            r.failed.connect(lambda _=None, r=r: self._job_ended(r))

        self.period = combo("Period", period_choices(session.today()))
        self.period.currentIndexChanged.connect(self._period_changed)
        self.date_from = date_field("From")
        self.date_to = date_field("To")
        for field in (self.date_from, self.date_to):
            field.setVisible(False)
            field.setMaximumWidth(110)
        self.make_button = QPushButton("Make the report")
        self.make_button.clicked.connect(self.make)
        top = QHBoxLayout()
        top.addWidget(QLabel("Period:"))
        top.addWidget(self.period, 1)
        top.addWidget(self.date_from)
        top.addWidget(self.date_to)
        top.addWidget(self.make_button)

        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress")
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Report status")

        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Figures")
        self.tree.setHeaderLabels(["Figure"])
        self.tree.itemSelectionChanged.connect(self._show_cases_behind)
        self.tree.currentItemChanged.connect(lambda *_: self._show_cases_behind())
        self.tree.header().setStretchLastSection(False)
        self.behind_label = QLabel("Click a figure to list the cases behind it.")
        self.behind_label.setWordWrap(True)
        self.behind = QListWidget()
        self.behind.setAccessibleName("Cases behind the figure")
        self.behind.itemDoubleClicked.connect(lambda _item: self.open_chosen_case())
        self.open_button = QPushButton("Open this case")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_chosen_case)
        self.behind.currentItemChanged.connect(
            lambda item, _old: self.open_button.setEnabled(item is not None))
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.behind_label, self.behind, self.open_button):
            side_layout.addWidget(w)
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        self.preview = PdfPreview()
        self.tabs = QTabWidget()
        self.tabs.addTab(splitter, "Figures")
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
        self.period.select(financial_year_of(session.today()))

    # ----- choosing the period and reading ---------------------------------------------
    def _period_changed(self) -> None:
        other = self.period.choice() == OTHER
        self.date_from.setVisible(other)
        self.date_to.setVisible(other)

    def chosen_period(self) -> Period | None:
        chosen = self.period.choice()
        if isinstance(chosen, Period):
            return chosen
        c = Checker()
        start = c.date("from", "From", self.date_from.text(), required=True)
        end = c.date("to", "To", self.date_to.text(), required=True)
        if start and end and end < start:
            c.fail("to", "The period can't end before it starts.")
        if not c.ok or start is None or end is None:
            self.status.setText(" ".join(p.message for p in c.problems))
            return None
        return Period(start, end, f"{format_date(start)} to {format_date(end)}")

    @property
    def busy(self) -> bool:
        return self._steps is not None or not self.make_button.isEnabled()

    def make(self) -> None:
        period = self.chosen_period()
        if period is None or self.busy:
            return
        self.report = self.pdf_bytes = None
        self.tree.clear()
        self.behind.clear()
        for button in self.export_buttons.values():
            button.setEnabled(False)
        self.make_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.status.setText(f"Reading the case book for {period.title}\u2026")
        self._steps = reports.gather_steps(self.session.db, period)
        self._timer.start(0)

    def _read_some(self) -> None:
        """Read for a short while, then let the window breathe."""
        if self._steps is None:
            return
        started = time.perf_counter()
        for step in self._steps:
            if isinstance(step, reports.ReportInput):
                self._steps = None
                self._start_figures(step)
                return
            if time.perf_counter() - started > STEP_BUDGET:
                self.status.setText(f"Reading the case book\u2026 {step:,} records read.")
                self._timer.start(0)
                return

    def _start_figures(self, given: reports.ReportInput) -> None:
        self.status.setText("Working out the figures\u2026")
        self.progress.setRange(0, max(1, len(given.rows.cases)))
        self.progress.setValue(0)
        runner = self.runner

        def progress(done: int) -> None:
            runner.report(done)
            time.sleep(0.001)  # hand the GIL to the GUI thread, so the window keeps moving

        self._start(runner, lambda: _sharing_the_interpreter(
            lambda: reports.compute(given, progress=progress)))

    def _computing(self, done: int) -> None:
        if done:
            self.progress.setValue(done)

    def _failed(self, why: str) -> None:
        self._steps = None
        self.progress.setVisible(False)
        self.make_button.setEnabled(True)
        self.status.setText(f"The report could not be made: {why}")

    # ----- the figures ---------------------------------------------------------------------
    def _figures_ready(self, report: object) -> None:
        assert isinstance(report, Report)
        self.report = report
        self.progress.setVisible(False)
        self.make_button.setEnabled(True)
        self.show_figures(report)
        for button in self.export_buttons.values():
            button.setEnabled(True)
        note = " Training case book: fictional families." if report.training else ""
        self.status.setText(f"{report.period.title}. Click a figure to list the cases behind "
                            f"it.{note}")
        if self.tabs.currentIndex() == 1:
            self._start_pdf()

    def show_figures(self, report: Report) -> None:
        self.tree.setUpdatesEnabled(False)
        try:
            self._fill_tree(report)
        finally:
            self.tree.setUpdatesEnabled(True)

    def _fill_tree(self, report: Report) -> None:
        self.tree.clear()
        self.tree.setColumnCount(1 + len(report.columns))
        self.tree.setHeaderLabels(["Figure"] + [c.label for c in report.columns])
        for section in report.sections:
            if not section.figures:
                continue
            top = QTreeWidgetItem([section.title])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            top.setToolTip(0, section.note)
            top.setFirstColumnSpanned(False)
            for fig in section.figures:
                item = QTreeWidgetItem([fig.label] + [
                    shown(v, suppress=False, minutes=section.minutes) for v in fig.values])
                for col in range(1, 1 + len(report.columns)):
                    item.setTextAlignment(col, Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                item.setData(0, FigureRole, fig.key)
                top.addChild(item)
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, 1 + len(report.columns)):  # measured once, not at every layout
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.tree.resizeColumnToContents(col)

    def figure_item(self, key: str) -> QTreeWidgetItem:
        for n in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(n)
            for m in range(top.childCount() if top is not None else 0):
                item = top.child(m) if top is not None else None
                if item is not None and item.data(0, FigureRole) == key:
                    return item
        raise KeyError(key)

    def select_figure(self, key: str, column: int = -1) -> None:
        """Select one figure's cell (column -1: the whole period)."""
        assert self.report is not None
        col = 1 + (column % len(self.report.columns))
        self.tree.setCurrentItem(self.figure_item(key), col)

    def _show_cases_behind(self) -> None:
        self.behind.clear()
        item = self.tree.currentItem()
        if self.report is None or item is None or item.data(0, FigureRole) is None:
            return
        col = self.tree.currentColumn()
        column = (col - 1) if col >= 1 else len(self.report.columns) - 1
        fig = self.report.figure(str(item.data(0, FigureRole)))
        period = self.report.columns[column]
        found = reports.cases_behind(self.session.db, fig.cases[column])
        self.behind_label.setText(f"{fig.label}, {period.label}: "
                                  f"{plural(len(found), 'case')} behind this figure "
                                  "(names shown here only, never exported).")
        for case in found:
            line = QListWidgetItem(f"{case.reference}  {case.family_name}"
                                   + ("  (closed)" if case.state == "closed" else ""))
            line.setData(Qt.ItemDataRole.UserRole, case.id)
            self.behind.addItem(line)

    def open_chosen_case(self) -> None:
        item = self.behind.currentItem()
        if item is None:
            return
        self.open_case_id = str(item.data(Qt.ItemDataRole.UserRole))
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
        self._start(self.pdf_runner, lambda: (suppress, _sharing_the_interpreter(
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
        chosen, _ = QFileDialog.getSaveFileName(self, "Export the figures", name,
                                                f"{fmt.upper()} files (*.{fmt})")
        return Path(chosen) if chosen else None

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
        hidden = " Counts of 1 to 4 are shown as \u201cfewer than 5\u201d." if suppress else (
            " Small numbers are NOT hidden: check before sharing.")
        self.status.setText(f"Saved the figures (no names) to {path}.{hidden}")
        return path

    def _start(self, runner: JobRunner, job: Callable[[], object]) -> None:
        self._running[runner] += 1
        runner.start(job)

    def _job_ended(self, runner: JobRunner) -> None:
        self._running[runner] = max(0, self._running[runner] - 1)

    def done(self, result: int) -> None:
        """Stop reading. A job still running keeps its runner (handed to the main window)
        until it ends, so this window can go at once."""
        self._timer.stop()
        self._steps = None
        for runner, running in self._running.items():
            signals = [runner.finished, runner.failed]
            if runner is self.runner:
                signals.append(runner.progressed)
            for signal in signals:
                signal.disconnect()
            if running and self.parent() is not None:
                runner.setParent(self.parent())
                runner.finished.connect(runner.deleteLater)
                runner.failed.connect(runner.deleteLater)
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
