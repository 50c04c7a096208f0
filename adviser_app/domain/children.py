"""Rules about a child's age: age in years, and when a child becomes a young person."""

from __future__ import annotations

from datetime import date

from adviser_app.domain.validation import plural

YOUNG_PERSON_AGE = 16


def age_on(date_of_birth: date, today: date) -> int:
    """Whole years of age on *today*."""
    years = today.year - date_of_birth.year
    if (today.month, today.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def is_young_person(date_of_birth: date, today: date) -> bool:
    """16 or over: a young person with rights of their own under CFA 2014 (s.83(2)).

    Strictly the rights pass at the end of compulsory school age (the last Friday in June of
    the school year in which they turn 16); the app flags from the 16th birthday so the adviser
    checks who should be instructing them.
    """
    return age_on(date_of_birth, today) >= YOUNG_PERSON_AGE


def describe_age(date_of_birth: date, today: date) -> str:
    age = age_on(date_of_birth, today)
    if age < 0:
        return "not born yet"
    text = f"{plural(age, 'year')} old"
    if age >= YOUNG_PERSON_AGE:
        text += " (young person: has their own rights)"
    return text
