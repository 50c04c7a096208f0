"""Repositories on a real encrypted file: rows in, records out, constraints enforced."""

from __future__ import annotations

import unicodedata
from datetime import date
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adviser_app.domain.records import (CaseDetails, ChildDetails, EntryDetails, PersonDetails,
                                        TaskDetails)
from adviser_app.domain.vocab import (AreaOfNeed, CaseIssue, CaseState, ChildStatus,
                                      ContactMethod, EntryKind, Relationship)
from adviser_app.services import case_books
from adviser_app.store import cases, families, search, settings as book_settings, tasks, \
    timeline
from adviser_app.store.cases import CaseFilter
from adviser_app.store.db import Database, close_case_book
from adviser_app.store.errors import RecordNotFound
from adviser_app.store.timeline import StaleEdit
from support import open_book

ACTOR = "tester"


def reopen(db: Database, data_dir: Path) -> Database:
    close_case_book(db)
    return open_book(case_books.real_place(data_dir))


@pytest.fixture
def book(db: Database, data_dir: Path) -> Iterator[Any]:
    """A holder whose .db can be swapped by reopening; the latest one is closed at the end."""
    class Book:
        def __init__(self) -> None:
            self.db = db

        def reopen(self) -> Database:
            self.db = reopen(self.db, data_dir)
            return self.db
    holder = Book()
    yield holder
    try:
        close_case_book(holder.db)
    except Exception:
        pass


FULL_PERSON = PersonDetails(
    given_name="Amara", family_name="Okafor", relationship=Relationship.MOTHER,
    parental_responsibility=True, address="1 High Street\nLeeds", postcode="LS1 1AA",
    phone="07700 900123", email="amara@example.org", preferred_contact=ContactMethod.EMAIL,
    access_needs="Large print", interpreter_language="Igbo", consent_to_share=True,
    consent_date=date(2026, 11, 1))

FULL_CHILD = ChildDetails(
    given_name="Zoë", family_name="Okafor", date_of_birth=date(2015, 3, 14),
    school="Hillside Primary", year_group="Year 6", local_authority="Leeds",
    areas_of_need=frozenset({AreaOfNeed.COGNITION, AreaOfNeed.SEMH}),
    status=ChildStatus.EHC_PLAN, ehc_plan_issued=date(2022, 9, 1),
    ehc_plan_last_reviewed=date(2026, 9, 1), notes="Likes trains")


def new_case(db: Database, family_id: str, child_ids: frozenset[str] = frozenset(),
             opened: date = date(2026, 11, 1), adviser: str = "Sam",
             prefix: str = "SA") -> tuple[str, str]:
    with db.atomic():
        return cases.insert_case(db, family_id, CaseDetails(
            adviser, opened, frozenset({CaseIssue.EHC_ASSESSMENT}), child_ids, "summary"),
            ACTOR, prefix)


# --- families, people, children -----------------------------------------------------------


def test_family_person_child_round_trip_through_the_file(book: Any) -> None:
    db = book.db
    with db.atomic():
        fid = families.insert_family(db, "Okafor", ACTOR, notes="Referred by school")
        pid = families.insert_person(db, fid, FULL_PERSON, ACTOR)
        cid = families.insert_child(db, fid, FULL_CHILD, ACTOR)
    db = book.reopen()
    family = families.get_family(db, fid)
    assert family.family_name == "Okafor" and family.notes == "Referred by school"
    assert [p.id for p in family.people] == [pid]
    assert family.people[0].details == FULL_PERSON
    assert family.people[0].updated_by == ACTOR and family.people[0].updated_at
    assert [c.id for c in family.children] == [cid]
    assert family.children[0].details == FULL_CHILD
    assert families.get_child(db, cid).details == FULL_CHILD


def test_minimal_person_keeps_nulls(book: Any) -> None:
    db = book.db
    minimal = PersonDetails("Jo", "Smith", Relationship.FATHER)
    with db.atomic():
        fid = families.insert_family(db, "Smith", ACTOR)
        families.insert_person(db, fid, minimal, ACTOR)
    db = book.reopen()
    assert families.get_family(db, fid).people[0].details == minimal


