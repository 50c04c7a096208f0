"""The mediation wizard's rules: rights by decision, who arranges, the route through the
steps, what each step needs, and every date a disagreement produces."""

from __future__ import annotations

from datetime import date

import pytest

from adviser_app.domain.statutory.events import DeadlineState
from adviser_app.domain.mediation import (Action, Arranger, Choice, Decision, Issue,
                                          MediationDraft, Outcome, Step, next_step, problems,
                                          rights, steps_for, who_arranges)
from adviser_app.domain.statutory.disagreement_dates import mediation_dates
from adviser_app.domain.statutory.mediation_rules import AgreedAction

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize("decision", [Decision.REFUSE_ASSESS, Decision.REFUSE_PLAN,
                                      Decision.REFUSE_REASSESS, Decision.REFUSE_AMEND,
                                      Decision.CEASE])
def test_appealable_decisions_need_a_certificate(decision: Decision) -> None:
    r = rights(decision)
    assert (r.appeal, r.certificate_needed, r.mediation_possible) == (True, True, True)
    assert "s.51(2)" in r.source


def test_plan_contents_needs_a_certificate_unless_only_section_i() -> None:
    assert rights(Decision.PLAN_CONTENTS, frozenset({"B", "F"})).certificate_needed
    assert rights(Decision.PLAN_CONTENTS, frozenset({"B", "I"})).certificate_needed
    only_i = rights(Decision.PLAN_CONTENTS, frozenset({"I"}))
    assert only_i.appeal and not only_i.certificate_needed and only_i.mediation_possible
    assert "straight to the Tribunal" in only_i.explanation


def test_health_care_can_be_mediated_not_appealed_and_discrimination_is_outside() -> None:
    health = rights(Decision.HEALTH_CARE)
    assert (health.appeal, health.certificate_needed, health.mediation_possible) == (
        False, False, True)
    claim = rights(Decision.DISCRIMINATION)
    assert (claim.appeal, claim.certificate_needed, claim.mediation_possible) == (
        False, False, False)
    assert "Equality Act 2010" in claim.source


def test_who_arranges_mediation() -> None:
    assert who_arranges(frozenset()) is None
    assert who_arranges(frozenset({Issue.EDUCATION})) is Arranger.LA
    assert who_arranges(frozenset({Issue.SOCIAL_CARE})) is Arranger.LA
    assert who_arranges(frozenset({Issue.EDUCATION, Issue.HEALTH})) is Arranger.LA_WITH_HEALTH
    assert who_arranges(frozenset({Issue.HEALTH})) is Arranger.HEALTH_BODY


def test_route_through_the_steps() -> None:
    base = MediationDraft(child_id="c", decision=Decision.REFUSE_ASSESS)
    assert steps_for(base) == [Step.DECISION, Step.DATES, Step.CHOICE, Step.SUMMARY]
    assert steps_for(base.with_(choice=Choice.MEDIATION)) == list(Step)
    assert steps_for(base.with_(decision=Decision.DISCRIMINATION)) == [
        Step.DECISION, Step.DATES, Step.SUMMARY]
    assert next_step(base, Step.CHOICE) is Step.SUMMARY
    assert next_step(base.with_(choice=Choice.MEDIATION), Step.CHOICE) is Step.OUTCOME
    assert next_step(base, Step.SUMMARY) is None


def test_each_step_says_what_is_missing() -> None:
    empty = MediationDraft()
    assert {p.field for p in problems(empty, Step.DECISION, TODAY)} == {"child", "decision"}
    contents = MediationDraft(child_id="c", decision=Decision.PLAN_CONTENTS)
    assert [p.field for p in problems(contents, Step.DECISION, TODAY)] == ["sections"]
    assert [p.field for p in problems(contents, Step.DATES, TODAY)] == ["letter_sent"]
    backwards = contents.with_(letter_dated=date(2026, 11, 10), letter_sent=date(2026, 11, 9))
    assert "before its date" in problems(backwards, Step.DATES, TODAY)[0].message
    mediation = contents.with_(choice=Choice.MEDIATION, letter_sent=date(2026, 11, 10),
                               la_told=date(2026, 11, 1))
    fields = [p.field for p in problems(mediation, Step.CHOICE, TODAY)]
    assert fields == ["issues", "la_told"]
    agreed = mediation.with_(outcome=Outcome.AGREEMENT)
    assert {p.field for p in problems(agreed, Step.OUTCOME, TODAY)} == {"concluded", "actions"}


def test_journey_3_certificate_only() -> None:
    d = MediationDraft(child_id="c", decision=Decision.REFUSE_ASSESS,
                       letter_sent=date(2025, 3, 3), choice=Choice.CERTIFICATE_ONLY,
                       adviser_told=date(2025, 3, 5))
    dates = {x.deadline.key: x for x in mediation_dates(d)}
    assert dates["certificate_no_mediation"].deadline.due == date(2025, 3, 10)
    assert dates["contact_mediation_adviser"].state is DeadlineState.MET
    assert dates["appeal"].deadline.due == date(2025, 5, 6)
    issued = {x.deadline.key: x for x in mediation_dates(
        d.with_(certificate_issued=date(2025, 3, 10)))}
    assert issued["certificate_no_mediation"].state is DeadlineState.MET
    assert issued["appeal"].deadline.due == date(2025, 5, 6)  # 2 months still later


