"""Searching by one or two letters through the index of cases' own details (migration 0011):
the same cases, count and order as reading every case's details would give, whether few match
(read from the index) or many (the case list walked in order of newest activity); and the
index follows every change to a case's details, including erasure."""

from __future__ import annotations

from datetime import date

import pytest

from adviser_app.domain.records import CaseDetails, ChildDetails, PersonDetails
from adviser_app.domain.search_text import search_tokens
from adviser_app.domain.vocab import CaseState, Relationship
from adviser_app.services import casework
from adviser_app.services.data_protection import erase_case
from adviser_app.store import case_search, cases, families, search
from adviser_app.store.case_search import CaseFilter, find_cases
from adviser_app.store.db import Database

FAMILIES = [("Okafor", "Ola", "Ann"), ("Smith", "Zoë", "Ann"), ("O'Brien", "Sam", "Bea"),
            ("Lee", "Olu", "Bea"), ("Wiśniewska", "Łucja", "Ann"), ("Oyelaran", "Ada", "Cy")]


@pytest.fixture
def book(db: Database) -> Database:
    for number, (family, given, adviser) in enumerate(FAMILIES):
        case_id = casework.open_new_family_case(
            db, family_name=family,
            person=PersonDetails(given, family, Relationship.MOTHER, True),
            children=[ChildDetails(given + "ette", family, date(2016, 1, 1))],
            case=CaseDetails(adviser, date(2025, 1, 1 + number)), actor="T")
        if number % 2:
            casework.close_case(db, case_id, date(2026, 1, 5), "done", "T")
    return db


def expected(db: Database, text: str, flt: CaseFilter) -> list[str]:
    """Independently: every case's own words read and checked, newest activity first."""
    typed = search_tokens(text)
    rows = db.execute(
        "SELECT cf.id, cf.updated_at, cf.state, cf.adviser, d.words FROM case_file cf "
        "JOIN search_doc d ON d.case_id = cf.id AND d.source = 'case'").fetchall()
    found = [(case, updated) for case, updated, state, adviser, words in rows
             if all(any(w.startswith(t) for w in words.split()) for t in typed)
             and (flt.state is None or state == flt.state.value)
             and (not flt.adviser or adviser == flt.adviser)]
    found.sort(key=lambda r: r[0])
    found.sort(key=lambda r: r[1], reverse=True)
    return [case for case, _ in found]


TYPED = ["o", "ok", "ol", "s", "l", "lu", "z", "q", "o l", "a"]
FILTERS = [CaseFilter(), CaseFilter(state=CaseState.OPEN), CaseFilter(state=CaseState.CLOSED),
           CaseFilter(adviser="Ann")]


@pytest.mark.parametrize("many", [False, True], ids=["few: read from the index",
                                                     "many: the list walked in order"])
def test_short_words_find_what_reading_every_case_finds(book: Database, many: bool,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    if many:  # as on a book of 50,000 families, where thousands of cases match "o"
        monkeypatch.setattr(search, "MANY_CASES", 1)
        monkeypatch.setattr(case_search, "_NAME_CHECK_LIMIT", 1)
    for text in TYPED:
        for flt in FILTERS:
            wanted = expected(book, text, flt)
            page = find_cases(book, CaseFilter(text=text, state=flt.state,
                                               adviser=flt.adviser), limit=None)
            got = [s.id for s in page.rows]
            if not many:  # few matches: the family named as typed comes first
                assert sorted(got) == sorted(wanted), (text, flt)
            else:
                assert got == wanted, (text, flt)
            assert page.total == len(wanted), (text, flt)
            first = find_cases(book, CaseFilter(text=text, state=flt.state,
                                                adviser=flt.adviser), limit=2)
            assert [s.id for s in first.rows] == got[:2] and first.total == len(wanted)
            # the number alone (the Open filter asks how many closed cases match)
            assert find_cases(book, CaseFilter(text=text, state=flt.state,
                                               adviser=flt.adviser), limit=0).total == len(wanted)
    assert find_cases(book, CaseFilter(text="o"), limit=0).total == len(expected(
        book, "o", CaseFilter()))


def test_the_family_named_as_typed_comes_first_when_few_match(book: Database) -> None:
    rows = find_cases(book, CaseFilter(text="ok"), limit=None).rows
    assert [s.family_name for s in rows] == ["Okafor"]
    rows = find_cases(book, CaseFilter(text="o"), limit=None).rows
    named = [s.family_name for s in rows[:3]]
    assert set(named) == {"Okafor", "O'Brien", "Oyelaran"}


def header_count(db: Database, typed: str) -> int:
    return db.execute("SELECT count(*) FROM case_search_header WHERE case_search_header "
                      "MATCH ?", [f'"{typed}"*']).fetchone()[0]


def test_the_details_index_follows_renames_erasure_and_rebuilds(book: Database) -> None:
    assert header_count(book, "okafor") == 1
    case = next(s for s in find_cases(book, CaseFilter(text="okafor")).rows)
    family = families.get_family(book, cases.get_case(book, case.id).family_id)
    with book.atomic():
        book.execute("UPDATE child SET given_name = 'Xavi' WHERE family_id = ?", [family.id])
        search.reindex_family(book, family.id)
    assert (header_count(book, "olaette"), header_count(book, "xavi")) == (0, 1)
    assert [s.id for s in find_cases(book, CaseFilter(text="xa")).rows] == [case.id]
    with book.atomic():
        search.reindex_all(book)
    assert header_count(book, "o") == len(expected(book, "o", CaseFilter()))
    assert header_count(book, "xavi") == 1
    erase_case(book, case.id, "Retention period over", date(2026, 12, 6), "T")
    assert header_count(book, "xavi") == 0
    assert book.execute("SELECT count(*) FROM case_search_header").fetchone()[0] == len(
        FAMILIES) - 1