def test_children_come_back_oldest_first(book: Any) -> None:
    db = book.db
    with db.atomic():
        fid = families.insert_family(db, "Nowak", ACTOR)
        for name, dob in [("Young", date(2020, 1, 1)), ("Old", date(2010, 1, 1)),
                          ("Middle", date(2015, 1, 1))]:
            families.insert_child(db, fid, ChildDetails(name, "Nowak", dob), ACTOR)
    db = book.reopen()
    assert [c.details.given_name for c in families.get_family(db, fid).children] == \
        ["Old", "Middle", "Young"]


def test_update_child_replaces_areas_of_need(book: Any) -> None:
    db = book.db
    with db.atomic():
        fid = families.insert_family(db, "Okafor", ACTOR)
        cid = families.insert_child(db, fid, FULL_CHILD, ACTOR)
    changed = ChildDetails("Zoë", "Okafor", date(2015, 3, 14),
                           areas_of_need=frozenset({AreaOfNeed.SENSORY_PHYSICAL}),
                           status=ChildStatus.SEN_SUPPORT)
    with db.atomic():
        families.update_child(db, cid, changed, "other")
    db = book.reopen()
    child = families.get_child(db, cid)
    assert child.details == changed
    assert child.updated_by == "other"
    assert [r["area"] for r in db.query("SELECT area FROM child_need")] == ["sensory_physical"]


def test_family_ids_of_children(book: Any) -> None:
    db = book.db
    with db.atomic():
        f1 = families.insert_family(db, "A", ACTOR)
        f2 = families.insert_family(db, "B", ACTOR)
        c1 = families.insert_child(db, f1, ChildDetails("a", "A", date(2015, 1, 1)), ACTOR)
        c2 = families.insert_child(db, f2, ChildDetails("b", "B", date(2015, 1, 1)), ACTOR)
    assert families.family_ids_of_children(db, [c1]) == {f1}
    assert families.family_ids_of_children(db, [c1, c2]) == {f1, f2}
    assert families.family_ids_of_children(db, ["nope"]) == set()


def test_existing_children_and_people_for_duplicate_checks(book: Any) -> None:
    db = book.db
    with db.atomic():
        fid = families.insert_family(db, "Okafor", ACTOR)
        families.insert_child(db, fid, FULL_CHILD, ACTOR)
        families.insert_person(db, fid, FULL_PERSON, ACTOR)
        families.insert_person(db, fid, PersonDetails("No", "Postcode", Relationship.OTHER),
                               ACTOR)
    db = book.reopen()
    kids = families.existing_children(db)
    assert [(k.family_id, k.family_name, k.given_name, k.date_of_birth) for k in kids] == \
        [(fid, "Okafor", "Zoë", date(2015, 3, 14))]
    people = families.existing_people(db)
    assert [(p.person_family_name, p.postcode) for p in people] == [("Okafor", "LS1 1AA")]


