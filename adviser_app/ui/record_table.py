"""One small table model for lists of records (people, children, timeline, tasks)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

T = TypeVar("T")
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    text: Callable[[T], str]
    colour: Callable[[T], str | None] = lambda _record: None


class PagedTableModel(QAbstractTableModel, Generic[T]):
    """A table model whose rows may come a page at a time: set_rows takes the first page and
    a *more* that reads the rows after the first n, which Qt asks for (fetchMore) as the
    view scrolls near the end, so a long list opens with only its first page read."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[T] = []
        self._more: Callable[[int], Sequence[T]] | None = None
        self._fetching = False

    def _replace_rows(self, rows: Sequence[T], more: Callable[[int], Sequence[T]] | None
                      ) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._more = more
        self.endResetModel()

    def _fresh(self, page: Sequence[T]) -> list[T]:
        """The rows of a page to add (a subclass may leave out some already shown)."""
        return list(page)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # Qt override
        return not parent.isValid() and self._more is not None and not self._fetching

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # Qt override
        if not self.canFetchMore(parent):
            return  # (views may ask again from inside the rows-inserted signal)
        assert self._more is not None
        page = self._fresh(self._more(len(self._rows)))
        if not page:
            self._more = None  # the end
            return
        self._fetching = True
        try:
            self.beginInsertRows(QModelIndex(), len(self._rows),
                                 len(self._rows) + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()
        finally:
            self._fetching = False

    def fetch_all(self) -> None:
        """Every row, not just the pages fetched so far."""
        while self._more is not None:
            self.fetchMore()


class RecordTableModel(PagedTableModel[T]):
    RecordRole = Qt.ItemDataRole.UserRole

    def __init__(self, columns: Sequence[Column[T]]) -> None:
        super().__init__()
        self._columns = list(columns)

    def set_rows(self, rows: Sequence[T],
                 more: Callable[[int], Sequence[T]] | None = None) -> None:
        """*rows*, and if given *more*: the rows after the first n (n passed in), fetched a
        page at a time as the view scrolls near the end (Qt's fetchMore), so a long list
        (a case with thousands of timeline entries) opens with its first page read."""
        self._replace_rows(rows, more)

    def record(self, row: int) -> T:
        return self._rows[row]

    def records(self) -> list[T]:
        return list(self._rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].header
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self._rows[index.row()]
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(record)
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = column.colour(record)
            return QBrush(QColor(colour)) if colour else None
        if role == self.RecordRole:
            return record
        return None


def record_view(model: RecordTableModel[Any], name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
    view.verticalHeader().hide()
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


def selected_record(view: QTableView) -> Any:
    index = view.currentIndex()
    model = view.model()
    if not index.isValid() or not isinstance(model, RecordTableModel):
        return None
    return model.record(index.row())
