"""Issue 21: the To box of a letter to the local authority or the mediation adviser is
offered from what the case book knows (the last one kept for the child's local authority),
and otherwise left empty with what to type: never made up."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from adviser_app.domain.disclosure import Redaction
from adviser_app.domain.records import CaseDetails, ChildDetails, PersonDetails
from adviser_app.domain.statutory.events import EventDetails, EventKind
from adviser_app.domain.vocab import CaseIssue, Relationship
from adviser_app.services import casework, documents, statutory
from adviser_app.services import data_protection as dp
from adviser_app.services import subject_access as sar
from adviser_app.services.disclosure_export import export_everything
from adviser_app.store import cases, disclosure, families, letter_recipients
from adviser_app.store.settings import get_setting

TODAY = date(2025, 3, 5)
HEAD = {"name": "Example SENDIASS", "address": "1 Example Street\nLeeds LS1 1AA",
        "phone": "0113 496 0000", "email": "help@example.org", "footer": "",
        "signature_name": "", "signature_role": "SEND adviser", "logo_hex": ""}
SEN_TEAM = "SEN Assessment Team\nLeeds City Council\nMerrion House\n110 Merrion Centre\nLS2 8BB"


def new_case(db) -> str:
    parent = PersonDetails("Łucja", "Wiśniewska", Relationship.MOTHER, True,
                           address="14 Kestrel Rise\nLeeds", postcode="LS27 8QX",
                           phone="07700 900457", email="lucja@example.org")
    child = ChildDetails("Zoë", "Wiśniewska", date(2018, 12, 4), school="Fieldgate Primary",
                         local_authority="Leeds City Council")
    return casework.open_new_family_case(
        db, family_name="Wiśniewska", person=parent, children=[child],
        case=CaseDetails("Harriet Lowe", date(2025, 1, 2), frozenset({CaseIssue.MEDIATION}),
                         summary="Refusal to assess."), actor="Harriet")


def with_decision(db) -> str:
    case_id = new_case(db)
    documents.save_letterhead(db, HEAD)
    child_id = families.get_family(db, cases.get_case(db, case_id).family_id).children[0].id
    statutory.record_event(db, case_id, EventDetails(
        EventKind.ASSESSMENT_DECISION, date(2025, 3, 3), child_id, {"outcome": "refuse"}), "H")
    return case_id


def test_first_letter_to_the_la_asks_for_the_address_naming_the_council(db) -> None:
    case_id = with_decision(db)
    draft = documents.start(db, case_id, "mediation_request", TODAY)
    assert draft.recipient == ""
    assert draft.recipient_note == (
        "Type the SEN team's name and address at Leeds City Council, one line each. It "
        "will be offered again for this local authority's next letter.")


def test_a_letter_with_an_empty_to_box_is_not_made(db) -> None:
    """Found walking the journeys: the certificate request could be previewed and kept with
    no address at all. A letter to post says what to type instead; an office record needs
    no To box."""
    from adviser_app.store.errors import CaseBookError

    case_id = with_decision(db)
    typed = {"mediation_issues": "Whether to assess.", "health_provision": "None"}
    for template_id, who in (("mediation_request", "the SEN team"),
                             ("case_summary", "the parent's or young person's")):
        draft = documents.start(db, case_id, template_id, TODAY)
        with pytest.raises(CaseBookError, match=f"The To box is empty: type {who}"):
            documents.compose(db, case_id, template_id, draft.wording, typed, " \n ", TODAY)
    draft = documents.start(db, case_id, "deadline_schedule", TODAY)
    assert documents.compose(db, case_id, "deadline_schedule", draft.wording, typed, "",
                             TODAY).recipient == ()


def test_the_to_box_kept_once_is_offered_again_for_the_same_council_only(book) -> None:
    db = book.db
    case_id = with_decision(db)
    draft = documents.start(db, case_id, "mediation_request", TODAY)
    letter = documents.compose(db, case_id, "mediation_request", draft.wording,
                               {"mediation_issues": "Whether to assess.",
                                "health_provision": "None"}, SEN_TEAM, TODAY)
    _, pdf = documents.produce(db, case_id, letter, draft.wording, "H", TODAY)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Merrion House\n110 Merrion Centre\nLS2 8BB" in text
    db = book.reopen()  # kept in the (encrypted) case book, not in memory
    again = documents.start(db, case_id, "ehc_assessment_request", TODAY)
    assert again.recipient == SEN_TEAM
    assert again.recipient_note.startswith("Filled in as on the last letter kept for the SEN "
                                           "team at Leeds City Council:")
    # the mediation adviser is someone else: not offered the SEN team's address
    other = documents.start(db, case_id, "certificate_request", TODAY)
    assert other.recipient == ""
    assert "the mediation adviser's name and address at Leeds City Council" in \
        other.recipient_note
    # a child in another local authority gets its own question
    family = families.get_family(db, cases.get_case(db, case_id).family_id)
    child = family.children[0]
    casework.update_child(db, child.id, replace(child.details, local_authority="Bradford"), "H")
    moved = documents.start(db, case_id, "ehc_assessment_request", TODAY)
    assert moved.recipient == "" and "at Bradford" in moved.recipient_note


def test_without_a_local_authority_the_note_says_where_to_record_it(db) -> None:
    case_id = with_decision(db)
    family = families.get_family(db, cases.get_case(db, case_id).family_id)
    child = family.children[0]
    casework.update_child(db, child.id, replace(child.details, local_authority=""), "H")
    draft = documents.start(db, case_id, "mediation_request", TODAY)
    assert draft.recipient == ""
    assert "The child's local authority is not recorded" in draft.recipient_note


def test_letters_to_the_family_keep_their_own_address_and_remember_nothing(db) -> None:
    case_id = new_case(db)
    documents.save_letterhead(db, HEAD)
    draft = documents.start(db, case_id, "case_summary", TODAY)
    assert draft.recipient.splitlines() == ["Łucja Wiśniewska", "14 Kestrel Rise", "Leeds",
                                            "LS27 8QX"]
    assert draft.recipient_note == ""
    letter = documents.compose(db, case_id, "case_summary", draft.wording, {},
                               draft.recipient, TODAY)
    documents.produce(db, case_id, letter, draft.wording, "H", TODAY)
    assert letter_recipients.remembered(db) == {}


# --- the remembered To boxes and the family's rights (issue 21, left from the last session) ---
# A council's address is not about the family, so it stays when the family goes; but it was
# typed on a family's letter, and an adviser may have put the family in it ("Re: Zoë ...").


def keep_letter_to_la(db, case_id: str, to: str) -> None:
    draft = documents.start(db, case_id, "mediation_request", TODAY)
    letter = documents.compose(db, case_id, "mediation_request", draft.wording,
                               {"mediation_issues": "Whether to assess.",
                                "health_provision": "None"}, to, TODAY)
    documents.produce(db, case_id, letter, draft.wording, "H", TODAY)


def other_family(db) -> str:
    """A second family, whose child is in Bradford, with the SEN team's address kept."""
    parent = PersonDetails("Chidi", "Okonkwo", Relationship.FATHER, True,
                           address="2 Mill Lane\nBradford", postcode="BD7 1AA",
                           phone="07700 900123", email="chidi@example.org")
    child = ChildDetails("Ada", "Okonkwo", date(2017, 5, 1), local_authority="Bradford Council")
    case_id = casework.open_new_family_case(
        db, family_name="Okonkwo", person=parent, children=[child],
        case=CaseDetails("Harriet Lowe", date(2025, 1, 2), frozenset({CaseIssue.MEDIATION})),
        actor="Harriet")
    child_id = families.get_family(db, cases.get_case(db, case_id).family_id).children[0].id
    statutory.record_event(db, case_id, EventDetails(
        EventKind.ASSESSMENT_DECISION, date(2025, 3, 3), child_id, {"outcome": "refuse"}), "H")
    keep_letter_to_la(db, case_id, "SEN Team\nBradford Council\nCity Hall\nBD1 1HY")
    return case_id


