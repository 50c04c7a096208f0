"""One function per thing an adviser does to a case; each is one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from adviser_app.domain.duplicates import PossibleDuplicate, possible_duplicates
from adviser_app.domain.records import (CaseDetails, ChildDetails, EntryDetails, PersonDetails,
                                        TaskDetails)
from adviser_app.domain.vocab import CaseState, EntryKind, EvaluationAnswer
from adviser_app.store import audit, case_progress, cases, families, tasks, timeline
from adviser_app.store.db import Database
from adviser_app.store.errors import CaseBookError
from adviser_app.store.settings import LAPTOP_NUMBER, get_setting, is_training
from adviser_app.domain.references import REAL_PREFIX, TRAINING_PREFIX
from adviser_app.domain.validation import format_date


def _prefix(db: Database) -> str:
    """SA, or SA7 on the laptop the office hub numbered 7 (each laptop counts its own)."""
    if is_training(db):
        return TRAINING_PREFIX
    return REAL_PREFIX + get_setting(db, LAPTOP_NUMBER)


def find_duplicates(db: Database, *, child: ChildDetails | None,
                    person: PersonDetails | None) -> list[PossibleDuplicate]:
    """Families that may be the same as the one about to be created."""
    return possible_duplicates(
        child_given=child.given_name if child else "",
        child_family=child.family_name if child else "",
        child_dob=child.date_of_birth if child else None,
        surname=person.family_name if person else "",
        postcode=person.postcode if person else "",
        children=families.existing_children(db), people=families.existing_people(db))


def open_new_family_case(db: Database, *, family_name: str, person: PersonDetails | None,
                         children: list[ChildDetails], case: CaseDetails,
                         actor: str) -> str:
    """Create a family with its first person and children, and open a case for them."""
    with db.atomic():
        family_id = families.insert_family(db, family_name, actor)
        if person is not None:
            families.insert_person(db, family_id, person, actor)
        child_ids = [families.insert_child(db, family_id, child, actor) for child in children]
        case_id, _ = cases.insert_case(
            db, family_id, replace(case, child_ids=frozenset(child_ids)), actor, _prefix(db))
        audit.record(db, actor, "created", "family", family_id)
        audit.record(db, actor, "created", "case", case_id)
    return case_id


def open_case_for_family(db: Database, family_id: str, case: CaseDetails, actor: str) -> str:
    """Open another case for a family already in the case book."""
    _check_children_belong(db, family_id, case)
    with db.atomic():
        case_id, _ = cases.insert_case(db, family_id, case, actor, _prefix(db))
        audit.record(db, actor, "created", "case", case_id)
    return case_id


def _check_children_belong(db: Database, family_id: str, case: CaseDetails) -> None:
    if case.child_ids and families.family_ids_of_children(db, sorted(case.child_ids)) != {
            family_id}:
        raise CaseBookError("A case can only be about children of its own family.")


def update_case(db: Database, case_id: str, details: CaseDetails, actor: str,
                level_changed_on: date | None = None) -> None:
    """Save the case's details; a change of level is kept as made on *level_changed_on*."""
    existing = cases.get_case(db, case_id)
    _check_children_belong(db, existing.family_id, details)
    if existing.closed_on is not None and details.opened_on > existing.closed_on:
        raise CaseBookError("A case can't be opened after the date it was closed "
                            f"({format_date(existing.closed_on)}).")
    if level_changed_on is not None and level_changed_on < details.opened_on:
        raise CaseBookError("A level can't change before the case was opened "
                            f"({format_date(details.opened_on)}).")
    with db.atomic():
        cases.update_case(db, case_id, details, actor, level_changed_on)
        audit.record(db, actor, "changed", "case", case_id)


def close_case(db: Database, case_id: str, closed_on: date, note: str, actor: str,
               outcome: str | None = None,
               answers: Sequence[tuple[str, EvaluationAnswer]] = ()) -> None:
    """Close the case with its outcome and the answers to the service's evaluation questions
    (each kept with the question's wording)."""
    existing = cases.get_case(db, case_id)
    if closed_on < existing.details.opened_on:
        raise CaseBookError("A case can't be closed before the date it was opened "
                            f"({format_date(existing.details.opened_on)}).")
    with db.atomic():
        cases.set_case_state(db, case_id, CaseState.CLOSED, closed_on, note, actor)
        case_progress.record_closing(db, case_id, outcome, answers, actor)
        timeline.insert_entry(db, case_id, EntryDetails(
            EntryKind.NOTE, closed_on, actor,
            "Case closed." + (f" Closing note: {note}" if note else "")), actor)
        audit.record(db, actor, "changed", "case", case_id, "closed")


