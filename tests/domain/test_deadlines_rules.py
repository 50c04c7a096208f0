"""Each statutory-deadline rule with our own examples (send-rules.md §1, §2, §4), and the
Deadline objects every rule returns: label, source, confidence, explanation wording."""

from __future__ import annotations

import re
from datetime import date

import pytest

from adviser_app.domain import deadlines
from adviser_app.domain.statutory.working_days import ENGLAND, WorkingDayCalendar
from adviser_app.domain.statutory.appeal_and_assessment_rules import CERTIFICATE_INPUTS
from adviser_app.domain.deadlines import (AgreedAction, Confidence, Deadline, TransferKind,
                                          advice_due, after_agreement, agreed_timescale,
                                          amendment_deadlines, annual_review_deadlines,
                                          annual_review_due, appeal_deadline, certificate_due,
                                          draft_plan_window, ehc_assessment_deadlines,
                                          health_body_tells_la_by, health_body_told_by,
                                          mediation_adviser_contact_limit,
                                          mediation_arranged_by, phase_transfer_deadline,
                                          reassessment_deadlines, tribunal_roll_forward,
                                          unopposed_appeal_deadlines, UnopposedAppeal,
                                          discrimination_claim_deadline,
                                          health_mediation_deadlines, tribunal_act_due)

C, C2, M = Confidence.CONFIRMED, Confidence.SECONDARY, Confidence.UNCONFIRMED

WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
MONTHS = ("January February March April May June July August September October November "
          "December").split()
LONG_DATE = re.compile(rf"\b({WEEKDAYS}) (\d{{1,2}}) ({'|'.join(MONTHS)}) (\d{{4}})\b")
ISO = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
NUMERIC = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")

PUBLIC_API = ["add_working_days", "appeal_deadline", "certificate_due",
              "ehc_assessment_deadlines", "mediation_adviser_contact_limit",
              "mediation_arranged_by", "health_body_told_by", "after_agreement", "AgreedAction",
              "agreed_timescale", "health_body_tells_la_by", "unopposed_appeal_deadlines",
              "draft_plan_window", "annual_review_due", "annual_review_deadlines",
              "amendment_deadlines", "phase_transfer_deadline", "TransferKind",
              "reassessment_deadlines", "advice_due", "Deadline", "Confidence",
              "tribunal_act_due", "discrimination_claim_deadline",
              "health_mediation_deadlines", "UnopposedAppeal"]


def _by_key(items: list[Deadline]) -> dict[str, Deadline]:
    return {d.key: d for d in items}


# --- the public API ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", PUBLIC_API)
def test_every_rule_is_importable_from_deadlines(name: str) -> None:
    assert callable(getattr(deadlines, name))


def test_deadlines_all_lists_the_re_exported_rules() -> None:
    missing = [name for name in PUBLIC_API if name not in deadlines.__all__]
    assert missing == []


# --- appeal deadline (HESC r.20(1)(c), r.12(2), r.12(3)(a)) ------------------------------------

