"""The "Statutory dates" tab of a case: events recorded, and the deadlines they produce."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMessageBox, QPushButton, QSplitter,
                               QVBoxLayout, QWidget)

from adviser_app.domain.statutory.child_clock import DueItem
from adviser_app.domain.statutory.urgency import urgency
from adviser_app.domain.statutory.events import DeadlineState, StatutoryEvent
from adviser_app.domain.records import Case, Family
from adviser_app.domain.validation import format_date
from adviser_app.services import statutory
from adviser_app.store import events as event_store
from adviser_app.ui.case_view.event_dialog import EventDialog
from adviser_app.ui.case_view.explain_dialog import ExplainDialog
from adviser_app.ui.case_view.mark_dialog import MarkDialog
from adviser_app.ui.form_support import confirm
from adviser_app.ui.record_table import Column, RecordTableModel, record_view, selected_record
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.theme import urgency_colour


def state_text(item: DueItem) -> str:
    if item.state is DeadlineState.MET:
        return f"Met {format_date(item.state_on)}"
    if item.state is DeadlineState.NOT_APPLICABLE:
        return "Not applicable"
    if item.state is DeadlineState.MISSED:
        return f"Missed (done {format_date(item.state_on)})"
    return "Open"


def button(text: str) -> QPushButton:
    b = QPushButton(text)
    b.setAccessibleName(text.rstrip("…"))
    return b


class StatutoryTab(QWidget):
    changed = Signal()
    """An event or a deadline mark was saved."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case: Case | None = None
        self.family: Family | None = None
        names: Callable[[str], str] = self._child_name
        self.events_model: RecordTableModel[StatutoryEvent] = RecordTableModel([
            Column("Date", lambda e: format_date(e.event_date)),
            Column("Child", lambda e: names(e.details.child_id)),
            Column("What happened", lambda e: e.kind.label),
            Column("Document", lambda e: e.details.document),
        ])
        self.events_view = record_view(self.events_model, "Statutory events")
        today = session.today
        self.deadlines_model: RecordTableModel[DueItem] = RecordTableModel([
            Column("Due", lambda i: format_date(i.deadline.due),
                   lambda i: urgency_colour(urgency(i.deadline.due, today())) if i.is_open
                   else None),
            Column("State", state_text),
            Column("Deadline", lambda i: i.deadline.label
                   + ("  (check this date)" if i.deadline.needs_check else "")),
            Column("Child", lambda i: names(i.event.details.child_id)),
            Column("Rule", lambda i: i.deadline.source),
        ])
        self.deadlines_view = record_view(self.deadlines_model, "Deadlines on this case")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.add_button = button("Record an event…")
        self.edit_button = button("Edit event…")
        self.delete_button = button("Delete event…")
        for b in (self.add_button, self.edit_button, self.delete_button):
            row.addWidget(b)
        row.addStretch()
        layout.addLayout(row)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.events_view)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("Deadlines from these events (derived, never typed):")
        heading.setStyleSheet("font-weight: 600;")
        lower_layout.addWidget(heading)
        marks = QHBoxLayout()
        self.explain_button = button("How was this worked out?…")
        self.mark_button = button("Mark met or not applicable…")
        for b in (self.explain_button, self.mark_button):
            marks.addWidget(b)
        marks.addStretch()
        lower_layout.addLayout(marks)
        lower_layout.addWidget(self.deadlines_view)
        split.addWidget(lower)
        split.setSizes([160, 300])
        layout.addWidget(split)
        self.add_button.clicked.connect(lambda: self._edit(None))
        self.edit_button.clicked.connect(lambda: self._edit(selected_record(self.events_view)))
        self.events_view.activated.connect(
            lambda: self._edit(selected_record(self.events_view)))
        self.delete_button.clicked.connect(self._delete)
        self.explain_button.clicked.connect(self.explain_selected)
        self.deadlines_view.activated.connect(self.explain_selected)
        self.mark_button.clicked.connect(self._mark)

    def _child_name(self, child_id: str) -> str:
        if self.family:
            for child in self.family.children:
                if child.id == child_id:
                    return child.details.full_name
        return ""

    def show_case(self, case: Case, family: Family) -> list[DueItem]:
        self.case, self.family = case, family
        self.events_model.set_rows(event_store.events_for_case(self.session.db, case.id))
        items = statutory.case_deadlines(self.session.db, case.id)
        self.deadlines_model.set_rows(items)
        return items

    def _refresh(self) -> None:
        self.changed.emit()

    def _edit(self, event: StatutoryEvent | None) -> None:
        if self.case is None or self.family is None:
            return
        if not self.family.children:
            QMessageBox.information(self, "No children yet",
                                    "Add the child or young person first (Children tab).")
            return
        dialog = EventDialog(self.session, self.case.id, self.family,
                             set(self.case.details.child_ids), event, self)
        if dialog.exec():
            self._refresh()

    def _delete(self) -> None:
        event = selected_record(self.events_view)
        if event is None:
            return
        if confirm(self, "Delete this event?",
                   f"Delete \u201c{event.kind.label}\u201d of {format_date(event.event_date)}? "
                   "The deadlines it produced will go too."):
            statutory.remove_event(self.session.db, event.id, self.session.actor)
            self._refresh()

    def explain_selected(self) -> None:
        item = selected_record(self.deadlines_view)
        if item is not None:
            ExplainDialog(item.deadline, self).exec()

    def _mark(self) -> None:
        item = selected_record(self.deadlines_view)
        if item is not None and MarkDialog(self.session, item, self).exec():
            self._refresh()
