"""A new laptop's first load of the register, parents first (hub.first_load, hub migration
0008): families before their people and children, cases before their notes, so nothing waits
parked; only live records (a deleted or erased one never reaches the new laptop), open
conflicts included; an interrupted load resumes where it stopped, losing and repeating
nothing; and what changes on the hub while it runs comes with the ordinary pull after it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hub.laptops import Laptop
from hub.pg import HubDb

from adviser_app.domain.records import EntryDetails
from adviser_app.domain.vocab import EntryKind
from adviser_app.services import casework
from adviser_app.services import data_protection as dp
from adviser_app.store import cases, families, sync_first_load, sync_pull, sync_rows
from adviser_app.store.sync_tables import SYNCED
from adviser_app.sync import engine, first_load
from adviser_app.sync import hub as hub_module
from adviser_app.sync.hub import Hub
from planting import plant

TODAY = date(2033, 1, 10)


def _tables_with_rows(laptop: Laptop) -> list[str]:
    return [t for t in SYNCED
            if laptop.db.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone() is not None]


def _same_register(new: Laptop, office: Laptop) -> None:
    for table in SYNCED:
        assert new.rows(table) == office.rows(table), table


def _calls_noted(monkeypatch: pytest.MonkeyPatch, name: str) -> list[tuple[Any, ...]]:
    """(snapshot, table, key, limit) of each call to the hub's *name* from now on."""
    calls: list[tuple[Any, ...]] = []
    real = getattr(Hub, name)

    def noted(hub, device, tables, snapshot, table, key, limit):  # type: ignore[no-untyped-def]
        calls.append((snapshot, table, key, limit))
        return real(hub, device, tables, snapshot, table, key, limit)
    monkeypatch.setattr(Hub, name, noted)
    return calls


def _pages_written(monkeypatch: pytest.MonkeyPatch) -> list[list[dict[str, Any]]]:
    """The records of every page handed to the case book, as they came."""
    pages: list[list[dict[str, Any]]] = []
    real = sync_pull.apply_page

    def watched(db, records, *args, **kwargs):  # type: ignore[no-untyped-def]
        pages.append(list(records))
        return real(db, records, *args, **kwargs)
    monkeypatch.setattr(sync_pull, "apply_page", watched)
    return pages