def test_journey_4_mediation_with_agreement() -> None:
    d = MediationDraft(
        child_id="c", decision=Decision.PLAN_CONTENTS, sections=frozenset({"B", "F"}),
        letter_sent=date(2025, 11, 7), choice=Choice.MEDIATION,
        issues=frozenset({Issue.EDUCATION, Issue.HEALTH}), la_told=date(2025, 11, 17),
        outcome=Outcome.AGREEMENT, concluded=date(2026, 1, 13), la_party=True,
        actions=(Action("Amend Sections B and F", AgreedAction.AMEND_SEN_OR_PROVISION),
                 Action("Educational psychologist visit", AgreedAction.NOT_APPEALABLE)))
    dates = {x.deadline.label: x.deadline.due for x in mediation_dates(d)}
    assert dates["Mediation must be arranged by"] == date(2025, 12, 17)
    assert dates["LA must tell the health body (ICB) by"] == date(2025, 11, 20)
    assert dates["Amended final plan issued (agreed: amend Sections B and F)"] == date(2026, 2,
                                                                                       17)
    assert dates["Educational psychologist visit (agreed at mediation)"] == date(2026, 1, 27)
    # everything agreed: the appeal right stays visible (2 months from Fri 7 Nov 2025 is
    # Wed 7 Jan 2026; no certificate recorded yet)
    assert dates["Appeal (if still needed) must reach the SEND Tribunal"] == date(2026, 1, 7)
    health_only = d.with_(issues=frozenset({Issue.HEALTH}), la_party=False)
    labels = [x.deadline.label for x in mediation_dates(health_only)]
    assert "Health body must arrange mediation by" in labels
    assert "LA must tell the health body (ICB) by" in labels
    assert "Health body tells the LA about the agreement by" in labels


def test_no_agreement_then_certificate_then_appeal() -> None:
    d = MediationDraft(child_id="c", decision=Decision.REFUSE_PLAN,
                       letter_sent=date(2025, 11, 7), choice=Choice.MEDIATION,
                       issues=frozenset({Issue.EDUCATION}), la_told=date(2025, 11, 17),
                       mediation_date=date(2025, 12, 10), outcome=Outcome.NO_AGREEMENT,
                       concluded=date(2025, 12, 10), certificate_issued=date(2025, 12, 15))
    dates = {x.deadline.key: x for x in mediation_dates(d)}
    assert dates["certificate_mediation_concluded"].deadline.due == date(2025, 12, 15)
    assert dates["appeal"].deadline.due == date(2026, 1, 15)  # worked example 5
    cannot = d.with_(outcome=Outcome.LA_CANNOT_ARRANGE, concluded=date(2025, 12, 16),
                     mediation_date=None, certificate_issued=None)
    keys = {x.deadline.key for x in mediation_dates(cannot)}
    assert "certificate_la_cannot_arrange" in keys


@pytest.mark.parametrize("issues", [frozenset({Issue.EDUCATION}),
                                    frozenset({Issue.EDUCATION, Issue.HEALTH}),
                                    frozenset({Issue.HEALTH})])
def test_mediation_the_la_could_not_arrange_is_missed_not_left_overdue(issues) -> None:
    """Once the LA says it cannot arrange mediation, the 30-day limit is closed as missed
    (with the day it said so) rather than staying open and overdue for ever; the
    certificate is what is due next."""
    d = MediationDraft(child_id="c", decision=Decision.REFUSE_PLAN,
                       letter_sent=date(2025, 11, 7), choice=Choice.MEDIATION, issues=issues,
                       la_told=date(2025, 11, 17), health_body_told=date(2025, 11, 18),
                       outcome=Outcome.LA_CANNOT_ARRANGE, concluded=date(2025, 12, 16))
    arranged = [x for x in mediation_dates(d) if x.deadline.key.endswith("mediation_arranged")
                or x.deadline.key == "mediation_arranged"]
    assert len(arranged) == 1, [x.deadline.key for x in mediation_dates(d)]
    assert arranged[0].state is DeadlineState.MISSED
    assert arranged[0].on == date(2025, 12, 16)
    assert "could not be arranged" in arranged[0].reason and "16/12/2025" in arranged[0].reason
    still_pending = d.with_(outcome=Outcome.PENDING, concluded=None)
    pending = [x for x in mediation_dates(still_pending)
               if x.deadline.key == arranged[0].deadline.key]
    assert pending[0].state is DeadlineState.OPEN


def test_journey_5_section_i_only_has_no_certificate_dates() -> None:
    d = MediationDraft(child_id="c", decision=Decision.PLAN_CONTENTS,
                       sections=frozenset({"I"}), letter_sent=date(2026, 6, 30))
    dates = mediation_dates(d)
    assert [x.deadline.key for x in dates] == ["appeal"]
    assert dates[0].deadline.due == date(2026, 9, 1)  # 30 Aug in August: first WD after 31st