APPEALS = [
    # (id, letter, certificate, due, rolled, phrases in the explanation)
    ("august-sunday-then-bank-holiday", date(2026, 6, 30), None, date(2026, 9, 1), True,
     ["Sunday 30 August 2026", "in August", "first working day after 31 August",
      "Tuesday 1 September 2026"]),
    ("august-friday-1st", date(2025, 6, 1), None, date(2025, 9, 1), True,
     ["Friday 1 August 2025", "in August", "Monday 1 September 2025"]),
    ("august-bank-holiday-30th", date(2027, 6, 30), None, date(2027, 9, 1), True,
     ["Monday 30 August 2027", "in August", "Wednesday 1 September 2027"]),
    ("august-via-certificate", date(2026, 6, 1), date(2026, 7, 15), date(2026, 9, 1), True,
     ["Saturday 1 August 2026", "Saturday 15 August 2026", "certificate date wins",
      "in August", "Tuesday 1 September 2026"]),
    ("new-years-day-friday", date(2026, 11, 1), None, date(2027, 1, 4), True,
     ["Friday 1 January 2027", "25 December and 1 January", "Monday 4 January 2027"]),
    ("new-years-day-saturday-substitute-monday", date(2027, 11, 1), None, date(2028, 1, 4),
     True, ["Saturday 1 January 2028", "25 December and 1 January", "Tuesday 4 January 2028"]),
    ("new-year's-eve-2025", date(2025, 10, 31), None, date(2026, 1, 2), True,
     ["Wednesday 31 December 2025", "first working day after 1 January",
      "Friday 2 January 2026"]),
    ("new-year's-eve-2026", date(2026, 10, 31), None, date(2027, 1, 4), True,
     ["Thursday 31 December 2026", "Monday 4 January 2027"]),
    ("christmas-day-saturday", date(2027, 10, 25), None, date(2028, 1, 4), True,
     ["Saturday 25 December 2027", "25 December and 1 January", "Tuesday 4 January 2028"]),
    ("early-may-bank-holiday", date(2026, 3, 4), None, date(2026, 5, 5), True,
     ["Monday 4 May 2026", "a bank holiday (Early May bank holiday)", "Tuesday 5 May 2026"]),
    ("easter-monday", date(2026, 2, 6), None, date(2026, 4, 7), True,
     ["Monday 6 April 2026", "a bank holiday (Easter Monday)", "Tuesday 7 April 2026"]),
    ("good-friday-then-easter-monday", date(2026, 2, 3), None, date(2026, 4, 7), True,
     ["Friday 3 April 2026", "a bank holiday (Good Friday)", "Monday 6 April",
      "Easter Monday", "Tuesday 7 April 2026"]),
    ("spring-bank-holiday", date(2026, 3, 25), None, date(2026, 5, 26), True,
     ["Monday 25 May 2026", "Spring bank holiday", "Tuesday 26 May 2026"]),
    ("christmas-eve-wednesday-stays", date(2025, 10, 24), None, date(2025, 12, 24), False,
     ["Wednesday 24 December 2025", "is a working day, so it stays"]),
    ("christmas-eve-thursday-stays", date(2026, 10, 24), None, date(2026, 12, 24), False,
     ["Thursday 24 December 2026", "is a working day, so it stays"]),
    ("christmas-eve-friday-stays", date(2027, 10, 24), None, date(2027, 12, 24), False,
     ["Friday 24 December 2027", "is a working day, so it stays"]),
    # §1.5 algorithm taken literally: a weekend raw date outside Aug/25 Dec-1 Jan goes to the
    # next working day even when that day is inside the Christmas period or August
    ("christmas-eve-sunday-next-working-day", date(2028, 10, 24), None, date(2028, 12, 27),
     True, ["Sunday 24 December 2028", "a Sunday", "Christmas Day", "Boxing Day",
            "Wednesday 27 December 2028"]),
    ("saturday-31-july-next-working-day", date(2027, 5, 31), None, date(2027, 8, 2), True,
     ["Saturday 31 July 2027", "a Saturday", "Monday 2 August 2027"]),
    ("certificate-earlier-two-months-stand", date(2025, 3, 3), date(2025, 4, 1),
     date(2025, 5, 6), True, ["Thursday 1 May 2025", "2-month date stands",
                              "Tuesday 6 May 2025"]),
    ("certificate-same-day-two-months-stand", date(2025, 3, 10), date(2025, 4, 10),
     date(2025, 5, 12), True, ["Saturday 10 May 2025", "2-month date stands",
                               "Monday 12 May 2025"]),
    ("certificate-clamped-to-28-february", date(2025, 12, 1), date(2026, 1, 31),
     date(2026, 3, 2), True, ["Sunday 1 February 2026", "Saturday 28 February 2026",
                              "certificate date wins", "Monday 2 March 2026"]),
    ("leap-day-working-day", date(2027, 12, 31), None, date(2028, 2, 29), False,
     ["Tuesday 29 February 2028", "no such day", "is a working day, so it stays"]),
    ("ordinary-sunday", date(2026, 1, 15), None, date(2026, 3, 16), True,
     ["Sunday 15 March 2026", "a Sunday", "next working day", "Monday 16 March 2026"]),
]


@pytest.mark.parametrize(("letter", "certificate", "due", "rolled", "phrases"),
                         [a[1:] for a in APPEALS], ids=[a[0] for a in APPEALS])
def test_appeal_deadline_examples(letter: date, certificate: date | None, due: date,
                                  rolled: bool, phrases: list[str]) -> None:
    result = appeal_deadline(letter, certificate)
    assert result.due == due
    assert result.rolled_forward is rolled
    for phrase in phrases:
        assert phrase in result.explanation, (phrase, result.explanation)
    assert ENGLAND.is_working_day(result.due) or not rolled
    assert result.explanation.rstrip().endswith(".")


def test_appeal_working_day_raw_date_is_not_moved() -> None:
    result = appeal_deadline(date(2026, 1, 20))  # Fri 20 Mar 2026
    assert result.due == date(2026, 3, 20)
    assert not result.rolled_forward
    assert "Friday 20 March 2026 is a working day, so it stays." in result.explanation


def test_appeal_deadline_records_its_inputs() -> None:
    assert appeal_deadline(date(2026, 1, 20)).inputs == (
        ("Decision letter sent", date(2026, 1, 20)),)
    assert appeal_deadline(date(2026, 1, 20), date(2026, 2, 27)).inputs == (
        ("Decision letter sent", date(2026, 1, 20)),
        ("Mediation certificate issued", date(2026, 2, 27)))


def test_appeal_deadline_note_mentions_receipt_by_5pm() -> None:
    note = appeal_deadline(date(2026, 1, 20)).note
    assert "receive" in note and "5pm" in note


def test_appeal_deadline_respects_an_extra_holiday() -> None:
    extra = WorkingDayCalendar({date(2026, 5, 6): "Royal celebration"})
    assert appeal_deadline(date(2026, 3, 6)).due == date(2026, 5, 6)
    result = appeal_deadline(date(2026, 3, 6), calendar=extra)
    assert result.due == date(2026, 5, 7)
    assert "Royal celebration" in result.explanation
    assert "Thursday 7 May 2026" in result.explanation


