"""The search indexes' merges during a window's first load (store.search_merges): off
inside the load's writes, done in short steps of their own, and always back on afterwards,
in a real case book."""

from __future__ import annotations

from datetime import date

import pytest
from sqlite_utils import Database

from adviser_app.domain.records import CaseDetails
from adviser_app.domain.vocab import CaseIssue
from adviser_app.services.opening import make_ready
from adviser_app.store import cases, families, search, search_merges
from adviser_app.store.step_clock import StepClock

WORDS = ["tribunal", "mediation", "annual", "review", "speech", "therapy", "transport",
         "placement", "assessment", "refusal"]


def _automerge(db: Database) -> list[int]:
    return [search_merges._automerge(db, index) for index in search_merges.INDEXES]


def _notes(db: Database, count: int) -> str:
    """A case with *count* notes, each indexed in a statement (a segment) of its own."""
    with db.atomic():
        family_id = families.insert_family(db, "Okafor", "sam")
        case_id, _ = cases.insert_case(db, family_id, CaseDetails(
            "Sam", date(2026, 11, 1), frozenset({CaseIssue.EHC_ASSESSMENT}), frozenset(),
            "summary"), "sam", "SA")
    for n in range(count):
        with db.atomic():
            filler = " ".join(f"w{n}x{k}" for k in range(200))  # (segments of some pages)
            search.index_entry(db, case_id, f"e{n}", f"{WORDS[n % 10]} note {n} {filler}")
    return case_id


def _found(db: Database) -> dict[str, int]:
    return {word: int(db.execute("SELECT count(*) FROM case_search WHERE case_search "
                                 "MATCH ?", [word]).fetchone()[0]) for word in WORDS}


def test_merging_is_off_during_the_load_and_back_on_however_it_ends(db: Database) -> None:
    assert _automerge(db) == [search_merges.AUTOMERGE] * 3
    with search_merges.merging_by_hand(db):
        assert _automerge(db) == [0, 0, 0]
    assert _automerge(db) == [search_merges.AUTOMERGE] * 3
    with pytest.raises(RuntimeError), search_merges.merging_by_hand(db):
        raise RuntimeError("the hub went away")
    assert _automerge(db) == [search_merges.AUTOMERGE] * 3


def test_a_load_killed_part_way_has_merging_put_back_when_the_book_next_opens(
        db: Database) -> None:
    merging = search_merges.merging_by_hand(db)
    merging.__enter__()  # (and never left: the app was killed)
    assert _automerge(db) == [0, 0, 0]
    make_ready(db, "sam", date(2026, 12, 6))
    assert _automerge(db) == [search_merges.AUTOMERGE] * 3
    assert not search_merges.restore(db)  # (nothing to do the next time)


def test_merge_steps_do_the_merging_a_slice_at_a_time_and_lose_no_word(db: Database) -> None:
    with search_merges.merging_by_hand(db):
        _notes(db, 120)
        before = _found(db)
        pages = int(db.execute("SELECT count(*) FROM case_search_data").fetchone()[0])
        steps, clock = 1, StepClock(0.0)
        while search_merges.merge_step(db, clock):  # no time: a slice a step
            steps += 1
            assert sum(clock.rows.values()) == search_merges.SLICE
        assert not search_merges.merge_step(db, StepClock(1.0))  # nothing left to merge
    assert steps > 2
    assert int(db.execute("SELECT count(*) FROM case_search_data").fetchone()[0]) < pages
    assert _found(db) == before and before["tribunal"] == 12
    db.execute("INSERT INTO case_search (case_search, rank) VALUES ('integrity-check', 1)")


def test_a_clock_with_time_merges_in_fewer_steps(db: Database) -> None:
    with search_merges.merging_by_hand(db):
        _notes(db, 120)
        steps = 1
        while search_merges.merge_step(db, StepClock(10.0)):
            steps += 1
    assert steps == 1
    assert _found(db)["review"] == 12
