"""A small editable table for the repeating parts of a form (evidence, outcomes, support,
targets): text and date cells typed in place, choice cells as combo boxes, add and remove."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from adviser_app.ui.form_support import ChoiceBox

IdRole = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class Cell:
    """One column: a typed text (or dd/mm/yyyy date) cell, or a choice from a fixed list."""

    header: str
    choices: Sequence[tuple[str, object]] = field(default_factory=tuple)
    width: int = 0  # 0: share the space

    @property
    def is_choice(self) -> bool:
        return bool(self.choices)


class RowsEditor(QWidget):
    def __init__(self, name: str, cells: Sequence[Cell], add_text: str = "Add a row",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name, self.cells = name, list(cells)
        self.table = QTableWidget(0, len(self.cells))
        self.table.setAccessibleName(name)
        self.table.setHorizontalHeaderLabels([c.header for c in self.cells])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(True)  # Tab moves between cells while typing
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for column, cell in enumerate(self.cells):
            if cell.width:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                self.table.setColumnWidth(column, cell.width)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(110)
        self.add_button = QPushButton(add_text)
        self.add_button.setAccessibleName(f"{add_text} to {name.lower()}")
        self.remove_button = QPushButton("Remove the selected row")
        self.remove_button.setAccessibleName(f"Remove the selected row from {name.lower()}")
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        self.remove_button.clicked.connect(self.remove_selected)

    def add_row(self, values: Sequence[object] | None = None, row_id: str | None = None,
                focus: bool = False) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        values = list(values or [])
        for column, cell in enumerate(self.cells):
            value = values[column] if column < len(values) else None
            if cell.is_choice:
                box = ChoiceBox()
                box.setAccessibleName(f"{cell.header}, row {row + 1}")
                for label, data in cell.choices:
                    box.add_choice(label, data)
                box.select(value)
                self.table.setCellWidget(row, column, box)
            else:
                item = QTableWidgetItem("" if value is None else str(value))
                self.table.setItem(row, column, item)
        first = self.table.item(row, 0) or QTableWidgetItem()
        if self.table.item(row, 0) is None:
            self.table.setItem(row, 0, first)
        first.setData(IdRole, row_id)
        if focus:
            self.table.setFocus()
            self.table.setCurrentCell(row, 0)
        return row

    def set_rows(self, rows: Sequence[Sequence[object]],
                 ids: Sequence[str | None] | None = None) -> None:
        self.table.setRowCount(0)
        for n, values in enumerate(rows):
            self.add_row(values, ids[n] if ids else None)
        self.table.resizeRowsToContents()

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def set_cell(self, row: int, column: int, value: object) -> None:
        widget = self.table.cellWidget(row, column)
        if isinstance(widget, ChoiceBox):
            widget.select(value)
        else:
            item = self.table.item(row, column)
            if item is None:
                item = QTableWidgetItem()
                self.table.setItem(row, column, item)
            item.setText("" if value is None else str(value))

    def value(self, row: int, column: int) -> Any:
        widget = self.table.cellWidget(row, column)
        if isinstance(widget, ChoiceBox):
            return widget.choice()
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def row_id(self, row: int) -> str | None:
        item = self.table.item(row, 0)
        value = item.data(IdRole) if item is not None else None
        return str(value) if value else None

    def rows(self) -> list[list[Any]]:
        """Every row's values: text for typed cells, the chosen object for choices."""
        self.table.setCurrentCell(-1, -1)  # commit a cell still being typed in
        return [[self.value(r, c) for c in range(len(self.cells))]
                for r in range(self.table.rowCount())]
