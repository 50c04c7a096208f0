"""What the service's figures are worked out from: the plain facts of each case (no names, no
notes), and the reporting periods (financial years and their quarters)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from adviser_app.domain.statutory.periods import add_months
from adviser_app.domain.validation import format_date
from adviser_app.domain.vocab import (AreaOfNeed, CaseIssue, ContactWay, EvaluationAnswer,
                                      HeardFrom, ServiceUser, SupportLevel)


@dataclass(frozen=True)
class Period:
    """A reporting period, both days included."""

    start: date
    end: date
    label: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def title(self) -> str:
        if self.end < self.start:
            return f"{self.label} (from {format_date(self.start)})"
        return (f"{self.label} ({format_date(self.start)} to "
                f"{format_date(self.end)})")


def so_far(period: Period, today: date) -> Period:
    """The part of *period* up to *today*. A period not yet ended is counted to today (so a
    case still open is "open at the end" today, not on a day to come); one not yet started
    holds no days at all. The label says which."""
    if today >= period.end:
        return period
    if today < period.start:
        return Period(period.start, period.start - timedelta(days=1),
                      f"{period.label} not started")
    return Period(period.start, today, f"{period.label} so far")


def financial_year(starting: int) -> Period:
    """1 April *starting* to 31 March the year after."""
    return Period(date(starting, 4, 1), date(starting + 1, 3, 31),
                  f"{starting}/{str(starting + 1)[2:]}")


def financial_year_of(day: date) -> Period:
    return financial_year(day.year if day.month >= 4 else day.year - 1)


def quarters(year: Period) -> list[Period]:
    """The four quarters of a financial year (Q1 April to June ... Q4 January to March)."""
    out = []
    for n in range(4):
        start = add_months(year.start, 3 * n)
        out.append(Period(start, add_months(start, 3) - timedelta(days=1),
                          f"Q{n + 1} {year.label}"))
    return out


def is_financial_year(period: Period) -> bool:
    return (period.start.month, period.start.day, period.end.month, period.end.day) == (
        4, 1, 3, 31) and period.end.year == period.start.year + 1


def last_quarter(today: date) -> Period:
    """The last whole financial quarter before *today*."""
    year = financial_year_of(today)
    done = [q for q in quarters(year) if q.end < today]
    if done:
        return done[-1]
    return quarters(financial_year(year.start.year - 1))[-1]


@dataclass(frozen=True)
class ChildFacts:
    id: str
    date_of_birth: date
    year_group: str = ""
    local_authority: str = ""
    areas: frozenset[AreaOfNeed] = frozenset()


class EntryFacts(NamedTuple):  # a tuple: a year of a big case book has ~50,000 of them
    """One timeline entry: its date, how the contact happened (None: a note, not a contact)
    and the minutes spent (None: not recorded)."""

    on: date
    contact: ContactWay | None = None
    minutes: int | None = None


@dataclass(frozen=True)
class MediationFacts:
    """The dates and outcome of one disagreement record (the mediation wizard)."""

    certificate_issued: date | None = None
    mediation_date: date | None = None
    outcome: str = "pending"  # domain.mediation.Outcome's values
    concluded: date | None = None
    appeal_registered: date | None = None  # the Tribunal registered the appeal


@dataclass(frozen=True)
class AppealFacts:
    """A statutory event that ends or settles an appeal: a Tribunal order (with what it
    ordered) or the LA telling the Tribunal it will not oppose."""

    on: date
    kind: str  # "tribunal_order" or "unopposed_appeal"
    detail: str = ""


@dataclass(frozen=True)
class CaseFacts:
    id: str
    reference: str
    opened_on: date
    closed_on: date | None = None
    issues: frozenset[CaseIssue] = frozenset()
    children: tuple[ChildFacts, ...] = ()
    service_user: ServiceUser | None = None
    heard_from: HeardFrom | None = None
    outcome: str | None = None
    levels: tuple[tuple[date, SupportLevel], ...] = ()
    """Each change of level, oldest first."""
    statuses: tuple[tuple[date, bool], ...] = ()
    """Each change between active (False) and inactive (True), oldest first."""
    entries: tuple[EntryFacts, ...] = ()
    answers: tuple[tuple[str, EvaluationAnswer], ...] = ()
    """The evaluation answers given on closing, each with its question's wording."""
    mediations: tuple[MediationFacts, ...] = ()
    appeals: tuple[AppealFacts, ...] = ()

    def level_on(self, day: date) -> SupportLevel | None:
        """The level the case had on *day* (None: not recorded by then)."""
        found = None
        for changed_on, level in self.levels:
            if changed_on <= day:
                found = level
        return found

    def inactive_on(self, day: date) -> bool:
        found = False
        for changed_on, inactive in self.statuses:
            if changed_on <= day:
                found = inactive
        return found

    def worked_in(self, period: Period) -> bool:
        """Open on at least one day of *period* (a period not started has no days)."""
        return period.start <= period.end and self.opened_on <= period.end and (
            self.closed_on is None or self.closed_on >= period.start)

    def as_of(self, period: Period) -> date:
        """The day the case is described as of for *period*: its end, or the day the case
        closed if that came first."""
        if self.closed_on is not None and self.closed_on < period.end:
            return self.closed_on
        return period.end
