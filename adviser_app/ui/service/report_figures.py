"""The figures of a report as a tree (a section, then its figures, one column for each
period), and beside it the cases behind the figure clicked, one of which can be opened.
Names are shown here only, inside the app: never in an export."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QHeaderView, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from adviser_app.domain.figures import Report, shown
from adviser_app.services import reports
from adviser_app.store.db import Database
from adviser_app.domain.validation import plural

FigureRole = Qt.ItemDataRole.UserRole


class FiguresPanel(QSplitter):
    """*open_case* is called with the id of the case the manager chose to open."""

    def __init__(self, db: Database, open_case: Callable[[str], None]) -> None:
        super().__init__()
        self.db = db
        self.report: Report | None = None
        self._open_case = open_case
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
        self.addWidget(self.tree)
        self.addWidget(side)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 1)

    def clear(self) -> None:
        self.report = None
        self.tree.clear()
        self.behind.clear()

    def show_figures(self, report: Report) -> None:
        self.report = report
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
        found = reports.cases_behind(self.db, fig.cases[column])
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
        if item is not None:
            self._open_case(str(item.data(Qt.ItemDataRole.UserRole)))
