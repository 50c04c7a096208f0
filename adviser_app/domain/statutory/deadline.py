"""A computed statutory date that can explain itself: rule, source, confidence and arithmetic."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from adviser_app.domain.validation import format_long_date


class Confidence(StrEnum):
    """How sure send-rules.md is of the rule (its marks [C], [C2] and [M])."""

    CONFIRMED = "C"  # read in the statute, regulations, tribunal rules or gov.uk
    SECONDARY = "C2"  # confirmed by reputable secondary sources only
    UNCONFIRMED = "M"  # inference: the app says "check this date"
    POLICY = "P"  # the service's own choice (retention periods), not a rule of law

    @property
    def label(self) -> str:
        return {"C": "Confirmed from the legislation",
                "C2": "Confirmed by reputable secondary sources",
                "M": "Not confirmed: check this date",
                "P": "Set by the service's own policy"}[self.value]


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    due: date
    source: str
    confidence: Confidence
    explanation: str
    inputs: tuple[tuple[str, date], ...] = field(default_factory=tuple)
    rolled_forward: bool = False
    note: str = ""

    @property
    def needs_check(self) -> bool:
        """Unconfirmed rules are shown with "check this date" rather than false certainty."""
        return self.confidence is Confidence.UNCONFIRMED

    @property
    def full_explanation(self) -> str:
        parts = [self.explanation]
        if self.note:
            parts.append(self.note)
        parts.append(f"Source: {self.source}. {self.confidence.label}.")
        return "\n".join(parts)


def long(day: date) -> str:
    return format_long_date(day)


def short(day: date) -> str:
    """'Monday 5 May' without the year, for the middle of a sentence."""
    return long(day).rsplit(" ", 1)[0]
