"""The index of families' names (migration 0013): the families named as typed come first,
found through case_search_name rather than by reading every matched case, however the name
is spelt; and the index follows every change to a family's name, a rebuild and erasure."""

from __future__ import annotations

from datetime import date

import pytest

from adviser_app.domain.records import CaseDetails, EntryDetails, PersonDetails
from adviser_app.domain.vocab import EntryKind, Relationship
from adviser_app.services import casework
from adviser_app.services.data_protection import erase_case
from adviser_app.store import case_search, cases, search
from adviser_app.store.case_search import CaseFilter, find_cases
from adviser_app.store.db import Database

# (family name, a person in the family, a note on the case). Each family named as a search
# is typed was opened first, so has the oldest activity; a newer family matches the same
# words elsewhere (a step-parent's name, a note), so activity alone would list it first.
FAMILIES = [
    ("Okafor", ("Ada", "Okafor"), ""),
    ("\u0110or\u0111evi\u0107", ("Mila", "\u0110or\u0111evi\u0107"), ""),  # Đorđević
    ("M\u00fcller", ("Lena", "M\u00fcller"), ""),  # Müller
    ("Smith", ("Olu", "Mueller"), ""),  # a stepfather named Mueller: his name is in the case
    ("Jones", ("Ann", "Jones"), "Rang Mrs Dordevic and Mrs Okafor about the school"),
]


@pytest.fixture
def book(db: Database) -> dict[str, str]:
    """Family name -> case id."""
    made = {}
    for number, (family, (given, surname), note) in enumerate(FAMILIES):
        case_id = casework.open_new_family_case(
            db, family_name=family,
            person=PersonDetails(given, surname, Relationship.MOTHER, True), children=[],
            case=CaseDetails("Ann", date(2025, 1, 1 + number)), actor="T")
        if note:
            casework.add_timeline_entry(db, case_id, EntryDetails(
                EntryKind.NOTE, date(2026, 1, 2), "Ann", note), "T")
        db.execute("UPDATE case_file SET updated_at = ? WHERE id = ?",
                   [f"2026-02-{1 + number:02d}T10:00:00", case_id])
        made[family] = case_id
    return made


def listed(db: Database, text: str, **kwargs: int) -> list[str]:
    return [s.family_name for s in find_cases(db, CaseFilter(text=text), **kwargs).rows]


@pytest.mark.parametrize("walk_past", [1000, 0], ids=["read by id", "walked in order"])
def test_the_family_named_as_typed_comes_first_however_spelt(
        db: Database, book: dict[str, str], walk_past: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(case_search, "_WALK_PAST", walk_past)
    dordevic, muller = "\u0110or\u0111evi\u0107", "M\u00fcller"
    assert listed(db, "dord") == [dordevic, "Jones"]  # Jones: only in a note, and newer
    assert listed(db, "djordj") == [dordevic]  # the other spelling of Đ
    # Smith's case has "Mueller" in its own details and is newer; Müller is the family
    assert listed(db, "mue") == [muller, "Smith"]
    assert listed(db, "okafor") == ["Okafor", "Jones"]
    assert listed(db, "okafor", limit=1) == ["Okafor"]
    assert listed(db, "okafor", limit=1, offset=1) == ["Jones"]
    assert find_cases(db, CaseFilter(text="okafor"), limit=0).total == 2
    # one letter: the families whose names start with it, then the rest by activity
    assert listed(db, "o") == ["Okafor", "Smith"]  # Smith: Olu, newer, but not named


def name_count(db: Database, typed: str) -> int:
    return db.execute("SELECT count(*) FROM case_search_name WHERE case_search_name MATCH ?",
                      [f'"{typed}"*']).fetchone()[0]


def test_the_names_index_follows_renames_rebuilds_and_erasure(db: Database,
                                                             book: dict[str, str]) -> None:
    assert (name_count(db, "smith"), name_count(db, "dordevic"),
            name_count(db, "djordjevic")) == (1, 1, 1)
    assert name_count(db, "olu") == 0  # a person's given name is not the family's name
    family_id = cases.get_case(db, book["Smith"]).family_id
    casework.rename_family(db, family_id, "Oakley", "", "T")
    assert (name_count(db, "smith"), name_count(db, "oakley")) == (0, 1)
    assert listed(db, "o") == ["Oakley", "Okafor"]  # both named now: newest first
    with db.atomic():
        search.reindex_all(db)
    assert db.execute("SELECT count(*) FROM case_search_name").fetchone()[0] == len(FAMILIES)
    assert (name_count(db, "oakley"), name_count(db, "okafor")) == (1, 1)
    erase_case(db, book["Okafor"], "Retention period over", date(2026, 12, 6), "T")
    assert name_count(db, "okafor") == 0
    assert db.execute("SELECT count(*) FROM case_search_name").fetchone()[0] == len(
        FAMILIES) - 1
    assert listed(db, "okafor") == ["Jones"]  # the note still says Okafor


def test_every_case_row_keeps_its_family_s_name_words(db: Database,
                                                      book: dict[str, str]) -> None:
    rows = db.execute("SELECT d.source, d.name_words, f.family_name FROM search_doc d "
                      "JOIN case_file cf ON cf.id = d.case_id "
                      "JOIN family f ON f.id = cf.family_id").fetchall()
    assert {name_words for source, name_words, _ in rows if source != "case"} == {""}
    headers = [(name_words, family) for source, name_words, family in rows if source == "case"]
    assert len(headers) == len(FAMILIES)
    assert all(name_words == search.folded_words(family) for name_words, family in headers)
    assert search.folded_words("\u0110or\u0111evi\u0107") == "dordevic djordjevic"
