"""The activity report on a case book with known cases: every figure checked exactly,
including the period's edges, a level changed mid-year and a child turning 16 in the year."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from adviser_app.domain.figures import Report, shown
from adviser_app.domain.figures_facts import financial_year
from adviser_app.domain.figures_suppression import equations, leaking, protect
from adviser_app.pdf.report import render_report
from adviser_app.services import case_progress, reports
from adviser_app.store.db import Database
from report_book import Known, build

YEAR = financial_year(2025)  # 1 April 2025 to 31 March 2026
Q1, Q2, Q3, Q4, ALL = range(5)


@pytest.fixture
def known(db: Database) -> Known:
    return build(db)


@pytest.fixture
def report(db: Database, known: Known) -> Report:
    return reports.activity(db, YEAR)


def values(report: Report, section: str) -> dict[str, tuple[int, ...]]:
    return {f.key.split(".", 1)[1]: f.values for f in report.section(section).figures}


def behind(report: Report, key: str, known: Known, column: int = ALL) -> set[str]:
    names = {v: k for k, v in known.ids.items()}
    return {names[c] for c in report.figure(key).cases[column]}


def test_columns_are_the_quarters_then_the_year(report: Report) -> None:
    assert [c.label for c in report.columns] == ["Q1 2025/26", "Q2 2025/26", "Q3 2025/26",
                                                 "Q4 2025/26", "2025/26"]
    assert report.columns[Q4].start.isoformat() == "2026-01-01"


def test_contacts_and_cases(report: Report, known: Known) -> None:
    assert values(report, "activity") == {
        #                Q1 Q2 Q3 Q4 year
        "contacts":     (3, 0, 1, 2, 6),
        "new":          (1, 0, 0, 1, 2),   # D on 5/5/2025; A on the year's last day
        "worked":       (3, 2, 2, 2, 4),   # B closed on the first day still counts
        "closed":       (1, 0, 1, 0, 2),
        "open_end":     (2, 2, 1, 1, 1),
        "inactive_end": (0, 0, 0, 1, 1),   # C inactive from 1/2/2026
    }
    assert behind(report, "activity.worked", known) == {"A", "B", "C", "D"}
    assert behind(report, "activity.new", known, Q4) == {"A"}
    assert behind(report, "activity.closed", known, Q1) == {"B"}
    assert behind(report, "activity.contacts", known) == {"A", "B", "C", "D"}


def test_a_year_not_yet_ended_is_counted_to_today(db: Database, known: Known) -> None:
    """Found walking the manager's journey: on 06/12/2026 the 2026/27 report counted 15 cases
    "worked on" and "open at the end" in Q4, a quarter that had not started. Made on
    15/11/2025, the 2025/26 report counts to that day: later records are not counted yet."""
    from datetime import date

    report = reports.activity(db, YEAR, today=date(2025, 11, 15))
    assert [c.label for c in report.columns] == [
        "Q1 2025/26", "Q2 2025/26", "Q3 2025/26 so far", "Q4 2025/26 not started",
        "2025/26 so far"]
    assert report.counted_to == date(2025, 11, 15)
    assert report.quarters_add_up
    assert values(report, "activity") == {
        #                Q1 Q2 Q3 Q4 year
        "contacts":     (3, 0, 1, 0, 4),   # C's online meeting on 1/11; A's call is to come
        "new":          (1, 0, 0, 0, 1),   # D; A opens on 31/3/2026
        "worked":       (3, 2, 2, 0, 3),
        "closed":       (1, 0, 0, 0, 1),   # D closes on 1/12/2025, after today
        "open_end":     (2, 2, 2, 0, 2),   # C and D, counted on 15/11/2025
        "inactive_end": (0, 0, 0, 0, 0),   # C is inactive from 1/2/2026
    }
    assert behind(report, "activity.open_end", known) == {"C", "D"}
    for section in report.sections:
        assert all(f.values[Q4] == 0 for f in section.figures), section.key
    assert report.columns[Q4].title == "Q4 2025/26 not started (from 01/01/2026)"
    assert reports.activity(db, YEAR, today=date(2026, 3, 31)).counted_to is None
    assert report.how_much_counted(in_a_file=False) == (
        "Counted to 15/11/2025: the period has not ended.")


def test_a_year_not_yet_started_says_so_not_the_day_before_it(db: Database) -> None:
    """Found walking the manager's journey: a report for a year to come said "Counted to
    31/03/2025", the day before the year starts, as if part of it had been counted."""
    from datetime import date

    report = reports.activity(db, YEAR, today=date(2025, 2, 10))
    assert report.how_much_counted(in_a_file=False) == (
        "The period has not started yet: nothing is counted.")
    assert "Counted to" not in report.how_much_counted(in_a_file=True)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_report(
        report))).pages)
    assert "had not started when this report was made" in " ".join(text.split())
    assert "Counted to" not in text
    ended = reports.activity(db, YEAR, today=date(2026, 4, 1))
    assert ended.how_much_counted(in_a_file=True) == ""


