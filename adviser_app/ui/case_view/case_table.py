"""The table model behind the case list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from adviser_app.domain.records import CaseSummary
from adviser_app.domain.validation import format_date
from adviser_app.domain.vocab import CaseState, ChildStatus
from adviser_app.ui.record_table import PagedTableModel
from adviser_app.ui.theme import CLOSED, RED

_Index = QModelIndex | QPersistentModelIndex
_STATUS_ORDER = list(ChildStatus)


def status_text(summary: CaseSummary) -> str:
    return ", ".join(s.label for s in sorted(summary.statuses, key=_STATUS_ORDER.index))


def state_text(summary: CaseSummary) -> str:
    if summary.state is CaseState.CLOSED:
        return "Closed"
    return "Inactive" if summary.inactive else "Open"


class CaseTableModel(PagedTableModel[CaseSummary]):
    HEADERS = ("Reference", "Family", "Children", "Next task due", "SEN status", "Adviser",
               "Opened", "Open, inactive or closed")
    DUE_COLUMN = 3
    CaseRole = Qt.ItemDataRole.UserRole

    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        self._today = today
        self._unsent: set[str] = set()
        self._clashing: set[str] = set()

    def set_rows(self, rows: Sequence[CaseSummary], today: date | None = None,
                 more: Callable[[int], Sequence[CaseSummary]] | None = None) -> None:
        """*rows*, and if given *more*: the cases after the first n (n passed in), read a
        page at a time as the list is scrolled near its end (Qt's fetchMore), as
        RecordTableModel does for a long timeline."""
        if today is not None:
            self._today = today
        self._replace_rows(rows, more)

    def _fresh(self, page: Sequence[CaseSummary]) -> list[CaseSummary]:
        """A case changed since the first page may have moved: it is not listed twice."""
        shown = {case.id for case in self._rows}
        return [case for case in page if case.id not in shown]

    def set_marks(self, unsent: set[str], clashing: set[str]) -> None:
        """Cases with changes not yet sent to the office hub, and with a clash to decide."""
        self._unsent, self._clashing = unsent, clashing
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def _reference(self, case: CaseSummary) -> str:
        marks = (" \u26a0" if case.id in self._clashing else "") + \
            (" \u2191" if case.id in self._unsent else "")
        return case.reference + marks

    def _mark_tip(self, case: CaseSummary) -> str | None:
        tips = (["Needs a decision: two changes clash (File \u203a Needs a decision\u2026)"]
                if case.id in self._clashing else []) + \
            (["Changes not yet sent to the office"] if case.id in self._unsent else [])
        return "; ".join(tips) or None

    def summary(self, row: int) -> CaseSummary:
        return self._rows[row]

    def row_of(self, case_id: str) -> int:
        for number, summary in enumerate(self._rows):
            if summary.id == case_id:
                return number
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        case = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (self._reference(case), case.family_name, case.children,
                    format_date(case.next_task_due), status_text(case), case.adviser,
                    format_date(case.opened_on),
                    state_text(case))[column]
        if role == Qt.ItemDataRole.ForegroundRole:
            if case.state is CaseState.CLOSED:
                return QBrush(QColor(CLOSED))
            if (column == self.DUE_COLUMN and case.next_task_due and self._today
                    and case.next_task_due < self._today):
                return QBrush(QColor(RED))
        if role == Qt.ItemDataRole.ToolTipRole and column == self.DUE_COLUMN \
                and case.next_task_due \
                and self._today and case.next_task_due < self._today:
            return "Overdue"
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return self._mark_tip(case)
        if role == self.CaseRole:
            return case
        return None
