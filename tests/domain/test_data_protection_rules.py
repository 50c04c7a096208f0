"""Retention review, subject access and consent dates: worked examples done by hand on a
calendar, with the reasoning beside each."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adviser_app.domain.consent import (consent_renewal_due, end_of_compulsory_school_age,
                                        young_person_consent_needed)
from adviser_app.domain.statutory.deadline import Confidence
from adviser_app.domain.statutory.periods import anniversary
from adviser_app.domain.retention import RetentionPolicy, is_due, review_due
from adviser_app.domain.subject_access import (ClarificationPause, extension_problem,
                                               paused_since, response_due)

# ---- Subject access: one month, day of receipt is day one ---------------------------------


@pytest.mark.parametrize(("received", "due", "why"), [
    # 31 January: February has no 31st, so its last day; 28/02/2025 is a Friday.
    (date(2025, 1, 31), date(2025, 2, 28), "month end, no 31 February"),
    # 30 January in a leap year: no 30 February, so 29/02/2024 (a Thursday).
    (date(2024, 1, 30), date(2024, 2, 29), "leap year month end"),
    (date(2024, 1, 31), date(2024, 2, 29), "leap year, 31st"),
    # 3 September 2026: 3 October 2026 is a Saturday, so Monday 5 October.
    (date(2026, 9, 3), date(2026, 10, 5), "weekend"),
    # 25 November 2026: 25 December is Christmas Day (Friday), 26-27 the weekend, Monday 28
    # the Boxing Day substitute, so Tuesday 29 December.
    (date(2026, 11, 25), date(2026, 12, 29), "Christmas and the Boxing Day substitute"),
    # 10 March 2026: 10 April 2026 is an ordinary Friday (Easter 2026 was 3-6 April).
    (date(2026, 3, 10), date(2026, 4, 10), "an ordinary working day"),
])
def test_sar_one_month(received: date, due: date, why: str) -> None:
    d = response_due(received)
    assert d is not None
    assert d.due == due, why
    assert d.confidence is Confidence.CONFIRMED
    assert ("Request received", received) in d.inputs


def test_sar_explanation_reads_as_a_sentence() -> None:
    d = response_due(date(2026, 9, 3))
    assert d is not None
    assert "Thursday 3 September 2026 (day one)" in d.explanation
    assert "a Saturday" in d.explanation and "Monday 5 October 2026" in d.explanation
    assert d.rolled_forward


def test_sar_extension_is_three_months_from_receipt() -> None:
    # 31 January 2025 + 3 months: no 31 April, so Wednesday 30 April 2025.
    d = response_due(date(2025, 1, 31), extended=True)
    assert d is not None and d.due == date(2025, 4, 30)
    assert "extended" in d.label


def test_sar_pause_adds_the_days_waited_and_asks_for_a_check() -> None:
    # Received Monday 1 June 2026; clarification asked 5 June, received 15 June: 10 days.
    # 1 July 2026 + 10 days = Saturday 11 July, so Monday 13 July.
    pause = ClarificationPause(asked=date(2026, 6, 5), answered=date(2026, 6, 15))
    d = response_due(date(2026, 6, 1), pauses=[pause])
    assert d is not None and d.due == date(2026, 7, 13)
    assert d.needs_check
    assert "10 days" in d.explanation


def test_sar_open_pause_stops_the_clock() -> None:
    pause = ClarificationPause(asked=date(2026, 6, 5))
    assert response_due(date(2026, 6, 1), pauses=[pause]) is None
    assert paused_since([pause]) == date(2026, 6, 5)


def test_extension_only_while_the_first_month_runs() -> None:
    received = date(2025, 1, 31)  # first month ends Friday 28 February 2025
    assert extension_problem(received, date(2025, 2, 28), "Many records") is None
    late = extension_problem(received, date(2025, 3, 3), "Many records")
    assert late is not None and "28 February 2025" in late
    assert extension_problem(received, date(2025, 2, 1), "  ") is not None
    assert extension_problem(received, date(2025, 1, 30), "x") is not None


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)))
def test_sar_due_is_a_working_day_within_a_month_and_four_days(received: date) -> None:
    d = response_due(received)
    assert d is not None
    assert d.due.weekday() < 5
    assert received + timedelta(days=27) <= d.due <= received + timedelta(days=31 + 5)


# ---- Retention review -----------------------------------------------------------------------


def test_review_is_the_later_of_closure_and_youngest_turning_25() -> None:
    # Closed 15/03/2020: 6 years on is 15/03/2026. Youngest born 10/06/2001 turns 25 on
    # 10/06/2026, which is later.
    d = review_due(RetentionPolicy(), date(2020, 3, 15), [date(1999, 1, 1), date(2001, 6, 10)])
    assert d is not None and d.due == date(2026, 6, 10)
    assert d.confidence is Confidence.POLICY
    assert "the later of the two is Wednesday 10 June 2026" in d.explanation


def test_review_closure_later_than_the_25th_birthday() -> None:
    # Youngest born 1/1/1990 turned 25 in 2015; closed 2/2/2021, so 2/2/2027.
    d = review_due(RetentionPolicy(), date(2021, 2, 2), [date(1990, 1, 1)])
    assert d is not None and d.due == date(2027, 2, 2)


def test_review_child_born_29_february() -> None:
    # Born 29/02/2004: 2029 has no 29 February, so the 25th birthday is 1 March 2029, later
    # than 6 years after closing on 01/01/2020 (01/01/2026).
    d = review_due(RetentionPolicy(), date(2020, 1, 1), [date(2004, 2, 29)])
    assert d is not None and d.due == date(2029, 3, 1)
    assert "1 March is used" in d.explanation


def test_review_closed_on_29_february() -> None:
    # Closed 29/02/2024, children long grown: 2030 has no 29 February, so 1 March 2030.
    d = review_due(RetentionPolicy(), date(2024, 2, 29), [date(1980, 5, 5)])
    assert d is not None and d.due == date(2030, 3, 1)


def test_open_case_has_no_review_and_a_reopened_case_counts_from_its_last_closing() -> None:
    assert review_due(RetentionPolicy(), None, [date(2001, 6, 10)]) is None
    first = review_due(RetentionPolicy(), date(2015, 1, 5), [date(1990, 1, 1)])
    again = review_due(RetentionPolicy(), date(2019, 7, 1), [date(1990, 1, 1)])
    assert first is not None and again is not None
    assert (first.due, again.due) == (date(2021, 1, 5), date(2025, 7, 1))


def test_review_without_dates_of_birth_says_check() -> None:
    d = review_due(RetentionPolicy(), date(2020, 3, 15), [None])
    assert d is not None and d.due == date(2026, 3, 15)
    assert d.needs_check and "No child's date of birth" in d.note
    some = review_due(RetentionPolicy(), date(2020, 3, 15), [date(2010, 1, 1), None])
    assert some is not None and some.needs_check and "1 child has" in some.note


def test_policy_numbers_are_the_services() -> None:
    policy = RetentionPolicy(years_closed=3, youngest_age=21)
    d = review_due(policy, date(2020, 3, 15), [date(2001, 6, 10)])
    assert d is not None and d.due == date(2023, 3, 15)  # 21 on 10/06/2022, earlier
    assert RetentionPolicy(years_closed=0).problems() == {
        "years_closed": "Enter a number of years from 1 to 100."}
    assert RetentionPolicy().problems() == {}


def test_is_due_on_the_day_itself() -> None:
    d = review_due(RetentionPolicy(), date(2020, 3, 15), [date(1990, 1, 1)])
    assert not is_due(d, date(2026, 3, 14))
    assert is_due(d, date(2026, 3, 15))
    assert not is_due(None, date(2099, 1, 1))


def test_anniversary() -> None:
    assert anniversary(date(2024, 2, 29), 4) == (date(2028, 2, 29), False)
    assert anniversary(date(2024, 2, 29), 1) == (date(2025, 3, 1), True)


# ---- Consent --------------------------------------------------------------------------------


@pytest.mark.parametrize(("born", "ends", "why"), [
    # Turns 16 on 15/03/2026, school year 2025/26; 30 June 2026 is a Tuesday, so Friday 26th.
    (date(2010, 3, 15), date(2026, 6, 26), "spring birthday"),
    # Turns 16 on 31/08/2026, still school year 2025/26: leaves on 26/06/2026 aged 15.
    (date(2010, 8, 31), date(2026, 6, 26), "31 August birthday"),
    # Turns 16 on 01/09/2026, school year 2026/27; 30 June 2027 is a Wednesday: Friday 25th.
    (date(2010, 9, 1), date(2027, 6, 25), "1 September birthday"),
    # Born 29/02/2012 turns 16 on 29/02/2028 (a leap year), school year 2027/28; 30 June
    # 2028 is itself a Friday.
    (date(2012, 2, 29), date(2028, 6, 30), "leap-day birthday"),
])
def test_end_of_compulsory_school_age(born: date, ends: date, why: str) -> None:
    d = end_of_compulsory_school_age(born)
    assert d.due == ends, why
    assert d.due.weekday() == 4


def test_young_persons_own_consent_is_asked_for_from_that_day() -> None:
    born = date(2010, 3, 15)
    assert not young_person_consent_needed(born, date(2026, 6, 25), has_own_consent=False)
    assert young_person_consent_needed(born, date(2026, 6, 26), has_own_consent=False)
    assert not young_person_consent_needed(born, date(2026, 6, 26), has_own_consent=True)
    assert not young_person_consent_needed(None, date(2026, 6, 26), has_own_consent=False)


def test_consent_renewal() -> None:
    d = consent_renewal_due(date(2025, 1, 31), 13)  # no 29 February 2026: 28th
    assert d.due == date(2026, 2, 28)
    assert d.confidence is Confidence.POLICY


def test_consent_questions_for_the_case_header() -> None:
    from adviser_app.domain.consent import consent_due
    from adviser_app.domain.records import (Child, ChildDetails, Family, Person,
                                            PersonDetails)
    from adviser_app.domain.vocab import Relationship

    mum = Person("p1", "f", PersonDetails("Mila", "Petrović", Relationship.MOTHER,
                                          consent_to_share=True,
                                          consent_date=date(2025, 12, 1)))
    teen = Child("c1", "f", ChildDetails("Đorđe", "Petrović", date(2010, 3, 15)))
    small = Child("c2", "f", ChildDetails("Ana", "Petrović", date(2018, 3, 15)))
    family = Family("f", "Petrović", people=(mum,), children=(teen, small))
    due = consent_due(family, {"c1", "c2"}, date(2025, 7, 1))
    labels = [(d.deadline.label, d.deadline.due) for d in due]
    # Consent given 01/12/2025 + 12 months; Đorđe leaves school on 26/06/2026, within a year
    # of 01/07/2025; Ana's day is years away, so not asked yet.
    assert labels == [("Renew Mila Petrović's consent to share", date(2026, 12, 1)),
                      ("Ask Đorđe Petrović for their own consent to share", date(2026, 6, 26))]
    own = Person("p2", "f", PersonDetails("Đorđe", "Petrović", Relationship.YOUNG_PERSON,
                                          consent_to_share=True))
    family = Family("f", "Petrović", people=(own,), children=(teen,))
    assert consent_due(family, {"c1"}, date(2026, 7, 1)) == []


def test_sar_explanation_names_every_day_skipped() -> None:
    # Received 27/11/2026: Sunday 27 December, then Monday 28 December is the Boxing Day
    # substitute, so Tuesday 29 December; the explanation names both days skipped.
    d = response_due(date(2026, 11, 27))
    assert d is not None and d.due == date(2026, 12, 29)
    assert "Sunday 27 December 2026 is a Sunday" in d.explanation
    assert "Monday 28 December 2026 is a bank holiday" in d.explanation
