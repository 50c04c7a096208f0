"""Every worked example in send-rules.md §7, one test each, through the public API of
adviser_app.domain.deadlines: exact dates, and explanations that name the key facts."""

from __future__ import annotations

import re
from datetime import date

from adviser_app.domain.statutory.working_days import ENGLAND
from adviser_app.domain.deadlines import (AgreedAction, Confidence, Deadline, TransferKind,
                                          after_agreement, amendment_deadlines, appeal_deadline,
                                          annual_review_deadlines, certificate_due,
                                          draft_plan_window, ehc_assessment_deadlines,
                                          mediation_adviser_contact_limit,
                                          mediation_arranged_by, phase_transfer_deadline)

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _by_key(items: list[Deadline]) -> dict[str, Deadline]:
    return {d.key: d for d in items}


def _assert_in_order(text: str, *parts: str) -> None:
    """Each part appears in the text, in this order."""
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} missing (in order) from: {text}"
        position = found + len(part)


def _clean(deadline: Deadline) -> None:
    assert not ISO.search(deadline.full_explanation), deadline.full_explanation


def test_example_1_no_mediation_certificate_contact_limit_and_appeal() -> None:
    letter, told = date(2025, 3, 3), date(2025, 3, 5)

    certificate = certificate_due(told, "no_mediation")
    assert certificate.due == date(2025, 3, 10)
    assert "reg 34(1)" in certificate.source
    assert certificate.confidence is Confidence.SECONDARY  # the 3-day figure is C2
    _assert_in_order(certificate.explanation, "3 working days", "Wednesday 5 March 2025",
                     "Monday 10 March 2025")
    assert "2 weekend days" in certificate.explanation

    contact = mediation_adviser_contact_limit(letter)
    assert contact.due == date(2025, 5, 3)  # a Saturday: no roll-forward
    assert not contact.rolled_forward
    assert "reg 33" in contact.source
    assert "Saturday 3 May 2025" in contact.explanation
    assert "does not move" in contact.explanation

    appeal = appeal_deadline(letter, certificate.due)
    assert appeal.due == date(2025, 5, 6)
    assert appeal.rolled_forward
    assert "r.20" in appeal.source and "r.12(2)" in appeal.source
    _assert_in_order(appeal.explanation, "Monday 3 March 2025", "Saturday 3 May 2025",
                     "Monday 10 March 2025", "Thursday 10 April 2025",
                     "2-month date stands", "a Saturday", "Monday 5 May",
                     "bank holiday", "Tuesday 6 May 2025")
    assert appeal.inputs == (("Decision letter sent", letter),
                             ("Mediation certificate issued", date(2025, 3, 10)))
    for deadline in (certificate, contact, appeal):
        _clean(deadline)


def test_example_2_ipsea_christmas_certificate() -> None:
    appeal = appeal_deadline(date(2025, 10, 1), date(2025, 11, 29))
    assert appeal.due == date(2026, 1, 2)
    assert appeal.rolled_forward
    assert "r.12(3)(a)" in appeal.source
    _assert_in_order(appeal.explanation, "Wednesday 1 October 2025", "Monday 1 December 2025",
                     "Saturday 29 November 2025", "Monday 29 December 2025",
                     "certificate date wins", "25 December and 1 January",
                     "first working day after 1 January", "Friday 2 January 2026")
    _clean(appeal)


def test_example_4_month_end_clamp_then_weekend() -> None:
    appeal = appeal_deadline(date(2025, 12, 31))
    assert appeal.due == date(2026, 3, 2)
    assert appeal.rolled_forward
    assert appeal.inputs == (("Decision letter sent", date(2025, 12, 31)),)
    _assert_in_order(appeal.explanation, "Wednesday 31 December 2025",
                     "Saturday 28 February 2026", "last day", "a Saturday",
                     "Monday 2 March 2026")
    assert "certificate" not in appeal.explanation
    _clean(appeal)


def test_example_5_mediation_held_no_agreement() -> None:
    arranged = mediation_arranged_by(date(2025, 11, 17))
    assert arranged.due == date(2025, 12, 17)
    assert arranged.confidence is Confidence.SECONDARY
    _assert_in_order(arranged.explanation, "30 calendar days", "Monday 17 November 2025",
                     "Wednesday 17 December 2025")

    certificate = certificate_due(date(2025, 12, 10), "mediation_concluded")
    assert certificate.due == date(2025, 12, 15)
    assert certificate.confidence is Confidence.SECONDARY
    _assert_in_order(certificate.explanation, "Wednesday 10 December 2025",
                     "the mediation concluded", "Monday 15 December 2025")

    appeal = appeal_deadline(date(2025, 11, 7), certificate.due)
    assert appeal.due == date(2026, 1, 15)
    assert not appeal.rolled_forward
    _assert_in_order(appeal.explanation, "Wednesday 7 January 2026",
                     "Monday 15 December 2025", "Thursday 15 January 2026",
                     "certificate date wins", "working day")
    for deadline in (arranged, certificate, appeal):
        _clean(deadline)


def test_example_10_agreement_to_amend_sections_b_and_f() -> None:
    items = after_agreement(date(2026, 1, 13), AgreedAction.AMEND_SEN_OR_PROVISION)
    assert len(items) == 1
    (amended,) = items
    assert amended.due == date(2026, 2, 17)
    assert "reg 42(2)" in amended.source and "reg 44(2)(e)" in amended.source
    _assert_in_order(amended.explanation, "5 weeks", "Tuesday 13 January 2026",
                     "Tuesday 17 February 2026")
    _clean(amended)


