"""Cycles, stages, school years, review dates and the cycle and meeting forms."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from adviser_app.domain.statutory.deadline import Confidence
from adviser_app.domain.graduated.cycles import (
    CYCLE, CycleDetails, Evidence, EvidenceKind, Meeting,
                                          MeetingDetails, NextStep, Outcome, Progress, Stage,
                                          Support, number_cycles, stage_of)
from adviser_app.domain.graduated.due_reviews import REVIEW_KEY, review_deadline, reviews_due
from adviser_app.domain.graduated.expectations import CheckStatus
from adviser_app.domain.graduated.forms import (CycleForm, EvidenceRow, OutcomeRow, SupportRow,
                                                check_mark_from_form, cycle_from_form,
                                                meeting_from_form)
from adviser_app.domain.graduated.school_years import (meetings_by_year, school_year_label,
                                                school_year_of)

TODAY = date(2026, 11, 28)


# --- stages ---------------------------------------------------------------------------------


def test_stages_run_in_order() -> None:
    assert CYCLE == (Stage.ASSESS, Stage.PLAN, Stage.DO, Stage.REVIEW)


def test_stage_of_a_cycle_is_the_furthest_reached() -> None:
    d = CycleDetails("c", assessed_on=date(2026, 1, 5))
    assert stage_of(d) is Stage.ASSESS
    d = replace(d, planned_on=date(2026, 2, 2))
    assert stage_of(d) is Stage.PLAN
    d = replace(d, provision=(Support("Group"),))
    assert stage_of(d) is Stage.DO
    assert stage_of(replace(d, reviewed_on=date(2026, 3, 27))) is Stage.REVIEW


def test_cycles_are_numbered_by_start_date() -> None:
    later = CycleDetails("c", planned_on=date(2026, 4, 20))
    earlier = CycleDetails("c", assessed_on=date(2026, 1, 5))
    numbered = number_cycles([("b", later, "", ""), ("a", earlier, "", "")])
    assert [(c.id, c.number) for c in numbered] == [("a", 1), ("b", 2)]


# --- school years ---------------------------------------------------------------------------


@pytest.mark.parametrize("day,year", [
    (date(2026, 8, 31), 2025), (date(2026, 9, 1), 2026), (date(2027, 1, 1), 2026),
    (date(2026, 12, 31), 2026), (date(2027, 8, 31), 2026)])
def test_school_year_runs_from_1_september_to_31_august(day: date, year: int) -> None:
    assert school_year_of(day) == year


def test_school_year_labels_and_bounds() -> None:
    assert school_year_label(2025) == "2025/26"
    assert school_year_label(1999) == "1999/00"
    assert school_year_of(date(2025, 9, 1)) == school_year_of(date(2026, 8, 31)) == 2025
    assert school_year_of(date(2026, 9, 1)) == 2026


def _meetings(*days: date) -> list[Meeting]:
    return [Meeting(str(n), MeetingDetails("c", d)) for n, d in enumerate(days)]


def test_meetings_counted_per_school_year_including_empty_years() -> None:
    years = meetings_by_year(_meetings(date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2)),
                             since=date(2024, 10, 1), today=TODAY)
    assert [(y.label, y.count, y.complete) for y in years] == [
        ("2024/25", 0, True), ("2025/26", 1, True), ("2026/27", 2, False)]


def test_meetings_after_today_are_not_counted_and_nothing_means_no_years() -> None:
    assert meetings_by_year([], None, TODAY) == []
    years = meetings_by_year(_meetings(date(2026, 12, 1)), since=date(2026, 10, 1), today=TODAY)
    assert [(y.label, y.count) for y in years] == [("2026/27", 0)]


def test_the_year_today_is_in_is_not_complete_until_it_ends() -> None:
    on_31_august = meetings_by_year([], date(2025, 9, 1), date(2026, 8, 31))
    on_1_september = meetings_by_year([], date(2025, 9, 1), date(2026, 9, 1))
    assert [(y.label, y.complete) for y in on_31_august] == [("2025/26", False)]
    assert [(y.label, y.complete) for y in on_1_september] == [("2025/26", True),
                                                               ("2026/27", False)]


# --- reviews due ----------------------------------------------------------------------------


def test_unreviewed_cycle_with_an_agreed_date_is_due_with_its_source() -> None:
    (cycle,) = number_cycles([("a", CycleDetails("c", planned_on=date(2026, 11, 12),
                                                  review_due=date(2027, 1, 15)), "", "")])
    deadline = review_deadline(cycle, "An")
    assert deadline is not None
    assert deadline.key == REVIEW_KEY and deadline.due == date(2027, 1, 15)
    assert deadline.source == "CoP 6.52\u20136.54 [C2/M]"
    assert deadline.confidence is Confidence.SECONDARY and not deadline.needs_check
    assert "review An's SEN support on Friday 15 January 2027" in deadline.explanation
    assert "Thursday 12 November 2026" in deadline.explanation
    assert "6.54" in deadline.full_explanation


def test_reviewed_or_undated_cycles_are_not_due() -> None:
    plan = CycleDetails("c", planned_on=date(2026, 2, 2), review_due=date(2026, 3, 27))
    found = number_cycles([("a", replace(plan, reviewed_on=date(2026, 3, 27)), "", ""),
                           ("b", CycleDetails("c", planned_on=date(2026, 4, 20)), "", ""),
                           ("c", replace(plan, planned_on=date(2026, 9, 7),
                                         review_due=date(2026, 11, 10)), "", "")])
    assert [(r.cycle.id, r.deadline.due) for r in reviews_due(found)] == [
        ("c", date(2026, 11, 10))]


# --- the cycle form -------------------------------------------------------------------------


def test_a_full_cycle_form_is_cleaned_and_blank_rows_dropped() -> None:
    form = CycleForm(
        child_id="c", assessed_on="12/01/2026", assessed_by=" Mrs Farrant (SENCO) ",
        senco_involved=True,
        evidence=(EvidenceRow(EvidenceKind.TEACHER_ASSESSMENT, "Observation", "Mrs Farrant",
                              "12/01/2026"), EvidenceRow(EvidenceKind.OTHER)),
        planned_on="02/02/2026", outcomes=(OutcomeRow("Use topic words", Progress.SOME),
                                           OutcomeRow("")),
        support=(SupportRow("Language group", "TA", "3 times a week", "03/02/2026"),),
        review_due="27/03/2026", provision=(SupportRow("Language group", "TA"),),
        reviewed_on="27/03/2026", parent_views="Pleased", next_step=NextStep.ADJUST)
    details, problems = cycle_from_form(form, TODAY)
    assert problems == []
    assert details is not None
    assert details.assessed_by == "Mrs Farrant (SENCO)"
    assert details.evidence == (Evidence(EvidenceKind.TEACHER_ASSESSMENT, "Observation",
                                         "Mrs Farrant", date(2026, 1, 12)),)
    assert details.outcomes == (Outcome("Use topic words", Progress.SOME),)
    assert details.support[0].starts_on == date(2026, 2, 3)
    assert stage_of(details) is Stage.REVIEW


def _problems(**fields: object) -> dict[str, str]:
    values: dict[str, object] = {"child_id": "c"} | fields
    details, problems = cycle_from_form(CycleForm(**values), TODAY)  # type: ignore[arg-type]
    assert (details is None) == bool(problems)
    return {p.field: p.message for p in problems}


def test_a_cycle_needs_a_start_date() -> None:
    assert _problems() == {"assessed_on": "Give the date of the assessment or of the plan, so "
                                          "the cycle can be put in order."}
    # a mistyped date is explained once, not twice
    assert _problems(assessed_on="30/02/2026") == {
        "assessed_on": "Date of the assessment: 30 February 2026 doesn't exist."}


def test_stage_order_is_enforced() -> None:
    assert _problems(assessed_on="12/01/2026", planned_on="05/01/2026") == {
        "planned_on": "The plan can't be before the assessment (12/01/2026)."}
    assert _problems(assessed_on="12/01/2026", parents_told_on="05/01/2026") == {
        "parents_told_on": "Parents can't have been told about SEN support before the "
                           "assessment (12/01/2026)."}
    assert _problems(planned_on="02/02/2026", review_due="02/02/2026") == {
        "review_due": "The review date must be after the plan (02/02/2026)."}
    assert "provision" in _problems(assessed_on="12/01/2026",
                                    provision=(SupportRow("Group"),))
    assert _problems(planned_on="02/02/2026", next_step=NextStep.CONTINUE) == {
        "reviewed_on": "Give the date of the review: progress, views and the next step are "
                       "recorded at the review."}
    assert _problems(assessed_on="12/01/2026", reviewed_on="27/03/2026") == {
        "planned_on": "A review looks at a plan: give the date of the plan it reviewed."}
    assert _problems(planned_on="02/02/2026", reviewed_on="01/02/2026") == {
        "reviewed_on": "The review can't be before the plan (02/02/2026)."}


def test_dates_in_the_future_except_the_review_date_are_refused() -> None:
    found = _problems(assessed_on="01/12/2026", planned_on="02/12/2026",
                      review_due="01/03/2027")
    assert set(found) == {"assessed_on", "planned_on"}
    assert "can't be in the future" in found["assessed_on"]


def test_evidence_rows_need_what_who_and_when() -> None:
    found = _problems(assessed_on="12/01/2026", evidence=(
        EvidenceRow(EvidenceKind.DATA, "Reading age", "", "12/01/2026"),
        EvidenceRow(None, "Parents' call", "Mrs Okafor", "31/02/2026")))
    assert set(found) == {"evidence"}
    _, problems = cycle_from_form(CycleForm("c", assessed_on="12/01/2026", evidence=(
        EvidenceRow(EvidenceKind.DATA, "Reading age", "", "12/01/2026"),
        EvidenceRow(None, "Parents' call", "Mrs Okafor", "31/02/2026"))), TODAY)
    assert [p.message for p in problems] == [
        "Evidence row 1: who it is from can't be left empty.",
        "Evidence row 2: date: 31 February 2026 doesn't exist.",
        "Evidence row 2: choose what kind of evidence it is."]


def test_support_rows_need_what() -> None:
    _, problems = cycle_from_form(CycleForm("c", planned_on="02/02/2026", support=(
        SupportRow("", "TA", "daily"),)), TODAY)
    assert [p.message for p in problems] == ["Support row 1: what can't be left empty."]


# --- meetings and marks ---------------------------------------------------------------------


def test_meeting_form() -> None:
    details, problems = meeting_from_form(child_id="c", met_on="", today=TODAY)
    assert details is None and problems[0].message == "Date of the meeting is needed " \
                                                      "(dd/mm/yyyy)."
    details, problems = meeting_from_form(child_id="c", met_on="31/08/2026", led_by="Ms Lee",
                                          senco_present=True, today=TODAY)
    assert problems == [] and details == MeetingDetails("c", date(2026, 8, 31), "Ms Lee", True)


def test_an_adviser_mark_needs_evidence_and_clearing_needs_none() -> None:
    mark, problems = check_mark_from_form(key="parents_told", status=CheckStatus.MET,
                                          evidence="  ")
    assert mark is None and problems[0].field == "evidence"
    mark, problems = check_mark_from_form(key="parents_told", status=CheckStatus.NOT_KNOWN,
                                          evidence="")
    assert problems == [] and mark is not None and mark.status is CheckStatus.NOT_KNOWN
    assert check_mark_from_form(key="parents_told", status=None, evidence="") == (None, [])
    assert check_mark_from_form(key="nonsense", status=None, evidence="")[1]