@pytest.mark.parametrize(("raw", "moved"), [
    (date(2026, 8, 3), date(2026, 9, 1)),
    (date(2025, 8, 31), date(2025, 9, 1)),  # Sunday 31 August 2025
    (date(2025, 12, 25), date(2026, 1, 2)),
    (date(2026, 1, 1), date(2026, 1, 2)),
    (date(2026, 12, 28), date(2027, 1, 4)),
    (date(2028, 1, 1), date(2028, 1, 4)),
    (date(2026, 5, 4), date(2026, 5, 5)),
    (date(2026, 3, 14), date(2026, 3, 16)),
    (date(2026, 3, 16), date(2026, 3, 16)),
    (date(2025, 12, 24), date(2025, 12, 24)),
    (date(2025, 7, 31), date(2025, 7, 31)),
    (date(2026, 1, 2), date(2026, 1, 2)),
])
def test_tribunal_roll_forward(raw: date, moved: date) -> None:
    assert tribunal_roll_forward(raw)[0] == moved


# --- mediation certificate: 3 working days ------------------------------------------------------


@pytest.mark.parametrize(("trigger", "due", "phrases"), [
    (date(2026, 4, 2), date(2026, 4, 9), ["Good Friday", "Easter Monday", "2 weekend days"]),
    (date(2025, 4, 17), date(2025, 4, 24), ["Good Friday", "Easter Monday"]),
    (date(2026, 12, 23), date(2026, 12, 30),
     ["Friday 25 December", "Christmas Day", "Monday 28 December", "Boxing Day (observed)"]),
    (date(2025, 12, 23), date(2025, 12, 30), ["Christmas Day", "Boxing Day"]),
    (date(2027, 12, 23), date(2027, 12, 30), ["Christmas Day (observed)",
                                              "Boxing Day (observed)"]),
    (date(2026, 3, 6), date(2026, 3, 11), ["2 weekend days"]),
    (date(2025, 3, 8), date(2025, 3, 12), ["1 weekend day not counted"]),  # Saturday trigger
    (date(2026, 3, 10), date(2026, 3, 13), []),
])
def test_certificate_due_examples(trigger: date, due: date, phrases: list[str]) -> None:
    result = certificate_due(trigger)
    assert result.due == due
    assert not result.rolled_forward
    for phrase in phrases:
        assert phrase in result.explanation, (phrase, result.explanation)
    if not phrases:
        assert "not counted" not in result.explanation


@pytest.mark.parametrize(("reason", "source", "confidence", "phrase"), [
    ("no_mediation", "reg 34(1)", C2, "do not want mediation"),
    ("mediation_concluded", "certificate after mediation", C2, "the mediation concluded"),
    ("la_cannot_arrange", "believed reg 37", C2, "cannot arrange mediation within 30 days"),
])
def test_certificate_due_for_each_reason(reason: str, source: str, confidence: Confidence,
                                         phrase: str) -> None:
    result = certificate_due(date(2026, 12, 23), reason)
    assert result.due == date(2026, 12, 30)
    assert result.key == f"certificate_{reason}"
    assert source in result.source
    assert result.confidence is confidence
    assert phrase in result.explanation
    # what the date came from is named, not called "Trigger" (found walking the journeys)
    assert result.inputs == ((CERTIFICATE_INPUTS[reason], date(2026, 12, 23)),)
    assert "Trigger" not in CERTIFICATE_INPUTS[reason]


def test_certificate_due_uses_the_given_calendar() -> None:
    extra = WorkingDayCalendar({date(2026, 3, 11): "Royal celebration"})
    result = certificate_due(date(2026, 3, 6), calendar=extra)
    assert result.due == date(2026, 3, 12)
    assert "Royal celebration" in result.explanation


# --- regulation deadlines are never rolled forward ---------------------------------------------


def test_twenty_week_date_on_a_bank_holiday_stays() -> None:
    items = ehc_assessment_deadlines(date(2025, 4, 7))
    assert items["decide_whether_to_assess"].due == date(2025, 5, 19)
    assert items["decide_no_plan"].due == date(2025, 7, 28)
    assert items["final_plan"].due == date(2025, 8, 25)  # Summer bank holiday
    assert not ENGLAND.is_working_day(date(2025, 8, 25))
    assert not items["final_plan"].rolled_forward
    assert "Monday 25 August 2025" in items["final_plan"].explanation


def test_six_week_date_on_christmas_day_stays() -> None:
    items = ehc_assessment_deadlines(date(2025, 11, 13))
    assert items["decide_whether_to_assess"].due == date(2025, 12, 25)
    assert items["decide_no_plan"].due == date(2026, 3, 5)
    assert items["final_plan"].due == date(2026, 4, 2)


def test_contact_limit_in_august_or_at_christmas_is_not_moved() -> None:
    assert mediation_adviser_contact_limit(date(2026, 6, 30)).due == date(2026, 8, 30)
    assert mediation_adviser_contact_limit(date(2025, 10, 25)).due == date(2025, 12, 25)
    assert mediation_adviser_contact_limit(date(2027, 11, 1)).due == date(2028, 1, 1)


def test_mediation_arranged_on_a_saturday_stays() -> None:
    result = mediation_arranged_by(date(2025, 11, 27))
    assert result.due == date(2025, 12, 27)
    assert not result.rolled_forward


# --- mediation: contact limit, 30 days, health body told ----------------------------------------


@pytest.mark.parametrize(("letter", "due", "clamped"), [
    (date(2025, 3, 3), date(2025, 5, 3), False),
    (date(2025, 12, 31), date(2026, 2, 28), True),
    (date(2027, 12, 31), date(2028, 2, 29), True),
    (date(2026, 1, 15), date(2026, 3, 15), False),
])
def test_mediation_adviser_contact_limit(letter: date, due: date, clamped: bool) -> None:
    result = mediation_adviser_contact_limit(letter)
    assert result.due == due
    assert ("no such day" in result.explanation) is clamped
    assert "wish to appeal" in result.note and "mediation" in result.note


