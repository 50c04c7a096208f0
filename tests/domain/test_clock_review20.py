"""Review of issue 20 (the statutory clock, second pass): defects found by working examples
by hand on a calendar, each test with its reasoning beside it."""

from __future__ import annotations

from datetime import date

from adviser_app.domain.statutory.child_clock import derive
from adviser_app.domain.statutory.events import (
    DeadlineMark, DeadlineState, EventDetails, EventKind,
                                       StatutoryEvent)

K = EventKind


def _event(number: int, kind: EventKind, day: date, **params: object) -> StatutoryEvent:
    return StatutoryEvent(f"e{number}", "case", EventDetails(kind, day, "child", dict(params)))


def _states(events: list[StatutoryEvent], marks: tuple[DeadlineMark, ...] = ()
            ) -> dict[str, tuple[date, DeadlineState]]:
    return {i.deadline.key: (i.deadline.due, i.state) for i in derive(events, marks)}


def test_a_decision_to_amend_keeps_the_devon_12_week_cap_open() -> None:
    # send-rules.md worked example 21: review meeting Wed 14 Jan 2026. The LA decides to
    # amend on Wed 11 Feb 2026 (4 weeks: in time) and sends the notice Mon 9 Feb 2026. The
    # Devon cap, 12 weeks after the meeting, is Wed 8 April 2026 and it is exactly the
    # amending case it is for: it must stay open, not become "Not needed".
    found = _states([_event(1, K.ANNUAL_REVIEW_MEETING, date(2026, 1, 14)),
                     _event(2, K.AMENDMENT_NOTICE_SENT, date(2026, 2, 9)),
                     _event(3, K.REVIEW_DECISION, date(2026, 2, 11), outcome="amend")])
    assert found["review_cap"] == (date(2026, 4, 8), DeadlineState.OPEN)
    assert found["review_decision"] == (date(2026, 2, 11), DeadlineState.MET)


def test_a_decision_to_keep_or_cease_makes_the_cap_not_needed() -> None:
    # Same meeting; the LA decides to keep the plan as it is: no amended plan is coming, so
    # the 12-week cap does not apply.
    for outcome in ("keep", "cease"):
        found = _states([_event(1, K.ANNUAL_REVIEW_MEETING, date(2026, 1, 14)),
                         _event(2, K.REVIEW_DECISION, date(2026, 2, 4), outcome=outcome)])
        assert found["review_cap"] == (date(2026, 4, 8), DeadlineState.NOT_APPLICABLE)


def test_a_decision_made_after_the_limit_is_missed_not_met() -> None:
    # send-rules.md worked example 17: request received Mon 13 Jan 2025, so the decision
    # whether to assess is due Mon 24 Feb 2025 (6 weeks). The LA's letter went on Tue 1 April
    # 2025, five weeks late: that limit was missed, and saying "Met" would tell the adviser
    # there is nothing to complain about.
    found = _states([_event(1, K.EHC_REQUEST_RECEIVED, date(2025, 1, 13)),
                     _event(2, K.ASSESSMENT_DECISION, date(2025, 4, 1), outcome="assess")])
    assert found["decide_whether_to_assess"] == (date(2025, 2, 24), DeadlineState.MISSED)
    # On the last day itself it is met.
    found = _states([_event(1, K.EHC_REQUEST_RECEIVED, date(2025, 1, 13)),
                     _event(2, K.ASSESSMENT_DECISION, date(2025, 2, 24), outcome="assess")])
    assert found["decide_whether_to_assess"] == (date(2025, 2, 24), DeadlineState.MET)


def test_a_review_meeting_after_the_12_months_is_missed() -> None:
    # Plan made Tue 10 March 2026: the 12 months starting with that day end Tue 9 March 2027.
    # A review meeting on Wed 10 March 2027 is one day late.
    found = _states([_event(1, K.FINAL_PLAN_ISSUED, date(2026, 3, 10)),
                     _event(2, K.ANNUAL_REVIEW_MEETING, date(2027, 3, 10))])
    items = [i for i in derive([_event(1, K.FINAL_PLAN_ISSUED, date(2026, 3, 10)),
                                _event(2, K.ANNUAL_REVIEW_MEETING, date(2027, 3, 10))])
             if i.deadline.key == "annual_review_due" and i.event.id == "e1"]
    assert (items[0].deadline.due, items[0].state) == (date(2027, 3, 9), DeadlineState.MISSED)
    assert "after the limit" in items[0].reason
    assert found  # the meeting's own next review is still open


