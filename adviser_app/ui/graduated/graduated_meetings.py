"""Meetings with the parents about SEN support, counted per school year (1 September to
31 August) against the Code's expectation of at least three (CoP 6.65)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QVBoxLayout,
                               QWidget)

from adviser_app.domain.graduated.cycles import Meeting
from adviser_app.domain.graduated.forms import meeting_from_form
from adviser_app.domain.graduated.school_years import (
    MEETINGS_EXPECTED, YearMeetings, school_year_label, school_year_of)
from adviser_app.domain.validation import Problem, format_date
from adviser_app.services import graduated
from adviser_app.ui.form_support import (ValidatingForm, check_box, confirm, date_field,
                                         text_area, text_field)
from adviser_app.ui.record_table import Column, RecordTableModel, record_view, selected_record
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.theme import GREEN, RED


def years_html(years: list[YearMeetings]) -> str:
    if not years:
        return "<i>No meetings or SEN support recorded yet.</i>"
    parts = []
    for y in years:
        colour = RED if y.short_of_expectation else GREEN
        parts.append(f"<span style='color:{colour}'><b>{escape(y.label)}</b>"
                     f"{'' if y.complete else ' so far'}: {y.count} of {MEETINGS_EXPECTED}"
                     "</span>")
    return ("Meetings with parents per school year (the Code expects at least three, "
            "CoP 6.65): " + " &nbsp;|&nbsp; ".join(parts))


class MeetingDialog(ValidatingForm):
    def __init__(self, session: Session, child_id: str, meeting: Meeting | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Edit a meeting with parents" if meeting
                         else "Record a meeting with parents", parent)
        self.session, self.child_id, self.existing = session, child_id, meeting
        d = meeting.details if meeting else None
        self.met_on = self.add_row("Date:", "met_on", date_field("Date of the meeting",
                                                                 d.met_on if d else None))
        self.led_by = self.add_row("Led by:", "led_by", text_field("Led by",
                                                                   d.led_by if d else ""))
        self.led_by.setPlaceholderText("a teacher who knows the pupil, e.g. Ms Lee (class "
                                       "teacher)")
        self.senco_present = self.add_row("", "senco_present", check_box(
            "The SENCO was there", d.senco_present if d else False))
        self.notes = self.add_row("Notes:", "notes", text_area("Notes", d.notes if d else ""))
        self.notes.setMaximumHeight(100)
        self.resize(520, 300)

    def save(self) -> list[Problem]:
        details, problems = meeting_from_form(
            child_id=self.child_id, met_on=self.met_on.text(), led_by=self.led_by.text(),
            senco_present=self.senco_present.isChecked(), notes=self.notes.toPlainText(),
            today=self.session.today())
        if details is None:
            return problems
        if self.existing:
            graduated.change_meeting(self.session.db, self.existing.id, details,
                                     self.session.actor)
        else:
            graduated.record_meeting(self.session.db, details, self.session.actor)
        return []


class MeetingsPanel(QWidget):
    changed = Signal()
    """A meeting was added, changed or deleted."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.child_id: str | None = None
        layout = QVBoxLayout(self)
        self.years = QLabel()
        self.years.setAccessibleName("Meetings per school year")
        self.years.setWordWrap(True)
        self.years.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.years)
        row = QHBoxLayout()
        self.add_button = QPushButton("Record a meeting…")
        self.edit_button = QPushButton("Edit meeting…")
        self.delete_button = QPushButton("Delete meeting…")
        for b in (self.add_button, self.edit_button, self.delete_button):
            b.setAccessibleName(b.text().rstrip("…"))
            row.addWidget(b)
        row.addStretch()
        layout.addLayout(row)
        self.model: RecordTableModel[Meeting] = RecordTableModel([
            Column("Date", lambda m: format_date(m.details.met_on)),
            Column("School year", lambda m: school_year_label(school_year_of(m.details.met_on))),
            Column("Led by", lambda m: m.details.led_by),
            Column("SENCO there", lambda m: "Yes" if m.details.senco_present else "No"),
            Column("Notes", lambda m: m.details.notes.splitlines()[0] if m.details.notes
                   else ""),
        ])
        self.view = record_view(self.model, "Meetings with parents")
        layout.addWidget(self.view, 1)
        self.add_button.clicked.connect(lambda: self._edit(None))
        self.edit_button.clicked.connect(lambda: self._edit(selected_record(self.view)))
        self.view.activated.connect(lambda: self._edit(selected_record(self.view)))
        self.delete_button.clicked.connect(self._delete)

    def show_meetings(self, child_id: str | None, meetings: list[Meeting],
                      years: list[YearMeetings]) -> None:
        self.child_id = child_id
        self.model.set_rows(list(reversed(meetings)))  # newest first
        self.years.setText(years_html(years))
        self.setEnabled(child_id is not None)

    def _edit(self, meeting: Meeting | None) -> None:
        if self.child_id is not None and \
                MeetingDialog(self.session, self.child_id, meeting, self).exec():
            self.changed.emit()

    def _delete(self) -> None:
        meeting = selected_record(self.view)
        if meeting is None:
            return
        when = format_date(meeting.details.met_on)
        if confirm(self, "Delete this meeting?", f"Delete the meeting with parents of {when}?"):
            graduated.remove_meeting(self.session.db, meeting.id, self.session.actor)
            self.changed.emit()