@pytest.mark.parametrize(("told", "due"), [
    (date(2025, 11, 17), date(2025, 12, 17)),
    (date(2026, 1, 30), date(2026, 3, 1)),  # 30 days, not "1 month"
    (date(2028, 1, 30), date(2028, 2, 29)),
    (date(2025, 12, 1), date(2025, 12, 31)),  # Christmas is not excluded
    (date(2026, 7, 15), date(2026, 8, 14)),  # nor is August
])
def test_mediation_arranged_within_30_calendar_days(told: date, due: date) -> None:
    result = mediation_arranged_by(told)
    assert result.due == due
    assert (result.due - told).days == 30
    assert "30 calendar days" in result.explanation
    assert result.label == "Mediation must be arranged by"
    assert "take place or only be arranged" in result.note


def test_health_only_mediation_counts_from_the_health_body_being_told() -> None:
    # Parent tells the LA on Thu 2 April 2026. Good Friday (3 Apr), the weekend and Easter
    # Monday (6 Apr) are not working days: Tue 7 (1), Wed 8 (2), Thu 9 April (3). The health
    # body was told on Tue 7 April: 30 days on is 7 April + 23 = 30 April, + 7 = Thu 7 May.
    found = health_mediation_deadlines(date(2026, 4, 2), date(2026, 4, 7))
    assert found["health_body_told"].due == date(2026, 4, 9)
    assert found["mediation_arranged"].due == date(2026, 5, 7)
    assert found["mediation_arranged"].label == "Health body must arrange mediation by"
    assert "told the health body on Tuesday 7 April 2026" in found["mediation_arranged"].explanation


def test_health_only_mediation_before_the_health_body_told_counts_from_the_last_day() -> None:
    # Same case, day not known yet: count from the LA's last day, Thu 9 April 2026: 9 April
    # + 21 = 30 April, + 9 = Sat 9 May 2026 (not moved: a regulation limit).
    found = health_mediation_deadlines(date(2026, 4, 2))
    assert found["mediation_arranged"].due == date(2026, 5, 9)
    assert "not known yet" in found["mediation_arranged"].explanation
    assert "Record the day the health body was told" in found["mediation_arranged"].note
    assert set(found) == {"health_body_told", "mediation_arranged"}


@pytest.mark.parametrize(("told", "due"), [
    (date(2025, 12, 23), date(2025, 12, 30)),
    (date(2026, 4, 2), date(2026, 4, 9)),
    (date(2025, 3, 3), date(2025, 3, 6)),
    (date(2025, 3, 6), date(2025, 3, 11)),
])
def test_health_body_told_within_3_working_days(told: date, due: date) -> None:
    result = health_body_told_by(told)
    assert result.due == due
    assert result.confidence is C2
    assert "3 working days" in result.explanation


# --- after a mediation agreement (reg 42, reg 44) -----------------------------------------------

REG44 = {
    # action: (keys, weeks after the agreement)
    AgreedAction.ASSESS: (["will_assess", "no_plan_reasons", "final_plan"], [2, 10, 14]),
    AgreedAction.MAKE_PLAN: (["draft_plan", "final_plan"], [5, 11]),
    AgreedAction.AMEND_SEN_OR_PROVISION: (["amended_plan"], [5]),
    AgreedAction.CHANGE_SCHOOL: (["amended_plan_school"], [2]),
    AgreedAction.CONTINUE_PLAN: (["continue_plan"], [0]),
    AgreedAction.CEASE_PLAN: (["cease_plan"], [0]),
    AgreedAction.NOT_APPEALABLE: (["agreed_not_appealable"], [2]),
}

AGREEMENT_DUES = {
    # Thu 17 Dec 2026 and Tue 28 Jul 2026, dates worked out by hand
    date(2026, 12, 17): {
        AgreedAction.ASSESS: [date(2026, 12, 31), date(2027, 2, 25), date(2027, 3, 25)],
        AgreedAction.MAKE_PLAN: [date(2027, 1, 21), date(2027, 3, 4)],
        AgreedAction.AMEND_SEN_OR_PROVISION: [date(2027, 1, 21)],
        AgreedAction.CHANGE_SCHOOL: [date(2026, 12, 31)],
        AgreedAction.CONTINUE_PLAN: [date(2026, 12, 17)],
        AgreedAction.CEASE_PLAN: [date(2026, 12, 17)],
        AgreedAction.NOT_APPEALABLE: [date(2026, 12, 31)],
    },
    date(2026, 7, 28): {
        AgreedAction.ASSESS: [date(2026, 8, 11), date(2026, 10, 6), date(2026, 11, 3)],
        AgreedAction.MAKE_PLAN: [date(2026, 9, 1), date(2026, 10, 13)],
        AgreedAction.AMEND_SEN_OR_PROVISION: [date(2026, 9, 1)],
        AgreedAction.CHANGE_SCHOOL: [date(2026, 8, 11)],
        AgreedAction.CONTINUE_PLAN: [date(2026, 7, 28)],
        AgreedAction.CEASE_PLAN: [date(2026, 7, 28)],
        AgreedAction.NOT_APPEALABLE: [date(2026, 8, 11)],
    },
}


