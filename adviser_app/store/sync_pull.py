"""Pulled records written into the case book, a page at a time (the laptop's side of a pull).

One page is one transaction, and the pull cursor moves with it; the change-log triggers are
off meanwhile. The rows themselves are written by store.sync_rows, and the search words of a
page's notes and tasks written together at the end of the page (so search works as pages
arrive). Rows whose parent has not arrived yet are parked; when the parent comes they are
tried again, found through the index on their reason and the list of parents that have
arrived (sync_parked_ready), never by reading every parked row.

A window writes each page in steps that fit its time (StepClock): records, then parked rows
whose parent came, CHUNK at a time, commit included.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlite_utils import Database

from adviser_app.store import search, sync_first_load, sync_rows
from adviser_app.store.step_clock import StepClock
from adviser_app.store.sync_first_load import Loading
from adviser_app.store.sync_rows import WAITING, Page, PageResult
from adviser_app.store.sync_tables import TableShape


LOAD_CACHE_KIB = 262_144
"""The page cache while many pages are pulled (256 MiB rather than the usual 64): a new
laptop's load writes rows at random places in large indexes (keys are UUIDs), and every page
that falls out of the cache is decrypted again when it is next needed. A 300,000-entry load
took 94 s with 64 MiB and 52 s with this (benchmarks/README.md)."""


@contextmanager
def large_pull(db: Database) -> Iterator[None]:
    """While a pull of many pages runs: the larger page cache, given back afterwards."""
    before = int(db.execute("PRAGMA cache_size").fetchone()[0])
    db.execute(f"PRAGMA cache_size = {-LOAD_CACHE_KIB}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {before}")


CHUNK = 25
"""With a StepClock, records (and parked rows) are written this many at a time between two
looks at the clock, their search words and cases' headers with them."""
CASE_CHUNK = 5
"""The same for cases: each one's search header is written with it (25 of them took 120 to
190 ms on the loaded machine, in a first load where the cases come together)."""


def apply_page(db: Database, records: list[dict[str, Any]], cursor: int,
               check: Callable[[int], None] | None = None,
               clock: StepClock | None = None,
               loading: Loading | None = None) -> PageResult:
    """Write one page of pulled records and move the pull cursor, in one transaction.
    *check* is called after each record and may raise: the whole page is then undone.
    With a *clock*, records are written CHUNK at a time only while it has time (at least
    one chunk): result.taken says how many, the cursor moves to the last of them, and
    parked rows are tried again only in the time left (retry_parked does the rest). A
    window writes a page this way in steps that each stay short. With *loading* (a page of
    a new laptop's first load, see store.sync_first_load), the load's position moves
    instead of the cursor."""
    result = PageResult()
    with _writing(db, result, clock) as page:
        result.taken = _write_records(page, records, check, clock)
        if result.taken < len(records):
            cursor = int(records[result.taken - 1]["seq"])
        _retry_parked(page, clock, at_least_one=False)
        _index(page)
        if loading is None:
            db.execute("UPDATE sync_state SET applying = 0, pull_cursor = ? WHERE id = 1",
                       [cursor])
        else:
            db.execute("UPDATE sync_state SET applying = 0 WHERE id = 1")
            sync_first_load.moved(db, loading, records[:result.taken],
                                  whole=result.taken == len(records))
    return result


def retry_parked(db: Database, clock: StepClock | None = None) -> PageResult:
    """Parked rows whose parent has arrived (and those parked for another reason) tried
    again in one transaction of their own, while *clock* has time (at least CHUNK of them):
    what a window does between pages and after the last one while ready_parked() says so."""
    result = PageResult()
    with _writing(db, result, clock) as page:
        _retry_parked(page, clock, at_least_one=True)
        _index(page)
        db.execute("UPDATE sync_state SET applying = 0 WHERE id = 1")
    return result


@contextmanager
def _writing(db: Database, result: PageResult,
             clock: StepClock | None) -> Iterator[Page]:
    """One transaction writing pulled rows (see step_transaction), timed for *clock*."""
    with step_transaction(db, clock):
        page = _open_page(db, result)
        if clock is not None:
            page.kinds = clock.rows
            clock.mark()
        yield page


