"""A pull stops at the hub's newest record when it began (db/hub/*_pull_until.sql): what
other laptops push while it pulls comes at the next sync, and nothing is skipped, not even a
push that took its sequence numbers before the pull began and commits after it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hub.laptops import Laptop
from hub.pg import HubDb
from psycopg.types.json import Jsonb

from adviser_app.store import families, sync_log
from adviser_app.store.migrate import user_version
from adviser_app.sync import hub as hub_module
from adviser_app.sync.engine import SyncResult, sync
from adviser_app.sync.hub import Hub


def _hub_seqs(hub_db: HubDb) -> dict[str, int]:
    with hub_db.admin() as conn:
        return {json.loads(k)[0]: int(s) for k, s in conn.execute(
            "SELECT row_key, seq FROM hub.record WHERE tbl = 'family'")}


def _three(hub_db: HubDb, tmp_path: Path, count: int) -> tuple[Laptop, Laptop, Laptop,
                                                                list[str]]:
    office, b, c = (Laptop(tmp_path, hub_db.add_user(), n) for n in ("office", "b", "c"))
    with office.db.atomic():
        families.insert_family(office.db, "Seed", "ann")
    office.sync()
    b.sync()  # b joined before the families below: it gets them by the ordinary pull (a
    assert sync_log.pull_cursor(b.db) > 0  # new laptop's first load is sync/first_load.py)
    with office.db.atomic():
        keys = [families.insert_family(office.db, f"Family {n}", "ann") for n in range(count)]
    office.sync()
    c.sync()
    return office, b, c, keys


def test_a_pull_stops_where_the_hub_stood_and_the_next_picks_up_the_rest(
        hub_db: HubDb, tmp_path: Path) -> None:
    office, b, c, keys = _three(hub_db, tmp_path, 6)
    with c.db.atomic():
        for key in keys[:2]:
            families.update_family(c.db, key, "Renamed", "from c", "cat")
    pushed: list[SyncResult] = []

    def others_push(_: SyncResult) -> None:  # after b's first page of two records
        if not pushed:
            pushed.append(c.sync())

    first = b.sync(page_size=2, on_page=others_push)
    assert pushed[0].applied == 2
    assert first.pulled == 6 and first.pages == 3  # not the two records pushed meanwhile
    assert [b.value("family", k, "notes") for k in keys[:2]] == ["", ""]
    assert sync_log.pull_cursor(b.db) < max(_hub_seqs(hub_db).values())
    second = b.sync(page_size=2)
    assert second.pulled == 2
    assert [b.value("family", k, "notes") for k in keys[:2]] == ["from c", "from c"]
    assert b.rows("family") == c.rows("family")
    assert b.sync().pulled == 0


def test_a_push_committing_after_the_pull_began_is_not_skipped(
        hub_db: HubDb, tmp_path: Path) -> None:
    office, b, c, keys = _three(hub_db, tmp_path, 3)
    b.sync()
    with c.db.atomic():
        families.update_family(c.db, keys[0], "Family 0", "late", "cat")
    changes = [change for _, change in sync_log.pending_changes(c.db, 100)]
    with Hub(c.settings) as late:
        conn: Any = late._conn
        with conn.transaction():  # takes the push lock and its sequence numbers, and waits
            conn.execute("SELECT hub.sync_push(%s, %s, %s, %s)",
                         [sync_log.device_id(c.db), hub_module.PROTOCOL,
                          user_version(c.db.conn), Jsonb(changes)])
            with office.db.atomic():
                families.update_family(office.db, keys[1], "Family 1", "", "ann")
            during = b.sync()  # meanwhile: nothing new committed
            assert during.pulled == 0
        # committed now, after b's pull began and ended: its record is above b's cursor
    assert _hub_seqs(hub_db)[keys[0]] > sync_log.pull_cursor(b.db)
    after = b.sync()
    assert after.pulled == 1 and b.value("family", keys[0], "notes") == "late"
    assert c.sync().statuses == {"applied": 1}  # the retry answered from the hub's record


def test_a_hub_without_the_bounded_pull_still_gives_everything(
        hub_db: HubDb, tmp_path: Path) -> None:
    office, b, c, keys = _three(hub_db, tmp_path, 5)
    with Hub(b.settings) as old:
        old.schema = hub_module.PULL_UNTIL - 1  # as a hub not yet upgraded answers
        page = old.pull(sync_log.device_id(b.db), 0, 2)
        assert page["until"] is None and len(page["records"]) == 2 and page["more"]
        result = sync(b.db, old, page_size=2)
    assert result.pulled == 5 and b.rows("family") == c.rows("family")


def test_open_conflicts_come_the_same_in_arrays_as_in_objects(
        hub_db: HubDb, tmp_path: Path) -> None:
    office, b, c, keys = _three(hub_db, tmp_path, 2)
    with c.db.atomic():
        families.update_family(c.db, keys[0], "Nowak", "c said: ünïcode", "cat")
    with office.db.atomic():
        families.update_family(office.db, keys[0], "Nowakowska", "", "ann")
        office.db.execute("DELETE FROM family WHERE id = ?", [keys[1]])
    with c.db.atomic():
        families.update_family(c.db, keys[1], "Family 1", "too late", "cat")
    office.sync()
    raised = c.sync().conflicts_raised  # a name edited twice, an edit of a deleted family
    assert raised >= 2
    device = sync_log.device_id(b.db)
    with Hub(b.settings) as new, Hub(b.settings) as old:
        old.schema = hub_module.PULL_UNTIL - 1
        arrays = {r["key"]: r["conflicts"] for r in new.pull(device, 0, 100)["records"]}
        objects = {r["key"]: r["conflicts"] for r in old.pull(device, 0, 100)["records"]}
    assert sum(len(v) for v in arrays.values()) == raised and arrays.keys() == objects.keys()
    names = ["id", "field", "base", "hub_value", "hub_deleted", "incoming", "incoming_delete",
             "raised_by", "kept_by", "raised_at"]
    for key, held in arrays.items():
        decoded = [dict(zip(names, [*c[:2], *(None if v is None else json.loads(v) for v in
                                              c[2:4]), c[4],
                                    None if c[5] is None else json.loads(c[5]), *c[6:]],
                            strict=True)) for c in held]
        assert decoded == objects[key]
    b.sync()
    assert b.conflicts() == c.conflicts() and len(b.conflicts()) == raised