def reopen_case(db: Database, case_id: str, actor: str, today: date) -> None:
    """Open a closed case again; the closing note stays on the timeline."""
    with db.atomic():
        cases.set_case_state(db, case_id, CaseState.OPEN, None, "", actor)
        if case_progress.is_inactive(db, case_id):  # it comes back active
            case_progress.record_status(db, case_id, False, today, actor)
        timeline.insert_entry(db, case_id, EntryDetails(EntryKind.NOTE, today, actor,
                                                        "Case reopened."), actor)
        audit.record(db, actor, "changed", "case", case_id, "reopened")


def rename_family(db: Database, family_id: str, family_name: str, notes: str,
                  actor: str) -> None:
    with db.atomic():
        families.update_family(db, family_id, family_name, notes, actor)
        audit.record(db, actor, "changed", "family", family_id)


def add_person(db: Database, family_id: str, details: PersonDetails, actor: str) -> str:
    with db.atomic():
        person_id = families.insert_person(db, family_id, details, actor)
        audit.record(db, actor, "created", "person", person_id)
        return person_id


def update_person(db: Database, person_id: str, details: PersonDetails, actor: str) -> None:
    with db.atomic():
        families.update_person(db, person_id, details, actor)
        audit.record(db, actor, "changed", "person", person_id)


def add_child(db: Database, family_id: str, details: ChildDetails, actor: str,
              add_to_case: str | None = None) -> str:
    """Add a child to the family and, if given, to that case too."""
    if add_to_case and cases.get_case(db, add_to_case).family_id != family_id:
        raise CaseBookError("A child can only be added to a case of their own family.")
    with db.atomic():
        child_id = families.insert_child(db, family_id, details, actor)
        audit.record(db, actor, "created", "child", child_id)
        if add_to_case:
            case = cases.get_case(db, add_to_case)
            cases.update_case(db, add_to_case, replace(
                case.details, child_ids=case.details.child_ids | {child_id}), actor)
    return child_id


def update_child(db: Database, child_id: str, details: ChildDetails, actor: str) -> None:
    with db.atomic():
        families.update_child(db, child_id, details, actor)
        audit.record(db, actor, "changed", "child", child_id)


def add_timeline_entry(db: Database, case_id: str, details: EntryDetails, actor: str) -> str:
    with db.atomic():
        entry_id = timeline.insert_entry(db, case_id, details, actor)
        audit.record(db, actor, "created", "timeline_entry", entry_id)
        return entry_id


def edit_timeline_entry(db: Database, entry_id: str, details: EntryDetails, actor: str,
                        based_on_version: int) -> int:
    with db.atomic():
        version = timeline.edit_entry(db, entry_id, details, actor, based_on_version)
        audit.record(db, actor, "changed", "timeline_entry", entry_id, f"version {version}")
        return version


def add_task(db: Database, case_id: str, details: TaskDetails, actor: str) -> str:
    with db.atomic():
        task_id = tasks.insert_task(db, case_id, details, actor)
        audit.record(db, actor, "created", "task", task_id)
        return task_id


def update_task(db: Database, task_id: str, details: TaskDetails, actor: str) -> None:
    with db.atomic():
        tasks.update_task(db, task_id, details, actor)
        audit.record(db, actor, "changed", "task", task_id)


def mark_task(db: Database, task_id: str, *, done: bool, today: date, actor: str) -> None:
    with db.atomic():
        tasks.set_task_done(db, task_id, today if done else None, actor)
        audit.record(db, actor, "changed", "task", task_id, "done" if done else "not done")


def view_case(db: Database, case_id: str, actor: str) -> None:
    """Note in the audit log that someone opened this case."""
    with db.atomic():
        audit.record(db, actor, "viewed", "case", case_id)
