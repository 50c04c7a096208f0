"""A family whose every free text holds a canary word, for the data protection tests."""

from __future__ import annotations

from datetime import date

from adviser_app.domain.statutory.events import EventDetails, EventKind
from adviser_app.domain.graduated.passport import PassportDetails
from adviser_app.domain.records import (CaseDetails, ChildDetails, EntryDetails, PersonDetails,
                                        TaskDetails)
from adviser_app.domain.vocab import EntryKind, Relationship
from adviser_app.services import casework, graduated, statutory
from adviser_app.store.db import Database

ACTOR = "Reviewer Rhiannon"


def plant(db: Database, tag: str, *, closed_on: date | None = date(2026, 1, 5)) -> str:
    """A family whose every free text holds a canary word made from *tag*."""
    person = PersonDetails(given_name=f"Qx{tag}mum", family_name=f"Qx{tag}sur",
                           relationship=Relationship.MOTHER, address=f"1 Qx{tag}road",
                           postcode="LS1 4AP", phone="07700 900123",
                           email=f"qx{tag}@example.org")
    child = ChildDetails(given_name=f"Qx{tag}kid", family_name=f"Qx{tag}sur",
                         date_of_birth=date(2005, 6, 10), school=f"Qx{tag}school",
                         notes=f"Qx{tag}childnote")
    case_id = casework.open_new_family_case(
        db, family_name=f"Qx{tag}sur", person=person, children=[child],
        case=CaseDetails(adviser="Ann", opened_on=date(2025, 3, 1), summary=f"Qx{tag}summary"),
        actor=ACTOR)
    child_id = next(r["id"] for r in db.query("SELECT id FROM child WHERE given_name = ?",
                                              [f"Qx{tag}kid"]))
    entry = casework.add_timeline_entry(db, case_id, EntryDetails(
        EntryKind.HOME_VISIT, date(2025, 4, 1), "Ann", f"Qx{tag}visitfirst"), ACTOR)
    casework.edit_timeline_entry(db, entry, EntryDetails(
        EntryKind.HOME_VISIT, date(2025, 4, 1), "Ann", f"Qx{tag}visitsecond"), ACTOR, 1)
    casework.add_task(db, case_id, TaskDetails(title=f"Qx{tag}task", due_on=None), ACTOR)
    statutory.record_event(db, case_id, EventDetails(
        EventKind.EHC_REQUEST_RECEIVED, date(2025, 5, 1), child_id, notes=f"Qx{tag}eventnote"),
        ACTOR)
    graduated.save_passport(db, child_id, PassportDetails(strengths=f"Qx{tag}strengths"),
                            [(None, f"Qx{tag}target", None)], ACTOR)
    if closed_on is not None:
        casework.close_case(db, case_id, closed_on, f"Qx{tag}closing", ACTOR)
    return case_id


CANARIES = ("mum", "sur", "road", "kid", "school", "childnote", "summary", "visitfirst",
            "visitsecond", "task", "eventnote", "strengths", "target", "closing")
