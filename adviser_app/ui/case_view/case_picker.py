"""A long list of cases to tick (thousands on a busy service's case book): a model holding
only which are ticked, so opening it costs no widget per case."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from adviser_app.store.cases import CaseLabel

_Index = QModelIndex | QPersistentModelIndex


class CasePickerModel(QAbstractListModel):
    def __init__(self, labels: list[CaseLabel]) -> None:
        super().__init__()
        self.labels = labels
        self.ticked: set[int] = set()

    def add_labels(self, labels: list[CaseLabel]) -> None:
        """Show these cases after those already listed (the list is read a part at a time)."""
        if not labels:
            return
        start = len(self.labels)
        self.beginInsertRows(QModelIndex(), start, start + len(labels) - 1)
        self.labels = [*self.labels, *labels]
        self.endInsertRows()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.labels)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        label = self.labels[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{label.reference}  {label.family_name}  ({label.children})"
        if role == Qt.ItemDataRole.CheckStateRole:
            return (Qt.CheckState.Checked if index.row() in self.ticked
                    else Qt.CheckState.Unchecked)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable)

    def setData(self, index: _Index, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        self.tick(index.row(), value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value))
        return True

    def tick(self, row: int, on: bool = True) -> None:
        (self.ticked.add if on else self.ticked.discard)(row)
        index = self.index(row)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])

    def tick_all(self) -> None:
        self.ticked = set(range(len(self.labels)))
        if self.labels:
            self.dataChanged.emit(self.index(0), self.index(len(self.labels) - 1),
                                  [Qt.ItemDataRole.CheckStateRole])

    def ticked_ids(self) -> list[str]:
        return [self.labels[row].id for row in sorted(self.ticked)]
