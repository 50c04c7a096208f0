"""Every date a letter prints is the case's own: each template is produced as a PDF from a
real case book, parsed back with pypdf, and every date in it is compared with the dates on
the case's Statutory dates (the same derivation the Deadlines view uses) and the facts recorded
on the case. Nothing is worked out again inside the letter code (issue 20, item 11)."""

from __future__ import annotations

from dataclasses import replace

import io
import re
from datetime import date, datetime

from pypdf import PdfReader

from adviser_app.domain.statutory.events import EventDetails, EventKind
from adviser_app.domain.mediation import (Action, Choice, Decision, Issue, MediationDraft,
                                          Outcome)
from adviser_app.domain.records import CaseDetails, ChildDetails, EntryDetails, PersonDetails
from adviser_app.domain.statutory.mediation_rules import AgreedAction
from adviser_app.domain.vocab import AreaOfNeed, CaseIssue, ContactMethod, EntryKind, \
    Relationship
from adviser_app.services import casework, documents, mediation, statutory
from adviser_app.store import cases, families
from adviser_app.store.errors import CaseBookError

HEAD = {"name": "Example SENDIASS", "address": "1 Example Street\nLeeds LS1 1AA",
        "phone": "0113 496 0000", "email": "help@example.org", "footer": "",
        "signature_name": "", "signature_role": "SEND adviser", "logo_hex": ""}
LONG_DATE = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) "
                       r"\d{1,2} (?:January|February|March|April|May|June|July|August|"
                       r"September|October|November|December) \d{4}\b")
DOB = date(2018, 12, 4)
VISIT = date(2025, 3, 6)
TYPED = {name: f"Typed by the adviser: {label.lower()}."
         for name, label in documents.TYPED_FIELDS.items()}


def _case(db) -> tuple[str, str]:
    parent = PersonDetails("Łucja", "Wiśniewska", Relationship.MOTHER, True,
                           address="14 Kestrel Rise\nLeeds", postcode="LS27 8QX",
                           phone="07700 900457", email="lucja@example.org",
                           preferred_contact=ContactMethod.EMAIL)
    child = ChildDetails("Zoë", "Wiśniewska", DOB, school="Fieldgate Primary",
                         year_group="Year 2", local_authority="Leeds City Council",
                         areas_of_need=frozenset({AreaOfNeed.COMMUNICATION}))
    case_id = casework.open_new_family_case(
        db, family_name="Wiśniewska", person=parent, children=[child],
        case=CaseDetails("Harriet Lowe", date(2025, 1, 2), frozenset({CaseIssue.MEDIATION}),
                         summary="Refusal to assess; certificate only."), actor="H")
    child_id = families.get_family(db, cases.get_case(db, case_id).family_id).children[0].id
    casework.add_timeline_entry(db, case_id, EntryDetails(
        EntryKind.HOME_VISIT, VISIT, "Harriet Lowe", "Talked about the refusal."), "H")
    return case_id, child_id


def _printed_dates(pdf: bytes) -> set[date]:
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
                    .split())
    return {datetime.strptime(found, "%A %d %B %Y").date() for found in LONG_DATE.findall(text)}


def _produce_all(db, case_id: str, today: date) -> dict[str, set[date]]:
    out = {}
    for template in documents.templates():
        try:
            draft = documents.start(db, case_id, template.id, today)
            letter = documents.compose(db, case_id, template.id, draft.wording, TYPED,
                                       draft.recipient or "Someone", today)
        except CaseBookError:
            continue  # this case lacks what the template needs; another case covers it
        out[template.id] = _printed_dates(documents.preview(db, letter))
    return out


def _case_dates(db, case_id: str) -> set[date]:
    """The dates the case itself shows: its derived deadlines and their inputs."""
    items = statutory.case_deadlines(db, case_id)
    return {i.deadline.due for i in items} | {day for i in items
                                             for _, day in i.deadline.inputs}