def test_contacts_by_way(report: Report) -> None:
    assert values(report, "contact_ways") == {
        "phone": (0, 0, 0, 2, 2), "email": (0, 0, 0, 0, 0), "home_visit": (1, 0, 0, 0, 1),
        "meeting": (1, 0, 0, 0, 1), "online": (0, 0, 1, 0, 1), "letter": (1, 0, 0, 0, 1)}


def test_level_is_the_one_on_the_last_day_or_at_closing(report: Report, known: Known) -> None:
    assert values(report, "level") == {
        "1": (0, 0, 0, 0, 0),
        "2": (1, 1, 0, 1, 1),   # C was level 2 until 15/10/2025; A is level 2
        "3": (1, 0, 0, 0, 1),   # B, closed at level 3
        "4": (0, 0, 1, 1, 1),   # C from 15/10/2025
        "none": (1, 1, 1, 0, 1),  # D (open 5/5 to 1/12/2025): no level
    }
    assert behind(report, "level.2", known, Q1) == {"C"}
    assert behind(report, "level.4", known) == {"C"}


def test_issues_and_areas_of_need(report: Report) -> None:
    issues = values(report, "issue")
    assert {k: v[ALL] for k, v in issues.items() if v[ALL]} == {
        "ehc_assessment": 1, "annual_review": 1, "ehc_plan_content": 1, "tribunal_appeal": 1,
        "other": 1}
    assert values(report, "need") == {
        "communication_interaction": (0, 0, 0, 1, 1), "cognition_learning": (1, 1, 1, 1, 1),
        "social_emotional_mental_health": (1, 1, 1, 1, 1), "sensory_physical": (1, 0, 0, 0, 1),
        "none": (1, 1, 1, 0, 1)}


def test_children_by_age_phase_and_local_authority(report: Report, known: Known) -> None:
    assert values(report, "age") == {
        "0-4": (1, 1, 1, 0, 1),     # D's child, 3 when the case closed
        "5-10": (0, 0, 0, 1, 1),    # A's child
        "11-15": (2, 1, 0, 0, 1),   # B's child (15 at closing); C's child until 20/11/2025
        "16-18": (0, 0, 1, 1, 1),   # C's child turned 16 on 20/11/2025
        "19-25": (0, 0, 0, 0, 0), "26+": (0, 0, 0, 0, 0)}
    assert behind(report, "age.16-18", known) == {"C"}
    assert values(report, "phase") == {
        "Early years": (1, 1, 1, 0, 1), "Primary": (0, 0, 0, 1, 1),
        "Secondary": (2, 1, 1, 1, 2), "Post-16": (0, 0, 0, 0, 0),
        "Not in education": (0, 0, 0, 0, 0), "Other": (0, 0, 0, 0, 0),
        "Not recorded": (0, 0, 0, 0, 0)}
    las = {f.label: f.values for f in report.section("la").figures}
    assert las == {"Bradford": (1, 1, 1, 1, 1), "Leeds": (1, 0, 0, 1, 2),
                   "Not recorded": (1, 1, 1, 0, 1)}
    assert [f.label for f in report.section("la").figures][-1] == "Not recorded"


def test_service_user_and_how_they_heard(report: Report) -> None:
    assert values(report, "service_user") == {
        "parent_carer": (0, 0, 0, 1, 1), "young_person": (1, 0, 0, 0, 1),
        "child": (0, 0, 0, 0, 0), "professional": (1, 1, 1, 1, 1), "none": (1, 1, 1, 0, 1)}
    heard = values(report, "heard_from")
    assert {k: v for k, v in heard.items() if any(v)} == {
        "school": (0, 0, 0, 1, 1), "none": (1, 0, 0, 0, 1)}  # new cases only: A and D


def test_mediation_and_appeals(report: Report, known: Known) -> None:
    assert values(report, "appeals") == {
        "certificates": (0, 1, 0, 0, 1), "mediations": (0, 1, 0, 0, 1),
        "agreement": (0, 0, 0, 0, 0), "no_agreement": (0, 1, 0, 0, 1),
        "la_cannot_arrange": (0, 0, 0, 0, 0),
        "registered": (0, 0, 1, 0, 1),  # C's appeal, registered on 1/10/2025 (quarter 3)
        "orders": (0, 0, 0, 1, 1),
        "order.assess": (0, 0, 0, 0, 0), "order.make_plan": (0, 0, 0, 0, 0),
        "order.amend_b_f": (0, 0, 0, 1, 1), "order.change_school": (0, 0, 0, 0, 0),
        "order.continue_plan": (0, 0, 0, 0, 0), "order.cease_plan": (0, 0, 0, 0, 0),
        "unopposed": (0, 0, 0, 0, 0)}
    assert behind(report, "appeals.orders", known) == {"C"}
    assert behind(report, "appeals.registered", known) == {"C"}


