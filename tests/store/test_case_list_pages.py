"""The case list a page at a time: every way find_cases orders and cuts the list in SQLite
(nothing typed; digits, where no family can be named; short words; words that may name a
family) gives, page after page, exactly the list one unlimited call gives, and that list is
in the order worked out independently here from every case's words."""

from __future__ import annotations

from datetime import date

import pytest

from adviser_app.domain.records import CaseDetails, ChildDetails, EntryDetails, PersonDetails
from adviser_app.domain.search_text import index_tokens, search_tokens
from adviser_app.domain.vocab import CaseState, EntryKind, Relationship
from adviser_app.services import casework
from adviser_app.store import case_search, search
from adviser_app.store.case_search import CaseFilter, find_cases
from adviser_app.store.db import Database

NAMES = ["Okafor", "Smith", "Lee", "Oyelaran", "Patel", "Okoro", "Nowak", "Khan", "Obi",
         "Ward", "Ali", "Osei"]


@pytest.fixture
def book(db: Database) -> Database:
    """Twelve families, every parent's phone starting 07700 9, some notes quoting a number
    (a match outside the case's own details), half the cases closed, activity in a mixed
    order with some cases touched in the same instant."""
    ids = []
    for number, name in enumerate(NAMES):
        ids.append(casework.open_new_family_case(
            db, family_name=name,
            person=PersonDetails("Sam", name, Relationship.MOTHER, True,
                                 phone=f"07700 900{number:03d}"),
            children=[ChildDetails("Jo", name, date(2016, 1, 1))],
            case=CaseDetails("Ann" if number % 3 else "Bea", date(2025, 1, 1 + number)),
            actor="T"))
    for number in (3, 7, 10):
        casework.add_timeline_entry(db, ids[number], EntryDetails(
            EntryKind.NOTE, date(2026, 1, 2), "Ann", "Rang 07700 900011 and 0800 111"),
            "T")
    for number in (1, 4, 6, 9, 11):
        casework.close_case(db, ids[number], date(2026, 1, 5), "done", "T")
    for number in (5, 2, 8, 0):
        db.execute("UPDATE case_file SET updated_at = ? WHERE id = ?",
                   ["2026-03-01T10:00:00", ids[number]])  # the same instant: id decides
    return db


def expected(db: Database, text: str, flt: CaseFilter) -> list[str]:
    """Independently of the store: each case's words read; a case matches when every typed
    word starts a word in it; best score first (typed words found only outside the case's
    own details), then newest activity, then id. (For texts no family's name can match.)"""
    typed = search_tokens(text)
    words: dict[str, list[tuple[str, str]]] = {}
    for case_id, source, text_words in db.execute(
            "SELECT case_id, source, words FROM search_doc").fetchall():
        words.setdefault(case_id, []).append((source, text_words))
    found = []
    for case_id, updated, state, adviser in db.execute(
            "SELECT id, updated_at, state, adviser FROM case_file").fetchall():
        if flt.state is not None and state != flt.state.value:
            continue
        if flt.adviser and adviser != flt.adviser:
            continue
        docs = words.get(case_id, [])
        score = 0
        for token in typed:
            where = {source == "case" for source, ws in docs
                     if any(w.startswith(token) for w in ws.split())}
            if not where:
                break
            score += 0 if True in where else 1
        else:
            found.append((score, updated, case_id))
    found.sort(key=lambda r: r[2])
    found.sort(key=lambda r: r[1], reverse=True)
    found.sort(key=lambda r: r[0])
    return [case_id for _, _, case_id in found]


FILTERS = [CaseFilter(), CaseFilter(state=CaseState.OPEN), CaseFilter(state=CaseState.CLOSED),
           CaseFilter(adviser="Ann")]


def pages(db: Database, flt: CaseFilter, size: int) -> tuple[list[str], set[int]]:
    """The list read page by page, as the view fetches it when scrolled; and the totals."""
    got: list[str] = []
    totals = set()
    while True:
        page = find_cases(db, flt, limit=size, offset=len(got))
        totals.add(page.total)
        if not page.rows:
            return got, totals
        got.extend(s.id for s in page.rows)


@pytest.mark.parametrize("walked", [False, True], ids=["few: read", "many: walked in order"])
@pytest.mark.parametrize("text", ["", "077", "07700900", "07700 900011", "0800", "0800 111",
                                  "999"])
