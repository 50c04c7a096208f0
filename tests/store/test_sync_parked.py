"""Pulled rows that wait for their parent (store.sync_pull), written straight into a real
case book with hand-made hub records: found through the ready list, written a chunk at a
time with a clock, none lost, and no endless retrying when a parent goes again."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlite_utils import Database

from adviser_app.store import sync_pull, sync_rows
from adviser_app.store.step_clock import StepClock

NOW = "2026-12-01T09:00:00+00:00"


class _Register:
    """Hub records with rising sequence numbers."""

    def __init__(self) -> None:
        self.seq = 0

    def record(self, table: str, fields: dict[str, Any], deleted: bool = False
               ) -> dict[str, Any]:
        self.seq += 1
        return {"table": table, "key": json.dumps([fields["id"]]), "seq": self.seq,
                "version": 1, "deleted": deleted, "fields": {} if deleted else fields,
                "conflicts": []}

    def family(self, family_id: str, deleted: bool = False) -> dict[str, Any]:
        return self.record("family", {"id": family_id, "family_name": "Okafor", "notes": "",
                                      "created_at": NOW, "updated_at": NOW,
                                      "updated_by": "sam"}, deleted)

    def person(self, family_id: str, name: str) -> dict[str, Any]:
        return self.record("person", {
            "id": str(uuid.uuid4()), "family_id": family_id, "given_name": name,
            "family_name": "Okafor", "relationship": "mother", "created_at": NOW,
            "updated_at": NOW, "updated_by": "sam"})


def _count(db: Database, table: str) -> int:
    return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_rows_waiting_for_a_parent_are_written_a_chunk_a_step_once_it_arrives(
        db: Database) -> None:
    hub = _Register()
    family_id = str(uuid.uuid4())
    waiting = [hub.person(family_id, f"P{n}") for n in range(2 * sync_pull.CHUNK + 5)]
    done = sync_pull.apply_page(db, waiting, hub.seq)
    assert done.parked == len(waiting) and _count(db, "sync_parked") == len(waiting)
    assert not sync_pull.ready_parked(db)  # their parent has not come
    clock = StepClock(0.0)  # no time to spare: one chunk a step
    done = sync_pull.apply_page(db, [hub.family(family_id)], hub.seq, clock=clock)
    assert done.taken == 1 and sync_pull.ready_parked(db)  # the parent came; rows wait
    steps = []
    while sync_pull.ready_parked(db):
        steps.append(sync_pull.retry_parked(db, clock).unparked)
    assert max(steps) <= sync_pull.CHUNK and sum(steps) == len(waiting)
    assert _count(db, "person") == len(waiting) and _count(db, "sync_parked") == 0
    assert _count(db, "sync_parked_ready") == 0


def test_a_parent_that_goes_again_stops_the_retries_and_its_rows_keep_waiting(
        db: Database) -> None:
    """The family arrives and is deleted in the same page: the rows waiting for it are
    tried once, fail for the same parent, and the parent leaves the ready list (trying
    them again could never succeed); they still wait, nothing lost."""
    hub = _Register()
    family_id = str(uuid.uuid4())
    waiting = [hub.person(family_id, f"P{n}") for n in range(3)]
    sync_pull.apply_page(db, waiting, hub.seq)
    page = [hub.family(family_id), hub.family(family_id, deleted=True)]
    page[1]["key"] = page[0]["key"]
    done = sync_pull.apply_page(db, page, hub.seq)
    assert done.taken == 2 and done.unparked == 0
    assert _count(db, "sync_parked") == 3 and not sync_pull.ready_parked(db)
    assert {r[0] for r in db.execute("SELECT reason FROM sync_parked")} == \
        {f"{sync_rows.WAITING}family {family_id}"}


def test_a_clock_cuts_a_page_and_the_cursor_stops_at_the_last_record_written(
        db: Database) -> None:
    hub = _Register()
    family_id = str(uuid.uuid4())
    sync_pull.apply_page(db, [hub.family(family_id)], hub.seq)
    page = [hub.person(family_id, f"P{n}") for n in range(60)]
    done = sync_pull.apply_page(db, page, hub.seq, clock=StepClock(0.0))
    assert done.taken == sync_pull.CHUNK
    cursor = db.execute("SELECT pull_cursor FROM sync_state").fetchone()[0]
    assert cursor == page[sync_pull.CHUNK - 1]["seq"]
    assert _count(db, "person") == sync_pull.CHUNK and _count(db, "sync_row") == \
        sync_pull.CHUNK + 1


def test_a_chunk_ends_where_the_table_changes(db: Database) -> None:
    """The clock learns each table's costs from chunks of that table alone (and a chunk
    begun with a cheap row never runs on into 24 cases)."""
    hub = _Register()
    family_id = str(uuid.uuid4())
    page = [hub.family(family_id)] + [hub.person(family_id, f"P{n}") for n in range(60)]
    done = sync_pull.apply_page(db, page, hub.seq, clock=StepClock(0.0))
    assert done.taken == 1 and _count(db, "family") == 1 and _count(db, "person") == 0
    done = sync_pull.apply_page(db, page[1:], hub.seq, clock=StepClock(0.0))
    assert done.taken == sync_pull.CHUNK


def test_a_run_naming_several_parents_parks_only_the_rows_whose_parent_is_missing(
        db: Database) -> None:
    """A run's parents are looked up together (store.sync_rows): those found are written at
    once, and a row whose parent is missing waits for that parent by name."""
    hub = _Register()
    here, absent = [str(uuid.uuid4()) for _ in range(3)], str(uuid.uuid4())
    sync_pull.apply_page(db, [hub.family(f) for f in here], hub.seq)
    people = [hub.person(f, f"P{n}") for n, f in enumerate([*here, absent, here[0], absent])]
    done = sync_pull.apply_page(db, people, hub.seq)
    assert done.applied == 4 and done.parked == 2
    reasons = [r[0] for r in db.execute("SELECT reason FROM sync_parked").fetchall()]
    assert reasons == [f"{sync_rows.WAITING}family {absent}"] * 2
    sync_pull.apply_page(db, [hub.family(absent)], hub.seq)
    assert _count(db, "person") == 6 and _count(db, "sync_parked") == 0
