"""Producing documents from a real case book: filled from the case, refused while anything is
missing, kept on the case and the timeline, exported on request."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from adviser_app.domain.statutory.events import EventDetails, EventKind
from adviser_app.domain.letters import parse_template
from adviser_app.domain.records import CaseDetails, ChildDetails, PersonDetails
from adviser_app.domain.vocab import AreaOfNeed, CaseIssue, ContactMethod, Relationship
from adviser_app.domain.mediation import Choice, Decision, MediationDraft
from adviser_app.services import casework, documents, mediation, statutory
from adviser_app.store import audit, cases, families
from adviser_app.store.documents import document_pdf, documents_for_case
from adviser_app.store.errors import CaseBookError
from adviser_app.store.timeline import list_entries

TODAY = date(2025, 3, 5)
HEAD = {"name": "Example SENDIASS", "address": "1 Example Street\nLeeds LS1 1AA",
        "phone": "0113 496 0000", "email": "help@example.org", "footer": "",
        "signature_name": "", "signature_role": "SEND adviser", "logo_hex": ""}


def new_case(db) -> str:
    parent = PersonDetails("Łucja", "Wiśniewska", Relationship.MOTHER, True,
                           address="14 Kestrel Rise\nLeeds", postcode="LS27 8QX",
                           phone="07700 900457", email="lucja@example.org",
                           preferred_contact=ContactMethod.EMAIL)
    child = ChildDetails("Zoë", "Wiśniewska", date(2018, 12, 4), school="Fieldgate Primary",
                         year_group="Year 2", local_authority="Leeds City Council",
                         areas_of_need=frozenset({AreaOfNeed.COMMUNICATION}))
    case_id = casework.open_new_family_case(
        db, family_name="Wiśniewska", person=parent, children=[child],
        case=CaseDetails("Harriet Lowe", date(2025, 1, 2), frozenset({CaseIssue.MEDIATION}),
                         summary="Refusal to assess; certificate only."), actor="Harriet")
    return case_id


def test_every_template_parses_and_has_a_version() -> None:
    found = documents.templates()
    assert {t.id for t in found} >= {"case_summary", "certificate_request", "mediation_request",
                                     "ehc_assessment_request", "home_visit_record",
                                     "deadline_schedule"}
    for t in found:
        assert t.version >= 1 and t.title and parse_template(
            (documents.LETTERS_DIR / f"{t.id}.txt").read_text(encoding="utf-8")) == t


def test_missing_case_data_is_named_before_anything_is_made(db) -> None:
    case_id = new_case(db)
    documents.save_letterhead(db, HEAD)
    draft = documents.start(db, case_id, "certificate_request", TODAY)
    assert "the local authority decision (record it under Statutory dates)" in draft.missing
    with pytest.raises(CaseBookError, match="fill in: the local authority decision"):
        documents.compose(db, case_id, "certificate_request", draft.wording, {}, "", TODAY)
    assert documents_for_case(db, case_id) == []


def test_certificate_request_is_filled_kept_and_noted(db, tmp_path: Path) -> None:
    case_id = new_case(db)
    documents.save_letterhead(db, HEAD)
    child_id = families.get_family(db, cases.get_case(db, case_id).family_id).children[0].id
    statutory.record_event(db, case_id, EventDetails(
        EventKind.ASSESSMENT_DECISION, date(2025, 3, 3), child_id, {"outcome": "refuse"}), "H")
    draft = documents.start(db, case_id, "certificate_request", TODAY)
    # the certificate is due 3 working days after the parent told the mediation adviser,
    # which only the mediation wizard records: the letter asks for it rather than guessing
    assert draft.missing == ["the date the parent told the mediation adviser (mediation "
                             "wizard)", "the date the parent told the mediation adviser they "
                             "do not want mediation (record it in the mediation wizard)"]
    mediation.save(db, case_id, MediationDraft(
        child_id=child_id, decision=Decision.REFUSE_ASSESS, letter_sent=date(2025, 3, 3),
        choice=Choice.CERTIFICATE_ONLY, adviser_told=date(2025, 3, 5)), "H")
    draft = documents.start(db, case_id, "certificate_request", TODAY)
    assert draft.missing == [] and draft.to_type == []
    letter = documents.compose(db, case_id, "certificate_request", draft.wording, {},
                               "Mediation adviser\nExample Mediation Ltd", TODAY)
    doc_id, pdf = documents.produce(db, case_id, letter, draft.wording, "Harriet", TODAY)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
                    .split())
    for expected in ("Zoë Wiśniewska", "Tuesday 4 December 2018", "Monday 3 March 2025",
                     "Monday 10 March 2025", "Tuesday 6 May 2025", "Łucja Wiśniewska",
                     "Wednesday 5 March 2025", "Example Mediation Ltd",
                     "the local authority's decision not to carry out an EHC needs assessment"):
        assert expected in text, expected
    assert "{" not in text  # no placeholder ever printed
    assert document_pdf(db, doc_id) == pdf  # kept exactly as produced
    noted = list_entries(db, case_id)[0].details.body
    assert "Produced: Request for a mediation certificate." in noted
    assert "certificate_request" not in noted  # the title, never the internal name
    reference = cases.get_case(db, case_id).reference
    assert documents.export_file_name(db, case_id, "Request: a/b", TODAY) == \
        f"{reference} Request- a-b {TODAY.isoformat()}.pdf"
    target = tmp_path / "out.pdf"
    documents.export(db, doc_id, target, "Harriet")
    assert target.read_bytes() == pdf
    assert [e.action for e in audit.entries(db, 2)] == ["exported", "created"]


def test_the_advisers_edits_and_typed_details_are_used(db) -> None:
    case_id = new_case(db)
    documents.save_letterhead(db, HEAD)
    draft = documents.start(db, case_id, "ehc_assessment_request", TODAY)
    assert set(draft.to_type) == {"send_support_history", "evidence"}
    wording = draft.wording.replace("Dear SEN team,", "Dear Ms Amadi,")
    with pytest.raises(CaseBookError, match="the evidence list"):
        documents.compose(db, case_id, "ehc_assessment_request", wording,
                          {"send_support_history": "Two cycles"}, "SEN team", TODAY)
    letter = documents.compose(db, case_id, "ehc_assessment_request", wording,
                               {"send_support_history": "Two cycles of SEN support since 2024.",
                                "evidence": "Speech and language report, 10/01/2025"},
                               "SEN team", TODAY)
    text = letter.plain_text()
    assert "Dear Ms Amadi," in text and "Two cycles of SEN support since 2024." in text


def test_no_letterhead_no_document(db) -> None:
    case_id = new_case(db)
    draft = documents.start(db, case_id, "home_visit_record", TODAY)
    assert "a home visit note (add one to the timeline)" in draft.missing
    letter = documents.compose(db, case_id, "deadline_schedule",
                               documents.start(db, case_id, "deadline_schedule",
                                               TODAY).wording, {}, "", TODAY)
    with pytest.raises(CaseBookError, match="Letterhead"):
        documents.preview(db, letter)


def test_graduated_summary_and_passport_from_the_training_okafor_family(data_dir) -> None:
    from adviser_app.services import case_books
    from adviser_app.store.cases import CaseFilter, find_cases
    from adviser_app.store.db import close_case_book

    today = date(2026, 11, 28)
    db = case_books.rebuild_training(data_dir, today)
    try:
        documents.save_letterhead(db, HEAD)
        case_id = find_cases(db, CaseFilter(text="okafor")).rows[0].id
        for template_id, expected in (
                ("graduated_summary", ["Tobi Okafor", "Cycle 1", "Cycle 2",
                                       "No record that parents were told SEN support started",
                                       "CoP 6.65"]),
                ("pupil_passport", ["All about Tobi", "What helps me", "Loves Lego"])):
            draft = documents.start(db, case_id, template_id, today)
            assert draft.missing == [], template_id
            letter = documents.compose(db, case_id, template_id, draft.wording, {},
                                       draft.recipient, today)
            _, pdf = documents.produce(db, case_id, letter, draft.wording, "H", today)
            text = " ".join(" ".join(p.extract_text() for p in
                                     PdfReader(io.BytesIO(pdf)).pages).split())
            for phrase in expected:
                assert phrase in text, (template_id, phrase)
            assert "TRAINING: fictional data" in text
    finally:
        close_case_book(db)


def test_mediation_follow_up_lists_each_agreed_action_and_chases_overdue_ones(db) -> None:
    from adviser_app.domain.mediation import Action, Choice, Decision, Issue, MediationDraft
    from adviser_app.domain.mediation import Outcome as MediationOutcome
    from adviser_app.domain.statutory.mediation_rules import AgreedAction
    from adviser_app.services import mediation

    case_id = new_case(db)
    documents.save_letterhead(db, HEAD)
    child_id = families.get_family(db, cases.get_case(db, case_id).family_id).children[0].id
    assert "a mediation agreement" in " ".join(
        documents.start(db, case_id, "mediation_follow_up", date(2026, 2, 20)).missing)
    mediation.save(db, case_id, MediationDraft(
        child_id=child_id, decision=Decision.PLAN_CONTENTS, sections=frozenset({"B", "F"}),
        letter_sent=date(2025, 11, 7), choice=Choice.MEDIATION,
        issues=frozenset({Issue.EDUCATION}), la_told=date(2025, 11, 17),
        outcome=MediationOutcome.AGREEMENT, concluded=date(2026, 1, 13),
        actions=(Action("Amend Sections B and F", AgreedAction.AMEND_SEN_OR_PROVISION),
                 Action("EP visit", AgreedAction.NOT_APPEALABLE))), "H")
    today = date(2026, 2, 1)  # the EP visit (27 Jan) is overdue; the plan (17 Feb) is not
    draft = documents.start(db, case_id, "mediation_follow_up", today)
    assert draft.missing == []
    letter = documents.compose(db, case_id, "mediation_follow_up", draft.wording, {},
                               "SEN team\nLeeds City Council", today)
    text = letter.plain_text()
    assert "Tuesday 13 January 2026" in text
    assert "EP visit (agreed at mediation)  Tuesday 27 January 2026  Overdue" in text
    assert ("Amended final plan issued (agreed: amend Sections B and F)  Tuesday 17 February "
            "2026  Due" in text)
    assert "Agreed action done by" not in text  # no form labels in a letter
