"""Statutory events on a real encrypted case book: deadlines derived, marked, reopened."""

from __future__ import annotations

from datetime import date

import pytest

from adviser_app.domain.statutory.event_form import event_from_form
from adviser_app.domain.statutory.events import DeadlineState, EventDetails, EventKind
from adviser_app.domain.records import CaseDetails, ChildDetails
from adviser_app.domain.statutory.ehc_plan_rules import TransferKind
from adviser_app.domain.statutory.mediation_rules import AgreedAction
from adviser_app.domain.vocab import CaseIssue, ChildStatus
from adviser_app.services import casework, statutory
from adviser_app.store import cases, families
from adviser_app.store.errors import CaseBookError

TODAY = date(2026, 11, 28)


def new_case(db, surname: str = "Okafor") -> tuple[str, str]:
    child = ChildDetails(given_name="Tobi", family_name=surname,
                         date_of_birth=date(2017, 3, 14), status=ChildStatus.SEN_SUPPORT)
    case_id = casework.open_new_family_case(
        db, family_name=surname, person=None, children=[child],
        case=CaseDetails("Sam", date(2025, 1, 2), frozenset({CaseIssue.EHC_ASSESSMENT})),
        actor="t")
    family = families.get_family(db, cases.get_case(db, case_id).family_id)
    return case_id, family.children[0].id


def by_key(items):
    return {i.deadline.key: i for i in items}


def test_request_gives_the_three_assessment_deadlines_and_survives_reopen(book):
    case_id, child_id = new_case(book.db)
    statutory.record_event(book.db, case_id, EventDetails(
        EventKind.EHC_REQUEST_RECEIVED, date(2025, 1, 13), child_id), "t")
    db = book.reopen()
    items = by_key(statutory.case_deadlines(db, case_id))
    assert items["decide_whether_to_assess"].deadline.due == date(2025, 2, 24)
    assert items["decide_no_plan"].deadline.due == date(2025, 5, 5)
    assert items["final_plan"].deadline.due == date(2025, 6, 2)
    assert all(i.is_open for i in items.values())


def test_a_later_event_meets_the_deadline_and_a_refusal_voids_the_rest(book):
    case_id, child_id = new_case(book.db)
    statutory.record_event(book.db, case_id, EventDetails(
        EventKind.EHC_REQUEST_RECEIVED, date(2025, 1, 13), child_id), "t")
    statutory.record_event(book.db, case_id, EventDetails(
        EventKind.ASSESSMENT_DECISION, date(2025, 2, 20), child_id, {"outcome": "refuse"}), "t")
    items = by_key(statutory.case_deadlines(book.db, case_id))
    assert items["decide_whether_to_assess"].state is DeadlineState.MET
    assert items["decide_whether_to_assess"].state_on == date(2025, 2, 20)
    assert items["final_plan"].state is DeadlineState.NOT_APPLICABLE
    # the refusal is appealable: contact limit and appeal deadline appear
    assert items["contact_mediation_adviser"].deadline.due == date(2025, 4, 20)
    assert items["appeal"].deadline.due == date(2025, 4, 22)  # Sun 20 Apr, Easter Mon 21


def test_changing_an_event_date_recomputes(book):
    case_id, child_id = new_case(book.db)
    event_id = statutory.record_event(book.db, case_id, EventDetails(
        EventKind.DRAFT_PLAN_SERVED, date(2025, 5, 1), child_id), "t")
    statutory.change_event(book.db, event_id, EventDetails(
        EventKind.DRAFT_PLAN_SERVED, date(2025, 5, 2), child_id), "t")
    assert by_key(statutory.case_deadlines(book.db, case_id))["draft_comments"].deadline.due \
        == date(2025, 5, 16)


def test_marks_met_and_not_applicable_and_clearing(book):
    case_id, child_id = new_case(book.db)
    event_id = statutory.record_event(book.db, case_id, EventDetails(
        EventKind.ADVICE_REQUESTED, date(2026, 10, 1), child_id), "t")
    with pytest.raises(CaseBookError, match="date it was met"):
        statutory.mark_deadline(book.db, event_id, "advice_due", DeadlineState.MET, on=None,
                                reason="", actor="t", today=TODAY)
    with pytest.raises(CaseBookError, match="why"):
        statutory.mark_deadline(book.db, event_id, "advice_due",
                                DeadlineState.NOT_APPLICABLE, on=None, reason=" ", actor="t",
                                today=TODAY)
    statutory.mark_deadline(book.db, event_id, "advice_due", DeadlineState.MET,
                            on=date(2026, 11, 2), reason="", actor="t", today=TODAY)
    db = book.reopen()
    item = by_key(statutory.case_deadlines(db, case_id))["advice_due"]
    assert (item.state, item.state_on) == (DeadlineState.MET, date(2026, 11, 2))
    assert statutory.open_deadlines(db) == []
    statutory.mark_deadline(db, event_id, "advice_due", DeadlineState.OPEN, on=None,
                            reason="", actor="t", today=TODAY)
    assert [r.item.deadline.key for r in statutory.open_deadlines(db)] == ["advice_due"]


