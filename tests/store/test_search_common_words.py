"""A word too common in notes to look through every one as you type (the year of a reference,
the first digits of a phone number) must not hide a case whose own details have it: the cases'
own details are always looked through in full. MOST_RECORDS is lowered so that a small real
case book has more matching notes than the cap, the case asked for being the oldest."""

from __future__ import annotations

from datetime import date

import pytest

from adviser_app.domain.records import CaseDetails, EntryDetails, PersonDetails
from adviser_app.domain.search_text import search_tokens
from adviser_app.domain.vocab import CaseState, EntryKind, Relationship
from adviser_app.services import casework
from adviser_app.store import case_search, search
from adviser_app.store.case_search import CaseFilter, find_cases
from adviser_app.store.db import Database

NEWER = ["Brown", "Clarke", "Davies", "Evans", "Patel"]


@pytest.fixture
def book(db: Database) -> dict[str, str]:
    """Family name -> case id. Mrs Okafor's case, opened in 2026, is the oldest (SA-2026-0001);
    five newer families' cases were opened in 2025 (SA-2025-0001..5), each with a newer note
    that mentions 2026 and a phone number, so the newest records matching "2026" or "07700"
    are theirs."""
    made = {}
    for number, (family, opened, phone) in enumerate(
            [("Okafor", date(2026, 1, 2), "07700 900123")]
            + [(name, date(2025, 3, 1 + n), f"07700 90045{n}") for n, name in enumerate(NEWER)]):
        case_id = casework.open_new_family_case(
            db, family_name=family,
            person=PersonDetails("Ada", family, Relationship.MOTHER, True, phone=phone),
            children=[], case=CaseDetails("Ann", opened), actor="T")
        db.execute("UPDATE case_file SET updated_at = ? WHERE id = ?",
                   [f"2026-02-{1 + number:02d}T10:00:00", case_id])
        made[family] = case_id
    for family in NEWER:
        casework.add_timeline_entry(db, made[family], EntryDetails(
            EntryKind.NOTE, date(2026, 1, 5), "Ann",
            "Annual review moved to March 2026; rang 07700 900999"), "T")
        db.execute("UPDATE case_file SET updated_at = ? WHERE id = ?",
                   ["2026-03-01T10:00:00", made[family]])  # (newer again after the note)
    return made


def every_page(db: Database, text: str, state: CaseState | None = None,
               limit: int = 2) -> list[str]:
    """Every case the list shows as it is scrolled to the end: pages until one is empty."""
    shown: list[str] = []
    while page := find_cases(db, CaseFilter(text=text, state=state), limit=limit,
                             offset=len(shown)).rows:
        shown.extend(case.id for case in page)
    return shown


def in_own_details(db: Database, text: str, state: CaseState | None = None) -> list[str]:
    """Independently: the cases whose own words have every typed word, newest activity
    first."""
    typed = search_tokens(text)
    rows = db.execute(
        "SELECT cf.id, cf.updated_at, cf.state, d.words FROM case_file cf "
        "JOIN search_doc d ON d.case_id = cf.id AND d.source = 'case'").fetchall()
    found = sorted((case for case, _, st, words in rows
                    if all(any(w.startswith(t) for w in words.split()) for t in typed)
                    and (state is None or st == state.value)),
                   key=lambda case: next(r[1] for r in rows if r[0] == case), reverse=True)
    return found


@pytest.mark.parametrize("typed", ["sa-2026-0", "sa-2026-00", "SA-2026-0001", "2026",
                                   "sa 2026", "2026 okafor"])
def test_a_reference_is_found_when_its_year_is_in_more_notes_than_are_looked_through(
        db: Database, book: dict[str, str], typed: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "MOST_RECORDS", 3)  # fewer than the five notes saying 2026
    page = find_cases(db, CaseFilter(text=typed), limit=60)
    assert page.rows and page.rows[0].id == book["Okafor"]
    assert every_page(db, typed)[0] == book["Okafor"]


