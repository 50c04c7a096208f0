"""Graduated-approach actions on a real encrypted case book: one per adviser action, with the
gaps, reviews due and summary they produce, across closing and reopening."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from adviser_app.domain.graduated.cycles import CycleDetails, MeetingDetails, NextStep, Outcome, \
    Progress, Support
from adviser_app.domain.graduated.expectations import CheckMark, CheckStatus
from adviser_app.domain.graduated.passport import PassportDetails, TargetCheck, TargetStatus
from adviser_app.domain.records import CaseDetails, ChildDetails
from adviser_app.domain.vocab import CaseIssue, CaseState, ChildStatus
from adviser_app.services import casework, graduated
from adviser_app.store import cases, families
from adviser_app.store.errors import CaseBookError, RecordNotFound

TODAY = date(2026, 11, 28)
PARENTS_TOLD = "No record that parents were told SEN support started"


def new_child(db, surname: str = "Okafor") -> tuple[str, str]:
    child = ChildDetails(given_name="Tobi", family_name=surname,
                         date_of_birth=date(2017, 2, 9), status=ChildStatus.SEN_SUPPORT)
    case_id = casework.open_new_family_case(
        db, family_name=surname, person=None, children=[child],
        case=CaseDetails("Harriet Lowe", date(2026, 10, 5),
                         frozenset({CaseIssue.SEN_SUPPORT})), actor="t")
    family = families.get_family(db, cases.get_case(db, case_id).family_id)
    return case_id, family.children[0].id


def plan(child_id: str, **changes) -> CycleDetails:
    base = CycleDetails(child_id, assessed_on=date(2026, 1, 12), senco_involved=True,
                        planned_on=date(2026, 2, 2), outcomes=(Outcome("Use topic words"),),
                        support=(Support("Language group", "TA"),),
                        review_due=date(2026, 3, 27))
    return replace(base, **changes)


def texts(book_db, child_id: str) -> list[str]:
    return [g.text for g in graduated.overview(book_db, child_id, TODAY).gaps]


def test_recording_and_reviewing_a_cycle_changes_the_gaps_and_survives_reopen(book):
    case_id, child_id = new_child(book.db)
    cycle_id = graduated.record_cycle(book.db, plan(child_id), "Harriet")
    found = texts(book.db, child_id)
    assert PARENTS_TOLD in found
    assert "Review date passed with no review (cycle 1: due 27/03/2026)" in found
    graduated.change_cycle(book.db, cycle_id, plan(
        child_id, parents_told_on=date(2026, 2, 3), reviewed_on=date(2026, 3, 27),
        outcomes=(Outcome("Use topic words", Progress.SOME),), next_step=NextStep.ADJUST),
        "Harriet")
    db = book.reopen()
    found = texts(db, child_id)
    assert PARENTS_TOLD not in found
    assert not any(t.startswith("Review date passed") for t in found)
    (cycle,) = graduated.overview(db, child_id, TODAY).cycles
    assert cycle.details.next_step is NextStep.ADJUST and cycle.updated_by == "Harriet"
    # the case list sees the activity
    assert cases.get_case(db, case_id).updated_by == "Harriet"


def test_a_cycle_cannot_move_to_another_child_or_belong_to_nobody(book):
    _, child_id = new_child(book.db)
    _, other_id = new_child(book.db, "Mensah")
    cycle_id = graduated.record_cycle(book.db, plan(child_id), "t")
    with pytest.raises(CaseBookError, match="another child"):
        graduated.change_cycle(book.db, cycle_id, plan(other_id), "t")
    with pytest.raises(RecordNotFound):
        graduated.record_cycle(book.db, plan("no-such-child"), "t")
    graduated.remove_cycle(book.db, cycle_id, "t")
    assert graduated.overview(book.db, child_id, TODAY).cycles == []


def test_meetings_per_school_year_and_their_gap(book):
    _, child_id = new_child(book.db)
    graduated.record_cycle(book.db, plan(child_id, assessed_on=date(2025, 10, 1),
                                         planned_on=date(2025, 10, 8),
                                         review_due=date(2025, 12, 1)), "t")
    for day in (date(2025, 10, 8), date(2026, 2, 1)):
        graduated.record_meeting(book.db, MeetingDetails(child_id, day), "t")
    last = graduated.record_meeting(book.db, MeetingDetails(child_id, date(2026, 9, 1)), "t")
    years = graduated.overview(book.db, child_id, TODAY).years
    assert [(y.label, y.count) for y in years] == [("2025/26", 2), ("2026/27", 1)]
    assert "Only 2 parent meetings in school year 2025/26 (the Code expects at least 3)" in \
        texts(book.db, child_id)
    graduated.change_meeting(book.db, last, MeetingDetails(child_id, date(2026, 8, 31)), "t")
    db = book.reopen()
    assert [(y.label, y.count) for y in graduated.overview(db, child_id, TODAY).years] == [
        ("2025/26", 3), ("2026/27", 0)]
    assert "Fewer than three parent meetings this school year (0 so far in 2026/27)" in \
        texts(db, child_id)
    graduated.remove_meeting(db, last, "t")
    assert len(graduated.overview(db, child_id, TODAY).meetings) == 2


def test_an_adviser_mark_clears_a_gap_and_clearing_it_brings_it_back(book):
    _, child_id = new_child(book.db)
    graduated.record_cycle(book.db, plan(child_id), "t")
    graduated.mark_expectation(book.db, child_id, "parents_told", CheckMark(
        "parents_told", CheckStatus.MET, "Letter dated 03/02/2026 in Mrs Okafor's file"), "t")
    assert PARENTS_TOLD not in texts(book.db, child_id)
    db = book.reopen()
    assert PARENTS_TOLD not in texts(db, child_id)
    graduated.mark_expectation(db, child_id, "parents_told", None, "t")
    assert PARENTS_TOLD in texts(db, child_id)
    with pytest.raises(CaseBookError):
        graduated.mark_expectation(db, child_id, "nonsense", None, "t")
    with pytest.raises(CaseBookError):
        graduated.mark_expectation(db, child_id, "reports", CheckMark(
            "parents_told", CheckStatus.MET, "x"), "t")


def test_passport_and_targets_tracked_across_reviews(book):
    _, child_id = new_child(book.db)
    graduated.save_passport(book.db, child_id, PassportDetails(strengths="Lego"),
                            [(None, "Ask for help", date(2026, 2, 2))], "t")
    (target,) = graduated.overview(book.db, child_id, TODAY).targets
    graduated.record_target_review(book.db, [(target.id, TargetCheck(
        date(2026, 3, 27), TargetStatus.WORKING))], "t")
    graduated.record_target_review(book.db, [(target.id, TargetCheck(
        date(2026, 7, 10), TargetStatus.PARTLY, "most days"))], "t")
    graduated.save_passport(book.db, child_id, PassportDetails(strengths="Lego, drawing"),
                            [(target.id, "Ask an adult for help", date(2026, 2, 2))], "t")
    db = book.reopen()
    view = graduated.overview(db, child_id, TODAY)
    assert view.passport == PassportDetails(strengths="Lego, drawing")
    (kept,) = view.targets
    assert kept.description == "Ask an adult for help" and kept.status is TargetStatus.PARTLY
    assert len(kept.checks) == 2
    with pytest.raises(RecordNotFound):
        graduated.record_target_review(db, [("gone", TargetCheck(TODAY,
                                                                 TargetStatus.MET))], "t")


def test_reviews_due_appear_for_children_on_open_cases_only(book):
    case_id, child_id = new_child(book.db)
    graduated.record_cycle(book.db, plan(child_id, review_due=date(2027, 1, 15)), "t")
    reviewed = plan(child_id, assessed_on=date(2025, 9, 8), planned_on=date(2025, 9, 15),
                    review_due=date(2025, 12, 1), reviewed_on=date(2025, 12, 1))
    graduated.record_cycle(book.db, reviewed, "t")
    (row,) = graduated.open_review_rows(book.db)
    assert row.item.deadline.due == date(2027, 1, 15)
    assert row.item.deadline.label == "SEN support review (cycle 2)"
    assert row.item.deadline.source == "CoP 6.52\u20136.54 [C2/M]"
    assert (row.case_id, row.child_name, row.adviser, row.group) == (
        case_id, "Tobi Okafor", "Harriet Lowe", "SEN support reviews")
    cases.set_case_state(book.db, case_id, CaseState.CLOSED, date(2026, 11, 20), "Done", "t")
    assert graduated.open_review_rows(book.db) == []


def test_summary_content_for_an_ehc_request(book):
    _, child_id = new_child(book.db)
    graduated.record_cycle(book.db, plan(child_id), "t")
    graduated.save_passport(book.db, child_id, PassportDetails(own_words="I like Lego."),
                            [], "t")
    summary = graduated.summary(book.db, child_id, TODAY)
    assert summary.child_name == "Tobi Okafor"
    assert summary.position == "Cycle 1 of 1: Plan (review due 27/03/2026)"
    assert PARENTS_TOLD in [g.text for g in summary.gaps]
    assert [s.heading for s in summary.passport][-1] == "In my own words"