def test_open_deadlines_cover_open_cases_only(book):
    case_id, child_id = new_case(book.db)
    other_id, other_child = new_case(book.db, "Nowak")
    statutory.record_event(book.db, case_id, EventDetails(
        EventKind.TRIBUNAL_ORDER, date(2026, 11, 2), child_id,
        {"action": AgreedAction.CHANGE_SCHOOL.value}), "t")
    statutory.record_event(book.db, other_id, EventDetails(
        EventKind.TRIBUNAL_ORDER, date(2026, 11, 2), other_child,
        {"action": AgreedAction.CHANGE_SCHOOL.value}), "t")
    casework.close_case(book.db, other_id, date(2026, 11, 20), "", "t")
    rows = statutory.open_deadlines(book.db)
    assert [(r.family_name, r.child_name, r.item.deadline.due) for r in rows] == [
        ("Okafor", "Tobi Okafor", date(2026, 11, 16))]


def test_event_for_another_familys_child_is_refused(book):
    case_id, _ = new_case(book.db)
    _, stranger = new_case(book.db, "Nowak")
    with pytest.raises(CaseBookError, match="not in this case's family"):
        statutory.record_event(book.db, case_id, EventDetails(
            EventKind.ADVICE_REQUESTED, date(2026, 10, 1), stranger), "t")


def test_extra_bank_holiday_changes_working_day_sums(book):
    case_id, child_id = new_case(book.db)
    statutory.record_event(book.db, case_id, EventDetails(
        EventKind.ASSESSMENT_DECISION, date(2026, 11, 2), child_id, {"outcome": "refuse"}),
        "t")
    before = by_key(statutory.case_deadlines(book.db, case_id))["appeal"].deadline.due
    assert before == date(2027, 1, 4)  # 2 Jan 2027 is Saturday: first WD after 1 Jan
    statutory.add_extra_holiday(book.db, date(2027, 1, 4), "Proclaimed holiday")
    db = book.reopen()
    assert statutory.calendar_for(db).holiday_name(date(2027, 1, 4)) == "Proclaimed holiday"
    assert by_key(statutory.case_deadlines(db, case_id))["appeal"].deadline.due == \
        date(2027, 1, 5)
    with pytest.raises(CaseBookError, match="weekend"):
        statutory.add_extra_holiday(db, date(2027, 1, 2), "Saturday")


def test_event_form_validation():
    details, problems = event_from_form(kind=EventKind.PHASE_TRANSFER, event_date="01/09/2026",
                                        child_id="c", transfer_kind=TransferKind.SCHOOL_PHASE,
                                        transfer_year="27", today=TODAY)
    assert details is None and "four digits" in problems[0].message
    details, problems = event_from_form(kind=EventKind.ASSESSMENT_DECISION,
                                        event_date="31/02/2026", child_id=None, today=TODAY)
    assert {p.field for p in problems} == {"event_date", "child", "outcome"}
    details, problems = event_from_form(kind=EventKind.TRIBUNAL_ORDER, event_date="02/11/2026",
                                        child_id="c", action=AgreedAction.MAKE_PLAN,
                                        today=TODAY)
    assert details is not None and details.params == {"action": "make_plan"}
    _, problems = event_from_form(kind=EventKind.FINAL_PLAN_ISSUED, event_date="01/12/2026",
                                  child_id="c", today=TODAY)
    assert "future" in problems[0].message


def test_a_discrimination_record_is_described_by_the_conduct_date() -> None:
    from adviser_app.domain.mediation import Decision, MediationDraft
    from adviser_app.services import mediation

    draft = MediationDraft(decision=Decision.DISCRIMINATION, conduct_on=date(2026, 3, 10))
    assert mediation.describe(draft) == ("Disability discrimination by a school, conduct on "
                                         "10/03/2026")