@contextmanager
def step_transaction(db: Database, clock: StepClock | None) -> Iterator[None]:
    """One transaction of a pull's (or its index merges'), timed for *clock* (started here,
    and told how long the commit took). Its commit does not wait for the disk (synchronous
    NORMAL, this transaction only): if the power goes before the next save or checkpoint, it
    is lost whole, pull cursor and all, and pulled again from the hub; the next ordinary save
    (synchronous FULL) makes it durable with its own. (Waiting for the disk took 40 to 80 ms
    of a window's step on a busy machine.)"""
    if clock is not None:
        clock.start()
    before = int(db.execute("PRAGMA synchronous").fetchone()[0])
    db.execute("PRAGMA synchronous = NORMAL")
    try:
        with db.atomic():
            yield
            ended = time.perf_counter()
        if clock is not None:
            clock.committed(time.perf_counter() - ended)
    finally:
        db.execute(f"PRAGMA synchronous = {before}")


def ready_parked(db: Database) -> bool:
    """Whether parked rows wait only for their turn: their parent has arrived, and a step
    with a deadline had no time left to try them all."""
    return db.execute("SELECT 1 FROM sync_parked_ready LIMIT 1").fetchone() is not None


def any_parked(db: Database) -> bool:
    return db.execute("SELECT 1 FROM sync_parked LIMIT 1").fetchone() is not None


def _open_page(db: Database, result: PageResult) -> Page:
    """The start of a transaction that writes pulled rows: the change-log triggers off, and
    what the case book knows about pending edits, conflicts and parked rows."""
    db.execute("UPDATE sync_state SET applying = 1 WHERE id = 1")
    page = Page(db, result)
    page.pending = {(t, k) for t, k in db.execute(
        "SELECT DISTINCT tbl, row_key FROM sync_change").fetchall()}
    page.conflicted = {(t, k) for t, k in db.execute(
        "SELECT DISTINCT tbl, row_key FROM sync_conflict").fetchall()}
    page.any_parked = any_parked(db)
    return page


def _write_records(page: Page, records: list[dict[str, Any]],
                   check: Callable[[int], None] | None, clock: StepClock | None,
                   pulled: bool = True) -> int:
    """Write *records* in order (while *clock* has time, see apply_page); how many were
    taken.
    *pulled*: fresh from the hub (their versions noted, any older parked copy dropped);
    otherwise rows taken out of sync_parked to be tried again."""
    db = page.db
    versions: list[tuple[str, str, int, int]] = []
    run: list[tuple[TableShape, dict[str, Any], dict[str, Any]]] = []
    taken = len(records)
    since, chunk_of = 0, ""  # records since the clock was last looked at, and their table
    # (a chunk ends at CHUNK records, CASE_CHUNK cases, or where the table changes)
    for number, record in enumerate(records):
        table, key = record["table"], record["key"]
        if clock is not None and since and (since >= _chunk(chunk_of) or table != chunk_of):
            sync_rows.write_run(page, run)
            run = []
            _note_versions(db, versions)
            versions = []
            _index(page)  # (part of the time a record takes)
            if clock.over(chunk_of, since, table, _chunk(table)):
                taken = number
                break
            since = 0
        if since == 0:
            chunk_of = table
        since += 1
        page.kinds[table] += 1
        shape = page.shape(table)
        if shape is not None:  # (a table this version does not have: nothing to show)
            if pulled:
                versions.append((table, key, record["version"], record["seq"]))
                conflicts = record.get("conflicts")
                if conflicts or (table, key) in page.conflicted:
                    sync_rows.note_conflicts(page, table, key, conflicts or [])
                if page.any_parked:
                    db.execute("DELETE FROM sync_parked WHERE tbl = ? AND row_key = ?",
                               [table, key])
            values = sync_rows.simple_values(page, shape, record)
            if values is None:
                sync_rows.write_run(page, run)
                run = []
                sync_rows.write_row(page, shape, record)
            else:
                if run and (run[0][0].name != table or run[0][2].keys() != values.keys()):
                    sync_rows.write_run(page, run)
                    run = []
                run.append((shape, record, values))
        if check is not None:
            check(number)
    sync_rows.write_run(page, run)
    sync_rows.write_conflicts(page)
    _note_versions(db, versions)
    return taken


def _chunk(table: str) -> int:
    return CASE_CHUNK if table == "case_file" else CHUNK