def test_a_common_word_still_finds_the_newest_notes(db: Database, book: dict[str, str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """What the cap leaves: cases found by the word in notes only come from the newest
    records looked through, and the list says it may not be every case."""
    monkeypatch.setattr(search, "MOST_RECORDS", 3)
    page = find_cases(db, CaseFilter(text="2026"), limit=60)
    assert not page.complete
    shown = [case.id for case in page.rows]
    assert shown[0] == book["Okafor"]  # in its own details: first
    assert len(shown) == 4  # and the three cases whose notes were looked through
    monkeypatch.setattr(search, "MOST_RECORDS", 5000)
    assert find_cases(db, CaseFilter(text="2026")).total == 6  # every note looked through


@pytest.mark.parametrize(("most_steps", "most_counted"), [(100, 100), (1, 100), (100, 1)],
                         ids=["walked", "walked too far: all sorted", "counted in part"])
@pytest.mark.parametrize("state", [None, CaseState.OPEN, CaseState.CLOSED])
def test_phone_digits_in_more_cases_than_are_looked_through_list_every_one(
        db: Database, book: dict[str, str], most_steps: int, most_counted: int,
        state: CaseState | None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Typing the first digits of a phone number: every case whose details have them can be
    scrolled to, newest activity first, however many there are (here more than MOST_OWN:
    found by walking the cases in order, or past _MOST_STEPS all read and sorted)."""
    monkeypatch.setattr(search, "MOST_RECORDS", 2)
    monkeypatch.setattr(search, "MOST_OWN", 2)
    monkeypatch.setattr(case_search, "_MOST_STEPS", most_steps)
    monkeypatch.setattr(case_search, "_MOST_COUNTED", most_counted)
    casework.close_case(db, book["Clarke"], date(2026, 3, 2), "done", "T")
    for typed in ["077", "0770", "07700", "07700 9", "077009004", "0770090012"]:
        found = every_page(db, typed, state)
        assert found == in_own_details(db, typed, state), typed
    assert book["Okafor"] in every_page(db, "07700")
    assert every_page(db, "07700900123") == [book["Okafor"]]
    page = find_cases(db, CaseFilter(text="0770", state=state), limit=2)
    everyone = in_own_details(db, "0770", state)
    assert not page.complete and min(2, len(everyone)) <= page.total <= len(everyone)
    if state is not None and most_counted == 100:  # counted in full: exactly
        assert page.total == len(everyone)
    assert find_cases(db, CaseFilter(text="0770", state=state), limit=0).total == len(everyone)


def test_phone_digits_find_the_family_as_they_are_typed(db: Database,
                                                        book: dict[str, str]) -> None:
    """With the usual cap: each keystroke of Mrs Okafor's number, from the third digit,
    lists her case, and the whole number lists hers alone."""
    digits = "07700900123"
    for n in range(3, len(digits) + 1):
        assert book["Okafor"] in every_page(db, digits[:n]), digits[:n]
    assert every_page(db, digits) == [book["Okafor"]]
    assert every_page(db, "07700 900 123") == [book["Okafor"]]


def in_the_case_with_short_words_in_own_details(db: Database, text: str) -> set[str]:
    """Independently: the cases with each long typed word somewhere (own details or a note)
    and each short one in their own details."""
    typed = search_tokens(text)
    words: dict[str, list[tuple[bool, list[str]]]] = {}
    for case, source, text_words in db.execute("SELECT case_id, source, words FROM search_doc"):
        words.setdefault(case, []).append((source == "case", text_words.split()))
    return {case for case, records in words.items()
            if all(any(any(w.startswith(t) for w in ws) for own, ws in records
                       if own or len(t) >= search.SHORT_WORD) for t in typed)}


@pytest.mark.parametrize("typed", ["2026 pa", "2026 ok", "2026 sa", "2026 a", "sa 2026 o"])
def test_short_words_beside_a_long_one_in_many_cases_are_looked_for_in_own_details(
        db: Database, book: dict[str, str], typed: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A long word found in many cases with short words beside it: the short words are
    looked for in each case's own details (a case whose own details have the long word is
    kept when they have every typed word), in the same order and number as when few cases
    are found and each is read."""
    few = find_cases(db, CaseFilter(text=typed), limit=None)
    monkeypatch.setattr(search, "_FEW_CASES", 0)  # as for thousands of cases
    monkeypatch.setattr(search, "MANY_CASES", 1)
    many = find_cases(db, CaseFilter(text=typed), limit=None)
    assert [s.id for s in many.rows] == [s.id for s in few.rows]
    assert many.total == few.total == len(many.rows)
    assert {s.id for s in many.rows} == in_the_case_with_short_words_in_own_details(db, typed)
    for state in CaseState:  # (a state chosen: each case's own details read, as before)
        shown = find_cases(db, CaseFilter(text=typed, state=state), limit=None).rows
        assert [s.id for s in shown] == [s.id for s in few.rows if s.state == state]
