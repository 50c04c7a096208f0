"""Counting periods the way the SEND rules do: days, weeks, calendar months, "beginning with"."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_days(start: date, days: int) -> date:
    """"Within N days of X": X does not count, so the last day is X + N."""
    return start + timedelta(days=days)


def add_weeks(start: date, weeks: int) -> date:
    """"Within N weeks of X": X + 7N days."""
    return start + timedelta(weeks=weeks)


def add_months(start: date, months: int) -> date:
    """Calendar months with the corresponding-date rule: the same day number, or the last day
    of the month where that day does not exist (31 Dec + 2 months = 28 or 29 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last))


def anniversary(day: date, years: int) -> tuple[date, bool]:
    """The date *years* after *day*, and whether 29 February had to move.

    In England a person born on 29 February reaches an age on 1 March in a year without one
    (the later of the two possible days), and the same reading is used for other anniversaries.
    """
    try:
        return day.replace(year=day.year + years), False
    except ValueError:
        return date(day.year + years, 3, 1), True


def month_clamped(start: date, months: int) -> bool:
    """True when add_months had to use the month's last day instead of the same day number."""
    return add_months(start, months).day != start.day


def last_day_beginning_with(start: date, days: int) -> date:
    """"At least N days beginning with X": X is day 1, so day N is X + N - 1."""
    return start + timedelta(days=days - 1)


def in_tribunal_christmas(day: date) -> bool:
    return (day.month == 12 and day.day >= 25) or (day.month == 1 and day.day == 1)


def last_day_of_months_starting_with(start: date, months: int) -> date:
    """"The period of N months starting with X": X is its first day, so it ends the day before
    the corresponding date N months on (plan made 10 March: last day 9 March). Where that month
    has no corresponding date (29 February, 31st), the period runs to the month's last day."""
    if month_clamped(start, months):
        return add_months(start, months)
    return add_months(start, months) - timedelta(days=1)
