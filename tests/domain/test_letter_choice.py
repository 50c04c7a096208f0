"""Issue 21: the letters dialog opens on the document the case most likely needs next."""

from __future__ import annotations

from datetime import date

import pytest

from adviser_app.domain.letter_choice import CaseStage, likely_document
from adviser_app.domain.mediation import Choice
from adviser_app.domain.vocab import CaseIssue, ChildStatus

SENT = date(2026, 10, 5)
REFUSAL = dict(decision="decision not to carry out an EHC needs assessment", decision_sent=SENT)


def test_a_new_case_gets_the_family_summary() -> None:
    found = likely_document(CaseStage(issues=frozenset({CaseIssue.SEN_SUPPORT}),
                                      child_status=ChildStatus.SEN_SUPPORT))
    assert found.template_id == "case_summary"
    assert found.reason == ("A summary for the family of what is happening and the dates "
                            "coming up.")


def test_a_case_about_an_assessment_gets_the_request_until_one_is_kept() -> None:
    stage = CaseStage(issues=frozenset({CaseIssue.EHC_ASSESSMENT}),
                      child_status=ChildStatus.SEN_SUPPORT)
    assert likely_document(stage).template_id == "ehc_assessment_request"
    kept = CaseStage(issues=stage.issues, child_status=stage.child_status,
                     kept={"ehc_assessment_request": date(2026, 9, 1)})
    assert likely_document(kept).template_id == "case_summary"
    requested = CaseStage(issues=stage.issues, child_status=ChildStatus.ASSESSMENT_REQUESTED)
    assert likely_document(requested).template_id == "case_summary"


@pytest.mark.parametrize(("choice", "expected", "words"), [
    (None, "case_summary", "The family has still to decide about the local authority's "
                           "decision not to carry out an EHC needs assessment (sent "
                           "05/10/2026): the summary gives them the dates."),
    (Choice.MEDIATION, "mediation_request", "The family wants mediation about the local "
                                            "authority's decision not to carry out"),
    (Choice.CERTIFICATE_ONLY, "certificate_request", "The family does not want mediation "
                                                     "about the local authority's decision"),
])
def test_a_decision_leads_to_the_letter_for_the_familys_choice(choice, expected, words) -> None:
    found = likely_document(CaseStage(**REFUSAL, choice=choice,  # type: ignore[arg-type]
                                      issues=frozenset({CaseIssue.EHC_ASSESSMENT})))
    assert found.template_id == expected
    assert words in found.reason


def test_a_letter_kept_since_the_decision_is_not_suggested_again() -> None:
    asked = CaseStage(**REFUSAL, choice=Choice.MEDIATION,  # type: ignore[arg-type]
                      kept={"mediation_request": SENT})
    assert likely_document(asked).template_id == "case_summary"
    before = CaseStage(**REFUSAL, choice=Choice.MEDIATION,  # type: ignore[arg-type]
                       kept={"mediation_request": date(2026, 1, 1)})  # an older decision's
    assert likely_document(before).template_id == "mediation_request"
    told = CaseStage(**REFUSAL, choice=Choice.MEDIATION,  # type: ignore[arg-type]
                     la_told=date(2026, 10, 7))
    assert likely_document(told).template_id == "case_summary"
    certificate = CaseStage(**REFUSAL, choice=Choice.CERTIFICATE_ONLY,  # type: ignore[arg-type]
                            certificate_issued=date(2026, 10, 9))
    assert likely_document(certificate).template_id == "case_summary"


def test_open_agreed_actions_come_first() -> None:
    found = likely_document(CaseStage(**REFUSAL, choice=Choice.MEDIATION,  # type: ignore[arg-type]
                                      agreement=date(2026, 11, 2), open_actions=2))
    assert found.template_id == "mediation_follow_up"
    assert found.reason == ("Mediation reached an agreement on 02/11/2026 and 2 agreed actions "
                            "are still to be done.")
    done = CaseStage(agreement=date(2026, 11, 2), open_actions=0)
    assert likely_document(done).template_id == "case_summary"