def _note_versions(db: Database, versions: list[tuple[str, str, int, int]]) -> None:
    """The hub's version of each row written (table, key, version, seq)."""
    if versions:
        db.conn.executemany(
            "INSERT INTO sync_row (tbl, row_key, hub_version, hub_seq) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (tbl, row_key) DO UPDATE SET hub_version = excluded.hub_version, "
            "hub_seq = excluded.hub_seq", versions)


_RETRIED = "rows parked and tried again"
"""The clock's name for the work of trying parked rows again (they are counted by table)."""
_OTHER = "reason < ? OR reason >= ?"
"""Rows parked for another reason than a missing parent (the index finds them)."""
_OTHER_ARGS = [WAITING, WAITING[:-1] + chr(ord(WAITING[-1]) + 1)]


def _retry_parked(page: Page, clock: StepClock | None, at_least_one: bool) -> None:
    """Try parked rows again: the rows waiting for a parent that has arrived (listed in
    sync_parked_ready, found through the index on reason) and, first and after any
    progress, the rows parked for another reason (few: a clash of references, a delete held
    back). Not every parked row on every page: a new laptop's first load can sync_rows.park tens of
    thousands (a record changed after its children comes after them). With a *clock*,
    CHUNK ready rows at a time while it has time; the rest stay ready for the next step.
    A row that fails again for the same parent takes that parent off the ready list (it is
    missing again: every row waiting for it would fail too)."""
    if not page.any_parked:
        return
    db, result = page.db, page.result
    others_due, first, tried = True, True, 0
    while True:
        _mark_ready(page)
        if clock is not None:
            _index(page)  # (part of the time a row takes)
            if not (first and at_least_one) and clock.over(_RETRIED, tried, None, CHUNK):
                return
        first = False
        rows = db.execute(f"SELECT tbl, row_key, record, reason FROM sync_parked "
                          f"WHERE {_OTHER}", _OTHER_ARGS).fetchall() if others_due else []
        others_due = False
        rows += db.execute(
            "SELECT p.tbl, p.row_key, p.record, p.reason FROM sync_parked_ready r "
            "CROSS JOIN sync_parked p ON p.reason = r.reason LIMIT ?",  # (ready ones first)
            [-1 if clock is None else CHUNK]).fetchall()
        if not rows:
            db.execute("DELETE FROM sync_parked_ready")  # (parents whose rows are all in)
            return
        db.conn.executemany("DELETE FROM sync_parked WHERE tbl = ? AND row_key = ?",
                            [(t, k) for t, k, _, _ in rows])
        page.retrying = {(t, k): reason for t, k, _, reason in rows}
        tried = len(rows)
        before = result.parked
        _write_records(page, [json.loads(text) for _, _, text, _ in rows], None, None,
                       pulled=False)
        written = len(rows) - (result.parked - before)
        result.parked = before  # parked again: not a new one
        result.unparked += written
        page.retrying = {}
        done = {reason for _, _, _, reason in rows} | page.stale
        db.execute("DELETE FROM sync_parked_ready WHERE reason IN (SELECT value FROM "
                   "json_each(?)) AND (reason IN (SELECT value FROM json_each(?)) OR NOT "
                   "EXISTS (SELECT 1 FROM sync_parked p WHERE p.reason = "
                   "sync_parked_ready.reason))",
                   [json.dumps(sorted(done)), json.dumps(sorted(page.stale))])
        page.stale = set()
        others_due = written > 0


def _mark_ready(page: Page) -> None:
    """The parents written since the last call for which rows wait are ready."""
    if not page.arrived:
        return
    arrived = sorted(WAITING + parent for parent in page.arrived)
    page.arrived = set()
    page.db.execute(
        "INSERT OR IGNORE INTO sync_parked_ready (reason) SELECT j.value FROM json_each(?) j "
        "WHERE EXISTS (SELECT 1 FROM sync_parked p WHERE p.reason = j.value)",
        [json.dumps(arrived)])


def _index(page: Page) -> None:
    """The search words of the rows written so far, and the headers of the cases they
    touched, since the last call."""
    search.index_records(page.db, page.words)
    page.result.indexed += len(page.words)
    page.words = []
    for case_id in sorted(page.touched):
        if page.db.execute("SELECT 1 FROM case_file WHERE id = ?", [case_id]).fetchone():
            search.index_case_header(page.db, case_id)
            page.result.indexed += 1
    page.touched = set()