def test_a_plan_after_week_16_makes_the_no_plan_notice_not_needed_not_missed() -> None:
    # Request Mon 13 Jan 2025: a decision NOT to issue a plan is due by Mon 5 May 2025 (16
    # weeks). The LA instead served a draft plan on Mon 12 May 2025 (week 17). Reg 10(1) only
    # times a decision not to issue, so there was no such decision to miss: "Not needed",
    # never "Missed" (and never "Met" either: nothing was done about that limit).
    found = _states([_event(1, K.EHC_REQUEST_RECEIVED, date(2025, 1, 13)),
                     _event(2, K.ASSESSMENT_DECISION, date(2025, 2, 24), outcome="assess"),
                     _event(3, K.DRAFT_PLAN_SERVED, date(2025, 5, 12))])
    assert found["decide_no_plan"] == (date(2025, 5, 5), DeadlineState.NOT_APPLICABLE)
    assert found["final_plan"] == (date(2025, 6, 2), DeadlineState.OPEN)


def test_a_met_mark_dated_after_the_limit_shows_missed() -> None:
    # Amendment notice Mon 9 Feb 2026: final amended plan due Mon 6 April 2026 (8 weeks;
    # Easter Monday, not moved). An adviser marks it met on Tue 14 April 2026: done late.
    notice = _event(1, K.AMENDMENT_NOTICE_SENT, date(2026, 2, 9))
    found = _states([notice], (DeadlineMark("e1", "amended_final", DeadlineState.MET,
                                            date(2026, 4, 14)),))
    assert found["amended_final"] == (date(2026, 4, 6), DeadlineState.MISSED)
    found = _states([notice], (DeadlineMark("e1", "amended_final", DeadlineState.MET,
                                            date(2026, 4, 6)),))
    assert found["amended_final"] == (date(2026, 4, 6), DeadlineState.MET)


def test_a_stale_agreement_after_the_choice_changed_to_no_mediation_gives_no_dates() -> None:
    # Mediation was recorded with an agreement on Tue 13 Jan 2026 (amend B and F: due Tue 17
    # Feb 2026), then the parent's choice was changed to "No mediation: certificate only".
    # The wizard no longer shows the outcome step, so its agreed actions must not stay on the
    # case as dates, nor relabel the appeal deadline "if still needed".
    from adviser_app.domain.mediation import (Action, Choice, Decision, MediationDraft,
                                              Outcome)
    from adviser_app.domain.statutory.disagreement_dates import mediation_dates
    from adviser_app.domain.statutory.mediation_rules import AgreedAction

    draft = MediationDraft(
        child_id="child", decision=Decision.PLAN_CONTENTS, sections=frozenset({"B", "F"}),
        letter_sent=date(2025, 11, 7), choice=Choice.CERTIFICATE_ONLY,
        adviser_told=date(2025, 11, 12), outcome=Outcome.AGREEMENT,
        concluded=date(2026, 1, 13),
        actions=(Action("Amend B and F", AgreedAction.AMEND_SEN_OR_PROVISION),))
    found = {d.deadline.key: d for d in mediation_dates(draft)}
    assert not [k for k in found if k.startswith("action")]
    # Appeal: 7 Nov 2025 + 2 months = Wed 7 Jan 2026, a working day.
    assert found["appeal"].deadline.due == date(2026, 1, 7)
    assert found["appeal"].deadline.label == "Appeal must reach the SEND Tribunal"


def test_a_wizard_date_marked_met_after_its_limit_shows_missed() -> None:
    # Letter sent Mon 3 March 2025: contact the mediation adviser by Sat 3 May 2025 (reg 33,
    # not moved). A person marks it met on Tue 6 May 2025: that is late, so "Missed".
    from adviser_app.domain.mediation import Choice, Decision, MediationDraft
    from adviser_app.domain.statutory.disagreement_dates import mediation_dates

    draft = MediationDraft(
        child_id="child", decision=Decision.REFUSE_ASSESS, letter_sent=date(2025, 3, 3),
        choice=Choice.UNDECIDED,
        marks=(DeadlineMark("", "contact_mediation_adviser", DeadlineState.MET,
                            date(2025, 5, 6)),))
    found = {d.deadline.key: d for d in mediation_dates(draft)}
    contact = found["contact_mediation_adviser"]
    assert (contact.deadline.due, contact.state) == (date(2025, 5, 3), DeadlineState.MISSED)