@pytest.mark.parametrize("agreement", sorted(AGREEMENT_DUES))
@pytest.mark.parametrize("action", list(AgreedAction))
def test_after_agreement_limits_for_every_action(agreement: date, action: AgreedAction) -> None:
    items = after_agreement(agreement, action)
    keys, weeks = REG44[action]
    assert [d.key for d in items] == keys
    assert [d.due for d in items] == AGREEMENT_DUES[agreement][action]
    for deadline, w in zip(items, weeks, strict=True):
        assert (deadline.due - agreement).days == 7 * w
        assert not deadline.rolled_forward
        assert deadline.inputs == (("Mediation agreement", agreement),)
        if w == 0:
            assert "immediately" in deadline.explanation
        else:
            assert f"{w} weeks" in deadline.explanation


def test_cease_and_continue_are_both_the_day_of_the_agreement() -> None:
    day = date(2026, 5, 9)
    (cease,) = after_agreement(day, AgreedAction.CEASE_PLAN)
    (keep,) = after_agreement(day, AgreedAction.CONTINUE_PLAN)
    assert cease.due == keep.due == day
    assert "reg 44(2)(a)" in cease.source
    assert "SEND18" in keep.source


@pytest.mark.parametrize(("action", "limbs"), [
    (AgreedAction.ASSESS, ["reg 44(2)(b)", "reg 44(2)(b)(i)", "reg 44(2)(b)(ii)"]),
    (AgreedAction.MAKE_PLAN, ["reg 44(2)(c)(i)", "reg 44(2)(c)(ii)"]),
    (AgreedAction.AMEND_SEN_OR_PROVISION, ["reg 44(2)(e)"]),
    (AgreedAction.CHANGE_SCHOOL, ["reg 44(2)(f)"]),
])
def test_reg44_limbs_are_cited_with_reg_42_2(action: AgreedAction, limbs: list[str]) -> None:
    items = after_agreement(date(2026, 3, 2), action)
    assert [d.source for d in items] == [f"SEND Regs 2014 reg 42(2) with {limb}"
                                         for limb in limbs]


@pytest.mark.parametrize(("agreement", "due"), [
    (date(2026, 3, 2), date(2026, 3, 16)),
    (date(2026, 12, 17), date(2026, 12, 31)),
    (date(2028, 2, 15), date(2028, 2, 29)),
])
def test_non_appealable_agreed_action_within_2_weeks(agreement: date, due: date) -> None:
    (result,) = after_agreement(agreement, AgreedAction.NOT_APPEALABLE)
    assert result.due == due
    assert result.source == "SEND Regs 2014 reg 42(3)"
    assert result.confidence is C


@pytest.mark.parametrize(("agreement", "due"), [
    (date(2026, 12, 24), date(2026, 12, 31)),
    (date(2026, 3, 30), date(2026, 4, 6)),  # Easter Monday: stays
    (date(2025, 2, 26), date(2025, 3, 5)),
])
def test_health_body_tells_la_within_1_week(agreement: date, due: date) -> None:
    result = health_body_tells_la_by(agreement)
    assert result.due == due
    assert "reg 42(4)" in result.source
    assert "1 week" in result.explanation


def test_agreed_timescale_returns_the_agreed_date() -> None:
    result = agreed_timescale(date(2026, 3, 2), date(2026, 4, 25), "EP visit arranged")
    assert result.due == date(2026, 4, 25)  # a Saturday: agreed dates are not moved
    assert result.label == "EP visit arranged"
    assert "reg 42(5)" in result.source
    assert result.inputs == (("Mediation agreement", date(2026, 3, 2)),
                             ("Agreed date", date(2026, 4, 25)))
    assert "Saturday 25 April 2026" in result.explanation
    assert "Monday 2 March 2026" in result.explanation
    assert "replaces the default" in result.explanation


def test_agreed_timescale_can_be_shorter_than_the_default_and_has_a_default_label() -> None:
    result = agreed_timescale(date(2026, 3, 2), date(2026, 3, 5), "")
    assert result.due == date(2026, 3, 5)
    assert result.label == "Agreed action done by"


# --- unopposed appeals (reg 45 as substituted in 2015) -------------------------------------------


@pytest.mark.parametrize(("told", "due"), [
    (date(2026, 1, 14), date(2026, 2, 18)),
    (date(2026, 11, 20), date(2026, 12, 25)),  # Christmas Day: not moved
])
def test_unopposed_contents_appeal_amended_plan_in_5_weeks(told: date, due: date) -> None:
    items = unopposed_appeal_deadlines(told, contents_appeal=True)
    assert [(d.key, d.due) for d in items] == [("unopposed_amended_plan", due)]
    assert "reg 45" in items[0].source and "2015/359" in items[0].source
    assert "5 weeks" in items[0].explanation


@pytest.mark.parametrize(("told", "dues"), [
    (date(2026, 1, 14), [date(2026, 1, 28), date(2026, 3, 25), date(2026, 4, 22)]),
    (date(2026, 11, 20), [date(2026, 12, 4), date(2027, 1, 29), date(2027, 2, 26)]),
])
def test_unopposed_assessment_appeal_2_10_14_weeks(told: date, dues: list[date]) -> None:
    items = unopposed_appeal_deadlines(told, contents_appeal=False)
    assert [d.key for d in items] == ["unopposed_will_assess", "unopposed_no_plan_reasons",
                                      "unopposed_final_plan"]
    assert [d.due for d in items] == dues
    for deadline, weeks in zip(items, [2, 10, 14], strict=True):
        assert f"{weeks} weeks" in deadline.explanation
        assert "would not oppose" in deadline.explanation


