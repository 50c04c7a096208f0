"""England's working-day calendar (send-rules.md §0 and §4; toolchain.md "English bank holidays").

The expected bank holidays are written out by hand from send-rules.md §4 (2025-2027) and
toolchain.md; 2028 was checked against the pinned `holidays` 0.109 package
(country_holidays("GB", subdiv="ENG", years=2028)) and against an independent rule-based
computation (dateutil Easter + the Banking and Financial Dealings Act 1971 rules), below.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.easter import easter
from hypothesis import given, settings
from hypothesis import strategies as st

from adviser_app.domain import deadlines
from adviser_app.domain.statutory.working_days import ENGLAND, WorkingDayCalendar

# Weekday bank holidays in England, one list per year, written out from the spec.
BANK_HOLIDAYS: dict[int, list[tuple[date, str]]] = {
    2025: [
        (date(2025, 1, 1), "New Year's Day"),
        (date(2025, 4, 18), "Good Friday"),
        (date(2025, 4, 21), "Easter Monday"),
        (date(2025, 5, 5), "Early May bank holiday"),
        (date(2025, 5, 26), "Spring bank holiday"),
        (date(2025, 8, 25), "Summer bank holiday"),
        (date(2025, 12, 25), "Christmas Day"),
        (date(2025, 12, 26), "Boxing Day"),
    ],
    2026: [
        (date(2026, 1, 1), "New Year's Day"),
        (date(2026, 4, 3), "Good Friday"),
        (date(2026, 4, 6), "Easter Monday"),
        (date(2026, 5, 4), "Early May bank holiday"),
        (date(2026, 5, 25), "Spring bank holiday"),
        (date(2026, 8, 31), "Summer bank holiday"),
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 28), "Boxing Day (observed)"),  # Boxing Day is Sat 26 Dec
    ],
    2027: [
        (date(2027, 1, 1), "New Year's Day"),
        (date(2027, 3, 26), "Good Friday"),
        (date(2027, 3, 29), "Easter Monday"),
        (date(2027, 5, 3), "Early May bank holiday"),
        (date(2027, 5, 31), "Spring bank holiday"),
        (date(2027, 8, 30), "Summer bank holiday"),
        (date(2027, 12, 27), "Christmas Day (observed)"),  # Christmas is Sat 25 Dec
        (date(2027, 12, 28), "Boxing Day (observed)"),  # Boxing Day is Sun 26 Dec
    ],
    2028: [
        (date(2028, 1, 3), "New Year's Day (observed)"),  # New Year's Day is Sat 1 Jan
        (date(2028, 4, 14), "Good Friday"),
        (date(2028, 4, 17), "Easter Monday"),
        (date(2028, 5, 1), "Early May bank holiday"),
        (date(2028, 5, 29), "Spring bank holiday"),
        (date(2028, 8, 28), "Summer bank holiday"),
        (date(2028, 12, 25), "Christmas Day"),  # Monday
        (date(2028, 12, 26), "Boxing Day"),  # Tuesday
    ],
}

ALL_LISTED = [(day, name) for year in BANK_HOLIDAYS for day, name in BANK_HOLIDAYS[year]]


# --- the bank-holiday table -----------------------------------------------------------------


@pytest.mark.parametrize("year", sorted(BANK_HOLIDAYS))
def test_bank_holidays_for_the_year_are_exactly_the_published_list(year: int) -> None:
    assert ENGLAND.bank_holidays(year) == dict(BANK_HOLIDAYS[year])


@pytest.mark.parametrize(("day", "name"), ALL_LISTED, ids=[d.isoformat() for d, _ in ALL_LISTED])
def test_every_listed_bank_holiday_is_a_non_working_weekday(day: date, name: str) -> None:
    assert day.weekday() < 5
    assert not ENGLAND.is_working_day(day)
    assert ENGLAND.holiday_name(day) == name
    assert ENGLAND.why_not_working(day) == f"a bank holiday ({name})"


@pytest.mark.parametrize("year", sorted(BANK_HOLIDAYS))
def test_eight_bank_holidays_a_year(year: int) -> None:
    assert len(ENGLAND.bank_holidays(year)) == 8


@pytest.mark.parametrize(("day", "weekday"), [
    (date(2026, 12, 26), "a Saturday"),  # Boxing Day 2026
    (date(2027, 12, 25), "a Saturday"),  # Christmas Day 2027
    (date(2027, 12, 26), "a Sunday"),  # Boxing Day 2027
    (date(2028, 1, 1), "a Saturday"),  # New Year's Day 2028
])
def test_weekend_christmas_boxing_and_new_year_dates_are_not_listed(day: date,
                                                                    weekday: str) -> None:
    assert day not in ENGLAND.bank_holidays(day.year)
    assert ENGLAND.holiday_name(day) is None
    assert not ENGLAND.is_working_day(day)
    assert ENGLAND.why_not_working(day) == weekday


def _rule_based_bank_holidays(year: int) -> set[date]:
    """Independent computation: BFDA 1971 Sch 1 plus New Year/Christmas substitutes."""
    sunday = easter(year)
    days = {sunday - timedelta(days=2), sunday + timedelta(days=1)}
    new_year = date(year, 1, 1)
    days.add(new_year if new_year.weekday() < 5 else new_year + timedelta(7 - new_year.weekday()))
    first_may = date(year, 5, 1)
    days.add(first_may + timedelta((7 - first_may.weekday()) % 7))  # first Monday in May
    for month in (5, 8):  # last Monday in May and in August
        last = date(year, month, 31)
        days.add(last - timedelta(last.weekday()))
    christmas_weekday = date(year, 12, 25).weekday()
    christmas = {4: (25, 28), 5: (27, 28), 6: (26, 27)}.get(christmas_weekday, (25, 26))
    days |= {date(year, 12, d) for d in christmas}
    return days


@pytest.mark.parametrize("year", range(2024, 2036))
def test_bank_holidays_match_the_statutory_rules_computed_independently(year: int) -> None:
    assert set(ENGLAND.bank_holidays(year)) == _rule_based_bank_holidays(year)


def test_bank_holiday_table_is_a_copy() -> None:
    table = ENGLAND.bank_holidays(2026)
    table[date(2026, 6, 1)] = "Made up"
    assert ENGLAND.is_working_day(date(2026, 6, 1))
    assert date(2026, 6, 1) not in ENGLAND.bank_holidays(2026)


# --- ordinary working days around Christmas ---------------------------------------------------


@pytest.mark.parametrize("day", [
    date(2025, 12, 24),  # Christmas Eve, Wednesday
    date(2026, 12, 24),  # Thursday
    date(2027, 12, 24),  # Friday
    date(2025, 12, 29), date(2025, 12, 30), date(2025, 12, 31),  # between the holidays
    date(2026, 1, 2),  # Friday after New Year's Day
    date(2027, 12, 29),  # first working day after the 2027 substitutes
])
def test_christmas_eve_and_the_days_between_the_holidays_are_working_days(day: date) -> None:
    assert ENGLAND.is_working_day(day)
    assert ENGLAND.why_not_working(day) is None
    assert ENGLAND.holiday_name(day) is None


def test_christmas_eve_on_a_weekend_is_just_a_weekend() -> None:
    assert ENGLAND.why_not_working(date(2028, 12, 24)) == "a Sunday"
    assert date(2028, 12, 24) not in ENGLAND.bank_holidays(2028)


def test_saturday_27_december_2025_is_a_weekend_not_a_bank_holiday() -> None:
    day = date(2025, 12, 27)
    assert not ENGLAND.is_working_day(day)
    assert ENGLAND.holiday_name(day) is None
    assert day not in ENGLAND.bank_holidays(2025)
    assert ENGLAND.why_not_working(day) == "a Saturday"
    assert ENGLAND.why_not_working(date(2025, 12, 28)) == "a Sunday"


# --- extra (proclaimed) holidays ---------------------------------------------------------------


def test_extra_one_off_holiday_is_respected_with_its_name() -> None:
    extra = date(2026, 6, 15)  # a Monday, not a bank holiday
    calendar = WorkingDayCalendar({extra: "Royal celebration"})
    assert ENGLAND.is_working_day(extra)
    assert not calendar.is_working_day(extra)
    assert calendar.holiday_name(extra) == "Royal celebration"
    assert calendar.why_not_working(extra) == "a bank holiday (Royal celebration)"
    table = calendar.bank_holidays(2026)
    assert table[extra] == "Royal celebration"
    assert len(table) == 9
    assert list(table) == sorted(table)
    assert calendar.add_working_days(date(2026, 6, 12), 1) == date(2026, 6, 16)
    assert ENGLAND.add_working_days(date(2026, 6, 12), 1) == date(2026, 6, 15)
    # the ordinary bank holidays still count
    assert not calendar.is_working_day(date(2026, 5, 25))


def test_extra_holidays_only_appear_in_their_own_year() -> None:
    calendar = WorkingDayCalendar({date(2027, 6, 7): "Proclaimed day"})
    assert date(2027, 6, 7) not in calendar.bank_holidays(2026)
    assert calendar.bank_holidays(2026) == ENGLAND.bank_holidays(2026)
    assert date(2027, 6, 7) in calendar.bank_holidays(2027)


def test_extra_holidays_given_as_a_list_of_dates_get_a_generic_name() -> None:
    calendar = WorkingDayCalendar([date(2026, 6, 15), date(2026, 6, 16)])
    assert calendar.holiday_name(date(2026, 6, 15)) == "Extra bank holiday"
    assert calendar.add_working_days(date(2026, 6, 12), 1) == date(2026, 6, 17)


def test_extra_holiday_flows_through_the_public_add_working_days() -> None:
    calendar = WorkingDayCalendar({date(2026, 6, 15): "Royal celebration"})
    assert deadlines.add_working_days(date(2026, 6, 12), 3) == date(2026, 6, 17)
    assert deadlines.add_working_days(date(2026, 6, 12), 3, calendar) == date(2026, 6, 18)


# --- add_working_days ----------------------------------------------------------------------


@pytest.mark.parametrize(("start", "n", "expected"), [
    # Easter 2025: Good Friday 18 Apr, Easter Monday 21 Apr
    (date(2025, 4, 17), 1, date(2025, 4, 22)),
    (date(2025, 4, 16), 3, date(2025, 4, 23)),
    # Easter 2026: Good Friday 3 Apr, Easter Monday 6 Apr
    (date(2026, 4, 2), 1, date(2026, 4, 7)),
    (date(2026, 4, 2), 3, date(2026, 4, 9)),
    (date(2026, 4, 3), 1, date(2026, 4, 7)),  # start on Good Friday itself
    # Easter 2028: Good Friday 14 Apr, Easter Monday 17 Apr
    (date(2028, 4, 13), 1, date(2028, 4, 18)),
    # Christmas 2025: Thu 25, Fri 26 Dec; Thu 1 Jan 2026
    (date(2025, 12, 24), 1, date(2025, 12, 29)),
    (date(2025, 12, 24), 3, date(2025, 12, 31)),
    (date(2025, 12, 24), 4, date(2026, 1, 2)),
    (date(2025, 12, 23), 3, date(2025, 12, 30)),
    # Christmas 2026: Fri 25 Dec, Mon 28 Dec (Boxing Day substitute)
    (date(2026, 12, 23), 1, date(2026, 12, 24)),
    (date(2026, 12, 23), 2, date(2026, 12, 29)),
    (date(2026, 12, 23), 3, date(2026, 12, 30)),
    (date(2026, 12, 31), 1, date(2027, 1, 4)),  # Fri 1 Jan 2027 is New Year's Day
    # Christmas 2027: Mon 27, Tue 28 Dec substitutes
    (date(2027, 12, 24), 1, date(2027, 12, 29)),
    # New Year 2028: Mon 3 Jan substitute
    (date(2027, 12, 31), 1, date(2028, 1, 4)),
    # ordinary weekends
    (date(2025, 3, 5), 3, date(2025, 3, 10)),
    (date(2025, 3, 7), 1, date(2025, 3, 10)),
    (date(2025, 3, 8), 1, date(2025, 3, 10)),  # Saturday start
    (date(2025, 3, 3), 5, date(2025, 3, 10)),
    (date(2025, 3, 3), 10, date(2025, 3, 17)),
])
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert ENGLAND.add_working_days(start, n) == expected
    assert deadlines.add_working_days(start, n) == expected


def test_add_working_days_zero_is_the_start_even_on_a_holiday() -> None:
    assert ENGLAND.add_working_days(date(2025, 12, 25), 0) == date(2025, 12, 25)
    assert ENGLAND.add_working_days(date(2025, 3, 8), 0) == date(2025, 3, 8)


def test_add_working_days_refuses_negative_counts() -> None:
    with pytest.raises(ValueError):
        ENGLAND.add_working_days(date(2025, 3, 5), -1)
    with pytest.raises(ValueError):
        deadlines.add_working_days(date(2025, 3, 5), -3)


def test_working_day_on_or_after_and_first_working_day_after() -> None:
    assert ENGLAND.working_day_on_or_after(date(2026, 4, 7)) == date(2026, 4, 7)
    assert ENGLAND.working_day_on_or_after(date(2026, 4, 3)) == date(2026, 4, 7)
    assert ENGLAND.first_working_day_after(date(2026, 8, 31)) == date(2026, 9, 1)
    assert ENGLAND.first_working_day_after(date(2026, 8, 28)) == date(2026, 9, 1)
    assert ENGLAND.first_working_day_after(date(2027, 1, 1)) == date(2027, 1, 4)
    assert ENGLAND.first_working_day_after(date(2028, 1, 1)) == date(2028, 1, 4)
    assert ENGLAND.first_working_day_after(date(2026, 1, 1)) == date(2026, 1, 2)


# --- working_days_between ---------------------------------------------------------------------


@pytest.mark.parametrize(("start", "end", "expected"), [
    (date(2025, 4, 17), date(2025, 4, 22), 1),  # over Easter 2025
    (date(2025, 12, 24), date(2026, 1, 2), 4),  # 29, 30, 31 Dec, 2 Jan
    (date(2025, 12, 1), date(2026, 1, 5), 22),
    (date(2026, 12, 23), date(2026, 12, 30), 3),
    (date(2025, 3, 3), date(2025, 3, 10), 5),
    (date(2025, 3, 8), date(2025, 3, 9), 0),  # Saturday to Sunday
    (date(2025, 3, 7), date(2025, 3, 10), 1),  # end day counts, start day does not
    (date(2025, 3, 10), date(2025, 3, 10), 0),
    (date(2025, 3, 10), date(2025, 3, 3), 0),  # end before start
])
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert ENGLAND.working_days_between(start, end) == expected


# --- properties -----------------------------------------------------------------------------

DATES = st.dates(min_value=date(2024, 1, 1), max_value=date(2035, 12, 31))
COUNTS = st.integers(min_value=0, max_value=40)


@settings(max_examples=150)
@given(DATES, st.integers(min_value=1, max_value=40))
def test_result_is_never_a_weekend_or_bank_holiday(start: date, n: int) -> None:
    result = ENGLAND.add_working_days(start, n)
    assert result.weekday() < 5
    assert result not in ENGLAND.bank_holidays(result.year)
    assert result not in _rule_based_bank_holidays(result.year)
    assert result > start


@settings(max_examples=100)
@given(DATES)
def test_adding_zero_working_days_gives_the_start(start: date) -> None:
    assert ENGLAND.add_working_days(start, 0) == start


@settings(max_examples=100)
@given(DATES, COUNTS)
def test_add_working_days_is_strictly_monotonic_in_n(start: date, n: int) -> None:
    assert ENGLAND.add_working_days(start, n + 1) > ENGLAND.add_working_days(start, n)


@settings(max_examples=100)
@given(DATES, COUNTS, COUNTS)
def test_add_working_days_composes(start: date, a: int, b: int) -> None:
    assert (ENGLAND.add_working_days(start, a + b)
            == ENGLAND.add_working_days(ENGLAND.add_working_days(start, a), b))


@settings(max_examples=100)
@given(DATES, COUNTS)
def test_working_days_between_inverts_add_working_days(start: date, n: int) -> None:
    assert ENGLAND.working_days_between(start, ENGLAND.add_working_days(start, n)) == n


@settings(max_examples=100)
@given(DATES, st.integers(min_value=1, max_value=40))
def test_every_day_skipped_by_add_working_days_is_non_working(start: date, n: int) -> None:
    result = ENGLAND.add_working_days(start, n)
    between = [start + timedelta(days=i) for i in range(1, (result - start).days + 1)]
    assert sum(ENGLAND.is_working_day(d) for d in between) == n
