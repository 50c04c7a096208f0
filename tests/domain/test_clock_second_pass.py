"""Issue 20, the statutory clock's second pass: worked examples computed by hand on a calendar
(the reasoning is beside each), and a property test of the Tribunal's rule 12(3)(b) count."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adviser_app.domain.statutory.child_clock import DueItem, deadlines_for_event, one_decision
from adviser_app.domain.statutory.deadline import Confidence
from adviser_app.domain.deadlines import (AgreedAction, UnopposedAppeal, after_order,
                                          annual_review_due, discrimination_claim_deadline,
                                          tribunal_act_due, unopposed_appeal_deadlines)
from adviser_app.domain.statutory.events import (
    DeadlineMark, DeadlineState, EventDetails, EventKind,
                                       StatutoryEvent)
from adviser_app.domain.mediation import (Action, Choice, Decision, Issue, MediationDraft,
                                          Outcome, Step, actions_for, problems, rights)
from adviser_app.domain.statutory.disagreement_dates import mediation_dates

C, C2, M = Confidence.CONFIRMED, Confidence.SECONDARY, Confidence.UNCONFIRMED


def _by_key(draft: MediationDraft) -> dict[str, object]:
    return {x.deadline.key: x for x in mediation_dates(draft)}


# --- 1. an agreement never hides the appeal deadline ---------------------------------------------

PARTIAL = MediationDraft(
    child_id="c", decision=Decision.PLAN_CONTENTS, sections=frozenset({"B", "F", "I"}),
    letter_sent=date(2025, 11, 7), choice=Choice.MEDIATION, adviser_told=date(2025, 11, 10),
    issues=frozenset({Issue.EDUCATION}), la_told=date(2025, 11, 17),
    mediation_date=date(2025, 12, 10), outcome=Outcome.PARTIAL_AGREEMENT,
    concluded=date(2025, 12, 10), certificate_issued=date(2025, 12, 15),
    still_open="Section I (the school named)",
    actions=(Action("Amend Sections B and F", AgreedAction.AMEND_SEN_OR_PROVISION),))


def test_partial_agreement_keeps_the_appeal_deadline_worded_for_what_is_open() -> None:
    # Letter Fri 7 Nov 2025: 2 months on is Wed 7 Jan 2026. Certificate Mon 15 Dec 2025:
    # 1 month on is Thu 15 Jan 2026, the later, a working day: the appeal deadline.
    dates = _by_key(PARTIAL)
    appeal = dates["appeal"].deadline
    assert appeal.due == date(2026, 1, 15)
    assert "not agreed" in appeal.label
    assert "Section I (the school named)" in appeal.note
    # the certificate is still due after mediation: 3 working days after Wed 10 Dec 2025 are
    # Thu 11, Fri 12, Mon 15 December; it was issued that day, so it is met
    assert dates["certificate_mediation_concluded"].deadline.due == date(2025, 12, 15)
    assert dates["certificate_mediation_concluded"].state is DeadlineState.MET
    # and the agreed amendment: 5 weeks after Wed 10 Dec 2025 is Wed 14 Jan 2026
    assert dates["action1:amended_plan"].deadline.due == date(2026, 1, 14)


def test_full_agreement_keeps_the_appeal_deadline_too() -> None:
    full = PARTIAL.with_(outcome=Outcome.AGREEMENT, still_open="")
    appeal = _by_key(full)["appeal"].deadline
    assert appeal.due == date(2026, 1, 15)
    assert "if still needed" in appeal.label and "Everything was agreed" in appeal.note


def test_partial_agreement_needs_the_open_issues_and_the_actions() -> None:
    bare = PARTIAL.with_(still_open=" ", actions=())
    fields = {p.field for p in problems(bare, Step.OUTCOME, date(2026, 1, 1))}
    assert fields == {"still_open", "actions"}


# --- 2. unopposed appeals: each decision its own limb of reg 45 ---------------------------------

@pytest.mark.parametrize(("appealed", "expected", "confidence"), [
    # LA tells the Tribunal on Wed 14 Jan 2026 that it will not oppose.
    # +2 weeks Wed 28 Jan; +10 weeks Wed 25 Mar; +14 weeks Wed 22 Apr 2026.
    (UnopposedAppeal.ASSESS, [date(2026, 1, 28), date(2026, 3, 25), date(2026, 4, 22)], C),
    # refusal to issue: draft in 5 weeks (Wed 18 Feb), final in 11 weeks: 77 days on from
    # 14 Jan is 31 Jan (+17), 28 Feb (+45), 31 Mar (+76), so Wed 1 April 2026.
    (UnopposedAppeal.MAKE_PLAN, [date(2026, 2, 18), date(2026, 4, 1)], C2),
    (UnopposedAppeal.CONTENTS, [date(2026, 2, 18)], C),
    (UnopposedAppeal.SECTION_I, [date(2026, 1, 28)], C2),  # 2 weeks
    (UnopposedAppeal.SECTION_I_AND_CONTENTS, [date(2026, 2, 18)], C2),  # 5 weeks
    (UnopposedAppeal.CEASE, [date(2026, 1, 14)], C2),  # keep maintaining, from that day
    (UnopposedAppeal.CEASE_AND_AMEND, [date(2026, 1, 14), date(2026, 2, 18)], C2),
])
def test_unopposed_appeal_limbs(appealed: UnopposedAppeal, expected: list[date],
                                confidence: Confidence) -> None:
    items = unopposed_appeal_deadlines(date(2026, 1, 14), appealed)
    assert [d.due for d in items] == expected
    assert {d.confidence for d in items} == {confidence}
    assert all(("SI 2015/359" in d.source) for d in items)
    assert all(("SENDIASS" in d.source) is (confidence is C2) for d in items)


def _event(kind: EventKind, day: date, params: dict[str, object] | None = None,
           event_id: str = "e1", child: str = "c") -> StatutoryEvent:
    return StatutoryEvent(event_id, "case", EventDetails(kind, day, child, params or {}))


def test_an_unopposed_event_uses_the_decision_appealed() -> None:
    found = deadlines_for_event(_event(EventKind.UNOPPOSED_APPEAL, date(2026, 1, 14),
                                       {"appealed": "make_plan"}))
    assert [d.key for d in found] == ["unopposed_draft_plan", "unopposed_final_plan"]


def test_an_older_unopposed_event_without_the_decision_says_check_this_date() -> None:
    found = deadlines_for_event(_event(EventKind.UNOPPOSED_APPEAL, date(2026, 1, 14),
                                       {"contents": False}))
    assert found and all(d.needs_check for d in found)
    assert all("which decision was appealed" in d.note for d in found)


# --- 3. health-only mediation in the wizard -----------------------------------------------------

HEALTH_ONLY = MediationDraft(
    child_id="c", decision=Decision.HEALTH_CARE, letter_sent=date(2026, 3, 20),
    choice=Choice.MEDIATION, issues=frozenset({Issue.HEALTH}), la_told=date(2026, 4, 2))


def test_health_only_shows_the_3_day_notice_and_counts_30_days_from_the_health_body() -> None:
    # LA hears Thu 2 Apr 2026; Good Friday 3 Apr and Easter Monday 6 Apr are bank holidays:
    # Tue 7 (1), Wed 8 (2), Thu 9 April (3). Not yet told: 30 days from Thu 9 April is
    # Sat 9 May 2026.
    dates = _by_key(HEALTH_ONLY)
    assert dates["health_body_told"].deadline.due == date(2026, 4, 9)
    assert dates["mediation_arranged"].deadline.due == date(2026, 5, 9)
    assert "not known yet" in dates["mediation_arranged"].deadline.explanation
    # told on Tue 7 April: 30 days on is Thu 7 May 2026, and the notice is met
    told = _by_key(HEALTH_ONLY.with_(health_body_told=date(2026, 4, 7)))
    assert told["mediation_arranged"].deadline.due == date(2026, 5, 7)
    assert told["health_body_told"].state is DeadlineState.MET


# --- 5. one decision, one set of dates -----------------------------------------------------------

def test_a_decision_in_both_places_has_one_appeal_deadline_and_keeps_its_marks() -> None:
    # Refusal to assess, letter Mon 3 Mar 2025, recorded as an event and in the wizard.
    # Certificate issued Thu 10 Apr 2025: 1 month on is Sat 10 May; 2 months from the letter
    # is Sat 3 May; the later, Sat 10 May, is not a working day: Mon 12 May 2025.
    event = _event(EventKind.ASSESSMENT_DECISION, date(2025, 3, 3), {"outcome": "refuse"})
    draft = MediationDraft(child_id="c", decision=Decision.REFUSE_ASSESS,
                           letter_sent=date(2025, 3, 3), choice=Choice.CERTIFICATE_ONLY,
                           certificate_issued=date(2025, 4, 10))
    record = _event(EventKind.DISAGREEMENT, date(2025, 3, 3), event_id="disagreement:d1")
    event_items = [DueItem(event, d) for d in deadlines_for_event(event)]
    # the adviser marked the event's contact limit met on Tue 4 March
    event_items = [DueItem(i.event, i.deadline, DeadlineState.MET, date(2025, 3, 4), "Rang")
                   if i.deadline.key == "contact_mediation_adviser" else i
                   for i in event_items]
    wizard_items = [DueItem(record, x.deadline, x.state, x.on, x.reason)
                    for x in mediation_dates(draft)]
    merged = one_decision(event_items + wizard_items)
    appeals = [i for i in merged if i.deadline.key == "appeal"]
    assert [(i.event.id, i.deadline.due) for i in appeals] == [("disagreement:d1",
                                                                date(2025, 5, 12))]
    contact = [i for i in merged if i.deadline.key == "contact_mediation_adviser"]
    assert len(contact) == 1 and contact[0].state is DeadlineState.MET  # never re-opened


def test_a_different_decision_keeps_its_own_dates() -> None:
    event = _event(EventKind.ASSESSMENT_DECISION, date(2025, 1, 6), {"outcome": "refuse"})
    record = _event(EventKind.DISAGREEMENT, date(2025, 3, 3), event_id="disagreement:d1")
    draft = MediationDraft(child_id="c", decision=Decision.REFUSE_PLAN,
                           letter_sent=date(2025, 3, 3))
    items = [DueItem(event, d) for d in deadlines_for_event(event)] + [
        DueItem(record, x.deadline) for x in mediation_dates(draft)]
    assert len([i for i in one_decision(items) if i.deadline.key == "appeal"]) == 2


# --- 6. disability discrimination: a claim, 6 months, no mediation ------------------------------

@pytest.mark.parametrize(("conduct", "due"), [
    # "6 months starting with" Tue 10 Mar 2026: the day before Thu 10 Sep 2026 is Wed 9 Sep.
    (date(2026, 3, 10), date(2026, 9, 9)),
    # Mon 31 Aug 2026: there is no 31 February 2027, so the period runs to Sun 28 Feb 2027
    # (not moved off the weekend: the Tribunal's rules do not set this limit).
    (date(2026, 8, 31), date(2027, 2, 28)),
    # Thu 1 Jan 2026: the day before Wed 1 Jul 2026 is Tue 30 Jun 2026.
    (date(2026, 1, 1), date(2026, 6, 30)),
])
def test_discrimination_claim_six_months_starting_with_the_conduct(conduct: date,
                                                                   due: date) -> None:
    result = discrimination_claim_deadline(conduct)
    assert result.due == due
    assert "Sch 17 para 4" in result.source
    assert "not an appeal" in result.note and "late claim" in result.note


def test_discrimination_has_no_mediation_dates_even_after_a_mediation_choice() -> None:
    draft = MediationDraft(child_id="c", decision=Decision.DISCRIMINATION,
                           conduct_on=date(2026, 3, 10), letter_sent=date(2026, 3, 12),
                           choice=Choice.MEDIATION, issues=frozenset({Issue.EDUCATION}),
                           la_told=date(2026, 3, 13), adviser_told=date(2026, 3, 13))
    assert [(x.deadline.key, x.deadline.due) for x in mediation_dates(draft)] == [
        ("discrimination_claim", date(2026, 9, 9))]
    r = rights(Decision.DISCRIMINATION)
    assert r.claim and not r.appeal and not r.certificate_needed
    assert "not an appeal" in r.explanation and "6 months" in r.explanation


# --- 4. annual review ---------------------------------------------------------------------------

def test_a_final_plan_event_gives_the_day_before_the_anniversary() -> None:
    # Plan made Fri 10 Oct 2025: the 12 months starting with it end Fri 9 Oct 2026.
    found = {d.key: d for d in deadlines_for_event(_event(EventKind.FINAL_PLAN_ISSUED,
                                                          date(2025, 10, 10)))}
    assert found["annual_review_due"].due == date(2026, 10, 9)
    assert annual_review_due(date(2025, 10, 10)).due == date(2026, 10, 9)


# --- 7. other Tribunal time limits (r.12(3)(b)) -------------------------------------------------

@pytest.mark.parametrize(("start", "days", "due"), [
    # Mon 20 Jul 2026 + 30: 21-31 July give 9 (21,22,23,24,27,28,29,30,31); August is not
    # counted; September: 1,2,3,4 (13), 7-11 (18), 14-18 (23), 21-25 (28), 28 (29), 29 (30).
    (date(2026, 7, 20), 30, date(2026, 9, 29)),
    # Fri 18 Dec 2026 + 10: 21, 22, 23, 24 Dec (4); 25 Dec-1 Jan not counted; Sat 2 and Sun
    # 3 Jan; 4-8 Jan (9); Mon 11 Jan 2027 (10).
    (date(2026, 12, 18), 10, date(2027, 1, 11)),
    # Mon 2 Mar 2026 + 5, nothing excluded: Tue 3 to Mon 9 March 2026.
    (date(2026, 3, 2), 5, date(2026, 3, 9)),
])
def test_tribunal_act_due_worked_examples(start: date, days: int, due: date) -> None:
    result = tribunal_act_due(start, days)
    assert result.due == due
    assert "r.12(3)(b)" in result.source


def _plain_count(start: date, n: int) -> date:
    """Day by day: a day counts if it is Monday to Friday, not an English bank holiday, not
    in August and not 25 December to 1 January."""
    table = holidays.country_holidays("GB", subdiv="ENG", years=range(start.year,
                                                                      start.year + 3))
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if (day.weekday() < 5 and day not in table and day.month != 8
                and not ((day.month == 12 and day.day >= 25) or (day.month, day.day) == (1, 1))):
            counted += 1
    return day


@settings(max_examples=300, deadline=None)
@given(start=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
       n=st.integers(min_value=0, max_value=60))
def test_tribunal_act_due_matches_a_plain_day_by_day_count(start: date, n: int) -> None:
    assert tribunal_act_due(start, n).due == _plain_count(start, n)


# --- 10. smaller ones ---------------------------------------------------------------------------

def test_contact_limit_is_met_only_by_contacting_the_mediation_adviser() -> None:
    only_la = MediationDraft(child_id="c", decision=Decision.REFUSE_PLAN,
                             letter_sent=date(2025, 11, 7), choice=Choice.MEDIATION,
                             issues=frozenset({Issue.EDUCATION}), la_told=date(2025, 11, 17))
    assert _by_key(only_la)["contact_mediation_adviser"].state is DeadlineState.OPEN
    told = _by_key(only_la.with_(adviser_told=date(2025, 11, 14)))
    assert told["contact_mediation_adviser"].state is DeadlineState.MET


def test_a_30_day_limit_passed_before_mediation_is_missed_not_met() -> None:
    # LA told Mon 17 Nov 2025: arrange by Wed 17 Dec 2025. Mediation held Fri 19 Dec.
    late = MediationDraft(child_id="c", decision=Decision.REFUSE_PLAN,
                          letter_sent=date(2025, 11, 7), choice=Choice.MEDIATION,
                          issues=frozenset({Issue.EDUCATION}), la_told=date(2025, 11, 17),
                          mediation_date=date(2025, 12, 19))
    arranged = _by_key(late)["mediation_arranged"]
    assert arranged.deadline.due == date(2025, 12, 17)
    assert arranged.state is DeadlineState.MISSED and "Missed" in arranged.reason
    on_time = _by_key(late.with_(mediation_date=date(2025, 12, 17)))["mediation_arranged"]
    assert on_time.state is DeadlineState.MET


def test_order_limits_count_from_the_date_of_the_order_and_say_when_it_was_sent() -> None:
    # Order dated Fri 30 Oct 2026, sent Tue 3 Nov 2026; amend B/F within 5 weeks of the
    # order: 35 days after 30 Oct is Fri 4 Dec 2026.
    (result,) = after_order(date(2026, 10, 30), AgreedAction.AMEND_SEN_OR_PROVISION,
                            date(2026, 11, 3))
    assert result.due == date(2026, 12, 4)
    assert "the Tribunal's order of Friday 30 October 2026" in result.explanation
    assert "sent on Tuesday 3 November 2026" in result.note
    found = deadlines_for_event(_event(EventKind.TRIBUNAL_ORDER, date(2026, 10, 30),
                                       {"action": "amend_b_f", "sent": "2026-11-03"}))
    assert found[0].due == date(2026, 12, 4) and "sent on" in found[0].note


def test_the_action_list_fits_the_decision() -> None:
    assert actions_for(Decision.REFUSE_ASSESS) == [AgreedAction.ASSESS,
                                                   AgreedAction.NOT_APPEALABLE]
    assert actions_for(Decision.PLAN_CONTENTS, frozenset({"B", "F"})) == [
        AgreedAction.AMEND_SEN_OR_PROVISION, AgreedAction.NOT_APPEALABLE]
    assert actions_for(Decision.HEALTH_CARE) == [AgreedAction.NOT_APPEALABLE]


def test_a_person_can_mark_a_wizard_date_met() -> None:
    draft = PARTIAL.with_(marks=(DeadlineMark("", "action1:amended_plan", DeadlineState.MET,
                                              date(2026, 1, 12), ""),))
    item = _by_key(draft)["action1:amended_plan"]
    assert item.state is DeadlineState.MET and item.on == date(2026, 1, 12)


# --- 7. appeal registered: the LA's response as an estimate -------------------------------------

def test_appeal_registered_meets_the_appeal_deadline_and_estimates_the_response() -> None:
    # Registered Mon 20 Jul 2026: 30 Tribunal working days (no August) is Tue 29 Sep 2026
    # (see the worked example for tribunal_act_due above).
    draft = MediationDraft(child_id="c", decision=Decision.PLAN_CONTENTS,
                           sections=frozenset({"I"}), letter_sent=date(2026, 6, 1),
                           appeal_registered=date(2026, 7, 20))
    dates = _by_key(draft)
    assert dates["appeal"].state is DeadlineState.MET
    response = dates["la_response"].deadline
    assert response.due == date(2026, 9, 29)
    assert "estimate" in response.label
    assert "the Tribunal's letter gives the date that counts" in response.note
    assert response.confidence is C2
    assert "registered on Monday 20 July 2026" in response.explanation


# --- 8. a decision not to amend after a notice (reg 22(4)) --------------------------------------

def test_a_decision_not_to_amend_after_a_notice_is_appealable_and_meets_reg_22_4() -> None:
    # Notice Mon 9 Feb 2026; decision not to amend after all, letter Mon 2 Mar 2026:
    # contact the mediation adviser by Sat 2 May 2026 (not moved); appeal 2 months on is also
    # Sat 2 May, moved past Sun 3 and the early May bank holiday (Mon 4) to Tue 5 May 2026.
    notice = _event(EventKind.AMENDMENT_NOTICE_SENT, date(2026, 2, 9), event_id="n")
    decided = _event(EventKind.REVIEW_DECISION, date(2026, 3, 2),
                     {"outcome": "not_amend_after_notice"}, event_id="d")
    from adviser_app.domain.statutory.child_clock import derive

    items = {(i.event.id, i.deadline.key): i for i in derive([notice, decided])}
    assert items[("d", "contact_mediation_adviser")].deadline.due == date(2026, 5, 2)
    assert items[("d", "appeal")].deadline.due == date(2026, 5, 5)
    assert items[("n", "decides_not_to_amend")].state is DeadlineState.MET
    assert items[("n", "amended_final")].state is DeadlineState.NOT_APPLICABLE


# --- 9. summer closure ----------------------------------------------------------------------------

def test_a_window_over_august_notes_the_summer_closure_exception_and_never_moves() -> None:
    # Request Mon 1 Jun 2026: 6 weeks is Mon 13 Jul (no August: no note); 16 weeks is
    # Mon 21 Sep and 20 weeks Mon 19 Oct 2026 (both cover August: noted, not moved).
    from adviser_app.domain.deadlines import ehc_assessment_deadlines

    found = ehc_assessment_deadlines(date(2026, 6, 1))
    assert found["decide_whether_to_assess"].due == date(2026, 7, 13)
    assert "reg 10(4)(a)" not in found["decide_whether_to_assess"].note
    assert found["decide_no_plan"].due == date(2026, 9, 21)
    assert found["final_plan"].due == date(2026, 10, 19)
    for key in ("decide_no_plan", "final_plan"):
        assert "reg 10(4)(a)" in found[key].note and "does not move" in found[key].note
