"""One function per thing an adviser does with a child's graduated approach (cycles, parent
meetings, checklist marks, passport and targets), each one transaction with its audit log
entries; and the reads the Graduated approach tab, the Deadlines view and a future PDF summary
need. Audit entries carry record ids and fixed words only, never names or notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from adviser_app.services.due_rows import DueRow
from adviser_app.domain.graduated.cycles import Cycle, CycleDetails, Meeting, MeetingDetails
from adviser_app.domain.graduated.checks import checklist, gaps
from adviser_app.domain.graduated.due_reviews import REVIEW_GROUP, ReviewDue, reviews_due
from adviser_app.domain.graduated.expectations import BY_KEY, ChecklistRow, CheckMark, Gap
from adviser_app.domain.graduated.passport import PassportDetails, Target, TargetCheck
from adviser_app.domain.graduated.summary import GraduatedSummary, graduated_summary
from adviser_app.domain.graduated.school_years import YearMeetings, meetings_by_year
from adviser_app.store import audit, families
from adviser_app.store import graduated as store
from adviser_app.store import graduated_passport as passports
from adviser_app.store.db import Database
from adviser_app.store.errors import CaseBookError

# record types in the audit log
CYCLE = "sen_support_cycle"
MEETING = "parent_meeting"
CHECK_MARK = "checklist_mark"
PASSPORT = "pupil_passport"
TARGET = "passport_target"
CLEARED = "cleared"  # a checklist mark taken away: the checklist goes back to the records


def record_cycle(db: Database, details: CycleDetails, actor: str) -> str:
    store.require_child(db, details.child_id)
    with db.atomic():
        cycle_id = store.insert_cycle(db, details, actor)
        audit.record(db, actor, "created", CYCLE, cycle_id)
        return cycle_id


def change_cycle(db: Database, cycle_id: str, details: CycleDetails, actor: str) -> None:
    if store.get_cycle_details(db, cycle_id).child_id != details.child_id:
        raise CaseBookError("A cycle can't be moved to another child.")
    with db.atomic():
        store.update_cycle(db, cycle_id, details, actor)
        audit.record(db, actor, "changed", CYCLE, cycle_id)


def remove_cycle(db: Database, cycle_id: str, actor: str) -> None:
    with db.atomic():
        store.delete_cycle(db, cycle_id, actor)
        audit.record(db, actor, "erased", CYCLE, cycle_id)


def record_meeting(db: Database, details: MeetingDetails, actor: str) -> str:
    store.require_child(db, details.child_id)
    with db.atomic():
        meeting_id = store.insert_meeting(db, details, actor)
        audit.record(db, actor, "created", MEETING, meeting_id)
        return meeting_id


def change_meeting(db: Database, meeting_id: str, details: MeetingDetails, actor: str) -> None:
    if store.get_meeting(db, meeting_id).details.child_id != details.child_id:
        raise CaseBookError("A meeting can't be moved to another child.")
    with db.atomic():
        store.update_meeting(db, meeting_id, details, actor)
        audit.record(db, actor, "changed", MEETING, meeting_id)


def remove_meeting(db: Database, meeting_id: str, actor: str) -> None:
    with db.atomic():
        store.delete_meeting(db, meeting_id, actor)
        audit.record(db, actor, "erased", MEETING, meeting_id)


def mark_expectation(db: Database, child_id: str, key: str, mark: CheckMark | None,
                     actor: str) -> None:
    """Set the adviser's own status on one expectation; None goes back to the records."""
    if key not in BY_KEY or (mark is not None and mark.key != key):
        raise CaseBookError("That is not one of the Code's expectations in the checklist.")
    store.require_child(db, child_id)
    with db.atomic():
        if mark is None:
            store.clear_check(db, child_id, key, actor)
        else:
            store.set_check(db, child_id, mark, actor)
        # like a deadline's mark: the child and the expectation's fixed key, and the status
        audit.record(db, actor, "changed", CHECK_MARK, f"{child_id}/{key}",
                     mark.status.value if mark is not None else CLEARED)


def save_passport(db: Database, child_id: str, details: PassportDetails,
                  targets: list[tuple[str | None, str, date | None]], actor: str) -> None:
    """Save what the passport says and its targets (new ones have no id) together. The audit
    log gets the passport (one per child, so by the child's id) and each target added, changed
    (its wording or date) or removed."""
    store.require_child(db, child_id)
    with db.atomic():
        had_passport = passports.get_passport(db, child_id) is not None
        before = {t.id: t for t in passports.targets_for_child(db, child_id)}
        passports.save_passport(db, child_id, details, actor)
        passports.replace_targets(db, child_id, targets, actor)
        after = {t.id: t for t in passports.targets_for_child(db, child_id)}
        audit.record(db, actor, "changed" if had_passport else "created", PASSPORT, child_id)
        for target_id, target in after.items():
            old = before.get(target_id)
            if old is None:
                audit.record(db, actor, "created", TARGET, target_id)
            elif (old.description, old.set_on) != (target.description, target.set_on):
                audit.record(db, actor, "changed", TARGET, target_id)
        for target_id in before:
            if target_id not in after:  # removed with its review history
                audit.record(db, actor, "erased", TARGET, target_id)


def record_target_review(db: Database, checks: list[tuple[str, TargetCheck]],
                         actor: str) -> None:
    """Each target's status at one review."""
    with db.atomic():
        for target_id, check in checks:
            passports.add_target_check(db, target_id, check, actor)
            audit.record(db, actor, "changed", TARGET, target_id,
                         f"reviewed: {check.status.value}")


@dataclass(frozen=True)
class Overview:
    """Everything the Graduated approach tab shows for one child."""

    child_id: str
    cycles: list[Cycle]
    meetings: list[Meeting]
    years: list[YearMeetings]
    rows: list[ChecklistRow]
    gaps: list[Gap]
    due: list[ReviewDue]
    passport: PassportDetails | None
    targets: list[Target]


def overview(db: Database, child_id: str, today: date) -> Overview:
    found = store.cycles_for_child(db, child_id)
    met = store.meetings_for_child(db, child_id)
    rows = checklist(found, met, store.checks_for_child(db, child_id), today)
    starts = [c.details.starts_on for c in found if c.details.starts_on]
    return Overview(child_id, found, met,
                    meetings_by_year(met, min(starts) if starts else None, today), rows,
                    gaps(rows), reviews_due(found), passports.get_passport(db, child_id),
                    passports.targets_for_child(db, child_id))


def summary(db: Database, child_id: str, today: date) -> GraduatedSummary:
    """The content of the graduated-approach summary for an EHC needs assessment request
    (the PDF layout comes with the documents engine)."""
    child = families.get_child(db, child_id)
    return graduated_summary(child.details, store.cycles_for_child(db, child_id),
                             store.meetings_for_child(db, child_id),
                             store.checks_for_child(db, child_id),
                             passports.get_passport(db, child_id),
                             passports.targets_for_child(db, child_id), today)


def open_review_rows(db: Database) -> list[DueRow[ReviewDue]]:
    """Every agreed SEN support review not yet recorded, for children on open cases."""
    rows = []
    for r in store.children_with_cycles_on_open_cases(db):
        for item in reviews_due(store.cycles_for_child(db, r["child_id"]), r["child_name"]):
            rows.append(DueRow(item, r["case_id"], r["reference"], r["family_name"],
                               r["child_name"], r["adviser"], REVIEW_GROUP))
    return sorted(rows, key=lambda row: (row.item.deadline.due, row.reference))