def test_the_register_comes_parents_first_and_nothing_waits(
        hub_db: HubDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    office = Laptop(tmp_path, hub_db.add_user(), "office")
    made = [plant(office.db, f"p{n}", closed_on=None) for n in range(4)]
    office.sync()
    office.change_parents_last(made)
    office.sync()
    new = Laptop(tmp_path, hub_db.add_user(), "new")
    pages = _pages_written(monkeypatch)
    parks: list[str] = []
    real_park = sync_rows.park

    def park(page, table, key, record, reason):  # type: ignore[no-untyped-def]
        parks.append(f"{table} {reason}")
        return real_park(page, table, key, record, reason)
    monkeypatch.setattr(sync_rows, "park", park)
    result = new.sync(page_size=7)
    order = [r["table"] for page in pages for r in page]
    ranks = [SYNCED.index(t) for t in order]
    assert ranks == sorted(ranks)  # no record before its table's parents
    assert len(set(order)) >= 10 and set(order) == set(_tables_with_rows(office))
    for table in set(order):  # each table in key order: the cursor is (table, key)
        keys = [r["key"] for page in pages for r in page if r["table"] == table]
        assert keys == sorted(keys), table
    assert parks == [] and result.parked == 0
    assert result.pages >= len(order) // 7
    _same_register(new, office)
    cursor = new.db.execute("SELECT pull_cursor FROM sync_state").fetchone()[0]
    with hub_db.admin() as conn:
        newest = conn.execute("SELECT max(seq) FROM hub.record").fetchone()[0]
    assert cursor == newest and sync_first_load.position(new.db) is None
    assert new.sync().pulled == 0


def test_an_interrupted_first_load_resumes_where_it_stopped(
        hub_db: HubDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    office = Laptop(tmp_path, hub_db.add_user(), "office")
    for n in range(3):
        plant(office.db, f"r{n}", closed_on=None)
    office.sync()
    total = sum(office.db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in SYNCED)
    new = Laptop(tmp_path, hub_db.add_user(), "new")
    pages_begun: list[int] = []

    def cut_in_page_four(number: int) -> None:
        if number == 0:
            pages_begun.append(1)
        if len(pages_begun) == 4 and number == 3:
            raise OSError("the laptop was shut")

    with pytest.raises(OSError):
        new.sync(page_size=8, page_check=cut_in_page_four)
    at = sync_first_load.position(new.db)
    assert at is not None and at.snapshot > 0 and at.table is not None
    assert new.db.execute("SELECT pull_cursor FROM sync_state").fetchone()[0] == 0
    held = new.db.execute("SELECT count(*) FROM sync_row").fetchone()[0]
    assert held == 3 * 8  # three whole pages; the fourth undone

    asked = _calls_noted(monkeypatch, "first_load")
    result = new.sync(page_size=8)
    assert asked[0][:3] == (at.snapshot, at.table, at.key)  # from where it stopped
    assert result.pulled == total - held  # nothing fetched twice
    assert result.parked == 0
    _same_register(new, office)
    assert sync_first_load.position(new.db) is None
    assert new.db.execute("SELECT pull_cursor FROM sync_state").fetchone()[0] == at.snapshot


def test_deleted_and_erased_records_never_reach_a_new_laptop(
        hub_db: HubDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    office = Laptop(tmp_path, hub_db.add_user(), "office")
    kept = plant(office.db, "kk")
    gone = plant(office.db, "gg")
    office.sync()
    dp.erase_case(office.db, gone, "Retention period over", TODAY, "Rhiannon")
    task = office.db.execute("SELECT id FROM task WHERE case_id = ?", [kept]).fetchone()[0]
    with office.db.atomic():
        office.db.execute("DELETE FROM task WHERE id = ?", [task])
    office.sync()
    with hub_db.admin() as conn:
        dead = {(t, k) for t, k in conn.execute(
            "SELECT tbl, row_key FROM hub.record WHERE deleted").fetchall()}
    assert ("task", f'["{task}"]') in dead and len(dead) > 5  # the erased case's rows too
    new = Laptop(tmp_path, hub_db.add_user(), "new")
    pages = _pages_written(monkeypatch)
    result = new.sync(page_size=6)
    sent = {(r["table"], r["key"]) for page in pages for r in page}
    assert not sent & dead
    assert result.deleted == 0
    _same_register(new, office)
    assert gone not in new.rows("case_file") and task not in new.rows("task")
    text = " ".join(str(row) for t in SYNCED for row in new.rows(t).values())
    assert "Qxgg" not in text and "Qxkk" in text


def test_open_conflicts_reach_a_new_laptop_even_on_a_deleted_record(
        hub_db: HubDb, tmp_path: Path) -> None:
    a = Laptop(tmp_path, hub_db.add_user(), "a")
    b = Laptop(tmp_path, hub_db.add_user(), "b")
    case_id = plant(a.db, "cc", closed_on=None)
    a.sync()
    b.sync()
    family_id = cases.get_case(a.db, case_id).family_id
    task = a.db.execute("SELECT id FROM task WHERE case_id = ?", [case_id]).fetchone()[0]
    with a.db.atomic():
        families.update_family(a.db, family_id, "Qxccsur", "edited on a", "Ann")
        a.db.execute("DELETE FROM task WHERE id = ?", [task])
    a.sync()
    with b.db.atomic():
        families.update_family(b.db, family_id, "Qxccsur", "edited on b", "Ben")
        b.db.execute("UPDATE task SET title = 'edited on b' WHERE id = ?", [task])
    b.sync()
    a.sync()
    raised = {(c["id"], c["table"], c["key"], c["field"]) for c in b.conflicts()}
    assert ("task", f'["{task}"]') in {(t, k) for _, t, k, _ in raised}  # on a deleted row
    assert ("family", f'["{family_id}"]') in {(t, k) for _, t, k, _ in raised}
    new = Laptop(tmp_path, hub_db.add_user(), "new")
    new.sync(page_size=4)
    assert {(c["id"], c["table"], c["key"], c["field"]) for c in new.conflicts()} == raised
    assert task not in new.rows("task")  # the deleted task stays deleted here
    _same_register(new, a)


def test_what_changes_on_the_hub_during_the_load_arrives_after_it(
        hub_db: HubDb, tmp_path: Path) -> None:
    office = Laptop(tmp_path, hub_db.add_user(), "office")
    made = [plant(office.db, f"h{n}", closed_on=None) for n in range(5)]
    office.sync()
    first_family = min(office.rows("family"))
    new = Laptop(tmp_path, hub_db.add_user(), "new")
    loads = 0
    later_case = ""
    task = office.db.execute("SELECT id FROM task WHERE case_id = ?", [made[2]]).fetchone()[0]
    entry = office.db.execute("SELECT id FROM timeline_entry WHERE case_id = ?",
                              [made[3]]).fetchone()[0]
    with Hub(new.settings) as hub:
        steps = engine.sync_steps(new.db, page_size=5)
        step = next(steps)
        try:
            while True:
                if getattr(step, "func", None) is first_load._load_call:
                    loads += 1
                    if loads == 2:  # the first page (families) is in: the office works on
                        assert first_family in new.rows("family")
                        with office.db.atomic():
                            families.update_family(office.db, first_family, "Changed",
                                                   "changed during the load", "Ann")
                            office.db.execute("DELETE FROM task WHERE id = ?", [task])
                            office.db.execute("UPDATE timeline_entry SET body = 'later body' "
                                              "WHERE id = ?", [entry])
                        later_case = plant(office.db, "late", closed_on=None)
                        office.sync()
                step = steps.send(step(hub))
        except StopIteration as done:
            result: engine.SyncResult = done.value
    assert loads > 3 and result.parked == 0
    assert new.value("family", first_family, "notes") == "changed during the load"
    assert task not in new.rows("task")
    assert new.value("timeline_entry", entry, "body") == "later body"
    assert later_case in new.rows("case_file")
    _same_register(new, office)
    with hub_db.admin() as conn:
        newest = conn.execute("SELECT max(seq) FROM hub.record").fetchone()[0]
    assert new.db.execute("SELECT pull_cursor FROM sync_state").fetchone()[0] == newest


def test_a_hub_before_the_first_load_is_loaded_by_the_ordinary_pull(
        hub_db: HubDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    office = Laptop(tmp_path, hub_db.add_user(), "office")
    plant(office.db, "oo")
    office.sync()
    new = Laptop(tmp_path, hub_db.add_user(), "new")
    real = Hub._check_version

    def older(hub: Hub) -> None:
        real(hub)
        hub.schema = hub_module.FIRST_LOAD - 1
    monkeypatch.setattr(Hub, "_check_version", older)
    result = new.sync()
    assert result.pulled > 0 and sync_first_load.position(new.db) is None
    _same_register(new, office)


def _search_state(laptop: Laptop) -> dict[str, Any]:
    """What search holds and finds, independent of row numbers."""
    db = laptop.db
    found = {}
    for typed in ("qxf0sur", "djordje", "muller", "obrien", "07700900123", "visit", "qx"):
        page = cases.find_cases(db, cases.CaseFilter(text=typed))
        found[typed] = sorted(row.id for row in page.rows)
    return {
        "docs": sorted(db.execute("SELECT case_id, source, words, name_words "
                                  "FROM search_doc").fetchall()),
        "fts": sorted(db.execute("SELECT d.case_id, d.source FROM case_search s JOIN "
                                 "search_doc d ON d.rowid = s.rowid WHERE case_search "
                                 "MATCH 'qxf1visitsecond OR muller OR brien'").fetchall()),
        "found": found,
    }


def test_a_first_load_leaves_every_row_and_its_search_words_as_the_ordinary_pull_does(
        hub_db: HubDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = Laptop(tmp_path, hub_db.add_user(), "a")
    b = Laptop(tmp_path, hub_db.add_user(), "b")
    made = [plant(a.db, f"f{n}", closed_on=None) for n in range(6)]
    for n, body in enumerate(("Visit with Đorđe Müller", "O'Brien's school rang",
                              "call +44 7700 900123 after ten", "plain note about transport")):
        casework.add_timeline_entry(a.db, made[n], EntryDetails(
            EntryKind.NOTE, date(2025, 6, 1), "Ann", body), "Ann")
    a.sync()
    b.sync()
    family_id = cases.get_case(a.db, made[0]).family_id
    task = a.db.execute("SELECT id FROM task WHERE case_id = ?", [made[1]]).fetchone()[0]
    with a.db.atomic():  # a clash left open, and a deleted task
        families.update_family(a.db, family_id, "Qxf0sur", "edited on a", "Ann")
        a.db.execute("DELETE FROM task WHERE id = ?", [task])
    a.sync()
    with b.db.atomic():
        families.update_family(b.db, family_id, "Qxf0sur", "edited on b", "Ben")
    b.sync()
    a.sync()
    assert a.conflicts()
    loaded = {size: Laptop(tmp_path, hub_db.add_user(), f"load{size}")
              for size in (5, engine.PAGE_SIZE)}
    for size, laptop in loaded.items():
        assert first_load.wanted(laptop.db)
        laptop.sync(page_size=size)
    pulled = Laptop(tmp_path, hub_db.add_user(), "pulled")  # through the ordinary pull
    real = Hub._check_version

    def older(hub: Hub) -> None:
        real(hub)
        hub.schema = hub_module.FIRST_LOAD - 1
    monkeypatch.setattr(Hub, "_check_version", older)
    pulled.sync()
    expected = _search_state(pulled)
    assert _search_state(a) == expected  # the words as indexed where they were typed
    assert expected["found"]["djordje"] and expected["found"]["obrien"]
    assert expected["found"]["07700900123"] and expected["fts"]
    conflicts = sorted(pulled.db.execute("SELECT * FROM sync_conflict").fetchall())
    assert conflicts
    versions = set(pulled.db.execute("SELECT tbl, row_key, hub_version, hub_seq "
                                     "FROM sync_row").fetchall())
    for laptop in loaded.values():
        _same_register(laptop, pulled)
        assert _search_state(laptop) == expected
        assert sorted(laptop.db.execute("SELECT * FROM sync_conflict").fetchall()) == conflicts
        held = set(laptop.db.execute("SELECT tbl, row_key, hub_version, hub_seq "
                                     "FROM sync_row").fetchall())
        assert held <= versions  # (the ordinary pull also notes the deleted task's version)
        assert versions - held == {r for r in versions if r[0] == "task"
                                   and r[1] == f'["{task}"]'}


def test_pages_that_grow_are_each_fetched_from_the_hub_once(
        hub_db: HubDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A window's pages double (20, 40, 80, ...): the page read ahead at the size before is
    taken as it is, not thrown away and asked for again at the new size."""
    office = Laptop(tmp_path, hub_db.add_user(), "office")
    for n in range(12):
        plant(office.db, f"g{n}", closed_on=None)
    office.sync()
    new = Laptop(tmp_path, hub_db.add_user(), "new")
    calls = _calls_noted(monkeypatch, "_load_now")
    with Hub(new.settings) as hub:
        result = engine.run(engine.sync_steps(new.db, page_size=80, page_seconds=1.0), hub)
    fetched = [call[1:] for call in calls]  # (table, key, limit)
    assert result.pages == len(fetched) > 3
    places = [(table, key) for table, key, _ in fetched]
    assert len(set(places)) == len(places)  # no page asked for twice
    assert [limit for *_, limit in fetched][:4] == [20, 20, 40, 80]  # (the pages grew)
    _same_register(new, office)
