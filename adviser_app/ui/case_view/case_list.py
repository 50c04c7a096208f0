"""The case list: search as you type, filters, and the table of cases."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QGridLayout, QHeaderView, QLabel,
                               QLineEdit, QTableView, QVBoxLayout, QWidget)

from adviser_app.domain.vocab import AreaOfNeed, CaseState, ChildStatus
from adviser_app.store.cases import CaseFilter, advisers, find_cases
from adviser_app.store.db import is_open
from adviser_app.store.search import SHORT_WORD
from adviser_app.ui.case_view.case_table import CaseTableModel
from adviser_app.ui.form_support import combo
from adviser_app.ui.case_book.session import Session


class CaseTableView(QTableView):
    """Enter opens the selected case."""

    open_requested = Signal(QModelIndex)
    """The adviser asked to open the case in this row."""

    def keyPressEvent(self, event: object) -> None:
        from PySide6.QtGui import QKeyEvent

        assert isinstance(event, QKeyEvent)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


ACTIVE, INACTIVE = "active", "inactive"
STATE_CHOICES: list[tuple[str, object]] = [
    ("Open cases", CaseState.OPEN),
    ("Open and active (not waiting on the family)", ACTIVE),
    ("Inactive (open, waiting on the family)", INACTIVE),
    ("Closed cases", CaseState.CLOSED),
    ("Open and closed", None)]
"""Open cases include the inactive ones: a case waiting on the family is still open."""

MOST_SHOWN = 60
"""Cases read at a time: the first page on each keystroke (more than a full-height window
shows, about 35 rows), the next as the list is scrolled near its end."""


def count_text(shown: int, total: int, typed: str, complete: bool = True) -> str:
    text = f"{total:,} case{'s' if total != 1 else ''}"
    if not complete:
        head = (f"{total:,} case{'s' if total != 1 else ''} or more" if shown >= total
                else f"Showing {shown:,} of at least {total:,} cases")
        text = (f"{head}: a word this common is looked for in every case's names, references "
                "and contact details, but only in the newest notes; add another word to "
                "narrow the list")
    words = typed.split()
    if words and all(len(w) < SHORT_WORD for w in words):
        text += (f". Words under {SHORT_WORD} letters match names, references and contact "
                 "details only; type more to search notes too")
    return text


class CaseListPanel(QWidget):
    case_chosen = Signal(str)
    """A case was opened from the list (its id)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search families, children, schools, notes… (Ctrl+F)")
        self.search.setAccessibleName("Search cases")
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        filters = QGridLayout()  # two rows of two, so the list fits beside a case on a laptop
        self.state_filter = combo("Show open, inactive or closed cases", STATE_CHOICES)
        self.adviser_filter = combo("Filter by adviser", [])
        self.status_filter = combo("Filter by SEN status", [("Any SEN status", None)]
                                   + [(s.label, s) for s in ChildStatus])
        self.area_filter = combo("Filter by area of need", [("Any area of need", None)]
                                 + [(a.label, a) for a in AreaOfNeed])
        for number, box in enumerate((self.state_filter, self.adviser_filter,
                                      self.status_filter, self.area_filter)):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(14)
            filters.addWidget(box, number // 2, number % 2)
            box.currentIndexChanged.connect(self.refresh)
        layout.addLayout(filters)
        self.count = QLabel()
        self.count.setWordWrap(True)  # the longer notes must not widen the list
        self.count.setAccessibleName("Number of cases shown")
        layout.addWidget(self.count)
        self.model = CaseTableModel(session.today())
        self.table = CaseTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Cases")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        layout.addWidget(self.table)
        self.search.textChanged.connect(self.refresh)
        self.search.returnPressed.connect(self._open_first)
        self.table.open_requested.connect(self._open_index)
        self.table.doubleClicked.connect(self._open_index)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.refresh()  # the advisers' names come after the first paint (Workspace)
        for column, width in enumerate((105, 110, 150, 100, 190, 105, 85)):
            self.table.setColumnWidth(column, width)

    def reload_advisers(self) -> None:
        self.adviser_filter.refill([("Any adviser", ""),
                                    *((name, name) for name in advisers(self.session.db))])

    def current_filter(self) -> CaseFilter:
        chosen = self.state_filter.choice()
        state, inactive = (CaseState.OPEN, chosen == INACTIVE) if chosen in (ACTIVE, INACTIVE) \
            else (chosen, None)
        return CaseFilter(text=self.search.text(), state=state, inactive=inactive,
                          adviser=self.adviser_filter.choice() or "",
                          status=self.status_filter.choice(),
                          area=self.area_filter.choice())

    def refresh(self) -> None:
        selected = self.selected_case_id()
        wanted = self.current_filter()
        db = self.session.db
        page = find_cases(db, wanted, limit=MOST_SHOWN)
        rows = page.rows
        done = len(rows) >= page.total and page.complete  # else read on until a page is empty
        self.model.set_rows(rows, self.session.today(), None if done else (
            lambda held: find_cases(db, wanted, limit=MOST_SHOWN, offset=held).rows
            if is_open(db) else []))  # locked meanwhile: the view may still ask, once
        self._mark_team_changes()
        text = count_text(len(rows), page.total, self.search.text(), page.complete)
        if not rows and wanted.text.strip() and wanted.state is CaseState.OPEN:
            # a returning family's old case is closed: say so, rather than a bare "0 cases"
            closed = find_cases(self.session.db, replace(wanted, state=CaseState.CLOSED),
                                limit=0).total
            if closed:
                text += (f". {closed:,} closed case{'s match' if closed != 1 else ' matches'}"
                         ": choose \u201cClosed cases\u201d or \u201cOpen and closed\u201d "
                         "to see")
        self.count.setText(text)
        row = self.model.row_of(selected) if selected else -1
        if row < 0 and rows and self.search.text().strip():
            row = 0  # searching: the best match is ready for Enter
        if row >= 0:
            self.table.selectRow(row)

    def _mark_team_changes(self) -> None:
        """With an office hub: which cases have changes not yet sent, or a clash to decide."""
        from adviser_app.store import sync_log

        db = self.session.db
        if self.session.training or sync_log.hub_settings(db) is None:
            self.model.set_marks(set(), set())
            return
        unsent = sync_log.cases_touched(db, "sync_change")
        clashing = sync_log.cases_touched(db, "sync_conflict")
        self.model.set_marks(unsent, clashing)
        if unsent or clashing:
            self.table.resizeColumnToContents(0)  # the marks after the reference, not elided

    def selected_case_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.summary(index.row()).id

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _open_first(self) -> None:
        case_id = self.selected_case_id()
        if case_id is None and self.model.rowCount():
            case_id = self.model.summary(0).id
        if case_id:
            self.case_chosen.emit(case_id)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.case_chosen.emit(self.model.summary(index.row()).id)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self.search.hasFocus():
            self.case_chosen.emit(self.model.summary(current.row()).id)
