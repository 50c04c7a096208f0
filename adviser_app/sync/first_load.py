"""A new laptop's first load of the office register, parents first (the steps; the hub's
side is db/hub/0008_first_load.sql, the case book's store.sync_first_load).

The ordinary pull sends records in the order they last changed, so on a new laptop most
rows used to arrive before their parent and wait (parked) until it came. A laptop whose pull
cursor is 0 asks the hub for the register as it stood when the load began (the snapshot),
families first, then people and children, cases, and what hangs off them, in pages; each page
written moves the load's position, so an interrupted load resumes where it stopped. After
the last page the pull cursor is the snapshot and the ordinary pull brings whatever changed
on the hub meanwhile. A hub without it (before schema 8) answers None: the ordinary pull
loads it all.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import Any

from adviser_app.store import search_merges, sync_first_load, sync_log, sync_pull
from adviser_app.store.checkpoints import (AUTO_CHECKPOINT_PAGES, checkpoint_now,
                                           checkpoints_by_hand, flush_wal_file,
                                           main_file_held, wal_file, wal_pages)
from adviser_app.store.db import Database
from adviser_app.store.step_clock import StepClock
from adviser_app.store.sync_first_load import Loading
from adviser_app.store.sync_rows import PageResult
from adviser_app.store.sync_tables import SYNCED
from adviser_app.sync.hub import Hub

Step = Callable[[Hub], Any]


def _load_call(hub: Hub, *, device: str, snapshot: int, table: str | None, key: str | None,
               limit: int) -> Any:
    return hub.first_load(device, SYNCED, snapshot, table, key, limit)


def _flush_call(_hub: Hub, *, wal: Path) -> None:
    flush_wal_file(wal)


def wanted(db: Database) -> bool:
    """Whether this laptop has still to load the register (it never pulled a page)."""
    return sync_log.pull_cursor(db) == 0


def load(db: Database, device: str, size: int, page_size: int,
         clock: StepClock | None, check: Callable[[int], None] | None,
         pause: Step, counted: Callable[[PageResult], None],
         progress: Callable[[int], None]) -> Generator[Step, Any, None]:
    """The first load as steps (see engine.sync_steps): pages of *size* records doubling up
    to *page_size*, each written in one transaction, or with a *clock* (a window) in as
    many as keep each short, a *pause* between two, and the WAL's checkpoint and the search
    indexes' merges in steps of their own (see checkpoints_by_hand, search_merges).
    *counted* is told of each write, *progress* of the records fetched in each page."""
    with ExitStack() as stack:
        if clock is None:
            yield from _pages(db, device, size, page_size, None, check, pause, counted,
                              progress, stack)
            return
        stack.enter_context(checkpoints_by_hand(db))
        stack.enter_context(search_merges.merging_by_hand(db))
        yield from _pages(db, device, size, page_size, _Clocks(clock), check, pause,
                          counted, progress, stack)
        yield pause  # (merging and checkpoints given back in a step alone)


class _Clocks:
    """A window's clocks: one for the writes, one for the merges (their costs are per page
    merged, not per row)."""

    def __init__(self, writes: StepClock) -> None:
        self.writes = writes
        self.merges = StepClock(writes.seconds)


def _pages(db: Database, device: str, size: int, page_size: int, clocks: _Clocks | None,
           check: Callable[[int], None] | None, pause: Step,
           counted: Callable[[PageResult], None], progress: Callable[[int], None],
           stack: ExitStack) -> Generator[Step, Any, None]:
    at = sync_first_load.position(db)
    snapshot, table, key = (0, None, None) if at is None else (at.snapshot, at.table, at.key)
    clock = None if clocks is None else clocks.writes
    large = False
    while True:
        page = yield partial(_load_call, device=device, snapshot=snapshot, table=table,
                             key=key, limit=size)
        if page is None:
            return  # an older hub: the ordinary pull loads the register
        loading = Loading(int(page["snapshot"]), page["table"], page["key"],
                          last=not page["more"])
        records: list[dict[str, Any]] = page["records"]
        if not records:
            with sync_pull.step_transaction(db, None):
                sync_first_load.finish(db, loading.snapshot)
            return
        progress(len(records))
        first = True
        while records:
            if not first:
                yield pause  # (the window breathes between two writes)
            first = False
            done = sync_pull.apply_page(db, records, 0, check=check, clock=clock,
                                        loading=loading)
            records = records[done.taken:]
            counted(done)
            if clocks is not None:
                yield from _between_writes(db, clocks, done.indexed, pause, counted)
        if loading.last:
            return
        if not large:  # more than one page: the larger page cache meanwhile
            stack.enter_context(sync_pull.large_pull(db))
            large = True
        size = min(page_size, 2 * size)
        snapshot, table, key = loading.snapshot, loading.table, loading.key


def _between_writes(db: Database, clocks: _Clocks, indexed: int, pause: Step,
                    counted: Callable[[PageResult], None]) -> Generator[Step, Any, None]:
    """A window's steps after a write that *indexed* so many search entries: the parked rows
    whose parent came, and, when anything was indexed, the search indexes' merges
    (search_merges), each step followed by the WAL's checkpoint when due."""
    yield from _checkpoint_if_due(db, pause)
    if sync_pull.ready_parked(db):
        yield pause
        retried = sync_pull.retry_parked(db, clocks.writes)
        counted(retried)
        indexed += retried.indexed
        yield from _checkpoint_if_due(db, pause)
    more = indexed > 0
    while more:
        yield pause
        more = search_merges.merge_step(db, clocks.merges)
        yield from _checkpoint_if_due(db, pause)


def _checkpoint_if_due(db: Database, pause: Step) -> Generator[Step, Any, None]:
    """The checkpoint a COMMIT would have run, as a step alone, the WAL flushed to disk on
    the worker thread first (the wait kept off the window); not while a check or backup
    holds the main file."""
    if wal_pages(db) >= AUTO_CHECKPOINT_PAGES and not main_file_held(db):
        wal = wal_file(db)
        yield pause if wal is None else partial(_flush_call, wal=wal)
        checkpoint_now(db)
