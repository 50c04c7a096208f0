"""Counting periods as the SEND rules do (send-rules.md §0 and §4): days, weeks, calendar
months with the corresponding-date rule, "beginning with", and the Tribunal's Christmas."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adviser_app.domain.statutory.periods import (
    add_days, add_months, add_weeks, in_tribunal_christmas,
                                        last_day_beginning_with, month_clamped)

# --- add_months: corresponding date, or the month's last day ---------------------------------


@pytest.mark.parametrize(("start", "months", "expected", "clamped"), [
    (date(2025, 3, 3), 2, date(2025, 5, 3), False),
    (date(2025, 10, 1), 2, date(2025, 12, 1), False),  # IPSEA: 1 Oct -> 1 Dec
    (date(2025, 11, 29), 1, date(2025, 12, 29), False),  # IPSEA: 29 Nov -> 29 Dec
    (date(2025, 1, 31), 1, date(2025, 2, 28), True),
    (date(2028, 1, 31), 1, date(2028, 2, 29), True),  # leap year
    (date(2025, 12, 31), 2, date(2026, 2, 28), True),
    (date(2027, 12, 31), 2, date(2028, 2, 29), True),
    (date(2025, 11, 30), 3, date(2026, 2, 28), True),
    (date(2027, 11, 30), 3, date(2028, 2, 29), True),
    (date(2025, 3, 31), 1, date(2025, 4, 30), True),
    (date(2025, 8, 31), 1, date(2025, 9, 30), True),
    (date(2025, 1, 30), 1, date(2025, 2, 28), True),
    (date(2025, 1, 28), 1, date(2025, 2, 28), False),
    (date(2024, 2, 29), 12, date(2025, 2, 28), True),
    (date(2024, 2, 29), 48, date(2028, 2, 29), False),
    (date(2025, 11, 15), 2, date(2026, 1, 15), False),  # across the year end
    (date(2025, 6, 30), 0, date(2025, 6, 30), False),
    (date(2025, 1, 31), 13, date(2026, 2, 28), True),
    (date(2025, 10, 31), 26, date(2027, 12, 31), False),
])
def test_add_months_corresponding_date(start: date, months: int, expected: date,
                                       clamped: bool) -> None:
    assert add_months(start, months) == expected
    assert month_clamped(start, months) is clamped


@pytest.mark.parametrize(("start", "months", "expected", "clamped"), [
    (date(2027, 1, 1), -5, date(2026, 8, 1), False),
    (date(2027, 7, 31), -5, date(2027, 2, 28), True),
    (date(2028, 7, 31), -5, date(2028, 2, 29), True),
    (date(2026, 3, 31), -1, date(2026, 2, 28), True),
    (date(2026, 1, 15), -1, date(2025, 12, 15), False),
    (date(2026, 1, 15), -13, date(2024, 12, 15), False),
    (date(2026, 5, 31), -12, date(2025, 5, 31), False),
    (date(2025, 2, 28), -12, date(2024, 2, 28), False),
])
def test_add_months_backwards(start: date, months: int, expected: date, clamped: bool) -> None:
    assert add_months(start, months) == expected
    assert month_clamped(start, months) is clamped


@settings(max_examples=300)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
       st.integers(min_value=-120, max_value=120))
def test_add_months_properties(start: date, months: int) -> None:
    result = add_months(start, months)
    # lands in the right calendar month
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    # never a later day number; the same one unless it had to be clamped
    assert result.day <= start.day
    last = calendar.monthrange(result.year, result.month)[1]
    if month_clamped(start, months):
        assert result.day < start.day
        assert result.day == last
    else:
        assert result.day == start.day
    assert month_clamped(start, months) is (start.day > last)


# --- days and weeks -------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "days", "expected"), [
    (date(2025, 11, 17), 30, date(2025, 12, 17)),
    (date(2026, 1, 30), 30, date(2026, 3, 1)),
    (date(2028, 1, 30), 30, date(2028, 2, 29)),
    (date(2026, 1, 14), 15, date(2026, 1, 29)),
    (date(2026, 1, 14), -14, date(2025, 12, 31)),
    (date(2025, 12, 31), 1, date(2026, 1, 1)),
    (date(2025, 12, 31), 0, date(2025, 12, 31)),
])
def test_add_days(start: date, days: int, expected: date) -> None:
    assert add_days(start, days) == expected


@pytest.mark.parametrize(("start", "weeks", "expected"), [
    (date(2025, 1, 13), 6, date(2025, 2, 24)),
    (date(2025, 1, 13), 16, date(2025, 5, 5)),
    (date(2025, 1, 13), 20, date(2025, 6, 2)),
    (date(2026, 1, 13), 5, date(2026, 2, 17)),
    (date(2026, 2, 9), 8, date(2026, 4, 6)),
    (date(2026, 1, 14), 12, date(2026, 4, 8)),
    (date(2027, 12, 20), 2, date(2028, 1, 3)),
    (date(2028, 2, 15), 2, date(2028, 2, 29)),
    (date(2026, 3, 2), 0, date(2026, 3, 2)),
])
def test_add_weeks(start: date, weeks: int, expected: date) -> None:
    assert add_weeks(start, weeks) == expected


@settings(max_examples=100)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 12, 31)),
       st.integers(min_value=0, max_value=60))
def test_weeks_are_seven_calendar_days_on_the_same_weekday(start: date, weeks: int) -> None:
    result = add_weeks(start, weeks)
    assert (result - start).days == 7 * weeks
    assert result.weekday() == start.weekday()
    assert add_days(start, 7 * weeks) == result


# --- "beginning with" -----------------------------------------------------------------------


@pytest.mark.parametrize(("start", "expected"), [
    (date(2025, 5, 1), date(2025, 5, 15)),
    (date(2026, 2, 9), date(2026, 2, 23)),
    (date(2026, 12, 18), date(2027, 1, 1)),
    (date(2028, 2, 16), date(2028, 3, 1)),
    (date(2027, 2, 16), date(2027, 3, 2)),
])
def test_fifteen_days_beginning_with_ends_on_day_fourteen_after(start: date,
                                                                expected: date) -> None:
    assert last_day_beginning_with(start, 15) == expected


def test_one_day_beginning_with_is_the_start_day() -> None:
    assert last_day_beginning_with(date(2025, 5, 1), 1) == date(2025, 5, 1)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 12, 31)))
def test_beginning_with_counts_the_start_as_day_one(start: date) -> None:
    assert last_day_beginning_with(start, 15) == start + timedelta(days=14)
    assert last_day_beginning_with(start, 15) == add_days(start, 14)


# --- the Tribunal's Christmas (HESC r.12(3)): 25 Dec to 1 Jan inclusive -----------------------


@pytest.mark.parametrize(("day", "inside"), [
    (date(2025, 12, 24), False),
    (date(2025, 12, 25), True),
    (date(2025, 12, 26), True),
    (date(2025, 12, 29), True),
    (date(2025, 12, 31), True),
    (date(2026, 1, 1), True),
    (date(2026, 1, 2), False),
    (date(2027, 12, 25), True),  # Saturday: still inside
    (date(2028, 1, 1), True),
    (date(2028, 1, 3), False),  # the substitute bank holiday is outside the period
    (date(2025, 11, 25), False),
    (date(2026, 2, 1), False),
    (date(2026, 8, 15), False),
])
def test_in_tribunal_christmas_boundaries(day: date, inside: bool) -> None:
    assert in_tribunal_christmas(day) is inside


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 12, 31)))
def test_in_tribunal_christmas_is_exactly_25_december_to_1_january(day: date) -> None:
    new_year = date(day.year + 1 if day.month == 12 else day.year, 1, 1)
    start = date(new_year.year - 1, 12, 25)
    assert in_tribunal_christmas(day) is (start <= day <= new_year)
