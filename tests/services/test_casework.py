"""Every casework action, checked by closing the case book and reading the file again."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
import sqlcipher3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adviser_app.domain.records import (CaseDetails, ChildDetails, EntryDetails, PersonDetails,
                                        TaskDetails)
from adviser_app.domain.vocab import (AreaOfNeed, CaseIssue, CaseState, ChildStatus,
                                      ContactMethod, EntryKind, Relationship)
from adviser_app.services import casework
from adviser_app.store import cases, families, tasks, timeline
from adviser_app.store import search as search_module
from adviser_app.store.cases import CaseFilter
from adviser_app.store.db import Database
from adviser_app.store.errors import CaseBookError, RecordNotFound
from adviser_app.store.timeline import StaleEdit

ACTOR = "Sam Adviser"
TODAY = date(2026, 11, 28)


def person(given: str = "Amara", surname: str = "Okafor", postcode: str = "LS1 1AA",
           **kw: Any) -> PersonDetails:
    return PersonDetails(given_name=given, family_name=surname,
                         relationship=kw.pop("relationship", Relationship.MOTHER),
                         postcode=postcode, **kw)


def child(given: str = "Zoë", surname: str = "Okafor", dob: date = date(2015, 3, 14),
          **kw: Any) -> ChildDetails:
    return ChildDetails(given_name=given, family_name=surname, date_of_birth=dob, **kw)


def case(adviser: str = ACTOR, opened: date = date(2026, 11, 1),
         issues: frozenset[CaseIssue] = frozenset({CaseIssue.EHC_ASSESSMENT}),
         child_ids: frozenset[str] = frozenset(), summary: str = "") -> CaseDetails:
    return CaseDetails(adviser, opened, issues, child_ids, summary)


def entry(body: str, day: int = 2, kind: EntryKind = EntryKind.NOTE) -> EntryDetails:
    return EntryDetails(kind, date(2026, 11, day), ACTOR, body)


def new_family(db: Database, name: str = "Okafor", *, with_person: PersonDetails | None = None,
               kids: list[ChildDetails] | None = None, **case_kw: Any) -> str:
    return casework.open_new_family_case(
        db, family_name=name, person=with_person, children=kids if kids is not None else [],
        case=case(**case_kw), actor=ACTOR)


def count(db: Database, table: str) -> int:
    return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def search(db: Database, text: str = "", **kw: Any) -> list[str]:
    return [s.reference for s in cases.find_cases(db, CaseFilter(text=text, **kw)).rows]


# --- opening a case for a new family ------------------------------------------------------


def test_new_family_case_is_saved_with_person_children_and_needs(book: Any) -> None:
    p = person(email="amara@example.org", preferred_contact=ContactMethod.EMAIL,
               phone="07700 900123", consent_to_share=True, consent_date=date(2026, 11, 1),
               parental_responsibility=True, interpreter_language="Igbo")
    kids = [child(areas_of_need=frozenset({AreaOfNeed.COGNITION, AreaOfNeed.SEMH}),
                  status=ChildStatus.EHC_PLAN, ehc_plan_issued=date(2022, 9, 1),
                  school="Hillside Primary", local_authority="Leeds"),
            child("Ade", dob=date(2019, 6, 1),
                  areas_of_need=frozenset({AreaOfNeed.COMMUNICATION}))]
    case_id = casework.open_new_family_case(
        book.db, family_name="Okafor", person=p, children=kids,
        case=case(issues=frozenset({CaseIssue.EHC_ASSESSMENT, CaseIssue.ANNUAL_REVIEW}),
                  summary="Assessment refused", child_ids=frozenset({"ignored"})),
        actor=ACTOR)

    db = book.reopen()
    saved = cases.get_case(db, case_id)
    assert saved.reference == "SA-2026-0001"
    assert saved.state is CaseState.OPEN and saved.closed_on is None
    assert saved.details.adviser == ACTOR and saved.details.opened_on == date(2026, 11, 1)
    assert saved.details.issues == frozenset({CaseIssue.EHC_ASSESSMENT,
                                              CaseIssue.ANNUAL_REVIEW})
    assert saved.details.summary == "Assessment refused"
    family = families.get_family(db, saved.family_id)
    assert family.family_name == "Okafor"
    assert [x.details for x in family.people] == [p]
    assert [c.details for c in family.children] == sorted(kids, key=lambda k: k.date_of_birth)
    # the case is about exactly the children just created (not ids passed in by mistake)
    assert saved.details.child_ids == {c.id for c in family.children}
    assert {r["area"] for r in db.query("SELECT area FROM child_need")} == {
        "cognition_learning", "social_emotional_mental_health", "communication_interaction"}
    assert family.people[0].updated_by == ACTOR


def test_new_family_without_person_or_children(book: Any) -> None:
    case_id = new_family(book.db, "Nowak")
    db = book.reopen()
    saved = cases.get_case(db, case_id)
    family = families.get_family(db, saved.family_id)
    assert family.people == () and family.children == ()
    assert saved.details.child_ids == frozenset()


def test_references_keep_counting(book: Any) -> None:
    first = new_family(book.db, "A")
    second = new_family(book.db, "B")
    last_year = new_family(book.db, "C", opened=date(2025, 6, 1))
    db = book.reopen()
    third = new_family(db, "D")
    assert [cases.get_case(db, c).reference for c in (first, second, last_year, third)] == \
        ["SA-2026-0001", "SA-2026-0002", "SA-2025-0001", "SA-2026-0003"]


def test_failure_halfway_leaves_nothing_behind(book: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    real_insert_child = families.insert_child
    calls = []

    def failing_insert_child(*args: Any, **kwargs: Any) -> str:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk trouble")
        return real_insert_child(*args, **kwargs)

    monkeypatch.setattr(families, "insert_child", failing_insert_child)
    with pytest.raises(RuntimeError, match="disk trouble"):
        new_family(book.db, "Okafor", with_person=person(), kids=[child(), child("Ade")])
    assert len(calls) == 2
    monkeypatch.undo()

    db = book.reopen()
    for table in ("family", "person", "child", "child_need", "case_file", "case_child",
                  "case_issue", "case_search"):
        assert count(db, table) == 0, table
    # and the case book still works, with the reference not used up
    case_id = new_family(db, "Okafor", kids=[child()])
    assert cases.get_case(db, case_id).reference == "SA-2026-0001"


def test_failure_in_the_case_step_rolls_back_the_family(book: Any,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise sqlcipher3.OperationalError("simulated")
    monkeypatch.setattr(cases, "reindex_case", broken)
    with pytest.raises(sqlcipher3.OperationalError):
        new_family(book.db, "Okafor", with_person=person(), kids=[child()])
    monkeypatch.undo()
    db = book.reopen()
    assert count(db, "family") == 0 and count(db, "case_file") == 0


# --- families, people and children --------------------------------------------------------


def test_rename_family(book: Any) -> None:
    case_id = new_family(book.db, "Okafor")
    family_id = cases.get_case(book.db, case_id).family_id
    casework.rename_family(book.db, family_id, "Okafor-Ibe", "Prefers afternoons", ACTOR)
    db = book.reopen()
    family = families.get_family(db, family_id)
    assert (family.family_name, family.notes) == ("Okafor-Ibe", "Prefers afternoons")
    assert search(db, "ibe") == ["SA-2026-0001"]
    assert search(db, "afternoons") == ["SA-2026-0001"]


def test_add_and_update_person(book: Any) -> None:
    case_id = new_family(book.db, "Okafor", with_person=person())
    family_id = cases.get_case(book.db, case_id).family_id
    second = casework.add_person(book.db, family_id,
                                 person("Chidi", relationship=Relationship.FATHER), ACTOR)
    changed = person("Chidi", postcode="M1 1AE", relationship=Relationship.FATHER,
                     phone="+44 7700 900999", preferred_contact=ContactMethod.TEXT,
                     address="2 Low Road", access_needs="Deaf: use text")
    casework.update_person(book.db, second, changed, "Alex")
    db = book.reopen()
    people = families.get_family(db, family_id).people
    assert [p.details.given_name for p in people] == ["Amara", "Chidi"]
    assert people[1].id == second
    assert people[1].details == changed
    assert people[1].updated_by == "Alex"
    assert search(db, "m1 1ae") == ["SA-2026-0001"]
    assert search(db, "chidi") == ["SA-2026-0001"]


def test_add_child_to_family_and_to_case(book: Any) -> None:
    case_id = new_family(book.db, "Okafor", kids=[child()])
    family_id = cases.get_case(book.db, case_id).family_id
    alone = casework.add_child(book.db, family_id, child("Ade", dob=date(2019, 1, 1)), ACTOR)
    with_case = casework.add_child(book.db, family_id, child("Ola", dob=date(2020, 1, 1)),
                                   ACTOR, add_to_case=case_id)
    db = book.reopen()
    kids = {c.details.given_name: c.id for c in families.get_family(db, family_id).children}
    assert set(kids) == {"Zoë", "Ade", "Ola"}
    assert kids["Ade"] == alone and kids["Ola"] == with_case
    assert cases.get_case(db, case_id).details.child_ids == {kids["Zoë"], kids["Ola"]}
    assert search(db, "ade") == ["SA-2026-0001"]  # family members are searchable


def test_add_child_to_a_missing_case_adds_nothing(book: Any) -> None:
    case_id = new_family(book.db, "Okafor")
    family_id = cases.get_case(book.db, case_id).family_id
    with pytest.raises(RecordNotFound):
        casework.add_child(book.db, family_id, child("Ade"), ACTOR, add_to_case="no-such-case")
    db = book.reopen()
    assert count(db, "child") == 0


def test_update_child(book: Any) -> None:
    case_id = new_family(book.db, "Okafor", kids=[child(
        areas_of_need=frozenset({AreaOfNeed.COGNITION}))])
    child_id = next(iter(cases.get_case(book.db, case_id).details.child_ids))
    changed = child("Zoë", school="Oak Academy", year_group="Year 7",
                    local_authority="Bradford", status=ChildStatus.EHC_PLAN,
                    ehc_plan_issued=date(2025, 1, 1), ehc_plan_last_reviewed=date(2026, 1, 1),
                    areas_of_need=frozenset({AreaOfNeed.SENSORY_PHYSICAL, AreaOfNeed.SEMH}),
                    notes="Moved school")
    casework.update_child(book.db, child_id, changed, "Alex")
    db = book.reopen()
    saved = families.get_child(db, child_id)
    assert saved.details == changed and saved.updated_by == "Alex"
    assert search(db, "oak academy") == ["SA-2026-0001"]
    assert search(db, "bradford") == ["SA-2026-0001"]
    assert search(db, area=AreaOfNeed.COGNITION) == []
    assert search(db, area=AreaOfNeed.SEMH) == ["SA-2026-0001"]


def test_search_follows_a_renamed_child(book: Any) -> None:
    case_id = new_family(book.db, "Okafor", kids=[child()])
    child_id = next(iter(cases.get_case(book.db, case_id).details.child_ids))
    assert search(book.db, "zoe") == ["SA-2026-0001"]
    casework.update_child(book.db, child_id, child("Zara"), ACTOR)
    assert search(book.db, "zoe") == []
    assert search(book.db, "zara") == ["SA-2026-0001"]
    db = book.reopen()
    assert search(db, "zoe") == []
    assert search(db, "zara") == ["SA-2026-0001"]
    assert cases.find_cases(db).rows[0].children == "Zara Okafor"


# --- opening, updating, closing and reopening cases ---------------------------------------


def test_second_case_for_a_family(book: Any) -> None:
    first = new_family(book.db, "Okafor", kids=[child(), child("Ade", dob=date(2019, 1, 1))])
    family = families.get_family(book.db, cases.get_case(book.db, first).family_id)
    ade = next(c.id for c in family.children if c.details.given_name == "Ade")
    second = casework.open_case_for_family(book.db, family.id, case(
        issues=frozenset({CaseIssue.TRANSPORT}), child_ids=frozenset({ade})), ACTOR)
    without_children = casework.open_case_for_family(book.db, family.id, case(), ACTOR)
    db = book.reopen()
    saved = cases.get_case(db, second)
    assert saved.reference == "SA-2026-0002"
    assert saved.family_id == family.id
    assert saved.details.child_ids == {ade}
    assert saved.details.issues == {CaseIssue.TRANSPORT}
    assert cases.get_case(db, without_children).details.child_ids == frozenset()
    assert set(cases.case_ids_for_family(db, family.id)) == {first, second, without_children}


def test_case_cannot_be_about_another_familys_child(book: Any) -> None:
    mine = new_family(book.db, "Okafor", kids=[child()])
    theirs = new_family(book.db, "Nowak", kids=[child("Łucja", "Nowak")])
    my_family = cases.get_case(book.db, mine).family_id
    their_child = next(iter(cases.get_case(book.db, theirs).details.child_ids))
    my_child = next(iter(cases.get_case(book.db, mine).details.child_ids))

    with pytest.raises(CaseBookError, match="own family"):
        casework.open_case_for_family(book.db, my_family,
                                      case(child_ids=frozenset({their_child})), ACTOR)
    with pytest.raises(CaseBookError, match="own family"):
        casework.open_case_for_family(book.db, my_family,
                                      case(child_ids=frozenset({my_child, their_child})), ACTOR)
    with pytest.raises(CaseBookError, match="own family"):
        casework.open_case_for_family(book.db, my_family,
                                      case(child_ids=frozenset({"no-such-child"})), ACTOR)
    with pytest.raises(CaseBookError, match="own family"):
        casework.update_case(book.db, mine, case(child_ids=frozenset({my_child, their_child})),
                             ACTOR)
    db = book.reopen()
    assert count(db, "case_file") == 2
    assert cases.get_case(db, mine).details.child_ids == {my_child}


def test_add_child_refuses_another_familys_case(book: Any) -> None:
    mine = new_family(book.db, "Okafor")
    theirs = new_family(book.db, "Nowak")
    my_family = cases.get_case(book.db, mine).family_id
    with pytest.raises(CaseBookError):
        casework.add_child(book.db, my_family, child("Ade"), ACTOR, add_to_case=theirs)
    db = book.reopen()
    assert cases.get_case(db, theirs).details.child_ids == frozenset()


def test_update_case(book: Any) -> None:
    case_id = new_family(book.db, "Okafor", kids=[child(), child("Ade", dob=date(2019, 1, 1))])
    kids = {c.details.given_name: c.id for c in families.get_family(
        book.db, cases.get_case(book.db, case_id).family_id).children}
    changed = case(adviser="Alex", opened=date(2026, 10, 15),
                   issues=frozenset({CaseIssue.MEDIATION, CaseIssue.TRIBUNAL_APPEAL}),
                   child_ids=frozenset({kids["Ade"]}), summary="Now at tribunal")
    casework.update_case(book.db, case_id, changed, "Alex")
    db = book.reopen()
    saved = cases.get_case(db, case_id)
    assert saved.details == changed
    assert saved.updated_by == "Alex"
    assert saved.reference == "SA-2026-0001"
    assert search(db, "tribunal") == ["SA-2026-0001"]
    assert search(db, adviser="Alex") == ["SA-2026-0001"]
    assert search(db, adviser=ACTOR) == []


def test_close_and_reopen_a_case(book: Any) -> None:
    case_id = new_family(book.db, "Okafor", opened=date(2026, 11, 1))
    casework.close_case(book.db, case_id, date(2026, 11, 20), "Plan agreed", "Alex")
    db = book.reopen()
    saved = cases.get_case(db, case_id)
    assert (saved.state, saved.closed_on, saved.closing_note, saved.updated_by) == \
        (CaseState.CLOSED, date(2026, 11, 20), "Plan agreed", "Alex")
    casework.reopen_case(db, case_id, ACTOR, date(2026, 11, 25))
    db = book.reopen()
    saved = cases.get_case(db, case_id)
    assert (saved.state, saved.closed_on, saved.closing_note) == (CaseState.OPEN, None, "")
    # closing and reopening leave their trace on the timeline
    notes = [(e.details.entry_date, e.details.body) for e in timeline.list_entries(db, case_id)]
    assert notes[:2] == [(date(2026, 11, 25), "Case reopened."),
                         (date(2026, 11, 20), "Case closed. Closing note: Plan agreed")]


def test_close_on_the_opening_day_is_allowed(book: Any) -> None:
    case_id = new_family(book.db, "Okafor", opened=date(2026, 11, 1))
    casework.close_case(book.db, case_id, date(2026, 11, 1), "", ACTOR)
    db = book.reopen()
    assert cases.get_case(db, case_id).closed_on == date(2026, 11, 1)


def test_closing_before_opening_is_refused(book: Any) -> None:
    case_id = new_family(book.db, "Okafor", opened=date(2026, 11, 1))
    with pytest.raises(CaseBookError, match="01/11/2026"):
        casework.close_case(book.db, case_id, date(2026, 10, 31), "oops", ACTOR)
    db = book.reopen()
    saved = cases.get_case(db, case_id)
    assert saved.state is CaseState.OPEN and saved.closed_on is None
    assert saved.closing_note == ""


def test_update_case_cannot_move_opening_after_closing(book: Any) -> None:
    case_id = new_family(book.db, "Okafor", opened=date(2026, 11, 1))
    casework.close_case(book.db, case_id, date(2026, 11, 10), "done", ACTOR)
    with pytest.raises(CaseBookError):
        casework.update_case(book.db, case_id, case(opened=date(2026, 11, 20)), ACTOR)
    db = book.reopen()
    saved = cases.get_case(db, case_id)
    assert saved.closed_on is not None and saved.details.opened_on <= saved.closed_on


# --- timeline -----------------------------------------------------------------------------


def test_timeline_edit_keeps_every_version(book: Any) -> None:
    case_id = new_family(book.db, "Okafor")
    entry_id = casework.add_timeline_entry(book.db, case_id, entry("Called mum about EHCP",
                                                                   kind=EntryKind.PHONE_CALL),
                                           ACTOR)
    db = book.reopen()
    assert timeline.get_entry(db, entry_id).version == 1
    assert search(db, "ehcp") == ["SA-2026-0001"]
    version = casework.edit_timeline_entry(db, entry_id, entry("Called dad about transport",
                                                               kind=EntryKind.PHONE_CALL),
                                           "Alex", based_on_version=1)
    assert version == 2
    db = book.reopen()
    current = timeline.get_entry(db, entry_id)
    assert (current.version, current.details.body, current.updated_by) == \
        (2, "Called dad about transport", "Alex")
    history = timeline.entry_history(db, entry_id)
    assert [(h.version, h.details.body, h.saved_by) for h in history] == [
        (1, "Called mum about EHCP", ACTOR), (2, "Called dad about transport", "Alex")]
    assert search(db, "ehcp") == []
    assert search(db, "transport") == ["SA-2026-0001"]
    with pytest.raises(sqlcipher3.IntegrityError, match="never rewritten"):
        db.execute("UPDATE timeline_entry_version SET body = 'forged' WHERE version = 1")
    assert timeline.entry_history(db, entry_id)[0].details.body == "Called mum about EHCP"


def test_stale_edit_is_refused_and_changes_nothing(book: Any) -> None:
    case_id = new_family(book.db, "Okafor")
    entry_id = casework.add_timeline_entry(book.db, case_id, entry("v1"), ACTOR)
    casework.edit_timeline_entry(book.db, entry_id, entry("v2 from window A"), "A",
                                 based_on_version=1)
    before = timeline.get_entry(book.db, entry_id)
    with pytest.raises(StaleEdit):
        casework.edit_timeline_entry(book.db, entry_id, entry("v2 from window B"), "B",
                                     based_on_version=1)
    db = book.reopen()
    assert timeline.get_entry(db, entry_id) == before
    assert [h.details.body for h in timeline.entry_history(db, entry_id)] == \
        ["v1", "v2 from window A"]
    assert search(db, "window a") == ["SA-2026-0001"]
    assert search(db, "window b") == []
    assert casework.edit_timeline_entry(db, entry_id, entry("v3"), "B",
                                        based_on_version=2) == 3


def test_timeline_lists_newest_first(book: Any) -> None:
    case_id = new_family(book.db, "Okafor")
    for day, body in [(3, "middle"), (10, "newest"), (1, "oldest")]:
        casework.add_timeline_entry(book.db, case_id, entry(body, day), ACTOR)
    db = book.reopen()
    assert [e.details.body for e in timeline.list_entries(db, case_id)] == \
        ["newest", "middle", "oldest"]


# --- tasks --------------------------------------------------------------------------------


def test_tasks_order_done_and_undone(book: Any) -> None:
    case_id = new_family(book.db, "Okafor")
    db = book.db
    undated = casework.add_task(db, case_id, TaskDetails("Chase school"), ACTOR)
    later = casework.add_task(db, case_id, TaskDetails("Draft appeal", date(2026, 12, 20)),
                              ACTOR)
    sooner = casework.add_task(db, case_id, TaskDetails("Ring LA", date(2026, 12, 1)), ACTOR)
    db = book.reopen()
    assert [t.id for t in tasks.list_tasks(db, case_id)] == [sooner, later, undated]
    assert cases.find_cases(db).rows[0].next_task_due == date(2026, 12, 1)

    casework.mark_task(db, sooner, done=True, today=TODAY, actor=ACTOR)
    db = book.reopen()
    listed = tasks.list_tasks(db, case_id)
    assert [t.id for t in listed] == [later, undated, sooner]
    assert listed[-1].done_on == TODAY
    assert cases.find_cases(db).rows[0].next_task_due == date(2026, 12, 20)

    casework.mark_task(db, sooner, done=False, today=TODAY, actor=ACTOR)
    db = book.reopen()
    listed = tasks.list_tasks(db, case_id)
    assert [t.id for t in listed] == [sooner, later, undated]
    assert listed[0].done_on is None and not listed[0].done


def test_update_task(book: Any) -> None:
    case_id = new_family(book.db, "Okafor")
    task_id = casework.add_task(book.db, case_id, TaskDetails("Write to SENCO"), ACTOR)
    assert search(book.db, "senco") == ["SA-2026-0001"]
    casework.update_task(book.db, task_id, TaskDetails("Write to headteacher",
                                                       date(2026, 12, 5)), ACTOR)
    db = book.reopen()
    [saved] = tasks.list_tasks(db, case_id)
    assert saved.details == TaskDetails("Write to headteacher", date(2026, 12, 5))
    assert search(db, "senco") == []
    assert search(db, "headteacher") == ["SA-2026-0001"]


# --- the case list: filters and search ----------------------------------------------------


@pytest.fixture
def several(book: Any) -> Any:
    """Four families with awkward names; returns the book after a reopen."""
    db = book.db
    new_family(db, "Okafor", with_person=person(email="amara@example.org",
                                                phone="07700 900123"),
               kids=[child(school="St Mary's Catholic Primary", local_authority="Leeds",
                           status=ChildStatus.EHC_PLAN,
                           areas_of_need=frozenset({AreaOfNeed.COGNITION}))],
               adviser="Sam")
    nowak = new_family(db, "Nowak", with_person=person("Ewa", "Nowak", "BD1 1AA"),
                       kids=[child("Łucja", "Nowak", date(2012, 7, 1),
                                   school="Greenfield Academy", local_authority="Bradford",
                                   status=ChildStatus.SEN_SUPPORT,
                                   areas_of_need=frozenset({AreaOfNeed.SEMH}))],
                       adviser="Alex")
    obrien = new_family(db, "O\u2019Brien", with_person=person("Siobhán", "O\u2019Brien",
                                                               "SW1A 1AA"),
                        kids=[child("Niamh", "O'Brien", date(2014, 1, 1),
                                    local_authority="Westminster",
                                    status=ChildStatus.ASSESSMENT_REQUESTED,
                                    areas_of_need=frozenset({AreaOfNeed.COMMUNICATION}))],
                        adviser="Sam")
    new_family(db, "Petrović", kids=[child("Đorđe", "Petrović", date(2011, 5, 5),
                                            local_authority="Leeds")],
               adviser="Alex", summary="Part-time timetable")
    casework.add_timeline_entry(db, nowak, entry("Tribunal bundle sent to Łucja's mum"), ACTOR)
    casework.close_case(db, obrien, date(2026, 11, 20), "done", ACTOR)
    book.reopen()
    return book


@pytest.mark.parametrize(("text", "expected"), [
    ("okaf", ["SA-2026-0001"]),
    ("OKAFOR", ["SA-2026-0001"]),
    ("zoe", ["SA-2026-0001"]),
    ("Zoë", ["SA-2026-0001"]),
    ("Zoe\u0308", ["SA-2026-0001"]),
    ("LUCJA", ["SA-2026-0002"]),
    ("łucja", ["SA-2026-0002"]),
    ("obrien", ["SA-2026-0003"]),
    ("O'Brien", ["SA-2026-0003"]),
    ("o\u2019brien", ["SA-2026-0003"]),
    ("brien", ["SA-2026-0003"]),
    ("siobhan", ["SA-2026-0003"]),
    ("dorde", ["SA-2026-0004"]),
    ("PETROVIC", ["SA-2026-0004"]),
    ("st mary's", ["SA-2026-0001"]),
    ("greenfield", ["SA-2026-0002"]),
    ("westminster", ["SA-2026-0003"]),
    ("tribunal bundle", ["SA-2026-0002"]),
    ("part-time", ["SA-2026-0004"]),
    ("SA-2026-0001", ["SA-2026-0001"]),
    ("sa-2026-0003", ["SA-2026-0003"]),
    ("bd1", ["SA-2026-0002"]),
    ("sw1a 1aa", ["SA-2026-0003"]),
    ("amara@example.org", ["SA-2026-0001"]),
    ("07700 900123", ["SA-2026-0001"]),
    ("zoe bradford", []),
    ("nobody", []),
])
def test_search_text(several: Any, text: str, expected: list[str]) -> None:
    assert sorted(search(several.db, text)) == expected


def test_search_by_local_authority_finds_every_case_there(several: Any) -> None:
    assert sorted(search(several.db, "leeds")) == ["SA-2026-0001", "SA-2026-0004"]


def test_blank_search_lists_everything(several: Any) -> None:
    assert sorted(search(several.db, "  ")) == [f"SA-2026-000{n}" for n in range(1, 5)]
    assert sorted(search(several.db, "'-")) == [f"SA-2026-000{n}" for n in range(1, 5)]


def test_filters(several: Any) -> None:
    db = several.db
    assert sorted(search(db, state=CaseState.CLOSED)) == ["SA-2026-0003"]
    assert sorted(search(db, state=CaseState.OPEN)) == \
        ["SA-2026-0001", "SA-2026-0002", "SA-2026-0004"]
    assert sorted(search(db, adviser="Alex")) == ["SA-2026-0002", "SA-2026-0004"]
    assert search(db, adviser="alex") == []  # adviser is picked from a list, exact
    assert search(db, status=ChildStatus.EHC_PLAN) == ["SA-2026-0001"]
    assert search(db, status=ChildStatus.NO_SEN_SUPPORT) == ["SA-2026-0004"]
    assert search(db, area=AreaOfNeed.SEMH) == ["SA-2026-0002"]
    assert search(db, area=AreaOfNeed.SENSORY_PHYSICAL) == []
    assert search(db, "leeds", adviser="Alex") == ["SA-2026-0004"]
    assert search(db, "leeds", state=CaseState.OPEN, status=ChildStatus.EHC_PLAN,
                  area=AreaOfNeed.COGNITION, adviser="Sam") == ["SA-2026-0001"]
    assert search(db, "obrien", state=CaseState.OPEN) == []


def test_search_best_match_first(several: Any) -> None:
    db = several.db
    casework.add_timeline_entry(db, cases.find_cases(
        db, CaseFilter(text="okafor")).rows[0].id, entry("Nowak family mentioned once"), ACTOR)
    results = search(db, "nowak")
    assert results[0] == "SA-2026-0002"
    assert sorted(results) == ["SA-2026-0001", "SA-2026-0002"]


def test_case_with_new_timeline_entry_moves_to_the_top(book: Any) -> None:
    older = new_family(book.db, "Okafor")
    new_family(book.db, "Nowak")
    assert search(book.db)[0] == "SA-2026-0002"
    casework.add_timeline_entry(book.db, older, entry("Phoned mum today"), ACTOR)
    assert search(book.db)[0] == "SA-2026-0001"


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(categories=["L", "N", "Zs", "Pd", "Po"]),
               min_size=1, max_size=30).filter(lambda s: any(c.isalpha() for c in s)))
def test_any_child_name_finds_its_case(db: Database, name: str) -> None:
    name = unicodedata.normalize("NFC", name).strip()
    case_id = new_family(db, "Family", kids=[child(name, "Surname")])
    found = [s.id for s in cases.find_cases(db, CaseFilter(text=name)).rows]
    assert case_id in found


# --- duplicates ---------------------------------------------------------------------------


def test_find_duplicates_after_reopen(book: Any) -> None:
    okafor = new_family(book.db, "Okafor", with_person=person(postcode="LS1 1AA"),
                        kids=[child()])
    new_family(book.db, "Nowak", with_person=person("Ewa", "Nowak", ""),
               kids=[child("Łucja", "Nowak", date(2012, 7, 1))])
    db = book.reopen()
    okafor_family = cases.get_case(db, okafor).family_id

    by_child = casework.find_duplicates(db, child=child("ZOE", "okafor"), person=None)
    assert [(d.family_id, d.family_name) for d in by_child] == [(okafor_family, "Okafor")]
    assert "14/03/2015" in by_child[0].reason

    by_person = casework.find_duplicates(db, child=None,
                                         person=person("Someone", "OKAFOR", "ls11aa"))
    assert [d.family_id for d in by_person] == [okafor_family]

    assert len(casework.find_duplicates(db, child=child("Lucja", "NOWAK", date(2012, 7, 1)),
                                        person=None)) == 1
    # a person with no postcode is never matched on surname alone
    assert casework.find_duplicates(db, child=None, person=person("x", "Nowak", "")) == []
    assert casework.find_duplicates(db, child=child("Zoë", "Okafor", date(2015, 3, 15)),
                                    person=person("x", "Okafor", "LS1 1AB")) == []
    assert casework.find_duplicates(db, child=None, person=None) == []


def test_duplicates_follow_edits(book: Any) -> None:
    case_id = new_family(book.db, "Okafor", kids=[child()])
    child_id = next(iter(cases.get_case(book.db, case_id).details.child_ids))
    casework.update_child(book.db, child_id, child(dob=date(2015, 3, 15)), ACTOR)
    db = book.reopen()
    assert casework.find_duplicates(db, child=child(), person=None) == []
    assert len(casework.find_duplicates(db, child=child(dob=date(2015, 3, 15)),
                                        person=None)) == 1


def test_replace_keeps_case_details_frozen() -> None:
    details = case(child_ids=frozenset({"a"}))
    assert replace(details, child_ids=frozenset({"b"})).child_ids == {"b"}
    assert details.child_ids == {"a"}


@pytest.mark.parametrize(("text", "expected"), [
    ("ok", ["SA-2026-0001"]),  # a short word alone: names and details
    ("tr", []),  # ... but not notes ("Tribunal" is only in a note)
    ("tribunal s", ["SA-2026-0002"]),  # with a longer word, short ones reach notes too
    ("greenfield ł", ["SA-2026-0002"]),
    ("tribunal x", []),
])
def test_short_words(several: Any, text: str, expected: list[str]) -> None:
    assert sorted(search(several.db, text)) == expected


def test_short_word_looked_up_within_many_cases_after_a_long_one(book: Any) -> None:
    """Past a few hundred candidate cases, the other long words go to the index again."""
    db = book.db
    for n in range(search_module._FEW_CASES + 5):
        new_family(db, f"Family{n:03d}", summary="Fieldgate school")
    new_family(db, "Zed", summary="Fieldgate primary")
    assert search(db, "fieldgate primary") == [f"SA-2026-{search_module._FEW_CASES + 6:04d}"]
    assert len(search(db, "fieldgate fam")) == search_module._FEW_CASES + 5


def test_find_cases_gives_the_first_page_and_the_total(several: Any) -> None:
    page = cases.find_cases(several.db, CaseFilter(), limit=2)
    assert page.total == 4 and len(page.rows) == 2
    assert [r.reference for r in page.rows] == search(several.db)[:2]


def test_a_word_in_too_many_records_is_looked_for_in_the_newest_only(book: Any,
                                                                     monkeypatch) -> None:
    db = book.db
    ids = [new_family(db, f"Family{n}") for n in range(6)]
    for case_id in ids:  # oldest first, so the last families have the newest notes
        casework.add_timeline_entry(db, case_id, entry("Tribunal hearing booked"), ACTOR)
    monkeypatch.setattr(search_module, "MOST_RECORDS", 3)
    page = cases.find_cases(db, CaseFilter(text="tribunal"))
    assert not page.complete
    assert {r.family_name for r in page.rows} == {"Family3", "Family4", "Family5"}
    # a rarer word leads, and the common one is then checked in its cases exactly
    page = cases.find_cases(db, CaseFilter(text="tribunal family0"))
    assert page.complete and [r.family_name for r in page.rows] == ["Family0"]
    monkeypatch.undo()
    assert cases.find_cases(db, CaseFilter(text="tribunal")).total == 6  # teeth


def test_a_family_named_as_typed_comes_before_other_matches(book: Any) -> None:
    """An adviser (or a note) with the typed surname must not push the family itself down:
    Enter opens the first row."""
    db = book.db
    nowak = new_family(db, "Nowak")
    new_family(db, "Williams", adviser="Agnieszka Nowak")  # newer, and "nowak" in its details
    williams_note = new_family(db, "Green")
    casework.add_timeline_entry(db, williams_note, entry("Spoke to Mrs Nowak's sister"), ACTOR)
    results = [s.id for s in cases.find_cases(db, CaseFilter(text="nowak")).rows]
    assert results[0] == nowak and len(results) == 3