def test_example_12_agreement_resolving_a_refusal_to_assess() -> None:
    items = _by_key(after_agreement(date(2026, 3, 2), AgreedAction.ASSESS))
    assert list(items) == ["will_assess", "no_plan_reasons", "final_plan"]
    assert items["will_assess"].due == date(2026, 3, 16)
    assert items["no_plan_reasons"].due == date(2026, 5, 11)
    assert items["final_plan"].due == date(2026, 6, 8)
    assert "reg 44(2)(b)" in items["will_assess"].source
    assert "reg 44(2)(b)(i)" in items["no_plan_reasons"].source
    assert "reg 44(2)(b)(ii)" in items["final_plan"].source
    _assert_in_order(items["no_plan_reasons"].explanation, "10 weeks", "Monday 2 March 2026",
                     "Monday 11 May 2026")
    _assert_in_order(items["final_plan"].explanation, "14 weeks", "Monday 8 June 2026")
    for deadline in items.values():
        assert deadline.confidence is Confidence.CONFIRMED
        _clean(deadline)


def test_example_17_ehc_needs_assessment_request() -> None:
    items = ehc_assessment_deadlines(date(2025, 1, 13))
    assert set(items) == {"decide_whether_to_assess", "decide_no_plan", "final_plan"}
    assert items["decide_whether_to_assess"].due == date(2025, 2, 24)
    assert items["decide_no_plan"].due == date(2025, 5, 5)
    assert items["final_plan"].due == date(2025, 6, 2)
    # 5 May 2025 is the early May bank holiday, and the regulation date is not rolled
    assert ENGLAND.holiday_name(date(2025, 5, 5)) == "Early May bank holiday"
    assert not items["decide_no_plan"].rolled_forward
    assert "reg 5(1)" in items["decide_whether_to_assess"].source
    assert "reg 10(1)" in items["decide_no_plan"].source
    assert "reg 13(2)" in items["final_plan"].source
    _assert_in_order(items["decide_no_plan"].explanation, "16 weeks", "Monday 13 January 2025",
                     "Monday 5 May 2025")
    assert "do not move off weekends or bank holidays" in items["decide_no_plan"].note
    for deadline in items.values():
        _clean(deadline)


def test_example_18_draft_plan_fifteen_days_beginning_with_service() -> None:
    items = _by_key(draft_plan_window(date(2025, 5, 1)))
    assert items["draft_comments"].due == date(2025, 5, 15)
    assert items["draft_earliest_final"].due == date(2025, 5, 16)
    for deadline in items.values():
        assert "reg 13(1)" in deadline.source
        _clean(deadline)
    _assert_in_order(items["draft_comments"].explanation, "15 days beginning with",
                     "Thursday 1 May 2025", "day 1", "Thursday 15 May 2025")
    assert "Friday 16 May 2025" in items["draft_earliest_final"].explanation


def test_example_21_annual_review_and_amendment() -> None:
    review = _by_key(annual_review_deadlines(date(2026, 1, 14)))
    assert review["review_notice"].due == date(2025, 12, 31)
    assert review["review_advice"].due == date(2025, 12, 31)
    assert review["review_report"].due == date(2026, 1, 28)
    assert review["review_decision"].due == date(2026, 2, 11)
    assert review["review_cap"].due == date(2026, 4, 8)
    assert "reg 20(3)" in review["review_notice"].source
    assert "reg 20(4)" in review["review_advice"].source
    assert "reg 20(10)" in review["review_decision"].source
    assert "Devon" in review["review_cap"].source
    assert "Wednesday 31 December 2025" in review["review_notice"].explanation
    assert "Wednesday 8 April 2026" in review["review_cap"].explanation

    amend = _by_key(amendment_deadlines(date(2026, 2, 9)))
    assert amend["amendment_comments"].due == date(2026, 2, 23)
    assert amend["amended_final"].due == date(2026, 4, 6)
    # Easter Monday 2026, not rolled forward
    assert ENGLAND.holiday_name(date(2026, 4, 6)) == "Easter Monday"
    assert not amend["amended_final"].rolled_forward
    assert amend["amended_final"].due <= review["review_cap"].due
    assert "reg 22(2)(c)" in amend["amendment_comments"].source
    assert "reg 22(3)" in amend["amended_final"].source
    _assert_in_order(amend["amendment_comments"].explanation, "Monday 9 February 2026",
                     "Monday 23 February 2026")
    _assert_in_order(amend["amended_final"].explanation, "8 weeks", "Monday 9 February 2026",
                     "Monday 6 April 2026")
    for deadline in [*review.values(), *amend.values()]:
        _clean(deadline)


def test_example_22a_year_6_to_year_7() -> None:
    deadline = phase_transfer_deadline(TransferKind.SCHOOL_PHASE, transfer_year=2026)
    assert deadline.due == date(2026, 2, 14)
    assert "reg 18(1)(a)" in deadline.source
    _assert_in_order(deadline.explanation, "before 15 February 2026",
                     "Saturday 14 February 2026")
    assert "15 February" in deadline.note
    _clean(deadline)


def test_example_22b_year_11_to_college() -> None:
    deadline = phase_transfer_deadline(TransferKind.SECONDARY_TO_POST16, transfer_year=2027)
    assert deadline.due == date(2027, 3, 30)
    assert "reg 18(1)(b)" in deadline.source
    _assert_in_order(deadline.explanation, "before 31 March 2027", "Tuesday 30 March 2027")
    _clean(deadline)


def test_example_22c_post16_to_post16_move() -> None:
    deadline = phase_transfer_deadline(TransferKind.POST16_TO_POST16,
                                       move_date=date(2027, 1, 1))
    assert deadline.due == date(2026, 8, 1)
    assert "reg 18(2)" in deadline.source
    _assert_in_order(deadline.explanation, "5 months", "Friday 1 January 2027",
                     "Saturday 1 August 2026")
    _clean(deadline)
