"""The checklist of the Code's expectations and every gap rule derived from the records."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from adviser_app.domain.graduated.cycles import (
    Cycle, CycleDetails, Evidence, EvidenceKind, Meeting,
                                          MeetingDetails, NextStep, Outcome, Progress, Support,
                                          number_cycles)
from adviser_app.domain.graduated.checks import (checklist, gaps, little_progress,
                                                 review_missing)
from adviser_app.domain.graduated.expectations import (EXPECTATIONS, CheckMark, CheckStatus,
                                                       join_words)

TODAY = date(2026, 11, 28)
E = EvidenceKind


def full_cycle(start: date, **changes: Any) -> CycleDetails:
    """A cycle a school did by the book: every gap rule is satisfied."""
    plan = start.replace(day=start.day + 7)
    month = plan.month + 2
    review = date(plan.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    base = CycleDetails(
        child_id="c1", assessed_on=start, assessed_by="Class teacher with the SENCO",
        senco_involved=True,
        evidence=(Evidence(E.TEACHER_ASSESSMENT, "Observation", "Ms Lee", start),
                  Evidence(E.PARENT_VIEWS, "Parents' meeting", "Mrs Okafor", start),
                  Evidence(E.PUPIL_VIEWS, "All about me sheet", "Tobi", start)),
        planned_on=plan, parents_told_on=plan, agreed_with_parents=True,
        outcomes=(Outcome("Use topic words", Progress.GOOD),),
        support=(Support("Language group", "TA", "3 times a week", plan),),
        review_due=review, on_passport=True,
        provision=(Support("Language group", "TA", "3 times a week", plan),),
        senco_support="Fortnightly check-in with the class teacher",
        reviewed_on=review, parent_views="Happy", pupil_views="Likes the group",
        next_step=NextStep.CONTINUE)
    return replace(base, **changes)


def cycles(*details: CycleDetails) -> list[Cycle]:
    return number_cycles([(f"id{n}", d, "", "") for n, d in enumerate(details)])


def meetings(*days: date) -> list[Meeting]:
    return [Meeting(f"m{n}", MeetingDetails("c1", day)) for n, day in enumerate(days)]


GOOD_MEETINGS = meetings(date(2025, 9, 20), date(2026, 1, 20), date(2026, 5, 20),
                         date(2026, 10, 1), date(2026, 11, 1), date(2026, 11, 20))


def gap_texts(found: list[Cycle], met: list[Meeting] | None = None,
              marks: list[CheckMark] | None = None, today: date = TODAY) -> list[str]:
    return [g.text for g in gaps(checklist(found, GOOD_MEETINGS if met is None else met,
                                           marks or [], today))]


def status(found: list[Cycle], key: str, met: list[Meeting] | None = None) -> CheckStatus:
    rows = checklist(found, GOOD_MEETINGS if met is None else met, [], TODAY)
    return {r.expectation.key: r for r in rows}[key].status


def test_a_school_that_did_everything_has_no_gaps() -> None:
    found = cycles(full_cycle(date(2025, 10, 1)), full_cycle(date(2026, 3, 2)))
    assert gap_texts(found) == []
    rows = checklist(found, GOOD_MEETINGS, [], TODAY)
    assert [r.expectation.key for r in rows] == [e.key for e in EXPECTATIONS]
    derived = {r.expectation.key: r.status for r in rows if r.expectation.derived}
    assert all(s is CheckStatus.MET for k, s in derived.items() if k != "specialists"), derived
    assert derived["specialists"] is CheckStatus.NOT_KNOWN  # never needed, never involved


def test_nothing_recorded_means_not_known_not_gaps() -> None:
    rows = checklist([], [], [], TODAY)
    assert {r.status for r in rows} == {CheckStatus.NOT_KNOWN}
    assert gaps(rows) == []


# --- one test per gap rule ------------------------------------------------------------------


def test_no_record_that_parents_were_told() -> None:
    found = cycles(full_cycle(date(2025, 10, 1), parents_told_on=None),
                   full_cycle(date(2026, 3, 2), parents_told_on=None))
    assert "No record that parents were told SEN support started" in gap_texts(found)
    told_later = cycles(full_cycle(date(2025, 10, 1), parents_told_on=None),
                        full_cycle(date(2026, 3, 2)))
    assert "No record that parents were told SEN support started" not in gap_texts(told_later)


def test_review_date_passed_with_no_review() -> None:
    found = cycles(full_cycle(date(2026, 9, 7), reviewed_on=None, parent_views="",
                              pupil_views="", next_step=None,
                              outcomes=(Outcome("Use topic words"),)))
    due = found[0].details.review_due
    assert due == date(2026, 11, 1)
    assert "Review date passed with no review (cycle 1: due 01/11/2026)" in gap_texts(found)
    # the day it is due is not yet "passed"
    assert not any("Review date passed" in t for t in gap_texts(found, today=due))
    assert status(found, "reviewed") is CheckStatus.NOT_MET


def test_a_cycle_not_reviewed_before_the_next_began() -> None:
    found = cycles(full_cycle(date(2025, 10, 1), reviewed_on=None, parent_views="",
                              pupil_views="", next_step=None,
                              outcomes=(Outcome("Use topic words"),)),
                   full_cycle(date(2026, 3, 2)))
    assert "Cycle 1 was not reviewed before cycle 2 began" in gap_texts(found)


def test_two_cycles_with_little_progress_and_no_specialist() -> None:
    slow = dict(outcomes=(Outcome("Read 50 words", Progress.LITTLE),
                          Outcome("Write a sentence", Progress.SOME)),
                next_step=NextStep.ADJUST)
    found = cycles(full_cycle(date(2025, 10, 1), **slow), full_cycle(date(2026, 3, 2), **slow))
    text = "Two cycles with little progress and no specialist involved (cycles 1 and 2)"
    assert text in gap_texts(found)
    # one slow cycle is not enough
    one = cycles(full_cycle(date(2025, 10, 1), **slow), full_cycle(date(2026, 3, 2)))
    assert not any("little progress" in t for t in gap_texts(one))
    three = cycles(*(full_cycle(date(2025, m, 1), **slow) for m in (1, 4, 7)))
    assert "Three cycles with little progress and no specialist involved (cycles 1, 2 and 3)" \
        in gap_texts(three)
    # a specialist's report in either cycle clears it
    report = Evidence(E.SPECIALIST_REPORT, "Educational psychologist", "Dr Rao",
                      date(2026, 2, 20))
    seen = cycles(full_cycle(date(2025, 10, 1), **slow),
                  full_cycle(date(2026, 3, 2), evidence=full_cycle(date(2026, 3, 2)).evidence
                             + (report,), **slow))
    assert not any("little progress" in t for t in gap_texts(seen))
    assert status(seen, "specialists") is CheckStatus.MET


def test_little_progress_means_nothing_met_and_half_or_more_little() -> None:
    def with_progress(*levels: Progress | None) -> Cycle:
        return cycles(full_cycle(date(2025, 10, 1), outcomes=tuple(
            Outcome(f"o{n}", p) for n, p in enumerate(levels))))[0]

    assert little_progress(with_progress(Progress.LITTLE))
    assert little_progress(with_progress(Progress.LITTLE, Progress.SOME))
    assert not little_progress(with_progress(Progress.LITTLE, Progress.SOME, Progress.SOME))
    assert not little_progress(with_progress(Progress.LITTLE, Progress.GOOD))
    assert not little_progress(with_progress(None, None))


def test_a_specialist_decided_on_but_never_involved() -> None:
    found = cycles(full_cycle(date(2026, 1, 12), next_step=NextStep.SPECIALIST))
    reviewed = found[0].details.reviewed_on
    assert f"The review on {reviewed:%d/%m/%Y} (cycle 1) decided to involve a specialist, " \
           "but no specialist involvement is recorded since" in gap_texts(found)
    report = Evidence(E.SPECIALIST_REPORT, "Speech and language therapy", "NHS SALT",
                      date(2026, 9, 30))
    later = cycles(full_cycle(date(2026, 1, 12), next_step=NextStep.SPECIALIST),
                   full_cycle(date(2026, 9, 7), evidence=(report,) + full_cycle(
                       date(2026, 9, 7)).evidence))
    assert not any("decided to involve a specialist" in t for t in gap_texts(later))
    # a report added to the same cycle counts only if it came after the review
    before = replace(report, given_on=date(2026, 2, 1))
    for evidence, gap in ((report, False), (before, True)):
        same = cycles(full_cycle(date(2026, 1, 12), next_step=NextStep.SPECIALIST,
                                 evidence=full_cycle(date(2026, 1, 12)).evidence + (evidence,)))
        assert any("decided to involve a specialist" in t for t in gap_texts(same)) is gap


def test_fewer_than_three_parent_meetings_this_school_year() -> None:
    found = cycles(full_cycle(date(2025, 10, 1)))
    met = meetings(date(2025, 10, 1), date(2026, 2, 1), date(2026, 6, 1), date(2026, 10, 5))
    assert gap_texts(found, met) == [
        "Fewer than three parent meetings this school year (1 so far in 2026/27)"]


def test_a_past_school_year_with_too_few_or_no_meetings() -> None:
    found = cycles(full_cycle(date(2024, 10, 1)))
    met = meetings(date(2025, 10, 1), date(2026, 2, 1), date(2026, 9, 10), date(2026, 10, 1),
                   date(2026, 11, 1))
    assert gap_texts(found, met) == [
        "No parent meetings recorded in school year 2024/25 (the Code expects at least 3)",
        "Only 2 parent meetings in school year 2025/26 (the Code expects at least 3)"]


def test_meeting_on_31_august_counts_for_the_year_that_ends() -> None:
    found = cycles(full_cycle(date(2025, 10, 1)))
    autumn = [date(2026, 9, 10), date(2026, 10, 1), date(2026, 11, 1)]
    two = [date(2025, 10, 1), date(2026, 2, 1)]
    on_31_august = meetings(*two, date(2026, 8, 31), *autumn)
    on_1_september = meetings(*two, date(2026, 9, 1), *autumn)
    assert gap_texts(found, on_31_august) == []
    assert gap_texts(found, on_1_september) == [
        "Only 2 parent meetings in school year 2025/26 (the Code expects at least 3)"]


def test_plan_missing_outcomes_review_date_and_agreement() -> None:
    found = cycles(full_cycle(date(2025, 10, 1), outcomes=(), review_due=None,
                              agreed_with_parents=False))
    assert "Cycle 1's plan (08/10/2025) doesn't record agreed outcomes, a review date and " \
           "that it was agreed with the parents" in gap_texts(found)


def test_assessment_without_senco_data_or_views() -> None:
    found = cycles(full_cycle(date(2025, 10, 1), senco_involved=False, evidence=(
        Evidence(E.OTHER, "Note from the office", "Admin", date(2025, 10, 1)),)))
    texts = gap_texts(found)
    assert "Cycle 1: no record that the SENCO was involved in the assessment" in texts
    assert "Cycle 1: the assessment records no teacher assessment or data" in texts
    assert "Cycle 1: the assessment includes neither the parents' views nor the pupil's " \
           "views" in texts
    parents_only = cycles(full_cycle(date(2025, 10, 1), evidence=(
        Evidence(E.DATA, "Reading age", "Ms Lee", date(2025, 10, 1)),
        Evidence(E.PARENT_VIEWS, "Call", "Mrs O", date(2025, 10, 1)))))
    assert gap_texts(parents_only) == ["Cycle 1: the assessment doesn't include the pupil's "
                                       "views"]


def test_plan_with_no_assessment() -> None:
    found = cycles(full_cycle(date(2025, 10, 1), assessed_on=None))
    assert "Cycle 1: no record of an assessment before the plan" in gap_texts(found)


def test_support_not_delivered_or_without_senco() -> None:
    found = cycles(full_cycle(date(2025, 10, 1), provision=(), senco_support=""))
    assert "Cycle 1: no record of the support actually delivered" in gap_texts(found)
    no_senco = cycles(full_cycle(date(2025, 10, 1), senco_support=""))
    assert gap_texts(no_senco) == ["Cycle 1: no record of the SENCO supporting the teacher"]
    # a plan whose review is not yet due (or due today) is not short of delivery records
    fresh = cycles(full_cycle(date(2026, 9, 7), provision=(), senco_support="",
                              reviewed_on=None, parent_views="", pupil_views="",
                              next_step=None, outcomes=(Outcome("o"),)))
    due = fresh[0].details.review_due
    assert due is not None
    assert not any("delivered" in t for t in gap_texts(fresh, today=due))
    assert any("delivered" in t for t in gap_texts(fresh, today=due.replace(day=2)))


def test_incomplete_review() -> None:
    found = cycles(full_cycle(date(2025, 10, 1), outcomes=(
        Outcome("a", Progress.GOOD), Outcome("b")), parent_views="", next_step=None))
    assert "The review on 01/12/2025 (cycle 1) doesn't record progress on 1 of 2 outcomes, " \
           "the parents' views and a next step" in gap_texts(found)
    assert review_missing(found[0]) == ["progress on 1 of 2 outcomes", "the parents' views",
                                        "a next step"]
    no_pupil = cycles(full_cycle(date(2025, 10, 1), pupil_views=""))
    assert gap_texts(no_pupil) == ["The review on 01/12/2025 (cycle 1) doesn't record the "
                                   "pupil's views"]


def test_not_on_a_passport_or_provision_map() -> None:
    found = cycles(full_cycle(date(2025, 10, 1), on_passport=False))
    assert gap_texts(found) == ["Cycle 1's support isn't recorded on a pupil passport or "
                                "provision map (good practice, not a legal duty)"]
    mapped = cycles(full_cycle(date(2025, 10, 1), on_passport=False, on_provision_map=True))
    assert gap_texts(mapped) == []


# --- adviser marks --------------------------------------------------------------------------


def test_adviser_mark_overrides_what_the_records_show() -> None:
    found = cycles(full_cycle(date(2025, 10, 1), parents_told_on=None))
    mark = CheckMark("parents_told", CheckStatus.MET, "Letter to parents dated 09/10/2025")
    assert "No record that parents were told SEN support started" not in gap_texts(
        found, marks=[mark])
    row = {r.expectation.key: r for r in checklist(found, GOOD_MEETINGS, [mark], TODAY)}[
        "parents_told"]
    assert row.found.status is CheckStatus.NOT_MET and row.status is CheckStatus.MET
    assert row.evidence[0] == "Adviser: Letter to parents dated 09/10/2025"


@pytest.mark.parametrize("key,expected", [
    ("reports", "No regular reports to parents (only the July report)"),
    ("concerns", "Parents' concerns not taken seriously (only the July report)"),
])
def test_expectations_only_an_adviser_can_judge(key: str, expected: str) -> None:
    found = cycles(full_cycle(date(2025, 10, 1)))
    assert status(found, key) is CheckStatus.NOT_KNOWN
    mark = CheckMark(key, CheckStatus.NOT_MET, "only the July report.")
    assert gap_texts(found, marks=[mark]) == [expected]


def test_join_words() -> None:
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b"]) == "a and b"
    assert join_words(["a", "b", "c"]) == "a, b and c"