def test_certificate_path_letters_print_only_the_cases_dates(db) -> None:
    documents.save_letterhead(db, HEAD)
    case_id, child_id = _case(db)
    # The refusal, letter Mon 3 March 2025, is on Statutory dates AND in the wizard.
    statutory.record_event(db, case_id, EventDetails(
        EventKind.ASSESSMENT_DECISION, date(2025, 3, 3), child_id, {"outcome": "refuse"}), "H")
    mediation.save(db, case_id, MediationDraft(
        child_id=child_id, decision=Decision.REFUSE_ASSESS, letter_sent=date(2025, 3, 3),
        choice=Choice.CERTIFICATE_ONLY, adviser_told=date(2025, 3, 5),
        certificate_issued=date(2025, 4, 10)), "H")
    today = date(2025, 4, 15)
    printed = _produce_all(db, case_id, today)
    items = {i.deadline.key: i.deadline.due for i in statutory.case_deadlines(db, case_id)}
    # The case: certificate 3 working days after the parent told the adviser on Wed 5 March
    # (Thu 6, Fri 7, Mon 10 March); appeal: certificate Thu 10 April + 1 month = Sat 10 May,
    # later than Sat 3 May, so Mon 12 May 2025. One appeal deadline, not two.
    assert items["certificate_no_mediation"] == date(2025, 3, 10)
    assert items["appeal"] == date(2025, 5, 12)
    certificate_letter = printed["certificate_request"]
    assert {date(2025, 3, 10), date(2025, 5, 12)} <= certificate_letter
    assert date(2025, 5, 6) not in certificate_letter  # the 2-month date without the cert
    assert date(2025, 4, 22) not in certificate_letter  # 3 working days from "today"
    allowed = _case_dates(db, case_id) | {today, DOB, VISIT, date(2025, 3, 3),
                                          date(2025, 3, 5), date(2025, 4, 10)}
    for template_id, found in printed.items():
        assert found <= allowed, (template_id, sorted(found - allowed))
    assert {"certificate_request", "case_summary", "deadline_schedule", "home_visit_record",
            "ehc_assessment_request", "mediation_request"} <= set(printed)


def test_the_certificate_request_says_whether_the_appeal_date_can_still_move(db) -> None:
    """Found walking the journeys: made after the certificate was issued, the letter still
    said the date "may move once the certificate is issued"."""
    documents.save_letterhead(db, HEAD)
    case_id, child_id = _case(db)
    statutory.record_event(db, case_id, EventDetails(
        EventKind.ASSESSMENT_DECISION, date(2025, 3, 3), child_id, {"outcome": "refuse"}), "H")
    asked = MediationDraft(child_id=child_id, decision=Decision.REFUSE_ASSESS,
                           letter_sent=date(2025, 3, 3), choice=Choice.CERTIFICATE_ONLY,
                           adviser_told=date(2025, 3, 5))

    def letter_text(today: date) -> str:
        draft = documents.start(db, case_id, "certificate_request", today)
        letter = documents.compose(db, case_id, "certificate_request", draft.wording, TYPED,
                                   "Mediation adviser", today)
        return " ".join(letter.plain_text().split())

    record_id = mediation.save(db, case_id, asked, "H")
    before = letter_text(date(2025, 3, 6))
    assert "by Tuesday 6 May 2025. That is 2 months after the decision letter was sent" in before
    assert "so the date may move once the certificate is issued." in before
    mediation.save(db, case_id, replace(asked, certificate_issued=date(2025, 4, 10)), "H",
                   record_id)
    after = letter_text(date(2025, 4, 15))
    assert "by Monday 12 May 2025." in after
    assert "the certificate was issued on Thursday 10 April 2025." in after
    assert "may move" not in after


