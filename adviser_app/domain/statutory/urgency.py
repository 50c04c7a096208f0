"""How urgent a due date is on a given day, in the Deadlines view's bands (red/amber/green)."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from adviser_app.domain.statutory.working_days import ENGLAND, WorkingDayCalendar
from adviser_app.domain.validation import plural

SOON_WORKING_DAYS = 5
NEAR_DAYS = 28


class Urgency(StrEnum):
    OVERDUE = "overdue"
    TODAY = "today"
    SOON = "soon"  # within the next 5 working days
    NEXT_4_WEEKS = "next_4_weeks"
    LATER = "later"

    @property
    def band(self) -> str:
        """The colour band the Deadlines view shows it in (ui/theme.py holds the colours)."""
        return {"overdue": "red", "today": "red", "soon": "amber",
                "next_4_weeks": "green", "later": "grey-blue"}[self.value]

    @property
    def label(self) -> str:
        return {"overdue": "Overdue", "today": "Due today",
                "soon": "Due in the next 5 working days", "next_4_weeks": "Due in the next 4 weeks",
                "later": "Later"}[self.value]


def urgency(due: date, today: date, calendar: WorkingDayCalendar = ENGLAND) -> Urgency:
    if due < today:
        return Urgency.OVERDUE
    if due == today:
        return Urgency.TODAY
    if due <= calendar.add_working_days(today, SOON_WORKING_DAYS):
        return Urgency.SOON
    if due <= today + timedelta(days=NEAR_DAYS):
        return Urgency.NEXT_4_WEEKS
    return Urgency.LATER


def describe_due(due: date, today: date) -> str:
    """Plain words for a due date relative to today, e.g. "3 days overdue", "due in 5 days"."""
    days = (due - today).days
    if days < 0:
        return f"{plural(-days, 'day')} overdue"
    if days == 0:
        return "due today"
    if days == 1:
        return "due tomorrow"
    return f"due in {days} days"