def test_lists_where_no_family_is_named_come_in_order_page_by_page(
        book: Database, text: str, walked: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if walked:  # as on a big book, where a phone number's first digits match thousands
        monkeypatch.setattr(case_search, "_WALK_PAST", 0)
    for flt in FILTERS:
        flt = CaseFilter(text=text, state=flt.state, adviser=flt.adviser)
        wanted = expected(book, text, flt)
        whole = find_cases(book, flt)
        assert [s.id for s in whole.rows] == wanted, (text, flt)
        assert whole.total == len(wanted)
        for size in (1, 2, 5):
            got, totals = pages(book, flt, size)
            assert got == wanted and totals == {len(wanted)}, (text, flt, size)
        assert find_cases(book, flt, limit=0).total == len(wanted)


@pytest.mark.parametrize("walk_past", [1000, 0])
def test_the_number_in_a_note_comes_after_the_same_number_in_a_case_s_details(
        book: Database, walk_past: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(case_search, "_WALK_PAST", walk_past)
    rows = find_cases(book, CaseFilter(text="07700 900011")).rows
    assert [s.family_name for s in rows][0] == "Osei"  # 900011: Osei's own phone
    assert sorted(s.family_name for s in rows[1:]) == ["Ali", "Khan", "Oyelaran"]


@pytest.mark.parametrize("walked", [False, True], ids=["few", "many: walked in order"])
@pytest.mark.parametrize("text", ["o", "ok", "okafor", "sam", "jo o", "sam 07700", "ann"])
def test_pages_of_any_search_add_up_to_the_whole_list(book: Database, text: str,
                                                      walked: bool,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    if walked:  # as on a big book, where thousands of cases match "o"
        monkeypatch.setattr(search, "MANY_CASES", 1)
        monkeypatch.setattr(case_search, "_NAME_CHECK_LIMIT", 1)
    for flt in FILTERS:
        flt = CaseFilter(text=text, state=flt.state, adviser=flt.adviser)
        whole = find_cases(book, flt)
        assert sorted(s.id for s in whole.rows) == sorted(expected(book, text, flt))
        for size in (1, 3):
            got, totals = pages(book, flt, size)
            assert got == [s.id for s in whole.rows] and totals == {whole.total}, (text, flt)


def test_the_family_named_as_typed_still_comes_first(book: Database) -> None:
    rows = find_cases(book, CaseFilter(text="oka"), limit=1).rows
    assert [s.family_name for s in rows] == ["Okafor"]
    assert [s.family_name for s in find_cases(book, CaseFilter(text="oka"), limit=1,
                                              offset=1).rows] == []


def expected_ranked(db: Database, text: str, flt: CaseFilter, few_cases: int) -> list[str]:
    """Independently of the store, for any text: the families named as typed first (a word
    of the family's name, as indexed, starting with a typed word), then the best score (typed
    words found only outside the case's own details), then newest activity, then id. One or
    two letters are looked for in the case's own details only, without changing the score,
    when typed alone or when the longer words match more than *few_cases* cases."""
    typed = search_tokens(text)
    long_words = [token for token in typed if len(token) >= search.SHORT_WORD]
    words: dict[str, list[tuple[bool, list[str]]]] = {}
    for case_id, source, text_words in db.execute(
            "SELECT case_id, source, words FROM search_doc").fetchall():
        words.setdefault(case_id, []).append((source == "case", text_words.split()))

    def found_in(case_id: str, token: str) -> set[bool]:
        """Whether *token* starts a word in the case's details (True), elsewhere (False)."""
        return {details for details, ws in words.get(case_id, [])
                if any(w.startswith(token) for w in ws)}

    everywhere = [case_id for case_id in words
                  if all(found_in(case_id, token) for token in long_words)]
    details_only = not long_words or len(everywhere) > few_cases
    found = []
    for case_id, updated, state, adviser, family_name in db.execute(
            "SELECT cf.id, cf.updated_at, cf.state, cf.adviser, f.family_name "
            "FROM case_file cf JOIN family f ON f.id = cf.family_id").fetchall():
        if flt.state is not None and state != flt.state.value:
            continue
        if flt.adviser and adviser != flt.adviser:
            continue
        score = 0
        for token in typed:
            where = found_in(case_id, token)
            if details_only and token not in long_words:
                if True not in where:
                    break
                continue
            if not where:
                break
            score += 0 if True in where else 1
        else:
            named = any(w.startswith(token) for w in index_tokens(family_name)
                        for token in typed)
            found.append((not named, score, updated, case_id))
    found.sort(key=lambda r: r[3])
    found.sort(key=lambda r: r[2], reverse=True)
    found.sort(key=lambda r: r[:2])
    return [case_id for *_, case_id in found]


@pytest.mark.parametrize("walked", [False, True],
                         ids=["few: read", "many: walked in order, short words in details"])
@pytest.mark.parametrize("text", ["o", "ok", "oka", "okafor", "sam", "sam o", "jo o", "ann",
                                  "sam 07700", "o 0800", "rang", "077", "sa 2025",
                                  "sa-2025-0001", "2025 ok"])
def test_any_search_comes_in_rank_order_page_by_page(book: Database, text: str, walked: bool,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The families named as typed first, found through the index of families' names
    (migration 0013), then the best score, then newest activity: page after page, whether
    each rank's cases are read by id or found by walking the list in order of activity, and
    whether short words beside longer ones are looked for everywhere (few cases) or in the
    cases' details only (many; "sa", in every reference, is then not looked for at all)."""
    few_cases = search._FEW_CASES
    if walked:
        monkeypatch.setattr(case_search, "_WALK_PAST", 0)
        few_cases = 0
        monkeypatch.setattr(search, "_FEW_CASES", few_cases)
        if any(len(token) >= search.SHORT_WORD for token in search_tokens(text)):
            # beside a longer word, a short word in every case's details is not looked for
            # case by case (alone, MANY_CASES would list short words by activity only)
            monkeypatch.setattr(search, "MANY_CASES", 0)
    for flt in FILTERS:
        flt = CaseFilter(text=text, state=flt.state, adviser=flt.adviser)
        wanted = expected_ranked(book, text, flt, few_cases)
        assert [s.id for s in find_cases(book, flt).rows] == wanted, (text, flt)
        for size in (1, 2, 5):
            got, totals = pages(book, flt, size)
            assert got == wanted and totals == {len(wanted)}, (text, flt, size)
    named = [s.family_name for s in find_cases(book, CaseFilter(text=text)).rows]
    if text == "o":  # every family whose name starts with o, before Sam's other families
        assert set(named[:5]) == {"Okafor", "Oyelaran", "Okoro", "Obi", "Osei"}
