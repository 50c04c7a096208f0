"""The time limit for answering a subject access request (UK GDPR Art 12(3), ICO guidance).

The ICO counts one month with the day of receipt as day one: the answer is due on the
corresponding date of the next month, or that month's last day when it has no such date,
moved to the next working day when it falls on a weekend or bank holiday. While the first
month runs the service may extend by two further months, giving a reason. The clock stops
while the service waits for clarification it genuinely needs, and starts again when the
clarification arrives.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from adviser_app.domain.statutory.working_days import ENGLAND, WorkingDayCalendar
from adviser_app.domain.statutory.deadline import Confidence, Deadline, long
from adviser_app.domain.statutory.periods import add_months, month_clamped
from adviser_app.domain.validation import plural

_SOURCE = "UK GDPR Art 12(3); ICO guidance on the right of access (time limits)"


@dataclass(frozen=True)
class ClarificationPause:
    """The service asked for clarification on *asked*; it arrived on *answered* (or not yet)."""

    asked: date
    answered: date | None = None

    @property
    def days(self) -> int:
        return (self.answered - self.asked).days if self.answered else 0


def paused_since(pauses: Iterable[ClarificationPause]) -> date | None:
    """The day the clock stopped, while a clarification is still awaited; otherwise None."""
    open_ = [p.asked for p in pauses if p.answered is None]
    return min(open_) if open_ else None


def response_due(received: date, *, extended: bool = False,
                 pauses: Iterable[ClarificationPause] = (),
                 calendar: WorkingDayCalendar = ENGLAND) -> Deadline | None:
    """When the answer is due; None while the clock is stopped for clarification."""
    pauses = list(pauses)
    if paused_since(pauses) is not None:
        return None
    months = 3 if extended else 1
    plain = add_months(received, months)
    what = "one month" if not extended else "one month plus the two-month extension"
    text = (f"The request arrived on {long(received)} (day one); {what} ends on the "
            f"corresponding date, {long(plain)}")
    if month_clamped(received, months):
        text += f" (that month has no {received.day}th, so its last day is used)"
    inputs: list[tuple[str, date]] = [("Request received", received)]
    paused = sum(p.days for p in pauses)
    confidence = Confidence.CONFIRMED
    note = ""
    due = plain
    if paused:
        due = plain + timedelta(days=paused)
        text += (f"; the clock was stopped for {plural(paused, 'day')} while "
                 f"waiting for clarification, which moves it to {long(due)}")
        for p in pauses:
            if p.answered:
                inputs += [("Clarification asked for", p.asked),
                           ("Clarification received", p.answered)]
        confidence = Confidence.UNCONFIRMED
        note = ("The ICO says the clock stops while you wait for clarification; adding the "
                "days waited is this app's reading of that. Check this date.")
    rolled = calendar.working_day_on_or_after(due)
    if rolled != due:
        skipped = [due + timedelta(days=n) for n in range((rolled - due).days)]
        why = "; ".join(f"{long(day)} is {calendar.why_not_working(day)}" for day in skipped)
        text += f"; {why}; so the answer is due on the next working day, {long(rolled)}"
    return Deadline(key="sar_response" if not extended else "sar_response_extended",
                    label="Subject access answer due" + (" (extended)" if extended else ""),
                    due=rolled, source=_SOURCE, confidence=confidence,
                    explanation=text + ".", inputs=tuple(inputs),
                    rolled_forward=rolled != due, note=note)


def extension_problem(received: date, decided_on: date, reason: str,
                      pauses: Iterable[ClarificationPause] = (),
                      calendar: WorkingDayCalendar = ENGLAND) -> str | None:
    """Why an extension cannot be recorded, in plain English, or None when it can."""
    if not reason.strip():
        return "Give the reason for the extension: the person must be told why."
    if decided_on < received:
        return "The extension cannot be decided before the request arrived."
    first = response_due(received, pauses=pauses, calendar=calendar)
    if first is not None and decided_on > first.due:
        return (f"The first month ended on {long(first.due)}: an extension must be decided "
                "while it runs.")
    return None