NAMING_THE_CHILD = SEN_TEAM + "\nRe: Zoë Wiśniewska"


@pytest.mark.parametrize("how", ["erase", "anonymise"])
def test_removing_a_case_forgets_a_to_box_that_names_its_family_and_keeps_the_rest(
        db, how: str) -> None:
    case_id = with_decision(db)
    keep_letter_to_la(db, case_id, NAMING_THE_CHILD)
    other = other_family(db)
    assert len(letter_recipients.remembered(db)) == 2
    remove = dp.erase_case if how == "erase" else dp.anonymise_case
    remove(db, case_id, "Retention period over", TODAY, "H")
    kept = letter_recipients.remembered(db)
    assert list(kept.values()) == ["SEN Team\nBradford Council\nCity Hall\nBD1 1HY"]
    assert "Wiśniewska" not in get_setting(db, letter_recipients.SETTING)
    # the other family's council is still offered
    assert documents.start(db, other, "mediation_request", TODAY).recipient.startswith(
        "SEN Team\nBradford Council")


def test_a_to_box_with_nothing_of_the_family_outlives_its_erasure(db) -> None:
    case_id = with_decision(db)
    keep_letter_to_la(db, case_id, SEN_TEAM)  # the council's address only
    dp.erase_case(db, case_id, "Asked to be forgotten", TODAY, "H")
    assert list(letter_recipients.remembered(db).values()) == [SEN_TEAM]


