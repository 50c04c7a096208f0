"""Showing how a deadline was worked out: the rule, its source and the arithmetic."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from adviser_app.domain.statutory.deadline import Deadline
from adviser_app.domain.validation import format_date, format_long_date
from adviser_app.ui.theme import RED


def deadline_html(deadline: Deadline) -> str:
    check = (f"<p style='color:{RED}'><b>Check this date:</b> the rule behind it has not been "
             "confirmed against the legislation.</p>" if deadline.needs_check else "")
    inputs = "".join(f"<li>{escape(name)}: {format_date(day)}</li>"
                     for name, day in deadline.inputs)
    note = f"<p>{escape(deadline.note)}</p>" if deadline.note else ""
    return (f"<h3>{escape(deadline.label)}: {format_long_date(deadline.due)}</h3>{check}"
            f"<p>{escape(deadline.explanation)}</p>{note}"
            f"<p><b>Rule:</b> {escape(deadline.source)}<br>"
            f"<b>Confidence:</b> {escape(deadline.confidence.label)}</p>"
            f"<p><b>Worked out from:</b></p><ul>{inputs}</ul>")


class ExplainDialog(QDialog):
    def __init__(self, deadline: Deadline, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("How this date was worked out")
        self.setAccessibleName("How this date was worked out")
        layout = QVBoxLayout(self)
        self.text = QLabel(deadline_html(deadline))
        self.text.setWordWrap(True)
        self.text.setAccessibleName("Explanation")
        self.text.setMinimumWidth(520)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
