"""Review of issue 20, item 11: a letter's dates must not only be the case's dates, they must
be the right ones for what the letter's words say about them."""

from __future__ import annotations

from datetime import date

from adviser_app.domain.mediation import (Action, Choice, Decision, Issue, MediationDraft,
                                          Outcome)
from adviser_app.domain.statutory.mediation_rules import AgreedAction
from adviser_app.services import documents, mediation, statutory
from tests.services.test_letter_dates import _case


def test_certificate_letter_never_prints_the_after_mediation_date_as_the_no_mediation_one(
        db) -> None:
    # Mediation was held on Wed 10 Dec 2025 without agreement (send-rules.md example 5): the
    # certificate is due Mon 15 Dec 2025, 3 working days after mediation ended. The
    # certificate-request letter says "I do not wish to take part in mediation ... you should
    # issue it within 3 working days of being told that I do not want mediation, which means
    # by {certificate_due}". Filling it with 15 Dec would put a date in the parent's mouth for
    # a reason that is not theirs; the letter must ask for the no-mediation date instead.
    case_id, child_id = _case(db)
    mediation.save(db, case_id, MediationDraft(
        child_id=child_id, decision=Decision.REFUSE_ASSESS, letter_sent=date(2025, 11, 7),
        choice=Choice.MEDIATION, adviser_told=date(2025, 11, 12),
        issues=frozenset({Issue.EDUCATION}), la_told=date(2025, 11, 17),
        mediation_date=date(2025, 12, 10), outcome=Outcome.NO_AGREEMENT,
        concluded=date(2025, 12, 10)), "H")
    keys = {i.deadline.key: i.deadline.due for i in statutory.case_deadlines(db, case_id)}
    assert keys["certificate_mediation_concluded"] == date(2025, 12, 15)
    ctx = documents.context(db, case_id, date(2025, 12, 11))
    assert "certificate_due" not in ctx.values
    draft = documents.start(db, case_id, "certificate_request", date(2025, 12, 11))
    assert documents.context(db, case_id, date(2025, 12, 11)).missing_labels(
        ["certificate_due"])[0] in draft.missing


def test_a_discrimination_record_gives_no_agreement_to_a_letter(db) -> None:
    # The record was first a refusal to assess, mediated with an agreement on Tue 13 Jan 2026;
    # then the adviser changed the decision to a discrimination claim (conduct Mon 5 Jan
    # 2026). A claim has no mediation: the case shows no agreement dates, so no letter may
    # print "At mediation on Tuesday 13 January 2026 we reached a written agreement".
    case_id, child_id = _case(db)
    mediation.save(db, case_id, MediationDraft(
        child_id=child_id, decision=Decision.DISCRIMINATION, conduct_on=date(2026, 1, 5),
        letter_sent=date(2025, 11, 7), choice=Choice.MEDIATION,
        issues=frozenset({Issue.EDUCATION}), la_told=date(2025, 11, 17),
        outcome=Outcome.AGREEMENT, concluded=date(2026, 1, 13),
        actions=(Action("Assess", AgreedAction.ASSESS),)), "H")
    items = statutory.case_deadlines(db, case_id)
    assert [i.deadline.key for i in items] == ["discrimination_claim"]
    ctx = documents.context(db, case_id, date(2026, 1, 20))
    assert "agreement_date" not in ctx.values
    assert "agreed_actions" not in ctx.tables
