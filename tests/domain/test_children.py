"""A child's age, and the flag at 16 that they are a young person with their own rights."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adviser_app.domain.children import (YOUNG_PERSON_AGE, age_on, describe_age,
                                         is_young_person)


@pytest.mark.parametrize(("dob", "today", "age"), [
    (date(2010, 6, 15), date(2026, 6, 14), 15),
    (date(2010, 6, 15), date(2026, 6, 15), 16),
    (date(2010, 6, 15), date(2026, 6, 16), 16),
    (date(2010, 12, 31), date(2026, 1, 1), 15),
    (date(2026, 11, 28), date(2026, 11, 28), 0),
    (date(2025, 11, 29), date(2026, 11, 28), 0),
    (date(2025, 11, 28), date(2026, 11, 28), 1),
])
def test_age_on(dob: date, today: date, age: int) -> None:
    assert age_on(dob, today) == age


def test_leap_day_birthday() -> None:
    dob = date(2008, 2, 29)
    assert age_on(dob, date(2024, 2, 28)) == 15
    assert age_on(dob, date(2024, 2, 29)) == 16
    # in a common year the birthday is taken as 1 March
    assert age_on(dob, date(2025, 2, 28)) == 16
    assert age_on(dob, date(2025, 3, 1)) == 17
    assert age_on(date(2010, 2, 28), date(2026, 2, 28)) == 16


def test_sixteen_is_a_young_person_from_the_birthday() -> None:
    dob = date(2010, 11, 28)
    assert YOUNG_PERSON_AGE == 16
    assert not is_young_person(dob, date(2026, 11, 27))
    assert is_young_person(dob, date(2026, 11, 28))
    assert is_young_person(date(2001, 1, 1), date(2026, 11, 28))


def test_leap_day_young_person_flag() -> None:
    dob = date(2008, 2, 29)
    assert not is_young_person(dob, date(2024, 2, 28))
    assert is_young_person(dob, date(2024, 2, 29))


def test_describe_age() -> None:
    today = date(2026, 11, 28)
    assert describe_age(date(2026, 12, 1), today) == "not born yet"
    assert describe_age(date(2026, 1, 1), today) == "0 years old"
    assert describe_age(date(2025, 11, 28), today) == "1 year old"
    assert describe_age(date(2014, 5, 1), today) == "12 years old"
    assert describe_age(date(2010, 11, 28), today) == \
        "16 years old (young person: has their own rights)"
    assert describe_age(date(2010, 11, 29), today) == "15 years old"


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)),
       st.integers(min_value=0, max_value=40_000))
def test_age_never_goes_down_and_steps_by_at_most_one(dob: date, days: int) -> None:
    today = dob + timedelta(days=days)
    age = age_on(dob, today)
    assert 0 <= age <= days // 365
    assert age_on(dob, today + timedelta(days=1)) - age in (0, 1)
