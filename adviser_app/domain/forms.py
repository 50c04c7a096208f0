"""Turning what someone typed into record details, or a list of plain-English problems."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from adviser_app.domain.records import (CaseDetails, ChildDetails, EntryDetails, PersonDetails,
                                        TaskDetails)
from adviser_app.domain.validation import MAX_NOTE, Checker, Problem
from adviser_app.domain.vocab import (AreaOfNeed, CaseIssue, ChildStatus, ContactMethod,
                                      ContactWay, EntryKind, HeardFrom, Relationship,
                                      ServiceUser, SupportLevel)

EARLIEST_BIRTH = date(1995, 1, 1)  # SEND law covers people up to 25; older is a typing slip


def person_from_form(*, given_name: str, family_name: str, relationship: Relationship,
                     parental_responsibility: bool = False, address: str = "",
                     postcode: str = "", phone: str = "", email: str = "",
                     preferred_contact: ContactMethod | None = None, access_needs: str = "",
                     interpreter_language: str = "", consent_to_share: bool = False,
                     consent_date: str = "", today: date
                     ) -> tuple[PersonDetails | None, list[Problem]]:
    c = Checker()
    cleaned_postcode = c.postcode("postcode", postcode)
    details = PersonDetails(
        given_name=c.name("given_name", "First name", given_name),
        family_name=c.name("family_name", "Surname", family_name),
        relationship=relationship,
        parental_responsibility=parental_responsibility,
        address=c.address("address", address, cleaned_postcode),
        postcode=cleaned_postcode,
        phone=c.phone("phone", phone),
        email=c.email("email", email),
        preferred_contact=preferred_contact,
        access_needs=c.text("access_needs", "Access needs", access_needs, multiline=True,
                            max_len=2000),
        interpreter_language=c.text("interpreter_language", "Interpreter language",
                                    interpreter_language),
        consent_to_share=consent_to_share,
        consent_date=c.date("consent_date", "Date consent was given", consent_date,
                            not_after=today, required=consent_to_share),
    )
    if preferred_contact is ContactMethod.EMAIL and not details.email:
        c.fail("email", "Email is the preferred contact, so an email address is needed.")
    if preferred_contact in (ContactMethod.PHONE, ContactMethod.TEXT) and not details.phone:
        c.fail("phone", "A phone number is needed for the preferred contact method.")
    if preferred_contact is ContactMethod.LETTER and not (details.address and details.postcode):
        c.fail("address", "Letters are the preferred contact, so an address and postcode "
                          "are needed.")
    return (details if c.ok else None), c.problems


def child_from_form(*, given_name: str, family_name: str, date_of_birth: str, school: str = "",
                    year_group: str = "", local_authority: str = "",
                    areas_of_need: Iterable[AreaOfNeed] = (),
                    status: ChildStatus = ChildStatus.NO_SEN_SUPPORT,
                    ehc_plan_issued: str = "", ehc_plan_last_reviewed: str = "",
                    notes: str = "", today: date) -> tuple[ChildDetails | None, list[Problem]]:
    c = Checker()
    given = c.name("given_name", "Child's first name", given_name)
    surname = c.name("family_name", "Child's surname", family_name)
    dob = c.date("date_of_birth", "Date of birth", date_of_birth, required=True,
                 not_after=today, not_before=EARLIEST_BIRTH)
    issued = c.date("ehc_plan_issued", "Date the EHC plan was issued", ehc_plan_issued,
                    not_after=today)
    reviewed = c.date("ehc_plan_last_reviewed", "Date of the last annual review",
                      ehc_plan_last_reviewed, not_after=today)
    if dob and issued and issued < dob:
        c.fail("ehc_plan_issued", "The EHC plan can't be issued before the child was born.")
    if issued and reviewed and reviewed < issued:
        c.fail("ehc_plan_last_reviewed", "The last annual review can't be before the plan "
                                         "was issued.")
    if status is not ChildStatus.EHC_PLAN and (issued or reviewed):
        c.fail("status", "EHC plan dates are filled in, so the status should be "
                         "\u201cEHC plan\u201d (or clear the plan dates).")
    details = ChildDetails(
        given_name=given,
        family_name=surname,
        date_of_birth=dob or today,
        school=c.text("school", "School or setting", school),
        year_group=c.text("year_group", "Year group", year_group, max_len=40),
        local_authority=c.text("local_authority", "Local authority", local_authority),
        areas_of_need=frozenset(areas_of_need),
        status=status,
        ehc_plan_issued=issued,
        ehc_plan_last_reviewed=reviewed,
        notes=c.text("notes", "Notes", notes, multiline=True, max_len=MAX_NOTE),
    )
    return (details if c.ok else None), c.problems


def case_from_form(*, adviser: str, opened_on: str, issues: Iterable[CaseIssue],
                   child_ids: Iterable[str], summary: str = "", today: date,
                   level: SupportLevel | None = None, service_user: ServiceUser | None = None,
                   heard_from: HeardFrom | None = None
                   ) -> tuple[CaseDetails | None, list[Problem]]:
    c = Checker()
    details = CaseDetails(
        adviser=c.name("adviser", "Adviser", adviser),
        opened_on=c.date("opened_on", "Date opened", opened_on, required=True,
                         not_after=today) or today,
        issues=frozenset(issues),
        child_ids=frozenset(child_ids),
        summary=c.text("summary", "What the case is about", summary, multiline=True,
                       max_len=5000),
        level=level, service_user=service_user, heard_from=heard_from,
    )
    if not details.issues:
        c.fail("issues", "Choose at least one issue the case is about.")
    return (details if c.ok else None), c.problems


def entry_from_form(*, kind: EntryKind, entry_date: str, author: str, body: str, today: date,
                    minutes: str = "", contact: ContactWay | None = None
                    ) -> tuple[EntryDetails | None, list[Problem]]:
    c = Checker()
    details = EntryDetails(
        kind=kind,
        entry_date=c.date("entry_date", "Date", entry_date, required=True,
                          not_after=today) or today,
        author=c.name("author", "Written by", author),
        body=c.text("body", "Note", body, required=True, multiline=True, max_len=MAX_NOTE),
        minutes=minutes_from_text(c, minutes),
        contact=contact,
    )
    return (details if c.ok else None), c.problems


def minutes_from_text(c: Checker, text: str) -> int | None:
    """Time spent as typed: whole minutes from 0 to 1,440 (a day), or blank."""
    cleaned = text.strip().lower().removesuffix("minutes").removesuffix("mins").strip()
    if not cleaned:
        return None
    if not cleaned.isdigit():
        c.fail("minutes", "Give the time spent as a whole number of minutes, such as 45.")
        return None
    value = int(cleaned)
    if value > 1440:
        c.fail("minutes", "That is more than a day: give the time spent in minutes, "
                          "at most 1,440.")
        return None
    return value


def task_from_form(*, title: str, due_on: str) -> tuple[TaskDetails | None, list[Problem]]:
    c = Checker()
    details = TaskDetails(title=c.text("title", "Task", title, required=True),
                          due_on=c.date("due_on", "Due date", due_on))
    return (details if c.ok else None), c.problems


def family_name_from_form(name: str) -> tuple[str, list[Problem]]:
    c = Checker()
    cleaned = c.name("family_name", "Family name", name)
    return cleaned, c.problems
