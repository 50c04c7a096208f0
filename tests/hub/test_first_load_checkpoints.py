"""A window's first load checkpoints the WAL by hand, each time in a step of its own (no
COMMIT runs SQLite's automatic checkpoint on top of its write), keeps the WAL bounded, and
gives automatic checkpoints back when the load ends or is stopped part way (the case book
locking). How long the steps take is measured in benchmarks/team_gui_block.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hub.laptops import Laptop
from hub.pg import HubDb

from adviser_app.store import checkpoints
from adviser_app.store import search_merges, sync_first_load, sync_pull
from adviser_app.store.sync_tables import SYNCED
from adviser_app.sync import engine, first_load
from adviser_app.sync.hub import Hub
from planting import plant

EVERY = 3
"""Pages in the WAL that call for a checkpoint, in these tests (the app's: 1,000)."""


def _office(hub_db: HubDb, tmp_path: Path) -> Laptop:
    office = Laptop(tmp_path, hub_db.add_user(), "office")
    for n in range(4):
        plant(office.db, f"k{n}", closed_on=None)
    office.sync()
    return office


def _auto(laptop: Laptop) -> int:
    return int(laptop.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0])


def _automerge(laptop: Laptop) -> int:
    values = {search_merges._automerge(laptop.db, index) for index in search_merges.INDEXES}
    assert len(values) == 1
    return values.pop()


def _watch(monkeypatch: pytest.MonkeyPatch, events: list[str]) -> None:
    """Note each write and each checkpoint in *events* (the driver notes each step)."""
    monkeypatch.setattr(first_load, "AUTO_CHECKPOINT_PAGES", EVERY)
    for module, name in ((sync_pull, "apply_page"), (sync_pull, "retry_parked"),
                         (search_merges, "merge_step"), (search_merges, "_write_automerge")):
        real = getattr(module, name)

        def write(*args: Any, real: Any = real, **kwargs: Any) -> Any:
            events.append("write")
            return real(*args, **kwargs)
        monkeypatch.setattr(module, name, write)
    real_checkpoint = checkpoints.checkpoint_now

    def checkpoint(db: Any) -> bool:
        events.append("checkpoint")
        return real_checkpoint(db)
    monkeypatch.setattr(first_load, "checkpoint_now", checkpoint)


def test_a_window_checkpoints_by_hand_in_steps_of_their_own(
        hub_db: HubDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    office = _office(hub_db, tmp_path)
    new = Laptop(tmp_path, hub_db.add_user(), "new")
    events: list[str] = []
    _watch(monkeypatch, events)
    during: set[int] = set()
    merging: set[int] = set()
    largest = 0
    with Hub(new.settings) as hub:
        steps = engine.sync_steps(new.db, page_size=20, page_seconds=0.001)
        step = next(steps)
        try:
            while True:
                events.append("step")
                if sync_first_load.position(new.db) is not None:
                    during.add(_auto(new))
                    merging.add(_automerge(new))
                    if "checkpoint" in events:  # (before: the new case book's own pages)
                        largest = max(largest, checkpoints.wal_pages(new.db))
                step = steps.send(None if step is engine.pause else step(hub))
        except StopIteration:
            pass
    steps_done = "".join("|" if e == "step" else e[0] for e in events).split("|")
    with_checkpoint = [s for s in steps_done if "c" in s]
    assert len(with_checkpoint) >= 3
    assert all(s == "c" for s in with_checkpoint)  # never in a step that also writes
    assert during == {0}  # no COMMIT checkpointed during the load
    assert _auto(new) == checkpoints.AUTO_CHECKPOINT_PAGES  # and afterwards they do again
    assert merging == {0} and _automerge(new) == search_merges.AUTOMERGE  # (the same)
    assert all(s.count("w") <= 1 for s in steps_done)  # (merging's settings too)
    pages_per_write = largest  # (bounded: one write's pages beyond the mark at most)
    assert pages_per_write < 200
    for table in SYNCED:
        assert new.rows(table) == office.rows(table), table


def test_a_load_stopped_part_way_gives_automatic_checkpoints_back(
        hub_db: HubDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    office = _office(hub_db, tmp_path)
    new = Laptop(tmp_path, hub_db.add_user(), "new")
    events: list[str] = []
    _watch(monkeypatch, events)
    with Hub(new.settings) as hub:
        steps = engine.sync_steps(new.db, page_size=20, page_seconds=0.001)
        step = next(steps)
        while events.count("checkpoint") < 2:
            step = steps.send(None if step is engine.pause else step(hub))
        assert _auto(new) == 0 and _automerge(new) == 0
        steps.close()  # what the window does as the case book locks
    assert _auto(new) == checkpoints.AUTO_CHECKPOINT_PAGES
    assert _automerge(new) == search_merges.AUTOMERGE
    assert sync_first_load.position(new.db) is not None  # it resumes where it stopped
    monkeypatch.undo()
    new.sync()
    for table in SYNCED:
        assert new.rows(table) == office.rows(table), table


def test_a_held_main_file_is_left_as_it_is_by_the_load(
        hub_db: HubDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A check or backup begun as the load starts (unlocking does both): no checkpoint, by
    hand or automatic, changes the file it reads until it lets go."""
    office = _office(hub_db, tmp_path)
    new = Laptop(tmp_path, hub_db.add_user(), "new")
    events: list[str] = []
    _watch(monkeypatch, events)
    main_file = new.folder / "casebook.db"
    with Hub(new.settings) as hub:
        steps = engine.sync_steps(new.db, page_size=20, page_seconds=0.001)
        step = next(steps)
        checkpoints.hold_main_file(new.db)
        held = main_file.read_bytes()
        try:
            while True:
                step = steps.send(None if step is engine.pause else step(hub))
        except StopIteration:
            pass
    assert "checkpoint" not in events and events.count("write") > 3
    assert main_file.read_bytes() == held and _auto(new) == 0
    checkpoints.release_main_file(new.db)
    assert _auto(new) == checkpoints.AUTO_CHECKPOINT_PAGES
    for table in SYNCED:
        assert new.rows(table) == office.rows(table), table
