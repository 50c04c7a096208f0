"""A case book with known cases around the 2025/26 financial year, for checking every figure
of the activity report exactly (see the expected figures in test_reports.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from adviser_app.domain.statutory.events import EventDetails, EventKind
from adviser_app.domain.mediation import Choice, Decision, Issue, MediationDraft, Outcome, Step
from adviser_app.domain.records import CaseDetails, ChildDetails, EntryDetails
from adviser_app.domain.vocab import (AreaOfNeed, CaseIssue, ContactWay, EntryKind,
                                      EvaluationAnswer, HeardFrom, ServiceUser, SupportLevel)
from adviser_app.services import case_progress, casework, mediation, statutory
from adviser_app.store import families
from adviser_app.store.db import Database

ACTOR = "Harriet Lowe"
QUESTIONS = case_progress.questions  # the service's questions (defaults here)


@dataclass
class Known:
    ids: dict[str, str]


def _open(db: Database, name: str, opened: date, child: ChildDetails | None,
          issues: set[CaseIssue], level: SupportLevel | None = None,
          user: ServiceUser | None = None, heard: HeardFrom | None = None) -> str:
    return casework.open_new_family_case(
        db, family_name=name, person=None, children=[child] if child else [],
        case=CaseDetails(ACTOR, opened, frozenset(issues), level=level, service_user=user,
                         heard_from=heard), actor=ACTOR)


def _child(name: str, born: date, year: str, la: str,
           needs: set[AreaOfNeed] = set()) -> ChildDetails:  # noqa: B006 - never changed
    return ChildDetails(name, "Test", born, year_group=year, local_authority=la,
                        areas_of_need=frozenset(needs))


def _entry(db: Database, case_id: str, kind: EntryKind, on: date, minutes: int | None,
           contact: ContactWay | None = None, body: str = "Talked it through.") -> None:
    from adviser_app.domain.vocab import CONTACT_FOR_KIND

    casework.add_timeline_entry(db, case_id, EntryDetails(
        kind, on, ACTOR, body, minutes, contact or CONTACT_FOR_KIND[kind]), ACTOR)


def build(db: Database) -> Known:
    ids: dict[str, str] = {}
    # A: opened on the year's last day, level 2
    ids["A"] = _open(db, "Aland", date(2026, 3, 31),
                     _child("Amy", date(2015, 6, 1), "Year 5", "Leeds",
                            {AreaOfNeed.COMMUNICATION}),
                     {CaseIssue.EHC_ASSESSMENT}, SupportLevel.ADVICE, ServiceUser.PARENT_CARER,
                     HeardFrom.SCHOOL)
    _entry(db, ids["A"], EntryKind.PHONE_CALL, date(2026, 3, 31), 30)
    # B: opened the year before, closed on the year's first day, with outcome and answers
    ids["B"] = _open(db, "Barton", date(2024, 9, 1),
                     _child("Ben", date(2009, 5, 10), "Year 10", "Leeds",
                            {AreaOfNeed.SENSORY_PHYSICAL}),
                     {CaseIssue.ANNUAL_REVIEW}, SupportLevel.CASEWORK, ServiceUser.YOUNG_PERSON)
    _entry(db, ids["B"], EntryKind.EMAIL, date(2025, 3, 31), 15)  # the year before
    _entry(db, ids["B"], EntryKind.HOME_VISIT, date(2025, 4, 1), 60)
    questions = case_progress.questions(db)
    casework.close_case(db, ids["B"], date(2025, 4, 1), "", ACTOR,
                        outcome="Agreement reached with the school or setting",
                        answers=[(questions[0], EvaluationAnswer.YES),
                                 (questions[1], EvaluationAnswer.PARTLY),
                                 (questions[2], EvaluationAnswer.NOT_ANSWERED)])
    # C: open all year; level 2 then 4 from 15/10/2025; the child turns 16 on 20/11/2025;
    # inactive from 1/2/2026; a mediation and a Tribunal order
    ids["C"] = _open(db, "Carver", date(2025, 1, 10),
                     _child("Cat", date(2009, 11, 20), "Year 11", "Bradford",
                            {AreaOfNeed.COGNITION, AreaOfNeed.SEMH}),
                     {CaseIssue.EHC_PLAN_CONTENT, CaseIssue.TRIBUNAL_APPEAL},
                     SupportLevel.ADVICE, ServiceUser.PROFESSIONAL, HeardFrom.LOCAL_OFFER)
    from adviser_app.store import cases

    details = cases.get_case(db, ids["C"]).details
    from dataclasses import replace

    casework.update_case(db, ids["C"], replace(details, level=SupportLevel.TRIBUNAL), ACTOR,
                         level_changed_on=date(2025, 10, 15))
    _entry(db, ids["C"], EntryKind.MEETING, date(2025, 6, 1), 90)
    _entry(db, ids["C"], EntryKind.MEETING, date(2025, 11, 1), 45, ContactWay.ONLINE)
    _entry(db, ids["C"], EntryKind.NOTE, date(2025, 11, 2), None)
    _entry(db, ids["C"], EntryKind.PHONE_CALL, date(2026, 1, 5), None)
    case_progress.set_inactive(db, ids["C"], True, date(2026, 2, 1), ACTOR)
    cat = families.get_family(db, cases.get_case(db, ids["C"]).family_id).children[0].id
    mediation.save(db, ids["C"], MediationDraft(
        child_id=cat, decision=Decision.PLAN_CONTENTS, sections=frozenset({"B", "F"}),
        letter_dated=date(2025, 6, 20), letter_sent=date(2025, 6, 21),
        choice=Choice.MEDIATION, adviser_told=date(2025, 6, 25),
        certificate_issued=date(2025, 7, 1), issues=frozenset({Issue.EDUCATION}),
        la_told=date(2025, 7, 2), mediation_date=date(2025, 8, 15),
        outcome=Outcome.NO_AGREEMENT, concluded=date(2025, 8, 15),
        appeal_registered=date(2025, 10, 1), step=Step.SUMMARY), ACTOR)
    statutory.record_event(db, ids["C"], EventDetails(
        EventKind.TRIBUNAL_ORDER, date(2026, 2, 20), cat, {"action": "amend_b_f"}), ACTOR)
    # D: as a case made before these fields: no level, service user or outcome
    ids["D"] = _open(db, "Dunn", date(2025, 5, 5),
                     _child("Dot", date(2022, 1, 1), "Nursery", ""), {CaseIssue.OTHER})
    _entry(db, ids["D"], EntryKind.LETTER, date(2025, 6, 10), None)
    casework.close_case(db, ids["D"], date(2025, 12, 1), "", ACTOR)
    # E: opened after the year; F: closed the day before it began
    ids["E"] = _open(db, "Ennis", date(2026, 4, 1),
                     _child("Eve", date(2012, 1, 1), "Year 8", "York"), {CaseIssue.OTHER},
                     SupportLevel.INFORMATION)
    _entry(db, ids["E"], EntryKind.PHONE_CALL, date(2026, 4, 2), 10)
    ids["F"] = _open(db, "Fenn", date(2023, 1, 1),
                     _child("Fay", date(2012, 1, 1), "Year 8", "York"), {CaseIssue.OTHER},
                     SupportLevel.INFORMATION)
    casework.close_case(db, ids["F"], date(2025, 3, 31), "", ACTOR)
    return Known(ids)
