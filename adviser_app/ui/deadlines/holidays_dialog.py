"""Extra bank holidays: one-off days a service adds before the holidays package knows them."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QListWidget,
                               QPushButton, QVBoxLayout, QWidget)

from adviser_app.domain.validation import Checker, format_long_date
from adviser_app.services import statutory
from adviser_app.store.errors import CaseBookError
from adviser_app.ui.form_support import date_field, text_field
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.theme import ERROR_STYLE


class HolidaysDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Extra bank holidays")
        self.setAccessibleName("Extra bank holidays")
        layout = QVBoxLayout(self)
        intro = QLabel("English bank holidays are built in. Add a one-off holiday here when one "
                       "is proclaimed (such as a coronation) before the app is updated; every "
                       "working-day deadline will then skip it.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.days = QListWidget()
        self.days.setAccessibleName("Extra bank holidays")
        layout.addWidget(self.days)
        form = QFormLayout()
        self.day = date_field("Date of the extra holiday")
        self.name = text_field("Name of the extra holiday")
        form.addRow("Date:", self.day)
        form.addRow("Name:", self.name)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        add = QPushButton("Add holiday")
        remove = QPushButton("Remove the selected holiday")
        add.clicked.connect(self.add)
        remove.clicked.connect(self.remove_selected)
        layout.addWidget(add)
        layout.addWidget(remove)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._dates: list[date] = []
        self.refresh()
        self.resize(480, 420)

    def refresh(self) -> None:
        from adviser_app.store.events import extra_bank_holidays

        table = extra_bank_holidays(self.session.db)
        self._dates = list(table)
        self.days.clear()
        for day, name in table.items():
            self.days.addItem(f"{format_long_date(day)}: {name}")

    def add(self) -> None:
        c = Checker()
        day = c.date("day", "Date", self.day.text(), required=True)
        name = c.text("name", "Name", self.name.text(), required=True)
        if not c.ok or day is None:
            self.error.setText("\n".join(p.message for p in c.problems))
            return
        try:
            statutory.add_extra_holiday(self.session.db, day, name)
        except CaseBookError as exc:
            self.error.setText(str(exc))
            return
        self.error.clear()
        self.day.clear()
        self.name.clear()
        self.refresh()

    def remove_selected(self) -> None:
        row = self.days.currentRow()
        if 0 <= row < len(self._dates):
            statutory.remove_extra_holiday(self.session.db, self._dates[row])
            self.refresh()
