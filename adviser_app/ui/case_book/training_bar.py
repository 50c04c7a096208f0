"""The trainer's controls, shown only in the training case book: a movable "today", reset,
presenting, and the trainer's notes for the open scenario."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy,
                               QVBoxLayout, QWidget)

from adviser_app.domain.statutory.working_days import ENGLAND
from adviser_app.domain.statutory.periods import add_months
from adviser_app.domain.validation import format_date, format_long_date, parse_date
from adviser_app.ui.form_support import DateBox
from adviser_app.ui.theme import ERROR_STYLE


class TrainingBar(QWidget):
    today_changed = Signal(object)
    """The trainer moved "today" (a date, or None for the real date)."""
    reset_requested = Signal()
    """The trainer asked to rebuild the training case book from the scenario files."""
    presenting_changed = Signal(bool)
    """Presentation mode (large text, high contrast) switched on or off."""
    notes_toggled = Signal(bool)
    """The trainer's notes panel was shown or hidden."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.real_today = today
        self.today = today
        rows = QVBoxLayout(self)  # two short rows, so it fits a projector at 150% text
        rows.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        second = QHBoxLayout()
        rows.addLayout(row)
        rows.addLayout(second)
        self.label = QLabel()
        self.label.setAccessibleName("Training today")
        row.addWidget(self.label)
        self.date_edit = DateBox(format_date(today))  # as wide as a date, at any text size
        self.date_edit.setAccessibleName("Set today to")
        self.date_edit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.date_edit.returnPressed.connect(self._typed)
        row.addWidget(self.date_edit)
        self.buttons: dict[str, QPushButton] = {}
        for key, text in (("set", "Set"), ("day", "+1 working day"), ("week", "+1 week"),
                          ("month", "+1 month"), ("real", "Back to the real date"),
                          ("reset", "Reset the training case book…")):
            button = QPushButton(text)
            button.setAccessibleName(text.rstrip("…"))
            self.buttons[key] = button
            (row if key in ("set", "real") else second).addWidget(button)
        self.presenting = QCheckBox("Presenting")
        self.presenting.setAccessibleName("Presenting: large text, high contrast")
        self.notes = QCheckBox("Trainer notes")
        self.notes.setAccessibleName("Show trainer notes")
        self.notes.setChecked(True)
        second.addWidget(self.presenting)
        second.addWidget(self.notes)
        second.addStretch()
        self.problem = QLabel()
        self.problem.setStyleSheet(ERROR_STYLE)
        row.addWidget(self.problem)
        row.addStretch()
        self.buttons["set"].clicked.connect(self._typed)
        self.buttons["day"].clicked.connect(
            lambda: self.move_to(ENGLAND.add_working_days(self.today, 1)))
        self.buttons["week"].clicked.connect(lambda: self.move_to(self.today + timedelta(7)))
        self.buttons["month"].clicked.connect(lambda: self.move_to(add_months(self.today, 1)))
        self.buttons["real"].clicked.connect(lambda: self.move_to(self.real_today))
        self.buttons["reset"].clicked.connect(self.reset_requested)
        self.presenting.toggled.connect(self.presenting_changed)
        self.notes.toggled.connect(self.notes_toggled)
        self._show()

    def _typed(self) -> None:
        try:
            self.move_to(parse_date(self.date_edit.text()))
        except ValueError as exc:
            self.problem.setText(f"Today: {exc}")

    def move_to(self, day: date) -> None:
        self.today = day
        self.problem.clear()
        self._show()
        self.today_changed.emit(None if day == self.real_today else day)

    def _show(self) -> None:
        moved = self.today != self.real_today
        self.date_edit.setText(format_date(self.today))
        self.label.setText(("<b>Training \u201ctoday\u201d:</b> " if moved else "Today: ")
                           + format_long_date(self.today))