def test_agreement_letters_print_only_the_cases_dates(db) -> None:
    documents.save_letterhead(db, HEAD)
    case_id, child_id = _case(db)
    mediation.save(db, case_id, MediationDraft(
        child_id=child_id, decision=Decision.PLAN_CONTENTS, sections=frozenset({"B", "F"}),
        letter_sent=date(2025, 11, 7), choice=Choice.MEDIATION,
        adviser_told=date(2025, 11, 10), issues=frozenset({Issue.EDUCATION, Issue.HEALTH}),
        la_told=date(2025, 11, 17), mediation_date=date(2026, 1, 13),
        outcome=Outcome.PARTIAL_AGREEMENT, concluded=date(2026, 1, 13),
        certificate_issued=date(2026, 1, 15), still_open="Section F speech therapy hours",
        actions=(Action("Amend Sections B and F", AgreedAction.AMEND_SEN_OR_PROVISION),
                 Action("EP visit", AgreedAction.NOT_APPEALABLE))), "H")
    today = date(2026, 2, 1)
    printed = _produce_all(db, case_id, today)
    # Agreement Tue 13 Jan 2026: EP visit +2 weeks Tue 27 Jan; amended plan +5 weeks Tue 17
    # Feb. Appeal on what is open: letter Fri 7 Nov 2025 + 2 months = Wed 7 Jan 2026;
    # certificate Thu 15 Jan 2026 + 1 month = Sun 15 Feb, the later, moved to Mon 16 Feb.
    follow_up = printed["mediation_follow_up"]
    assert {date(2026, 1, 13), date(2026, 1, 27), date(2026, 2, 17)} <= follow_up
    items = {i.deadline.key: i.deadline.due for i in statutory.case_deadlines(db, case_id)}
    assert items["appeal"] == date(2026, 2, 16)
    assert date(2026, 2, 16) in printed["case_summary"]
    allowed = _case_dates(db, case_id) | {today, DOB, VISIT, date(2025, 11, 10)}
    for template_id, found in printed.items():
        assert found <= allowed, (template_id, sorted(found - allowed))
    assert {"mediation_follow_up", "mediation_request", "case_summary",
            "deadline_schedule"} <= set(printed)


def test_every_template_was_checked() -> None:
    covered = {"certificate_request", "case_summary", "deadline_schedule", "home_visit_record",
               "ehc_assessment_request", "mediation_request", "mediation_follow_up",
               "graduated_summary", "pupil_passport"}
    assert {t.id for t in documents.templates()} <= covered


def _request_text(db, case_id: str, today: date) -> str:
    draft = documents.start(db, case_id, "mediation_request", today)
    letter = documents.compose(db, case_id, "mediation_request", draft.wording, TYPED,
                               draft.recipient or "SEN team", today)
    return " ".join(letter.plain_text().split())


def test_mediation_request_says_who_arranges_and_from_when(db) -> None:
    documents.save_letterhead(db, HEAD)
    case_id, child_id = _case(db)
    base = MediationDraft(child_id=child_id, decision=Decision.PLAN_CONTENTS,
                          sections=frozenset({"G"}), letter_sent=date(2025, 11, 7),
                          choice=Choice.MEDIATION, adviser_told=date(2025, 11, 10),
                          issues=frozenset({Issue.HEALTH}),
                          health_provision="Speech and language therapy")
    mediation.save(db, case_id, base, "H")
    text = _request_text(db, case_id, date(2025, 11, 12))
    # Health only: the health body arranges it, 30 days from the LA telling it (not from
    # the LA receiving the request)
    assert "the health body must then arrange mediation within 30 days of hearing from you" \
        in text
    assert "within 30 days of you receiving this request" not in text
    record_id = next(db.query("SELECT id FROM disagreement"))["id"]
    mediation.save(db, case_id, base.with_(issues=frozenset({Issue.EDUCATION, Issue.HEALTH})),
                   "H", record_id)
    text = _request_text(db, case_id, date(2025, 11, 12))
    assert "Mediation should be arranged within 30 days of you receiving this request" in text
