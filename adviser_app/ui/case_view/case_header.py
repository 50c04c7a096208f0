"""The top of an open case: who it is about, their needs and status, and what is due next."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from adviser_app.domain.children import describe_age
from adviser_app.domain.statutory.deadline import Deadline
from adviser_app.domain.statutory.urgency import describe_due, urgency
from adviser_app.domain.records import Case, Family, Task
from adviser_app.domain.validation import format_date
from adviser_app.domain.vocab import CaseState
from adviser_app.ui.theme import urgency_colour


class HasDeadline(Protocol):
    """A statutory deadline, a mediation date or a SEN support review."""

    @property
    def deadline(self) -> Deadline: ...

    @property
    def is_open(self) -> bool: ...


class CaseHeader(QWidget):
    explain_requested = Signal(object)
    """The adviser clicked a deadline to see how it was worked out (anything with a .deadline)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.title = QLabel()
        self.title.setAccessibleName("Case")
        self.title.setProperty("role", "title")  # its size: ui/theme.py
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts = QLabel()
        self.facts.setAccessibleName("Case facts")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.due = QLabel()
        self.due.setAccessibleName("Next dates")
        self.due.setWordWrap(True)
        self.due.setTextFormat(Qt.TextFormat.RichText)
        self.due.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                         | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.due.linkActivated.connect(self._link)
        self._deadlines: list[HasDeadline] = []
        for label in (self.title, self.facts, self.due):
            layout.addWidget(label)

    def show_case(self, case: Case, family: Family, tasks: list[Task],
                  deadlines: Sequence[HasDeadline], today: date) -> None:
        state = ("Inactive (waiting on the family)" if case.inactive else "Open") \
            if case.state is CaseState.OPEN else f"Closed {format_date(case.closed_on)}"
        self.title.setText(f"{family.family_name} family \u2014 {case.reference}")
        level = case.details.level.label if case.details.level else "level not recorded"
        lines = [f"<b>{state}</b> \u00b7 opened {format_date(case.details.opened_on)} "
                 f"\u00b7 adviser {escape(case.details.adviser)} \u00b7 {escape(level)}"]
        if case.details.issues:
            lines.append("About: " + escape(", ".join(
                i.label for i in sorted(case.details.issues))))
        if case.details.summary:
            lines.append(f"<i>{escape(case.details.summary)}</i>")
        if case.state is CaseState.CLOSED and case.closing_note:
            lines.append(f"Closing note: {escape(case.closing_note)}")
        for child in family.children:
            if child.id not in case.details.child_ids:
                continue
            d = child.details
            bits = [f"<b>{escape(d.full_name)}</b>", escape(describe_age(d.date_of_birth, today))]
            bits += [escape(x) for x in (d.year_group, d.school, d.local_authority) if x]
            bits.append(f"<b>{escape(d.status.label)}</b>")
            if d.areas_of_need:
                bits.append("needs: " + escape("; ".join(
                    a.label.lower() for a in sorted(d.areas_of_need))))
            lines.append(" \u00b7 ".join(bits))
        self.facts.setText("<br>".join(lines))
        self._deadlines = list(deadlines)
        if case.state is CaseState.CLOSED:
            self.due.setText("<i>This case is closed, so nothing on it is shown as due.</i>")
            return
        upcoming: list[tuple[date, str, str]] = []  # (due, text, link)
        for number, item in enumerate(deadlines):
            if item.is_open:
                check = " (check this date)" if item.deadline.needs_check else ""
                upcoming.append((item.deadline.due, item.deadline.label + check,
                                 f"deadline:{number}"))
        for task in tasks:
            if not task.done and task.details.due_on:
                upcoming.append((task.details.due_on, task.details.title, ""))
        if not upcoming:
            self.due.setText("<i>No dates due on this case.</i>")
            return
        parts = []
        for due_on, text, link in sorted(upcoming, key=lambda x: x[0])[:4]:
            colour = urgency_colour(urgency(due_on, today))
            body = (f"<b>{format_date(due_on)}</b> {escape(text)} "
                    f"({describe_due(due_on, today)})")
            if link:
                body = f"<a href='{link}' style='color:{colour}'>{body}</a>"
            parts.append(f"<span style='color:{colour}'>{body}</span>")
        self.due.setText("Next: " + " &nbsp;|&nbsp; ".join(parts))

    def _link(self, link: str) -> None:
        if link.startswith("deadline:"):
            self.explain_requested.emit(self._deadlines[int(link.split(":", 1)[1])])