@pytest.mark.parametrize("typed", ["SEN Team\nLeeds City Council\nfor the family at LS278QX",
                                   "SEN Team\nRef WISNIEWSKA\n07700 900 457",
                                   "SEN Team, re lucja@example.org"])
def test_the_family_is_found_however_it_was_typed(db, typed: str) -> None:
    case_id = with_decision(db)
    keep_letter_to_la(db, case_id, typed)
    dp.erase_case(db, case_id, "Asked to be forgotten", TODAY, "H")
    assert letter_recipients.remembered(db) == {}


def test_a_to_box_naming_the_family_is_in_their_subject_access_disclosure(db) -> None:
    case_id = with_decision(db)
    keep_letter_to_la(db, case_id, NAMING_THE_CHILD)
    other = other_family(db)
    family_id = cases.get_case(db, case_id).family_id
    rows = disclosure.family_records(db, family_id)["letter_recipient"]
    assert [r["address"] for r in rows] == [NAMING_THE_CHILD]
    assert rows[0]["kept_for"] == "letters to the local authority at leeds city council"
    other_id = cases.get_case(db, other).family_id
    assert "letter_recipient" not in disclosure.family_records(db, other_id)


def test_the_disclosure_sent_shows_that_to_box(db, tmp_path) -> None:
    case_id = with_decision(db)
    keep_letter_to_la(db, case_id, NAMING_THE_CHILD)
    request_id = sar.record_request(
        db, family_id=cases.get_case(db, case_id).family_id, requester="Łucja Wiśniewska",
        about="Zoë Wiśniewska", received_on=TODAY, identity_check="Seen at home", today=TODAY,
        actor="H")
    result = export_everything(db, request_id, tmp_path, Redaction(), TODAY, "H")
    sent = json.loads((result.folder / "disclosure.json").read_text(encoding="utf-8"))
    assert [r["address"] for r in sent["records"]["letter_recipient"]] == [NAMING_THE_CHILD]
    text = "\n".join(p.extract_text() for p in PdfReader(result.folder / "disclosure.pdf").pages)
    assert "An address kept for the next letter, which mentions you" in text
    assert "Re: Zoë Wiśniewska" in text
