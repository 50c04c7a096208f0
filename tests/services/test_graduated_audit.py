"""Every graduated-approach change writes its audit log entries in the same transaction as the
change (reliability T11): exactly the expected entries, ids and fixed words only, a chain
that still verifies, and nothing at all when the change is refused or fails part-way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from adviser_app.domain.graduated.cycles import CycleDetails, MeetingDetails, Outcome, Support
from adviser_app.domain.graduated.expectations import CheckMark, CheckStatus
from adviser_app.domain.graduated.passport import PassportDetails, TargetCheck, TargetStatus
from adviser_app.domain.records import CaseDetails, ChildDetails
from adviser_app.domain.vocab import CaseIssue, ChildStatus
from adviser_app.services import audit_log, casework, graduated
from adviser_app.store import audit, cases, families
from adviser_app.store import graduated as graduated_store
from adviser_app.store import graduated_passport
from adviser_app.store.db import Database
from adviser_app.store.errors import CaseBookError, RecordNotFound

TODAY = date(2026, 11, 28)
WHO = "Harriet"
Row = tuple[str, str, str, str, str]  # actor, action, record type, record id, detail


def new_child(db: Database, surname: str = "Okafor") -> str:
    child = ChildDetails(given_name="Tobi", family_name=surname,
                         date_of_birth=date(2017, 2, 9), status=ChildStatus.SEN_SUPPORT)
    case_id = casework.open_new_family_case(
        db, family_name=surname, person=None, children=[child],
        case=CaseDetails("Harriet Lowe", date(2026, 10, 5),
                         frozenset({CaseIssue.SEN_SUPPORT})), actor="t")
    return families.get_family(db, cases.get_case(db, case_id).family_id).children[0].id


def plan(child_id: str, **changes: Any) -> CycleDetails:
    base = CycleDetails(child_id, assessed_on=date(2026, 1, 12), senco_involved=True,
                        planned_on=date(2026, 2, 2),
                        outcomes=(Outcome("Use topic words in class"),),
                        support=(Support("Language group", "Mrs Adeyemi"),),
                        review_due=date(2026, 3, 27))
    return replace(base, **changes)


def last_seq(db: Database) -> int:
    newest = audit.entries(db, 1)
    return newest[0].seq if newest else 0


def rows_since(db: Database, seq: int) -> list[Row]:
    return [(e.actor, e.action, e.record_type, e.record_id, e.detail)
            for e in sorted(audit.entries(db), key=lambda e: e.seq) if e.seq > seq]


def chain_ok(db: Database) -> None:
    checked = audit_log.verify(db)
    assert checked.ok and checked.checked == last_seq(db)


@pytest.fixture
def child(db: Database) -> str:
    return new_child(db)


# --- each change, exactly its entries -------------------------------------------------------


def test_cycles_created_changed_and_erased(db: Database, child: str) -> None:
    start = last_seq(db)
    cycle_id = graduated.record_cycle(db, plan(child), WHO)
    graduated.change_cycle(db, cycle_id, plan(child, parents_told_on=date(2026, 2, 3)), WHO)
    graduated.remove_cycle(db, cycle_id, WHO)
    assert rows_since(db, start) == [(WHO, "created", "sen_support_cycle", cycle_id, ""),
                                     (WHO, "changed", "sen_support_cycle", cycle_id, ""),
                                     (WHO, "erased", "sen_support_cycle", cycle_id, "")]
    chain_ok(db)


def test_parent_meetings_created_changed_and_erased(db: Database, child: str) -> None:
    start = last_seq(db)
    meeting_id = graduated.record_meeting(db, MeetingDetails(
        child, date(2026, 2, 1), "Mrs Adeyemi", notes="Mum worried about reading"), WHO)
    graduated.change_meeting(db, meeting_id, MeetingDetails(child, date(2026, 2, 2)), WHO)
    graduated.remove_meeting(db, meeting_id, WHO)
    assert rows_since(db, start) == [(WHO, "created", "parent_meeting", meeting_id, ""),
                                     (WHO, "changed", "parent_meeting", meeting_id, ""),
                                     (WHO, "erased", "parent_meeting", meeting_id, "")]
    chain_ok(db)


def test_checklist_marks_set_changed_and_cleared(db: Database, child: str) -> None:
    start = last_seq(db)
    graduated.mark_expectation(db, child, "parents_told", CheckMark(
        "parents_told", CheckStatus.MET, "Letter in Mrs Okafor's file"), WHO)
    graduated.mark_expectation(db, child, "parents_told", CheckMark(
        "parents_told", CheckStatus.NOT_KNOWN, ""), WHO)
    graduated.mark_expectation(db, child, "parents_told", None, WHO)
    mark = f"{child}/parents_told"
    assert rows_since(db, start) == [(WHO, "changed", "checklist_mark", mark, "met"),
                                     (WHO, "changed", "checklist_mark", mark, "not_known"),
                                     (WHO, "changed", "checklist_mark", mark, "cleared")]
    chain_ok(db)


def test_passport_and_its_targets(db: Database, child: str) -> None:
    start = last_seq(db)
    graduated.save_passport(db, child, PassportDetails(strengths="Lego"), [
        (None, "Ask for help", date(2026, 2, 2)), (None, "Line up calmly", None),
        (None, "Read a page aloud", None)], WHO)
    first, second, third = graduated.overview(db, child, TODAY).targets
    assert rows_since(db, start) == [(WHO, "created", "pupil_passport", child, ""),
                                     (WHO, "created", "passport_target", first.id, ""),
                                     (WHO, "created", "passport_target", second.id, ""),
                                     (WHO, "created", "passport_target", third.id, "")]

    # one reworded, one kept as it was (moved up a place), one removed, one new
    start = last_seq(db)
    graduated.save_passport(db, child, PassportDetails(strengths="Lego, drawing"), [
        (first.id, "Ask an adult for help", first.set_on), (third.id, third.description, None),
        (None, "Sit with the group", None)], WHO)
    *_, added = graduated.overview(db, child, TODAY).targets
    assert rows_since(db, start) == [(WHO, "changed", "pupil_passport", child, ""),
                                     (WHO, "changed", "passport_target", first.id, ""),
                                     (WHO, "created", "passport_target", added.id, ""),
                                     (WHO, "erased", "passport_target", second.id, "")]

    # saved again as it is: the save is noted, no target changed
    start = last_seq(db)
    targets = [(t.id, t.description, t.set_on)
               for t in graduated.overview(db, child, TODAY).targets]
    graduated.save_passport(db, child, PassportDetails(strengths="Lego, drawing"), [
        (target_id, text, set_on) for target_id, text, set_on in targets], WHO)
    assert rows_since(db, start) == [(WHO, "changed", "pupil_passport", child, "")]
    chain_ok(db)


def test_a_target_review_notes_each_target_reviewed(db: Database, child: str) -> None:
    graduated.save_passport(db, child, PassportDetails(), [
        (None, "Ask for help", None), (None, "Line up calmly", None)], WHO)
    first, second = graduated.overview(db, child, TODAY).targets
    start = last_seq(db)
    graduated.record_target_review(db, [
        (first.id, TargetCheck(date(2026, 3, 27), TargetStatus.PARTLY, "most days")),
        (second.id, TargetCheck(date(2026, 3, 27), TargetStatus.MET))], WHO)
    assert rows_since(db, start) == [
        (WHO, "changed", "passport_target", first.id, "reviewed: partly_met"),
        (WHO, "changed", "passport_target", second.id, "reviewed: met")]
    chain_ok(db)


def test_entries_hold_ids_never_names_or_notes(book: Any) -> None:
    db = book.db
    child = new_child(db, "Zielinska")
    cycle_id = graduated.record_cycle(db, plan(child), WHO)
    graduated.change_cycle(db, cycle_id, plan(child, review_notes="Secret review note"), WHO)
    graduated.record_meeting(db, MeetingDetails(child, date(2026, 2, 1), "Mr Quill",
                                                notes="Secret meeting note"), WHO)
    graduated.mark_expectation(db, child, "reports", CheckMark(
        "reports", CheckStatus.MET, "Secret evidence"), WHO)
    graduated.save_passport(db, child, PassportDetails(own_words="Secret own words"),
                            [(None, "Secret target", None)], WHO)
    (target,) = graduated.overview(db, child, TODAY).targets
    graduated.record_target_review(db, [(target.id, TargetCheck(
        TODAY, TargetStatus.WORKING, "Secret check note"))], WHO)
    db = book.reopen()  # the chain is kept and still verifies from the file
    chain_ok(db)
    written = " ".join(f"{e.record_type} {e.record_id} {e.detail}" for e in audit.entries(db))
    for words in ("Zielinska", "Tobi", "Secret", "Quill", "Adeyemi", "Language group",
                  "topic words"):
        assert words not in written


# --- a refused or failed change leaves no entry -----------------------------------------------


def test_refused_changes_write_no_entry(db: Database, child: str) -> None:
    other = new_child(db, "Mensah")
    cycle_id = graduated.record_cycle(db, plan(child), WHO)
    meeting_id = graduated.record_meeting(db, MeetingDetails(child, date(2026, 2, 1)), WHO)
    graduated.save_passport(db, child, PassportDetails(), [(None, "Ask for help", None)], WHO)
    (target,) = graduated.overview(db, child, TODAY).targets
    start = last_seq(db)

    with pytest.raises(CaseBookError, match="another child"):
        graduated.change_cycle(db, cycle_id, plan(other), WHO)
    with pytest.raises(RecordNotFound):
        graduated.record_cycle(db, plan("no-such-child"), WHO)
    with pytest.raises(RecordNotFound):
        graduated.remove_cycle(db, "no-such-cycle", WHO)
    with pytest.raises(CaseBookError, match="another child"):
        graduated.change_meeting(db, meeting_id, MeetingDetails(other, date(2026, 2, 1)), WHO)
    with pytest.raises(RecordNotFound):
        graduated.remove_meeting(db, "no-such-meeting", WHO)
    with pytest.raises(CaseBookError, match="expectations"):
        graduated.mark_expectation(db, child, "nonsense", None, WHO)
    with pytest.raises(RecordNotFound):
        graduated.mark_expectation(db, "no-such-child", "reports", None, WHO)
    with pytest.raises(RecordNotFound):  # another child's target
        graduated.save_passport(db, other, PassportDetails(),
                                [(target.id, "Taken over", None)], WHO)
    with pytest.raises(RecordNotFound):  # the first target's review is undone with the rest
        graduated.record_target_review(db, [(target.id, TargetCheck(TODAY, TargetStatus.MET)),
                                            ("gone", TargetCheck(TODAY, TargetStatus.MET))], WHO)

    assert rows_since(db, start) == []
    assert graduated.overview(db, child, TODAY).targets[0].checks == ()
    assert graduated_passport.get_passport(db, other) is None
    chain_ok(db)


class Injected(Exception):
    pass


Action = Callable[[Database, str, dict[str, str]], object]
ACTIONS: dict[str, Action] = {
    "record cycle": lambda db, child, ids: graduated.record_cycle(db, plan(child), WHO),
    "change cycle": lambda db, child, ids: graduated.change_cycle(
        db, ids["cycle"], plan(child, reviewed_on=date(2026, 3, 27)), WHO),
    "remove cycle": lambda db, child, ids: graduated.remove_cycle(db, ids["cycle"], WHO),
    "record meeting": lambda db, child, ids: graduated.record_meeting(
        db, MeetingDetails(child, date(2026, 5, 1)), WHO),
    "change meeting": lambda db, child, ids: graduated.change_meeting(
        db, ids["meeting"], MeetingDetails(child, date(2026, 5, 2)), WHO),
    "remove meeting": lambda db, child, ids: graduated.remove_meeting(db, ids["meeting"], WHO),
    "mark": lambda db, child, ids: graduated.mark_expectation(db, child, "reports", CheckMark(
        "reports", CheckStatus.MET, "x"), WHO),
    "clear mark": lambda db, child, ids: graduated.mark_expectation(
        db, child, "parents_told", None, WHO),
    "save passport": lambda db, child, ids: graduated.save_passport(
        db, child, PassportDetails(strengths="Changed"),
        [(ids["target"], "Reworded", None), (None, "New", None)], WHO),
    "review targets": lambda db, child, ids: graduated.record_target_review(
        db, [(ids["target"], TargetCheck(TODAY, TargetStatus.MET))], WHO),
}


def graduated_state(db: Database, child: str) -> tuple[object, ...]:
    view = graduated.overview(db, child, TODAY)
    return (view.cycles, view.meetings, graduated_store.checks_for_child(db, child),
            view.passport, view.targets)


@pytest.mark.parametrize("action", ACTIONS)
def test_a_failure_after_the_entry_is_written_undoes_change_and_entry(
        db: Database, child: str, action: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit entry is written, then the transaction fails: neither the change nor the
    entry is kept, and the chain still verifies (and goes on from where it was)."""
    ids = {"cycle": graduated.record_cycle(db, plan(child), WHO),
           "meeting": graduated.record_meeting(db, MeetingDetails(child, date(2026, 2, 1)),
                                               WHO)}
    graduated.mark_expectation(db, child, "parents_told", CheckMark(
        "parents_told", CheckStatus.MET, ""), WHO)
    graduated.save_passport(db, child, PassportDetails(), [(None, "Ask for help", None)], WHO)
    ids["target"] = graduated.overview(db, child, TODAY).targets[0].id
    start, before = last_seq(db), graduated_state(db, child)
    real_record = audit.record
    written: list[str] = []

    def record_then_fail(*args: Any, **kwargs: Any) -> None:
        real_record(*args, **kwargs)
        written.append(args[3])
        raise Injected()

    monkeypatch.setattr(audit, "record", record_then_fail)
    with pytest.raises(Injected):
        ACTIONS[action](db, child, ids)
    monkeypatch.undo()

    assert written  # the fault came after an entry was written, inside the transaction
    assert rows_since(db, start) == []
    assert graduated_state(db, child) == before
    chain_ok(db)
    graduated.mark_expectation(db, child, "reports", None, WHO)
    assert last_seq(db) == start + 1
    chain_ok(db)


def test_a_failure_before_the_entry_leaves_neither(db: Database, child: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The passport is written, then its targets fail: no passport, no target, no entry."""
    start = last_seq(db)

    def fail(*args: Any) -> None:
        raise Injected()

    monkeypatch.setattr(graduated_passport, "replace_targets", fail)
    with pytest.raises(Injected):
        graduated.save_passport(db, child, PassportDetails(strengths="Lego"),
                                [(None, "Ask for help", None)], WHO)
    assert rows_since(db, start) == []
    assert graduated_passport.get_passport(db, child) is None
    chain_ok(db)


def test_teeth_the_comparison_sees_an_entry(db: Database, child: str) -> None:
    """rows_since is not blind: a change that does get through shows up."""
    start = last_seq(db)
    graduated.mark_expectation(db, child, "reports", None, WHO)
    assert len(rows_since(db, start)) == 1
