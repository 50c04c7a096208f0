"""Graduated-approach records on a real encrypted file: written, closed, reopened, read back;
constraints and cascades enforced by the schema."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlcipher3

from adviser_app.domain.graduated.cycles import (
    CycleDetails, Evidence, EvidenceKind, MeetingDetails,
                                          NextStep, Outcome, Progress, Support)
from adviser_app.domain.graduated.expectations import CheckMark, CheckStatus
from adviser_app.domain.graduated.passport import PassportDetails, TargetCheck, TargetStatus
from adviser_app.domain.records import CaseDetails, ChildDetails
from adviser_app.domain.vocab import AreaOfNeed, CaseIssue, ChildStatus
from adviser_app.services import case_books
from adviser_app.store import cases, families
from adviser_app.store import graduated as store
from adviser_app.store import graduated_passport as passports
from adviser_app.store.db import Database, close_case_book
from adviser_app.store.errors import RecordNotFound
from support import open_book

ACTOR = "tester"

CYCLE = CycleDetails(
    child_id="", assessed_on=date(2026, 1, 12), assessed_by="Mrs Farrant (SENCO)",
    senco_involved=True,
    evidence=(Evidence(EvidenceKind.TEACHER_ASSESSMENT, "SENCO observation", "Mrs Farrant",
                       date(2026, 1, 14)),
              Evidence(EvidenceKind.DATA, "Language screening", "Mrs Farrant",
                       date(2026, 1, 12))),
    areas=frozenset({AreaOfNeed.COMMUNICATION, AreaOfNeed.SEMH}),
    planned_on=date(2026, 2, 2), agreed_with_parents=False,
    outcomes=(Outcome("Use topic words in class", Progress.SOME, "Improving"),
              Outcome("Move between activities with a prompt", Progress.LITTLE)),
    support=(Support("Language group", "TA", "3 times a week", date(2026, 2, 3)),
             Support("Zones of Regulation", "Class teacher")),
    review_due=date(2026, 3, 27), on_passport=True,
    provision=(Support("Language group", "TA", "3 times a week", date(2026, 2, 3)),),
    senco_support="Fortnightly check-in", reviewed_on=date(2026, 3, 27),
    pupil_views="Likes the group", next_step=NextStep.ADJUST, review_notes="Łódź trip")


def reopen(db: Database, data_dir: Path) -> Database:
    close_case_book(db)
    return open_book(case_books.real_place(data_dir))


def new_child(db: Database, open_case: bool = True) -> str:
    family_id = families.insert_family(db, "Okafor", ACTOR)
    child_id = families.insert_child(db, family_id, ChildDetails(
        "Tobi", "Okafor", date(2017, 2, 9), status=ChildStatus.SEN_SUPPORT), ACTOR)
    if open_case:
        cases.insert_case(db, family_id, CaseDetails(
            "Harriet Lowe", date(2026, 10, 5), frozenset({CaseIssue.SEN_SUPPORT}),
            frozenset({child_id})), ACTOR, "AT")
    return child_id


def test_a_cycle_survives_closing_and_reopening_the_encrypted_file(db: Database,
                                                                   data_dir: Path) -> None:
    child_id = new_child(db)
    details = CycleDetails(**{**CYCLE.__dict__, "child_id": child_id})
    with db.atomic():
        cycle_id = store.insert_cycle(db, details, ACTOR)
    db = reopen(db, data_dir)
    try:
        (cycle,) = store.cycles_for_child(db, child_id)
        assert cycle.id == cycle_id and cycle.number == 1 and cycle.updated_by == ACTOR
        assert cycle.details == details
    finally:
        close_case_book(db)


def test_updating_a_cycle_rewrites_its_rows_and_deleting_removes_them(db: Database) -> None:
    child_id = new_child(db)
    details = CycleDetails(**{**CYCLE.__dict__, "child_id": child_id})
    cycle_id = store.insert_cycle(db, details, ACTOR)
    shorter = CycleDetails(child_id, planned_on=date(2026, 2, 2),
                           outcomes=(Outcome("Only one"),))
    store.update_cycle(db, cycle_id, shorter, ACTOR)
    assert store.get_cycle_details(db, cycle_id) == shorter
    assert db.execute("SELECT count(*) FROM ga_support").fetchone()[0] == 0
    store.delete_cycle(db, cycle_id, ACTOR)
    assert store.cycles_for_child(db, child_id) == []
    assert db.execute("SELECT count(*) FROM ga_outcome").fetchone()[0] == 0
    with pytest.raises(RecordNotFound):
        store.update_cycle(db, cycle_id, shorter, ACTOR)


def test_schema_refuses_a_cycle_with_no_start_or_a_review_with_no_plan(db: Database) -> None:
    child_id = new_child(db)
    with pytest.raises(sqlcipher3.IntegrityError):
        store.insert_cycle(db, CycleDetails(child_id), ACTOR)
    with pytest.raises(sqlcipher3.IntegrityError):
        store.insert_cycle(db, CycleDetails(child_id, assessed_on=date(2026, 1, 1),
                                            reviewed_on=date(2026, 2, 1)), ACTOR)
    with pytest.raises(sqlcipher3.IntegrityError):
        db.execute("INSERT INTO ga_cycle (id, child_id, planned_on, next_step, created_at, "
                   "updated_at, updated_by) VALUES ('x', ?, '2026-01-01', 'give_up', 'n', 'n',"
                   " 't')", [child_id])


def test_deleting_a_child_removes_everything_graduated(db: Database) -> None:
    child_id = new_child(db, open_case=False)
    store.insert_cycle(db, CycleDetails(**{**CYCLE.__dict__, "child_id": child_id}), ACTOR)
    store.insert_meeting(db, MeetingDetails(child_id, date(2026, 7, 1)), ACTOR)
    store.set_check(db, child_id, CheckMark("reports", CheckStatus.NOT_MET, "none"), ACTOR)
    passports.save_passport(db, child_id, PassportDetails(strengths="Lego"), ACTOR)
    passports.replace_targets(db, child_id, [(None, "Ask for help", None)], ACTOR)
    target_id = passports.targets_for_child(db, child_id)[0].id
    passports.add_target_check(db, target_id, TargetCheck(date(2026, 3, 1),
                                                          TargetStatus.MET), ACTOR)
    db.execute("DELETE FROM child WHERE id = ?", [child_id])
    for table in ("ga_cycle", "ga_evidence", "ga_outcome", "ga_support", "ga_cycle_area",
                  "ga_parent_meeting", "ga_check", "ga_passport", "ga_target",
                  "ga_target_check"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table


def test_meetings_checks_passport_and_targets_survive_reopening(db: Database,
                                                               data_dir: Path) -> None:
    child_id = new_child(db)
    with db.atomic():
        store.insert_meeting(db, MeetingDetails(child_id, date(2026, 9, 1), "Ms Lee", True,
                                                "Zoë's mum came too"), ACTOR)
        store.insert_meeting(db, MeetingDetails(child_id, date(2026, 8, 31)), ACTOR)
        store.set_check(db, child_id, CheckMark("parents_told", CheckStatus.MET, "Letter"),
                        ACTOR)
        store.set_check(db, child_id, CheckMark("parents_told", CheckStatus.NOT_MET,
                                                "Letter was never sent"), ACTOR)
        store.set_check(db, child_id, CheckMark("reports", CheckStatus.NOT_KNOWN), ACTOR)
        store.clear_check(db, child_id, "reports", ACTOR)
        passports.save_passport(db, child_id, PassportDetails(
            made_on=date(2026, 11, 10), strengths="Lego", needs_semh="Worries",
            own_words="Ich mag Lego – and Łódź", consent_to_share=True), ACTOR)
        passports.save_passport(db, child_id, PassportDetails(
            made_on=date(2026, 11, 10), strengths="Lego and drawing",
            consent_to_share=True), ACTOR)
        passports.replace_targets(db, child_id, [(None, "Ask for help", date(2026, 2, 2)),
                                                 (None, "Use the timetable", None)], ACTOR)
    first, second = passports.targets_for_child(db, child_id)
    with db.atomic():
        passports.add_target_check(db, first.id, TargetCheck(
            date(2026, 7, 10), TargetStatus.PARTLY, "most days"), ACTOR)
        passports.add_target_check(db, first.id, TargetCheck(
            date(2026, 3, 27), TargetStatus.WORKING), ACTOR)
        # reorder, rename one, drop the other, add a new one
        passports.replace_targets(db, child_id, [(None, "Tell an adult", None),
                                                 (first.id, "Ask an adult for help",
                                                  date(2026, 2, 2))], ACTOR)
    db = reopen(db, data_dir)
    try:
        assert [m.details.met_on for m in store.meetings_for_child(db, child_id)] == [
            date(2026, 8, 31), date(2026, 9, 1)]
        assert store.meetings_for_child(db, child_id)[1].details.notes == "Zoë's mum came too"
        assert [(m.key, m.status, m.evidence) for m in store.checks_for_child(db, child_id)] \
            == [("parents_told", CheckStatus.NOT_MET, "Letter was never sent")]
        passport = passports.get_passport(db, child_id)
        assert passport is not None
        assert passport.strengths == "Lego and drawing" and passport.needs_semh == ""
        assert passport.consent_to_share
        targets = passports.targets_for_child(db, child_id)
        assert [t.description for t in targets] == ["Tell an adult", "Ask an adult for help"]
        assert targets[1].id == first.id and targets[1].status is TargetStatus.PARTLY
        assert targets[1].history == "27/03/2026 Working towards; 10/07/2026 Partly met"
        assert second.id not in {t.id for t in targets}
        assert db.execute("SELECT count(*) FROM ga_passport").fetchone()[0] == 1
    finally:
        close_case_book(db)


def test_children_with_cycles_are_listed_once_on_their_latest_open_case(db: Database) -> None:
    child_id = new_child(db)
    family_id = families.get_child(db, child_id).family_id
    assert store.children_with_cycles_on_open_cases(db) == []
    store.insert_cycle(db, CycleDetails(child_id, planned_on=date(2026, 2, 2)), ACTOR)
    second, _ = cases.insert_case(db, family_id, CaseDetails(
        "Sam", date(2026, 11, 1), frozenset({CaseIssue.EXCLUSION}), frozenset({child_id})),
        ACTOR, "AT")
    cases.touch_case(db, second, ACTOR)
    (row,) = store.children_with_cycles_on_open_cases(db)
    assert row["case_id"] == second and row["child_name"] == "Tobi Okafor"
    db.execute("UPDATE case_file SET state = 'closed', closed_on = '2026-11-20'")
    assert store.children_with_cycles_on_open_cases(db) == []