# --- EHC: advice, draft plan, annual review, amendment --------------------------------------------


@pytest.mark.parametrize(("requested", "due"), [
    (date(2025, 12, 23), date(2026, 2, 3)),
    (date(2026, 7, 10), date(2026, 8, 21)),  # August: not moved
])
def test_advice_due_in_6_weeks(requested: date, due: date) -> None:
    result = advice_due(requested)
    assert result.due == due
    assert "reg 8" in result.source
    assert "exceptions" in result.note


@pytest.mark.parametrize(("served", "last", "earliest"), [
    (date(2026, 12, 18), date(2027, 1, 1), date(2027, 1, 2)),
    (date(2028, 2, 16), date(2028, 3, 1), date(2028, 3, 2)),
    (date(2027, 2, 16), date(2027, 3, 2), date(2027, 3, 3)),
])
def test_draft_plan_window(served: date, last: date, earliest: date) -> None:
    items = _by_key(draft_plan_window(served))
    assert items["draft_comments"].due == last
    assert items["draft_earliest_final"].due == earliest


@pytest.mark.parametrize(("start", "due", "clamped"), [
    # "12 months starting with" the day: that day is the first, so the last is the day before
    # the anniversary; with no anniversary (29 Feb) the period runs to the end of February.
    (date(2024, 2, 29), date(2025, 2, 28), True),
    (date(2028, 2, 29), date(2029, 2, 28), True),
    (date(2027, 2, 28), date(2028, 2, 27), False),  # 2028 is a leap year: still the 27th
    (date(2025, 3, 15), date(2026, 3, 14), False),
    (date(2025, 12, 31), date(2026, 12, 30), False),
    (date(2026, 3, 1), date(2027, 2, 28), False),  # day before 1 March 2027
])
def test_annual_review_due_in_12_months(start: date, due: date, clamped: bool) -> None:
    result = annual_review_due(start)
    assert result.due == due
    assert ("no 29 February" in result.explanation) is clamped
    assert "s.44" in result.source
    assert "12 months" in result.explanation


@pytest.mark.parametrize(("meeting", "dues"), [
    # notice, advice, report, decision, 12-week cap
    (date(2026, 10, 6), [date(2026, 9, 22), date(2026, 9, 22), date(2026, 10, 20),
                         date(2026, 11, 3), date(2026, 12, 29)]),
    (date(2026, 3, 9), [date(2026, 2, 23), date(2026, 2, 23), date(2026, 3, 23),
                        date(2026, 4, 6), date(2026, 6, 1)]),  # decision on Easter Monday
])
def test_annual_review_deadlines(meeting: date, dues: list[date]) -> None:
    items = annual_review_deadlines(meeting)
    assert [d.key for d in items] == ["review_notice", "review_advice", "review_report",
                                      "review_decision", "review_cap"]
    assert [d.due for d in items] == dues
    assert all(d.inputs == (("Review meeting", meeting),) for d in items)
    assert "Devon" in _by_key(items)["review_decision"].note


@pytest.mark.parametrize(("notice", "comments", "final"), [
    (date(2026, 12, 18), date(2027, 1, 1), date(2027, 2, 12)),  # New Year's Day: not moved
    (date(2026, 10, 1), date(2026, 10, 15), date(2026, 11, 26)),
])
def test_amendment_deadlines(notice: date, comments: date, final: date) -> None:
    items = _by_key(amendment_deadlines(notice))
    assert items["amendment_comments"].due == comments
    assert items["amended_final"].due == final
    assert items["decides_not_to_amend"].due == final


def test_decides_not_to_amend_is_from_ipsea_and_appealable() -> None:
    # Notice Mon 9 Feb 2026 + 8 weeks (56 days) = Mon 6 April 2026 (Easter Monday, not moved).
    result = _by_key(amendment_deadlines(date(2026, 2, 9)))["decides_not_to_amend"]
    assert result.due == date(2026, 4, 6)
    assert result.confidence is C2
    assert not result.needs_check
    assert "reg 22(4)" in result.source and "IPSEA" in result.source
    assert "can be appealed" in result.note


# --- phase transfers (reg 18) ---------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "year", "due"), [
    (TransferKind.SCHOOL_PHASE, 2027, date(2027, 2, 14)),  # Sunday
    (TransferKind.SCHOOL_PHASE, 2028, date(2028, 2, 14)),
    (TransferKind.SECONDARY_TO_POST16, 2026, date(2026, 3, 30)),
    (TransferKind.SECONDARY_TO_POST16, 2028, date(2028, 3, 30)),
])
def test_phase_transfer_strict_last_day(kind: TransferKind, year: int, due: date) -> None:
    result = phase_transfer_deadline(kind, transfer_year=year)
    assert result.due == due
    day_after = date(year, due.month, due.day + 1)
    assert f"before {day_after.day} {MONTHS[due.month - 1]} {year}" in result.explanation
    assert f"by {day_after.day} {MONTHS[due.month - 1]}" in result.note


