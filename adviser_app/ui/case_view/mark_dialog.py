"""Marking a deadline as met (with the date) or not applicable (with the reason)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from adviser_app.domain.statutory.child_clock import DueItem
from adviser_app.domain.statutory.events import DeadlineState
from adviser_app.domain.validation import Checker, Problem, format_date
from adviser_app.services import statutory
from adviser_app.ui.form_support import ValidatingForm, combo, date_field, text_field
from adviser_app.ui.case_book.session import Session


class MarkDialog(ValidatingForm):
    def __init__(self, session: Session, item: DueItem, parent: QWidget | None = None) -> None:
        super().__init__("Mark a deadline", parent)
        self.session, self.item = session, item
        about = QLabel(f"{item.deadline.label}: due {format_date(item.deadline.due)}")
        about.setWordWrap(True)
        self.add_row("Deadline:", "about", about)
        self.state = self.add_row("It was:", "state", combo("It was", [
            ("Met", DeadlineState.MET), ("Not applicable", DeadlineState.NOT_APPLICABLE),
            ("Still open (clear the mark)", DeadlineState.OPEN)],
            item.state if item.state in (DeadlineState.MET, DeadlineState.NOT_APPLICABLE)
            else DeadlineState.MET))
        self.on = self.add_row("Date met:", "on", date_field(
            "Date met", item.state_on if item.state is DeadlineState.MET else session.today()))
        self.reason = self.add_row("Reason or note:", "reason",
                                   text_field("Reason or note", item.reason))
        self.state.currentIndexChanged.connect(self._state_changed)
        self._state_changed()
        self.resize(520, 220)

    def _state_changed(self) -> None:
        self.set_row_visible("on", self.state.choice() is DeadlineState.MET)
        self.set_row_visible("reason", self.state.choice() is not DeadlineState.OPEN)

    def save(self) -> list[Problem]:
        state = self.state.choice()
        c = Checker()
        on = None
        if state is DeadlineState.MET:
            on = c.date("on", "Date met", self.on.text(), required=True,
                        not_after=self.session.today())
        reason = c.text("reason", "Reason", self.reason.text())
        if state is DeadlineState.NOT_APPLICABLE and not reason:
            c.fail("reason", "Say why this deadline does not apply.")
        if not c.ok:
            return c.problems
        statutory.mark_deadline(self.session.db, self.item.event.id, self.item.deadline.key,
                                state, on=on, reason=reason, actor=self.session.actor,
                                today=self.session.today())
        return []
