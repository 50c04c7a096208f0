"""School years in England (1 September to 31 August) and parent meetings counted in each,
against the Code's expectation of at least three a year (CoP 6.65)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from adviser_app.domain.graduated.cycles import Meeting

MEETINGS_EXPECTED = 3
FIRST_MONTH = 9  # the school year starts on 1 September


def school_year_of(day: date) -> int:
    """The calendar year in which *day*'s school year began: 31/08/2026 is in 2025/26,
    01/09/2026 in 2026/27."""
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def school_year_label(start_year: int) -> str:
    """2025 -> "2025/26"."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


@dataclass(frozen=True)
class YearMeetings:
    """Parent meetings in one school year; *complete* once the year has ended."""

    start_year: int
    count: int
    complete: bool

    @property
    def label(self) -> str:
        return school_year_label(self.start_year)

    @property
    def short_of_expectation(self) -> bool:
        return self.count < MEETINGS_EXPECTED


def meetings_by_year(meetings: Iterable[Meeting], since: date | None,
                     today: date) -> list[YearMeetings]:
    """Each school year from the earlier of *since* (when SEN support began) and the first
    meeting, up to the one *today* is in, with its meeting count (years with none included).
    Meetings after today are not counted."""
    days = [m.details.met_on for m in meetings if m.details.met_on <= today]
    starts = [d for d in [since, *days] if d is not None and d <= today]
    if not starts:
        return []
    current = school_year_of(today)
    counts: dict[int, int] = {}
    for day in days:
        counts[school_year_of(day)] = counts.get(school_year_of(day), 0) + 1
    return [YearMeetings(year, counts.get(year, 0), complete=year < current)
            for year in range(school_year_of(min(starts)), current + 1)]