# --- constraints --------------------------------------------------------------------------


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(sqlcipher3.IntegrityError):
        with db.atomic():
            families.insert_person(db, "no-such-family", FULL_PERSON, ACTOR)
    assert db.execute("SELECT count(*) FROM person").fetchone()[0] == 0
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_family_with_a_case_cannot_be_deleted_but_case_delete_cascades(db: Database) -> None:
    with db.atomic():
        fid = families.insert_family(db, "Okafor", ACTOR)
        cid = families.insert_child(db, fid, FULL_CHILD, ACTOR)
        case_id, _ = new_case(db, fid, frozenset({cid}))
        timeline.insert_entry(db, case_id, EntryDetails(EntryKind.NOTE, date(2026, 11, 2),
                                                        "Sam", "x"), ACTOR)
        tasks.insert_task(db, case_id, TaskDetails("t"), ACTOR)
    with pytest.raises(sqlcipher3.IntegrityError):
        db.execute("DELETE FROM family WHERE id = ?", [fid])
    with db.atomic():
        db.execute("DELETE FROM case_file WHERE id = ?", [case_id])
    for table in ("timeline_entry", "timeline_entry_version", "task", "case_child",
                  "case_issue"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table


def test_closed_state_needs_a_closed_date(db: Database) -> None:
    with db.atomic():
        fid = families.insert_family(db, "Okafor", ACTOR)
        case_id, _ = new_case(db, fid)
    with pytest.raises(sqlcipher3.IntegrityError):
        cases.set_case_state(db, case_id, CaseState.CLOSED, None, "", ACTOR)
    with pytest.raises(sqlcipher3.IntegrityError):
        cases.set_case_state(db, case_id, CaseState.OPEN, date(2026, 11, 2), "", ACTOR)
    assert cases.get_case(db, case_id).state is CaseState.OPEN


def test_strict_tables_and_checks_refuse_bad_values(db: Database) -> None:
    with pytest.raises(sqlcipher3.IntegrityError):
        db.execute("INSERT INTO family (id, family_name, created_at, updated_at, updated_by) "
                   "VALUES ('x', '', 'n', 'n', 'n')")
    with pytest.raises(sqlcipher3.IntegrityError):
        db.execute("INSERT INTO family (id, family_name, created_at, updated_at, updated_by) "
                   "VALUES ('x', 'ok', 'n', 'n', 'n')")
        db.execute("INSERT INTO child (id, family_id, given_name, family_name, date_of_birth, "
                   "status, created_at, updated_at, updated_by) VALUES ('c', 'x', 'a', 'b', "
                   "'2015-01-01', 'made_up', 'n', 'n', 'n')")
    with pytest.raises(sqlcipher3.DatabaseError):
        db.execute("INSERT INTO settings (key, value) VALUES ('k', x'00')")


# --- cases --------------------------------------------------------------------------------


def test_references_count_up_per_year_and_prefix(book: Any) -> None:
    db = book.db
    with db.atomic():
        fid = families.insert_family(db, "Okafor", ACTOR)
    refs = [new_case(db, fid)[1], new_case(db, fid)[1],
            new_case(db, fid, opened=date(2025, 12, 31))[1],
            new_case(db, fid, prefix="TR")[1]]
    db = book.reopen()
    refs.append(new_case(db, fid)[1])
    assert refs == ["SA-2026-0001", "SA-2026-0002", "SA-2025-0001", "TR-2026-0001",
                    "SA-2026-0003"]


def test_case_round_trip_update_and_state(book: Any) -> None:
    db = book.db
    with db.atomic():
        fid = families.insert_family(db, "Okafor", ACTOR)
        c1 = families.insert_child(db, fid, FULL_CHILD, ACTOR)
        c2 = families.insert_child(db, fid, ChildDetails("Ade", "Okafor", date(2018, 1, 1)),
                                   ACTOR)
    case_id, ref = new_case(db, fid, frozenset({c1}))
    changed = CaseDetails("Alex", date(2026, 10, 1),
                          frozenset({CaseIssue.MEDIATION, CaseIssue.TRANSPORT}),
                          frozenset({c1, c2}), "new summary")
    with db.atomic():
        cases.update_case(db, case_id, changed, "other")
        cases.set_case_state(db, case_id, CaseState.CLOSED, date(2026, 11, 20), "done",
                             "other")
    db = book.reopen()
    case = cases.get_case(db, case_id)
    assert (case.reference, case.family_id, case.details) == (ref, fid, changed)
    assert (case.state, case.closed_on, case.closing_note, case.updated_by) == \
        (CaseState.CLOSED, date(2026, 11, 20), "done", "other")
    assert cases.case_ids_for_family(db, fid) == [case_id]


def test_case_ids_for_family_newest_first_and_advisers(db: Database) -> None:
    with db.atomic():
        fid = families.insert_family(db, "Okafor", ACTOR)
        other = families.insert_family(db, "Nowak", ACTOR)
    old, _ = new_case(db, fid, opened=date(2025, 1, 1), adviser="Zed")
    new, _ = new_case(db, fid, opened=date(2026, 1, 1), adviser="Amy")
    new_case(db, other, adviser="Amy")
    assert cases.case_ids_for_family(db, fid) == [new, old]
    assert cases.advisers(db) == ["Amy", "Zed"]


def test_case_list_summary_fields(db: Database) -> None:
    with db.atomic():
        fid = families.insert_family(db, "Okafor", ACTOR)
        c1 = families.insert_child(db, fid, FULL_CHILD, ACTOR)
        c2 = families.insert_child(db, fid, ChildDetails(
            "Ade", "Okafor", date(2018, 1, 1), status=ChildStatus.SEN_SUPPORT,
            areas_of_need=frozenset({AreaOfNeed.COMMUNICATION, AreaOfNeed.SEMH})), ACTOR)
        families.insert_child(db, fid, ChildDetails("Not", "InCase", date(2019, 1, 1),
                                                    status=ChildStatus.ASSESSMENT_REQUESTED),
                              ACTOR)
    case_id, ref = new_case(db, fid, frozenset({c1, c2}))
    with db.atomic():
        tasks.insert_task(db, case_id, TaskDetails("later", date(2026, 12, 20)), ACTOR)
        soon = tasks.insert_task(db, case_id, TaskDetails("soon", date(2026, 12, 1)), ACTOR)
        tasks.insert_task(db, case_id, TaskDetails("no date"), ACTOR)
        done = tasks.insert_task(db, case_id, TaskDetails("done", date(2026, 11, 1)), ACTOR)
        tasks.set_task_done(db, done, date(2026, 11, 2), ACTOR)
    [summary] = cases.find_cases(db).rows
    assert (summary.id, summary.reference, summary.family_name, summary.adviser) == \
        (case_id, ref, "Okafor", "Sam")
    assert sorted(summary.children.split(", ")) == ["Ade Okafor", "Zoë Okafor"]
    assert summary.statuses == frozenset({ChildStatus.EHC_PLAN, ChildStatus.SEN_SUPPORT})
    assert summary.areas == frozenset({AreaOfNeed.COGNITION, AreaOfNeed.SEMH,
                                       AreaOfNeed.COMMUNICATION})
    assert summary.next_task_due == date(2026, 12, 1)
    assert summary.state is CaseState.OPEN and summary.opened_on == date(2026, 11, 1)
    with db.atomic():
        tasks.set_task_done(db, soon, date(2026, 11, 28), ACTOR)
    assert cases.find_cases(db).rows[0].next_task_due == date(2026, 12, 20)


def test_case_without_children_or_tasks_in_the_list(db: Database) -> None:
    with db.atomic():
        fid = families.insert_family(db, "Okafor", ACTOR)
    new_case(db, fid)
    [summary] = cases.find_cases(db).rows
    assert summary.children == "" and summary.statuses == frozenset()
    assert summary.areas == frozenset() and summary.next_task_due is None


def test_case_list_newest_activity_first_and_limit(db: Database) -> None:
    with db.atomic():
        fid = families.insert_family(db, "Okafor", ACTOR)
    first, _ = new_case(db, fid)
    second, _ = new_case(db, fid)
    third, _ = new_case(db, fid)
    assert [s.id for s in cases.find_cases(db).rows] == [third, second, first]
    with db.atomic():
        cases.update_case(db, first, cases.get_case(db, first).details, ACTOR)
    assert [s.id for s in cases.find_cases(db).rows] == [first, third, second]
    assert [s.id for s in cases.find_cases(db, limit=2).rows] == [first, third]


# --- timeline -----------------------------------------------------------------------------


def test_timeline_versions_and_trigger(book: Any) -> None:
    db = book.db
    with db.atomic():
        fid = families.insert_family(db, "Okafor", ACTOR)
    case_id, _ = new_case(db, fid)
    v1 = EntryDetails(EntryKind.PHONE_CALL, date(2026, 11, 2), "Sam", "first words")
    v2 = EntryDetails(EntryKind.MEETING, date(2026, 11, 3), "Sam", "second words")
    with db.atomic():
        entry_id = timeline.insert_entry(db, case_id, v1, "Sam")
    with db.atomic():
        assert timeline.edit_entry(db, entry_id, v2, "Alex", based_on_version=1) == 2
    with pytest.raises(StaleEdit):
        with db.atomic():
            timeline.edit_entry(db, entry_id, v1, "Sam", based_on_version=1)
    db = book.reopen()
    entry = timeline.get_entry(db, entry_id)
    assert (entry.details, entry.version, entry.updated_by) == (v2, 2, "Alex")
    history = timeline.entry_history(db, entry_id)
    assert [(h.version, h.details, h.saved_by) for h in history] == \
        [(1, v1, "Sam"), (2, v2, "Alex")]
    with pytest.raises(sqlcipher3.IntegrityError, match="never rewritten"):
        db.execute("UPDATE timeline_entry_version SET body = 'rewritten' WHERE entry_id = ?",
                   [entry_id])
    assert [h.details.body for h in timeline.entry_history(db, entry_id)] == \
        ["first words", "second words"]


def test_timeline_newest_first(db: Database) -> None:
    with db.atomic():
        fid = families.insert_family(db, "Okafor", ACTOR)
    case_id, _ = new_case(db, fid)
    with db.atomic():
        for day, body in [(5, "middle"), (9, "newest"), (1, "oldest")]:
            timeline.insert_entry(db, case_id, EntryDetails(EntryKind.NOTE,
                                                            date(2026, 11, day), "Sam", body),
                                  ACTOR)
    assert [e.details.body for e in timeline.list_entries(db, case_id)] == \
        ["newest", "middle", "oldest"]


# --- tasks and settings -------------------------------------------------------------------


def test_tasks_order_open_soonest_first_then_done(book: Any) -> None:
    db = book.db
    with db.atomic():
        fid = families.insert_family(db, "Okafor", ACTOR)
    case_id, _ = new_case(db, fid)
    with db.atomic():
        undated = tasks.insert_task(db, case_id, TaskDetails("undated"), ACTOR)
        late = tasks.insert_task(db, case_id, TaskDetails("late", date(2026, 12, 20)), ACTOR)
        soon = tasks.insert_task(db, case_id, TaskDetails("soon", date(2026, 12, 1)), ACTOR)
        done = tasks.insert_task(db, case_id, TaskDetails("done", date(2026, 11, 1)), ACTOR)
        tasks.set_task_done(db, done, date(2026, 11, 5), ACTOR)
        tasks.update_task(db, late, TaskDetails("later", date(2026, 12, 21)), ACTOR)
    db = book.reopen()
    listed = tasks.list_tasks(db, case_id)
    assert [t.id for t in listed] == [soon, late, undated, done]
    assert listed[1].details == TaskDetails("later", date(2026, 12, 21))
    assert listed[3].done and listed[3].done_on == date(2026, 11, 5)
    assert not listed[0].done


def test_settings(book: Any) -> None:
    db = book.db
    assert book_settings.get_setting(db, "x", "default") == "default"
    assert not book_settings.is_training(db)
    with db.atomic():
        book_settings.set_setting(db, "x", "1")
        book_settings.set_setting(db, "x", "2")
        book_settings.set_setting(db, book_settings.TRAINING_FLAG, "1")
    db = book.reopen()
    assert book_settings.get_setting(db, "x") == "2"
    assert book_settings.is_training(db)


def test_a_missing_record_is_our_own_error_naming_what_is_gone(db: Database) -> None:
    """Every "get this row" in the store: never sqlite-utils' NotFoundError, whose message
    names tables and keys rather than what the adviser was looking at."""
    gone = "no-such-id"
    attempts = {
        "case": lambda: cases.get_case(db, gone),
        "family": lambda: families.get_family(db, gone),
        "child": lambda: families.get_child(db, gone),
        "person": lambda: families.update_person(db, gone, PersonDetails(
            "Ada", "Okafor", Relationship.MOTHER), ACTOR),
        "note": lambda: timeline.get_entry(db, gone),
        "task": lambda: tasks.set_task_done(db, gone, None, ACTOR),
    }
    for what, attempt in attempts.items():
        with pytest.raises(RecordNotFound) as raised:
            attempt()
        assert str(raised.value) == f"That {what} is no longer in the case book.", what


# --- search -------------------------------------------------------------------------------


def test_nothing_searchable_typed_is_no_search(db: Database) -> None:
    assert search.search_hits(db, "") is None
    assert search.search_hits(db, " -- ") is None


def test_reindex_all_rebuilds_a_lost_index(db: Database) -> None:
    with db.atomic():
        fid = families.insert_family(db, "Okafor", ACTOR)
        families.insert_child(db, fid, FULL_CHILD, ACTOR)
    new_case(db, fid)
    db.execute("INSERT INTO case_search (case_search) VALUES ('delete-all')")
    assert cases.find_cases(db, CaseFilter(text="zoe")).rows == []
    with db.atomic():
        search.reindex_all(db)
    assert len(cases.find_cases(db, CaseFilter(text="zoe")).rows) == 1


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40))
def test_any_typed_search_text_is_safe(db: Database, text: str) -> None:
    cases.find_cases(db, CaseFilter(text=text))


NAMES = st.text(
    alphabet=st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=60
).map(lambda s: unicodedata.normalize("NFC", s)).filter(lambda s: s.strip() == s and s)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(given_name=NAMES, family_name=NAMES)
def test_any_name_round_trips(db: Database, given_name: str, family_name: str) -> None:
    details = ChildDetails(given_name, family_name, date(2015, 1, 1))
    with db.atomic():
        fid = families.insert_family(db, family_name[:200], ACTOR)
        cid = families.insert_child(db, fid, details, ACTOR)
    assert families.get_child(db, cid).details == details
    assert families.get_family(db, fid).family_name == family_name[:200]
