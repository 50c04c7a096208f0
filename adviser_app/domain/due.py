"""How urgent a due date is on a given day: overdue, due soon, or later (red, amber, green)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

SOON_DAYS = 7


class Urgency(StrEnum):
    OVERDUE = "overdue"
    TODAY = "today"
    SOON = "soon"
    LATER = "later"

    @property
    def colour(self) -> str:
        return {"overdue": "#b00020", "today": "#b00020", "soon": "#8a5a00",
                "later": "#1b6e35"}[self.value]


def urgency(due: date, today: date) -> Urgency:
    if due < today:
        return Urgency.OVERDUE
    if due == today:
        return Urgency.TODAY
    if (due - today).days <= SOON_DAYS:
        return Urgency.SOON
    return Urgency.LATER


def describe_due(due: date, today: date) -> str:
    """Plain words for a due date relative to today, e.g. "3 days overdue", "due in 5 days"."""
    days = (due - today).days
    if days < 0:
        return f"{-days} day{'s' if days != -1 else ''} overdue"
    if days == 0:
        return "due today"
    if days == 1:
        return "due tomorrow"
    return f"due in {days} days"