@pytest.mark.parametrize(("move", "due"), [
    (date(2027, 7, 31), date(2027, 2, 28)),
    (date(2028, 7, 30), date(2028, 2, 29)),
    (date(2026, 9, 1), date(2026, 4, 1)),
    (date(2027, 3, 31), date(2026, 10, 31)),
])
def test_post16_move_at_least_5_months_before(move: date, due: date) -> None:
    result = phase_transfer_deadline(TransferKind.POST16_TO_POST16, move_date=move)
    assert result.due == due
    assert result.inputs == (("Move", move),)


def test_phase_transfer_needs_its_year_or_move_date() -> None:
    with pytest.raises(ValueError):
        phase_transfer_deadline(TransferKind.SCHOOL_PHASE)
    with pytest.raises(ValueError):
        phase_transfer_deadline(TransferKind.SECONDARY_TO_POST16)
    with pytest.raises(ValueError):
        phase_transfer_deadline(TransferKind.POST16_TO_POST16, transfer_year=2027)


# --- re-assessment -----------------------------------------------------------------------------


@pytest.mark.parametrize(("request_date", "due"), [
    (date(2026, 1, 14), date(2026, 1, 29)),
    (date(2025, 12, 10), date(2025, 12, 25)),  # Christmas Day: not moved
])
def test_reassessment_decision_within_15_days(request_date: date, due: date) -> None:
    items = reassessment_deadlines(request_date)
    assert [(d.key, d.due) for d in items] == [("reassessment_decision", due)]
    assert "15 days" in items[0].explanation


@pytest.mark.parametrize(("decided", "due"), [
    (date(2026, 1, 29), date(2026, 5, 7)),
    (date(2026, 9, 18), date(2026, 12, 25)),
])
def test_final_plan_14_weeks_after_decision_to_reassess(decided: date, due: date) -> None:
    items = _by_key(reassessment_deadlines(date(2026, 1, 14), decided))
    assert items["reassessment_final_plan"].due == due
    assert "reg 27(2)" in items["reassessment_final_plan"].source
    assert "14 weeks" in items["reassessment_final_plan"].explanation


# --- every Deadline: wording, source and confidence ----------------------------------------------


def _catalogue() -> list[tuple[str, Deadline, Confidence, str]]:
    """(id, deadline, confidence from send-rules.md, a fragment the source must contain)."""
    out: list[tuple[str, Deadline, Confidence, str]] = []

    def add(name: str, deadline: Deadline, confidence: Confidence, source: str) -> None:
        out.append((name, deadline, confidence, source))

    add("appeal", appeal_deadline(date(2025, 3, 3), date(2025, 3, 10)), C, "r.20")
    add("appeal-no-certificate", appeal_deadline(date(2025, 12, 31)), C, "r.12")
    add("certificate-no-mediation", certificate_due(date(2025, 3, 5)), C2, "reg 34(1)")
    add("certificate-after-mediation", certificate_due(date(2025, 12, 10),
                                                       "mediation_concluded"), C2, "SEND Regs")
    add("certificate-la-cannot-arrange", certificate_due(date(2025, 12, 10),
                                                         "la_cannot_arrange"), C2, "SEND Regs")
    ehc = ehc_assessment_deadlines(date(2025, 1, 13))
    add("reg5", ehc["decide_whether_to_assess"], C, "reg 5(1)")
    add("reg10", ehc["decide_no_plan"], C, "reg 10(1)")
    add("reg13-2", ehc["final_plan"], C, "reg 13(2)")
    add("reg33", mediation_adviser_contact_limit(date(2025, 3, 3)), C, "reg 33")
    add("mediation-30-days", mediation_arranged_by(date(2025, 11, 17)), C2, "30-day")
    for key, deadline in health_mediation_deadlines(date(2025, 11, 17)).items():
        add(f"health-only-{key}", deadline, C2, "IPSEA")
    for key, deadline in health_mediation_deadlines(date(2025, 11, 17),
                                                    date(2025, 11, 18)).items():
        add(f"health-only-told-{key}", deadline, C2, "IPSEA")
    add("tribunal-act", tribunal_act_due(date(2026, 7, 20), 30), C, "r.12(3)(b)")
    add("discrimination", discrimination_claim_deadline(date(2026, 3, 10)), C, "Sch 17")
    add("health-body-3-working-days", health_body_told_by(date(2025, 11, 17)), C2, "IPSEA")
    expected = {AgreedAction.ASSESS: [C, C, C], AgreedAction.MAKE_PLAN: [C, C],
                AgreedAction.AMEND_SEN_OR_PROVISION: [C2], AgreedAction.CHANGE_SCHOOL: [C2],
                AgreedAction.CONTINUE_PLAN: [C], AgreedAction.CEASE_PLAN: [C],
                AgreedAction.NOT_APPEALABLE: [C]}
    for action, confidences in expected.items():
        items = after_agreement(date(2026, 3, 2), action)
        assert len(items) == len(confidences)
        for deadline, confidence in zip(items, confidences, strict=True):
            fragment = "reg 42(3)" if action is AgreedAction.NOT_APPEALABLE else "reg 42(2)"
            add(f"agreement-{action.value}-{deadline.key}", deadline, confidence, fragment)
    add("reg42-4", health_body_tells_la_by(date(2026, 3, 2)), C, "reg 42(4)")
    add("reg42-5", agreed_timescale(date(2026, 3, 2), date(2026, 4, 1), "EP visit"), C,
        "reg 42(5)")
    confirmed = {UnopposedAppeal.ASSESS, UnopposedAppeal.CONTENTS}
    for limb in UnopposedAppeal:
        for deadline in unopposed_appeal_deadlines(date(2026, 1, 14), limb):
            add(f"reg45-{limb.value}-{deadline.key}", deadline,
                C if limb in confirmed else C2, "reg 45")
    add("reg8", advice_due(date(2026, 1, 14)), C2, "reg 8")
    for deadline in draft_plan_window(date(2025, 5, 1)):
        add(f"reg13-1-{deadline.key}", deadline, C, "reg 13(1)")
    add("annual-review-due", annual_review_due(date(2024, 2, 29)), C, "s.44")
    review = _by_key(annual_review_deadlines(date(2026, 1, 14)))
    add("reg20-3", review["review_notice"], C, "reg 20(3)")
    add("reg20-4", review["review_advice"], C, "reg 20(4)")
    add("review-report", review["review_report"], C2, "reg 20")
    add("reg20-10", review["review_decision"], C, "reg 20(10)")
    add("devon-cap", review["review_cap"], C, "Devon")
    amend = _by_key(amendment_deadlines(date(2026, 2, 9)))
    add("reg22-2c", amend["amendment_comments"], C, "reg 22(2)(c)")
    add("reg22-3", amend["amended_final"], C, "reg 22(3)")
    add("reg22-4", amend["decides_not_to_amend"], C2, "reg 22(4)")
    add("reg18-1a", phase_transfer_deadline(TransferKind.SCHOOL_PHASE, transfer_year=2026), C,
        "reg 18(1)(a)")
    add("reg18-1b", phase_transfer_deadline(TransferKind.SECONDARY_TO_POST16,
                                            transfer_year=2027), C, "reg 18(1)(b)")
    add("reg18-2", phase_transfer_deadline(TransferKind.POST16_TO_POST16,
                                           move_date=date(2027, 1, 1)), C, "reg 18(2)")
    reassess = _by_key(reassessment_deadlines(date(2026, 1, 14), date(2026, 1, 29)))
    add("reassessment-15-days", reassess["reassessment_decision"], C2, "reg 25(1)")
    add("reg27", reassess["reassessment_final_plan"], C, "reg 27(2)")
    return out


