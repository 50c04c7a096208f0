"""The deadline calculator: pick a rule, type the dates, see each result explained. No case
is needed, so advisers can use it on the phone."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QScrollArea,
                               QVBoxLayout, QWidget)

from adviser_app.domain.statutory.calculator import CALCULATIONS, Calculation
from adviser_app.domain.statutory.working_days import WorkingDayCalendar
from adviser_app.domain.validation import Checker
from adviser_app.ui.case_view.explain_dialog import deadline_html
from adviser_app.ui.form_support import ChoiceBox, check_box, combo, date_field, text_field
from adviser_app.ui.theme import ERROR_STYLE


class CalculatorDialog(QDialog):
    def __init__(self, calendar: WorkingDayCalendar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.calendar = calendar
        self.setWindowTitle("Deadline calculator")
        self.setAccessibleName("Deadline calculator")
        layout = QVBoxLayout(self)
        self.rule = combo("Rule", [(c.label, c) for c in CALCULATIONS])
        top = QFormLayout()
        top.addRow("Work out:", self.rule)
        layout.addLayout(top)
        self.inputs_host = QWidget()
        self.inputs = QFormLayout(self.inputs_host)
        layout.addWidget(self.inputs_host)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setAccessibleName("Problem")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        self.results = QLabel()
        self.results.setWordWrap(True)
        self.results.setTextFormat(Qt.TextFormat.RichText)
        self.results.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.results.setAccessibleName("Results")
        self.results.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.results)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)  # Enter works the dates out; it never closes
        self.work_out = buttons.addButton("Work it out", QDialogButtonBox.ButtonRole.ApplyRole)
        self.work_out.setAccessibleName("Work it out")
        self.work_out.setDefault(True)
        self.work_out.clicked.connect(self.calculate)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.widgets: dict[str, QWidget] = {}
        self.rule.currentIndexChanged.connect(self._build_inputs)
        self._build_inputs()
        self.resize(680, 640)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter (in any field) works the dates out and keeps what was typed; only Esc or
        Close closes the calculator."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.calculate()
            event.accept()
            return
        super().keyPressEvent(event)

    def choose(self, key: str) -> None:
        for calc in CALCULATIONS:
            if calc.key == key:
                self.rule.select(calc)

    def _build_inputs(self) -> None:
        while self.inputs.rowCount():
            self.inputs.removeRow(0)
        self.widgets = {}
        calc: Calculation = self.rule.choice()
        for f in calc.fields:
            widget: QWidget
            if f.kind in ("date", "optional_date"):
                widget = date_field(f.label)
            elif f.kind == "choice":
                widget = combo(f.label, list(f.choices))
            elif f.kind == "flag":
                widget = check_box(f.label)
            else:
                widget = text_field(f.label, "3", max_len=4)
            self.widgets[f.name] = widget
            self.inputs.addRow("" if f.kind == "flag" else f.label + ":", widget)
        self.results.clear()
        self.error.clear()

    def set_value(self, name: str, text: str) -> None:
        widget = self.widgets[name]
        widget.setText(text)  # type: ignore[attr-defined]

    def calculate(self) -> None:
        calc: Calculation = self.rule.choice()
        c = Checker()
        values: dict[str, Any] = {}
        for f in calc.fields:
            widget = self.widgets[f.name]
            if f.kind in ("date", "optional_date"):
                values[f.name] = c.date(f.name, f.label, widget.text(),  # type: ignore
                                        required=f.kind == "date")
            elif f.kind == "choice":
                assert isinstance(widget, ChoiceBox)
                values[f.name] = widget.choice()
            elif f.kind == "flag":
                values[f.name] = widget.isChecked()  # type: ignore[attr-defined]
            else:
                text = widget.text().strip()  # type: ignore[attr-defined]
                if not text.isdigit() or int(text) > 400:
                    c.fail(f.name, f"{f.label} should be a whole number from 0 to 400.")
                values[f.name] = int(text) if text.isdigit() else 0
        if not c.ok:
            self.error.setText("\n".join(p.message for p in c.problems))
            self.results.clear()
            return
        try:
            results = calc.compute(values, self.calendar)
        except ValueError as exc:
            self.error.setText(str(exc))
            self.results.clear()
            return
        self.error.clear()
        self.results.setText("<hr>".join(deadline_html(d) for d in results))