def test_the_no_mediation_certificate_is_marked_as_send_rules_marks_its_3_day_figure() -> None:
    # send-rules.md 1.4: reg 34(1) is read in the regulations only "up to the trigger"; the
    # 3-working-day figure is "C2 from >= 4 sources". Wed 5 March 2025 + 3 working days is
    # Mon 10 March 2025 (Thu 6, Fri 7, then the weekend, Mon 10). The date is the same; the
    # mark must not claim the figure was read in the legislation.
    from adviser_app.domain.statutory.deadline import Confidence
    from adviser_app.domain.deadlines import certificate_due

    certificate = certificate_due(date(2025, 3, 5), "no_mediation")
    assert certificate.due == date(2025, 3, 10)
    assert certificate.confidence is Confidence.SECONDARY
    assert "reg 34(1)" in certificate.source


def test_explanations_read_as_sentences() -> None:
    # Conduct Mon 31 August 2026: 6 months on there is no 31 February, so the period runs to
    # the end of February 2027: Sun 28 February 2027. The words must name that month.
    from adviser_app.domain.deadlines import (UnopposedAppeal, discrimination_claim_deadline,
                                              ehc_assessment_deadlines,
                                              unopposed_appeal_deadlines)

    claim = discrimination_claim_deadline(date(2026, 8, 31))
    assert claim.due == date(2027, 2, 28)
    assert "to the end of February 2027, as that month has no 31st" in claim.explanation
    # LA told the Tribunal Mon 2 March 2026; Section I and contents: 5 weeks, Mon 6 April.
    [both] = unopposed_appeal_deadlines(date(2026, 3, 2),
                                        UnopposedAppeal.SECTION_I_AND_CONTENTS)
    assert both.due == date(2026, 4, 6)
    assert both.explanation == (
        "5 weeks after the day the local authority told the Tribunal, on Monday 2 March "
        "2026, that it would not oppose the appeal about the school or setting named in "
        "Section I, with other contents of the plan to change too: Monday 6 April 2026.")
    # Request Fri 1 May 2026: 16 weeks is Fri 21 August 2026. Reg 10(4)(a) covers advice
    # asked from one week before the closure until one week before reopening, not only in
    # the week before it.
    note = ehc_assessment_deadlines(date(2026, 5, 1))["decide_no_plan"].note
    assert "until one week before the school reopens" in note


def test_health_only_agreement_always_gives_the_health_body_a_week_to_tell_the_la() -> None:
    # Health-only mediation is arranged by the health body; the LA is not a party (send-rules
    # 1.7, reg 42(4)). Agreement Tue 13 Jan 2026: the health body tells the LA by Tue 20 Jan
    # 2026 (1 week), and the agreed non-appealable action is due Tue 27 Jan 2026 (2 weeks),
    # even though the "LA was a party" box kept its default tick.
    from adviser_app.domain.mediation import (Action, Choice, Decision, Issue,
                                              MediationDraft, Outcome)
    from adviser_app.domain.statutory.disagreement_dates import mediation_dates
    from adviser_app.domain.statutory.mediation_rules import AgreedAction

    draft = MediationDraft(
        child_id="child", decision=Decision.HEALTH_CARE, letter_sent=date(2025, 11, 7),
        choice=Choice.MEDIATION, issues=frozenset({Issue.HEALTH}),
        la_told=date(2025, 12, 1), health_body_told=date(2025, 12, 2),
        mediation_date=date(2026, 1, 13), outcome=Outcome.AGREEMENT,
        concluded=date(2026, 1, 13), la_party=True,
        actions=(Action("Speech therapy review", AgreedAction.NOT_APPEALABLE),))
    found = {d.deadline.key: d.deadline.due for d in mediation_dates(draft)}
    assert found["health_body_tells_la"] == date(2026, 1, 20)
    assert found["action1:agreed_not_appealable"] == date(2026, 1, 27)