CATALOGUE = _catalogue()
IDS = [c[0] for c in CATALOGUE]


@pytest.mark.parametrize(("deadline", "confidence", "source"), [c[1:] for c in CATALOGUE],
                         ids=IDS)
def test_deadline_has_label_source_explanation_and_the_spec_confidence(
        deadline: Deadline, confidence: Confidence, source: str) -> None:
    assert deadline.key.strip()
    assert deadline.label.strip()
    assert deadline.source.strip()
    assert deadline.explanation.strip()
    assert source in deadline.source
    assert deadline.confidence is confidence
    assert deadline.needs_check is (confidence is M)
    assert deadline.inputs, "every deadline records what it was computed from"


@pytest.mark.parametrize("deadline", [c[1] for c in CATALOGUE], ids=IDS)
def test_full_explanation_has_explanation_note_source_and_confidence(deadline: Deadline) -> None:
    full = deadline.full_explanation
    assert full.startswith(deadline.explanation)
    assert deadline.note in full
    assert f"Source: {deadline.source}." in full
    assert deadline.confidence.label in full


@pytest.mark.parametrize("deadline", [c[1] for c in CATALOGUE], ids=IDS)
def test_explanations_use_correct_long_dates_and_never_iso(deadline: Deadline) -> None:
    full = deadline.full_explanation
    assert not ISO.search(full), full
    assert not NUMERIC.search(full), full
    found = LONG_DATE.findall(deadline.explanation)
    assert found, deadline.explanation
    for weekday, day, month, year in found:
        real = date(int(year), MONTHS.index(month) + 1, int(day))
        assert real.strftime("%A") == weekday, f"{weekday} {day} {month} {year} is wrong"
    due_text = (f"{deadline.due.strftime('%A')} {deadline.due.day} "
                f"{MONTHS[deadline.due.month - 1]} {deadline.due.year}")
    assert due_text in deadline.explanation
    for name, value in deadline.inputs:
        assert name.strip()
        assert isinstance(value, date)


def test_confidence_labels() -> None:
    assert C.label == "Confirmed from the legislation"
    assert C2.label == "Confirmed by reputable secondary sources"
    assert M.label == "Not confirmed: check this date"
    assert Confidence.POLICY.label == "Set by the service's own policy"
    assert [c.value for c in Confidence] == ["C", "C2", "M", "P"]


def test_no_rule_in_the_catalogue_is_left_unconfirmed() -> None:
    flagged = [name for name, deadline, _, _ in CATALOGUE if deadline.needs_check]
    assert flagged == []


# --- explanation gaps --------------------------------------------------------------------------


def test_appeal_explains_a_clamped_certificate_month() -> None:
    result = appeal_deadline(date(2025, 12, 1), date(2026, 1, 31))
    assert result.due == date(2026, 3, 2)
    assert "no such day" in result.explanation


def test_post16_move_explains_a_clamped_month() -> None:
    result = phase_transfer_deadline(TransferKind.POST16_TO_POST16,
                                     move_date=date(2027, 7, 31))
    assert result.due == date(2027, 2, 28)
    assert "no such day" in result.explanation or "last day" in result.explanation
