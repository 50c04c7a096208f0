"""A pulled page's open conflicts (store.sync_rows.write_conflicts), written into a real case
book with hand-made hub records: each record's conflicts replace the ones held for it, a
record that comes with none clears its own and no other's, and when one page holds a record
twice (two hub calls, the record changed between them) the later copy wins."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from sqlite_utils import Database

from adviser_app.store import sync_log, sync_pull

NOW = "2026-12-01T09:00:00+00:00"


class _Register:
    """Hub family records with rising sequence numbers and numbered conflicts, each an
    array of JSON texts (as the hub's bounded pull sends them) or, with *objects*, an
    object of decoded values (as a hub before it does)."""

    def __init__(self, objects: bool) -> None:
        self.seq = 0
        self.conflict_id = 0
        self.objects = objects

    def family(self, family_id: str, notes: str, clashes: list[str]) -> dict[str, Any]:
        self.seq += 1
        conflicts = []
        for incoming in clashes:
            self.conflict_id += 1
            said = {"said": incoming, "ünïcode": "café"}
            conflicts.append({"id": self.conflict_id, "field": "notes", "base": "",
                              "hub_value": notes, "hub_deleted": False, "incoming": said,
                              "incoming_delete": False, "raised_by": "u_bob",
                              "kept_by": "u_ann", "raised_at": NOW} if self.objects else
                             [self.conflict_id, "notes", '""', json.dumps(notes), False,
                              json.dumps(said, ensure_ascii=False), False, "u_bob", "u_ann",
                              NOW])
        return {"table": "family", "key": json.dumps([family_id]), "seq": self.seq,
                "version": self.seq, "deleted": False,
                "fields": {"id": family_id, "family_name": "Okafor", "notes": notes,
                           "created_at": NOW, "updated_at": NOW, "updated_by": "ann"},
                "conflicts": conflicts}


def _held(db: Database) -> dict[str, list[tuple[int, Any]]]:
    """Open conflicts held here: family id -> [(conflict id, incoming)], by id."""
    held: dict[str, list[tuple[int, Any]]] = {}
    for c in sync_log.open_conflicts(db):
        held.setdefault(json.loads(c["key"])[0], []).append((c["id"], c["incoming"]))
    return {k: sorted(v) for k, v in held.items()}


@pytest.mark.parametrize("objects", [False, True])
def test_a_pages_conflicts_replace_each_records_own_and_no_others(db: Database,
                                                                  objects: bool) -> None:
    hub = _Register(objects)
    a, b, c = (str(uuid.uuid4()) for _ in range(3))
    first = [hub.family(a, "kept", ["x1", "x2", "x3"]), hub.family(b, "kept", ["y1"]),
             hub.family(c, "kept", [])]
    done = sync_pull.apply_page(db, first, hub.seq)
    assert done.conflicts == 4
    assert _held(db) == {
        a: [(1, {"said": "x1", "ünïcode": "café"}), (2, {"said": "x2", "ünïcode": "café"}),
            (3, {"said": "x3", "ünïcode": "café"})],
        b: [(4, {"said": "y1", "ünïcode": "café"})]}
    [one] = [x for x in sync_log.open_conflicts(db) if x["id"] == 4]
    assert (one["table"], one["field"], one["base"], one["hub_value"], one["hub_deleted"],
            one["incoming_delete"], one["raised_by"], one["kept_by"], one["raised_at"]) == \
        ("family", "notes", "", "kept", False, False, "u_bob", "u_ann", NOW)
    # a's conflicts were decided on the hub (it comes with none), b gains one, c untouched
    decided = hub.family(a, "decided", [])
    b_again = hub.family(b, "kept", [])
    b_again["conflicts"] = [first[1]["conflicts"][0]] + hub.family(
        b, "kept", ["y2"])["conflicts"]
    sync_pull.apply_page(db, [decided, b_again], hub.seq)
    assert _held(db) == {b: [(4, {"said": "y1", "ünïcode": "café"}),
                             (5, {"said": "y2", "ünïcode": "café"})]}
    assert db.execute("SELECT notes FROM family WHERE id = ?", [a]).fetchone()[0] == "decided"


@pytest.mark.parametrize("objects", [False, True])
def test_a_record_twice_in_one_page_keeps_its_later_conflicts(db: Database, objects: bool) -> None:
    hub = _Register(objects)
    a = str(uuid.uuid4())
    sync_pull.apply_page(db, [hub.family(a, "kept", ["old"])], hub.seq)
    earlier = hub.family(a, "kept", ["old", "newer"])
    later = hub.family(a, "decided", [])  # the hub decided both before the second call
    sync_pull.apply_page(db, [earlier, later], hub.seq)
    assert _held(db) == {}
    earlier = hub.family(a, "decided", [])
    later = hub.family(a, "decided", ["again"])
    sync_pull.apply_page(db, [earlier, later], hub.seq)
    assert [incoming for _, incoming in _held(db)[a]] == [{"said": "again",
                                                          "ünïcode": "café"}]


@pytest.mark.parametrize("objects", [False, True])
def test_thousands_of_conflicts_in_one_page_are_all_written(db: Database, objects: bool) -> None:
    hub = _Register(objects)
    keys = [str(uuid.uuid4()) for _ in range(400)]
    page = [hub.family(k, "kept", [f"{k}-{n}" for n in range(25)]) for k in keys]
    done = sync_pull.apply_page(db, page, hub.seq)
    assert done.conflicts == 10_000 == sync_log.open_conflict_count(db)
    assert all(len(v) == 25 for v in _held(db).values()) and len(_held(db)) == 400
    sync_pull.apply_page(db, [hub.family(k, "kept", []) for k in keys[:399]], hub.seq)
    assert list(_held(db)) == [keys[399]] and sync_log.open_conflict_count(db) == 25