def test_time_by_the_level_on_the_day(report: Report, known: Known) -> None:
    assert report.section("time").minutes
    assert values(report, "time") == {
        "1": (0, 0, 0, 0, 0),
        "2": (90, 0, 0, 30, 120),  # C's meeting on 1/6/2025 (level 2 then), A's call
        "3": (60, 0, 0, 0, 60),    # B's home visit on 1/4/2025
        "4": (0, 0, 45, 0, 45),    # C's online meeting on 1/11/2025 (level 4 by then)
        "none": (0, 0, 0, 0, 0)}
    assert behind(report, "time.2", known) == {"A", "C"}
    assert values(report, "untimed") == {"untimed": (1, 0, 0, 1, 2)}


def test_outcomes_and_evaluation(db: Database, report: Report) -> None:
    outcomes = values(report, "outcome")
    assert {k: v for k, v in outcomes.items() if any(v)} == {
        "Agreement reached with the school or setting": (1, 0, 0, 0, 1),
        "none": (0, 0, 1, 0, 1)}  # D closed with no outcome recorded
    q = case_progress.questions(db)
    assert {f.label: f.values for f in report.section("evaluation").figures} == {
        f"{q[0]}: Yes": (1, 0, 0, 0, 1), f"{q[1]}: Partly": (1, 0, 0, 0, 1),
        f"{q[2]}: Not answered": (1, 0, 0, 0, 1)}


def test_answers_keep_the_wording_they_were_asked_with(db: Database, known: Known) -> None:
    case_progress.save_lists(db, case_progress.outcomes(db), ["A new question?"], "Manager")
    report = reports.activity(db, YEAR)
    labels = [f.label for f in report.section("evaluation").figures]
    assert any(label.startswith("Did we help you understand") for label in labels)
    assert all(not label.startswith("A new question?") for label in labels)  # none asked yet


def test_small_numbers_are_shown_as_fewer_than_5() -> None:
    assert [shown(n, suppress=True) for n in (0, 1, 4, 5, 12)] == [
        "0", "fewer than 5", "fewer than 5", "5", "12"]
    assert [shown(n, suppress=False) for n in (0, 1, 4, 5)] == ["0", "1", "4", "5"]
    assert shown(125, suppress=True, minutes=True) == "2:05"  # time is not a count


def test_a_period_that_is_not_a_financial_year_has_one_column(db: Database,
                                                              known: Known) -> None:
    from datetime import date

    from adviser_app.domain.figures_facts import Period

    report = reports.activity(db, Period(date(2026, 3, 31), date(2026, 4, 1), "Two days"))
    assert len(report.columns) == 1
    assert values(report, "activity")["new"] == (2,)  # A on 31/3, E on 1/4
    assert values(report, "activity")["contacts"] == (1,)  # A's call; E's was on 2/4


def test_a_case_reopened_comes_back_active(db: Database, known: Known) -> None:
    from datetime import date

    from adviser_app.services import casework
    from adviser_app.store import cases

    case_id = known.ids["C"]
    casework.close_case(db, case_id, date(2026, 3, 1), "", "t")
    casework.reopen_case(db, case_id, "t", date(2026, 4, 10))
    assert not cases.get_case(db, case_id).inactive
    report = reports.activity(db, financial_year(2026))
    assert case_id in report.figure("activity.open_end").cases[-1]


def test_every_declared_sum_holds_on_the_known_case_book(report: Report) -> None:
    """Hiding small numbers relies on the report's sums: each must be true of real figures
    (a false one would hide the wrong cells and leave a leak)."""
    eqs = equations(report)
    assert len(eqs) > 40
    values = {(f.key, c): v for s in report.sections for f in s.figures
              for c, v in enumerate(f.values)}
    for e in eqs:
        assert sum(k * values[c] for c, k in e.terms) == 0, e.why
    assert report.quarters_add_up


def test_no_small_count_can_be_worked_out_from_the_export(report: Report) -> None:
    protection = protect(report)
    assert protection.small
    values = {(f.key, c): v for s in report.sections for f in s.figures
              for c, v in enumerate(f.values)}
    assert leaking(equations(report), values, set(protection.small),
                   set(protection.also_hidden)) == []
    # hiding the small counts alone leaks on this case book
    assert leaking(equations(report), values, set(protection.small), set()) != []
