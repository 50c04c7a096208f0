"""Form parsing: typed text becomes record details, or a list of plain-English problems."""

from __future__ import annotations

from datetime import date

import pytest

from adviser_app.domain.forms import (EARLIEST_BIRTH, case_from_form, child_from_form,
                                      entry_from_form, family_name_from_form, person_from_form,
                                      task_from_form)
from adviser_app.domain.validation import MAX_NOTE, Problem
from adviser_app.domain.vocab import (AreaOfNeed, CaseIssue, ChildStatus, ContactMethod,
                                      EntryKind, Relationship)

TODAY = date(2026, 11, 28)


def fields(problems: list[Problem]) -> list[str]:
    return [p.field for p in problems]


# --- person -------------------------------------------------------------------------------


def person(**overrides: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = dict(given_name="Amara", family_name="Okafor",
                                     relationship=Relationship.MOTHER, today=TODAY)
    values.update(overrides)
    return person_from_form(**values)  # type: ignore[arg-type]


def test_good_person_is_cleaned() -> None:
    details, problems = person(given_name=" Zoe\u0308 ", postcode="sw1a1aa",
                               phone=" 07700 900123 ", email=" a@example.org ",
                               preferred_contact=ContactMethod.EMAIL, consent_to_share=True,
                               consent_date="1/11/2026", parental_responsibility=True)
    assert problems == []
    assert details is not None
    assert details.given_name == "Zoë"
    assert details.postcode == "SW1A 1AA"
    assert details.phone == "07700 900123"
    assert details.email == "a@example.org"
    assert details.consent_date == date(2026, 11, 1)
    assert details.parental_responsibility is True
    assert details.full_name == "Zoë Okafor"


def test_person_needs_names() -> None:
    details, problems = person(given_name="", family_name=" ")
    assert details is None
    assert fields(problems) == ["given_name", "family_name"]


def test_preferred_contact_email_without_email_is_refused() -> None:
    details, problems = person(preferred_contact=ContactMethod.EMAIL, phone="07700 900123")
    assert details is None
    assert fields(problems) == ["email"]
    assert "preferred contact" in problems[0].message


@pytest.mark.parametrize("method", [ContactMethod.PHONE, ContactMethod.TEXT])
def test_preferred_phone_or_text_without_phone_is_refused(method: ContactMethod) -> None:
    details, problems = person(preferred_contact=method, email="a@example.org")
    assert details is None
    assert fields(problems) == ["phone"]


@pytest.mark.parametrize(("address", "postcode"), [("", ""), ("1 High St", ""), ("", "M1 1AE")])
def test_preferred_letter_needs_address_and_postcode(address: str, postcode: str) -> None:
    details, problems = person(preferred_contact=ContactMethod.LETTER, address=address,
                               postcode=postcode)
    assert details is None
    assert "address" in fields(problems)


def test_preferred_letter_with_address_and_postcode_is_fine() -> None:
    details, problems = person(preferred_contact=ContactMethod.LETTER,
                               address="1 High Street\nLeeds", postcode="LS1 1AA")
    assert problems == []
    assert details is not None and details.address == "1 High Street\nLeeds"


def test_consent_without_date_is_refused() -> None:
    details, problems = person(consent_to_share=True, consent_date="")
    assert details is None
    assert fields(problems) == ["consent_date"]


def test_consent_date_in_the_future_is_refused() -> None:
    details, problems = person(consent_to_share=True, consent_date="29/11/2026")
    assert details is None
    assert fields(problems) == ["consent_date"]
    assert "future" in problems[0].message


def test_consent_date_today_is_fine() -> None:
    details, problems = person(consent_to_share=True, consent_date="28/11/2026")
    assert problems == [] and details is not None


def test_no_consent_no_date_is_fine() -> None:
    details, problems = person()
    assert problems == [] and details is not None
    assert details.consent_to_share is False and details.consent_date is None


def test_bad_email_phone_postcode_are_all_reported() -> None:
    details, problems = person(email="nope", phone="123", postcode="nope")
    assert details is None
    assert set(fields(problems)) == {"email", "phone", "postcode"}


def test_single_line_address_field_allows_newlines_but_not_controls() -> None:
    details, problems = person(address="Flat 1\x07\nHigh St")
    assert details is None
    assert fields(problems) == ["address"]


# --- child --------------------------------------------------------------------------------


def child(**overrides: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = dict(given_name="Zoë", family_name="Okafor",
                                     date_of_birth="14/03/2015", today=TODAY)
    values.update(overrides)
    return child_from_form(**values)  # type: ignore[arg-type]


def test_good_child() -> None:
    details, problems = child(school="Hillside Primary", year_group="Year 6",
                              local_authority="Leeds",
                              areas_of_need=[AreaOfNeed.COGNITION, AreaOfNeed.SEMH],
                              status=ChildStatus.EHC_PLAN, ehc_plan_issued="01/09/2022",
                              ehc_plan_last_reviewed="01/09/2026", notes="Likes trains")
    assert problems == []
    assert details is not None
    assert details.date_of_birth == date(2015, 3, 14)
    assert details.areas_of_need == frozenset({AreaOfNeed.COGNITION, AreaOfNeed.SEMH})
    assert details.ehc_plan_issued == date(2022, 9, 1)
    assert details.ehc_plan_last_reviewed == date(2026, 9, 1)


def test_child_date_of_birth_is_required() -> None:
    details, problems = child(date_of_birth="")
    assert details is None
    assert fields(problems) == ["date_of_birth"]


def test_future_date_of_birth_is_refused() -> None:
    details, problems = child(date_of_birth="29/11/2026")
    assert details is None
    assert fields(problems) == ["date_of_birth"]
    assert "future" in problems[0].message


def test_date_of_birth_today_is_accepted() -> None:
    details, problems = child(date_of_birth="28/11/2026")
    assert problems == [] and details is not None


def test_date_of_birth_before_earliest_is_refused() -> None:
    before = EARLIEST_BIRTH
    details, problems = child(date_of_birth="31/12/1994")
    assert details is None
    assert fields(problems) == ["date_of_birth"]
    details, problems = child(date_of_birth=before.strftime("%d/%m/%Y"))
    assert problems == []


def test_impossible_date_of_birth_is_refused() -> None:
    details, problems = child(date_of_birth="30/02/2015")
    assert details is None
    assert "30 February 2015 doesn't exist" in problems[0].message


@pytest.mark.parametrize("status", [ChildStatus.NO_SEN_SUPPORT, ChildStatus.SEN_SUPPORT,
                                    ChildStatus.ASSESSMENT_REQUESTED])
@pytest.mark.parametrize(("issued", "reviewed"), [("01/09/2022", ""), ("", "01/09/2023"),
                                                  ("01/09/2022", "01/09/2023")])
def test_ehc_dates_with_wrong_status_are_refused(status: ChildStatus, issued: str,
                                                 reviewed: str) -> None:
    details, problems = child(status=status, ehc_plan_issued=issued,
                              ehc_plan_last_reviewed=reviewed)
    assert details is None
    assert fields(problems) == ["status"]


def test_ehc_plan_status_without_dates_is_fine() -> None:
    details, problems = child(status=ChildStatus.EHC_PLAN)
    assert problems == [] and details is not None


def test_ehc_plan_before_birth_is_refused() -> None:
    details, problems = child(status=ChildStatus.EHC_PLAN, ehc_plan_issued="01/01/2015")
    assert details is None
    assert fields(problems) == ["ehc_plan_issued"]


def test_review_before_plan_issued_is_refused() -> None:
    details, problems = child(status=ChildStatus.EHC_PLAN, ehc_plan_issued="01/09/2022",
                              ehc_plan_last_reviewed="31/08/2022")
    assert details is None
    assert fields(problems) == ["ehc_plan_last_reviewed"]


def test_ehc_dates_in_future_are_refused() -> None:
    details, problems = child(status=ChildStatus.EHC_PLAN, ehc_plan_issued="01/12/2026")
    assert details is None
    assert fields(problems) == ["ehc_plan_issued"]


def test_child_notes_cap() -> None:
    details, problems = child(notes="n" * MAX_NOTE)
    assert problems == [] and details is not None
    details, problems = child(notes="n" * (MAX_NOTE + 1))
    assert details is None and fields(problems) == ["notes"]


def test_child_year_group_is_short() -> None:
    details, problems = child(year_group="y" * 41)
    assert details is None and fields(problems) == ["year_group"]


# --- case ---------------------------------------------------------------------------------


def test_good_case() -> None:
    details, problems = case_from_form(adviser="Sam Adviser", opened_on="01/11/2026",
                                       issues=[CaseIssue.EHC_ASSESSMENT, CaseIssue.MEDIATION],
                                       child_ids=["c1"], summary="Refused assessment",
                                       today=TODAY)
    assert problems == []
    assert details is not None
    assert details.opened_on == date(2026, 11, 1)
    assert details.issues == frozenset({CaseIssue.EHC_ASSESSMENT, CaseIssue.MEDIATION})
    assert details.child_ids == frozenset({"c1"})


def test_case_needs_an_issue() -> None:
    details, problems = case_from_form(adviser="Sam", opened_on="01/11/2026", issues=[],
                                       child_ids=[], today=TODAY)
    assert details is None
    assert fields(problems) == ["issues"]


def test_case_opened_in_future_or_without_date_is_refused() -> None:
    details, problems = case_from_form(adviser="Sam", opened_on="29/11/2026",
                                       issues=[CaseIssue.OTHER], child_ids=[], today=TODAY)
    assert details is None and fields(problems) == ["opened_on"]
    details, problems = case_from_form(adviser="Sam", opened_on="", issues=[CaseIssue.OTHER],
                                       child_ids=[], today=TODAY)
    assert details is None and fields(problems) == ["opened_on"]


def test_case_needs_an_adviser() -> None:
    details, problems = case_from_form(adviser="  ", opened_on="01/11/2026",
                                       issues=[CaseIssue.OTHER], child_ids=[], today=TODAY)
    assert details is None and fields(problems) == ["adviser"]


# --- timeline entry -----------------------------------------------------------------------


def test_good_entry() -> None:
    details, problems = entry_from_form(kind=EntryKind.PHONE_CALL, entry_date="28/11/2026",
                                        author="Sam", body="Called mum.\nWill write.",
                                        today=TODAY)
    assert problems == []
    assert details is not None and details.body == "Called mum.\nWill write."


@pytest.mark.parametrize("body", ["", "   ", "\n\n"])
def test_entry_body_required(body: str) -> None:
    details, problems = entry_from_form(kind=EntryKind.NOTE, entry_date="28/11/2026",
                                        author="Sam", body=body, today=TODAY)
    assert details is None and fields(problems) == ["body"]


def test_entry_body_cap() -> None:
    details, problems = entry_from_form(kind=EntryKind.NOTE, entry_date="28/11/2026",
                                        author="Sam", body="b" * MAX_NOTE, today=TODAY)
    assert problems == []
    details, problems = entry_from_form(kind=EntryKind.NOTE, entry_date="28/11/2026",
                                        author="Sam", body="b" * (MAX_NOTE + 1), today=TODAY)
    assert details is None and fields(problems) == ["body"]


def test_entry_in_future_or_undated_is_refused() -> None:
    details, problems = entry_from_form(kind=EntryKind.NOTE, entry_date="29/11/2026",
                                        author="Sam", body="x", today=TODAY)
    assert details is None and fields(problems) == ["entry_date"]
    details, problems = entry_from_form(kind=EntryKind.NOTE, entry_date="",
                                        author="Sam", body="x", today=TODAY)
    assert details is None and fields(problems) == ["entry_date"]


# --- task and family name -----------------------------------------------------------------


def test_task_forms() -> None:
    details, problems = task_from_form(title="Send letter", due_on="05/12/2026")
    assert problems == [] and details is not None and details.due_on == date(2026, 12, 5)
    details, problems = task_from_form(title="Send letter", due_on="")
    assert problems == [] and details is not None and details.due_on is None
    details, problems = task_from_form(title="", due_on="")
    assert details is None and fields(problems) == ["title"]
    details, problems = task_from_form(title="x", due_on="31/11/2026")
    assert details is None and fields(problems) == ["due_on"]


def test_family_name_form() -> None:
    name, problems = family_name_from_form("  O\u2019Brien  ")
    assert name == "O\u2019Brien" and problems == []
    name, problems = family_name_from_form("")
    assert fields(problems) == ["family_name"]


# --- address lines (issue 21: letters went to a name and a postcode) ----------------------

def test_address_lines_are_tidied_one_part_a_line() -> None:
    details, problems = person(address="  12  Rye Lane,\n\n Peckham , \nLondon\n",
                               postcode="se15 4ab")
    assert problems == []
    assert details is not None and details.address == "12 Rye Lane\nPeckham\nLondon"


def test_postcode_typed_again_as_the_last_address_line_is_dropped() -> None:
    details, problems = person(address="12 Rye Lane\nLondon\nSE15 4AB", postcode="SE15 4AB")
    assert problems == []
    assert details is not None and details.address == "12 Rye Lane\nLondon"


@pytest.mark.parametrize(("postcode", "says"), [
    ("", "\u201cse15 4ab\u201d, looks like a postcode: put it in the Postcode box instead."),
    ("M1 1AE", "\u201cse15 4ab\u201d, is a different postcode from the Postcode box (M1 1AE): "
               "keep the right one")])
def test_a_different_or_missing_postcode_in_the_address_is_asked_to_move(postcode: str,
                                                                       says: str) -> None:
    details, problems = person(address="12 Rye Lane\nse15 4ab", postcode=postcode)
    assert details is None
    assert fields(problems) == ["address"]
    assert says in problems[0].message


def test_too_many_or_too_long_address_lines_are_refused_plainly() -> None:
    _, problems = person(address="\n".join(f"Line {n}" for n in range(8)))
    assert [p.message for p in problems] == [
        "The address has 8 lines; a letter has room for 6. Leave out the postcode and the "
        "country, and join short parts."]
    _, problems = person(address="Flat 2\n" + "Long Street " * 8)
    assert "Line 2 of the address is 95 characters long; the most is 80" in \
        problems[0].message
