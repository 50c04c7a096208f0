"""Pulled records written into the case book, a page at a time (the laptop's side of a pull).

One page is one transaction, and the pull cursor moves with it. The change-log triggers are
off meanwhile. A field with a pending local edit keeps what the adviser typed (the hub judges
it at the next push); a row with a pending local delete stays deleted. Rows whose parent has
not arrived yet are parked and tried again later.

A new laptop pulls the whole register, so the common record is a live row with nothing
pending here: consecutive such records of one table are written with one executemany, their
parents looked up once per page, and the search words of a page's notes and tasks written
together at the end of the page (so search works as pages arrive). Anything else (deletes,
erasures, rows with local edits, a batch that fails) takes the row-by-row path.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from adviser_app.store import search
from adviser_app.store.sync_tables import SYNCED, TableShape, table_shape, where_key


@dataclass
class PageResult:
    applied: int = 0
    deleted: int = 0
    parked: int = 0
    unparked: int = 0
    conflicts: int = 0
    taken: int = 0
    """Records of the page written (all of them unless a deadline cut it short)."""
    cases: set[str] = field(default_factory=set)


_TEXT_OF = {"timeline_entry": ("entry", "body"), "task": ("task", "title")}
"""Tables whose rows are searched one by one: (search source prefix, the text column)."""


@dataclass
class _Page:
    """What one page's writing knows about the case book, looked up once."""

    db: Database
    result: PageResult
    shapes: dict[str, TableShape | None] = field(default_factory=dict)
    pending: set[tuple[str, str]] = field(default_factory=set)
    """Rows with changes not yet pushed (normally none: the push ran just before)."""
    conflicted: set[tuple[str, str]] = field(default_factory=set)
    any_parked: bool = False
    present: set[tuple[str, tuple[str, ...], tuple[Any, ...]]] = field(default_factory=set)
    """Parent rows known to exist: (table, key columns, key values)."""
    words: list[tuple[str, str, str]] = field(default_factory=list)
    """(case, search source, text) to index (by _index)."""
    touched: set[str] = field(default_factory=set)
    """Cases whose search header is to be written again (by _index)."""
    retrying: dict[tuple[str, str], str] = field(default_factory=dict)
    """Parked rows being tried again: (table, key) -> the reason they waited."""
    rows: int = 0
    """Rows written (or parked, or tried again) in this transaction: its commit's size."""
    stale: set[str] = field(default_factory=set)
    """Ready reasons whose parent turned out missing again (a row tried failed for it)."""
    arrived: set[str] = field(default_factory=set)
    """Rows written since parked rows were last tried, as a parked row's reason names its
    parent ("case_file 1f3..."): only rows waiting for one of these are tried again."""

    def shape(self, table: str) -> TableShape | None:
        if table not in self.shapes:
            self.shapes[table] = table_shape(self.db.conn, table) if table in SYNCED else None
        return self.shapes[table]


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


@dataclass
class StepClock:
    """A window's time for one write (one transaction, one step on its GUI thread): rows
    are written until the time spent, plus the commit still to come, reaches *seconds*. The
    commit's cost is learnt from the writes before (seconds per row): parking 500 rows took
    40 ms to write and 50 to 130 ms more to commit."""

    seconds: float
    commit_per_row: float = 1e-4
    deadline: float = 0.0

    def start(self) -> None:
        self.deadline = time.perf_counter() + self.seconds

    def over(self, rows: int) -> bool:
        return time.perf_counter() + rows * self.commit_per_row >= self.deadline

    def committed(self, rows: int, seconds: float) -> None:
        if rows:
            self.commit_per_row = (self.commit_per_row + seconds / rows) / 2


def apply_page(db: Database, records: list[dict[str, Any]], cursor: int,
               check: Callable[[int], None] | None = None,
               clock: StepClock | None = None) -> PageResult:
    """Write one page of pulled records and move the pull cursor, in one transaction.
    *check* is called after each record and may raise: the whole page is then undone.
    With a *clock*, records are written CHUNK at a time only while it has time (at least
    one chunk): result.taken says how many, the cursor moves to the last of them, and
    parked rows are tried again only in the time left (retry_parked does the rest). A
    window writes a page this way in steps that each stay short."""
    result = PageResult()
    with _writing(db, result, clock) as page:
        result.taken = _write_records(page, records, check, clock)
        if result.taken < len(records):
            cursor = int(records[result.taken - 1]["seq"])
        _retry_parked(page, clock, at_least_one=False)
        _index(page)
        db.execute("UPDATE sync_state SET applying = 0, pull_cursor = ? WHERE id = 1",
                   [cursor])
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
def _writing(db: Database, result: PageResult, clock: StepClock | None) -> Iterator[_Page]:
    """One transaction writing pulled rows, timed for *clock*. Its commit does not wait for
    the disk (synchronous NORMAL, this transaction only): if the power goes before the next
    save or checkpoint, it is lost whole, pull cursor and all, and pulled again from the hub;
    the next ordinary save (synchronous FULL) makes it durable with its own. (Waiting for the
    disk took 40 to 80 ms of a window's step on a busy machine.)"""
    if clock is not None:
        clock.start()
    before = int(db.execute("PRAGMA synchronous").fetchone()[0])
    db.execute("PRAGMA synchronous = NORMAL")
    try:
        with db.atomic():
            page = _open_page(db, result)
            yield page
            ended = time.perf_counter()
        if clock is not None:
            clock.committed(page.rows, time.perf_counter() - ended)
    finally:
        db.execute(f"PRAGMA synchronous = {before}")


def ready_parked(db: Database) -> bool:
    """Whether parked rows wait only for their turn: their parent has arrived, and a step
    with a deadline had no time left to try them all."""
    return db.execute("SELECT 1 FROM sync_parked_ready LIMIT 1").fetchone() is not None


def any_parked(db: Database) -> bool:
    return db.execute("SELECT 1 FROM sync_parked LIMIT 1").fetchone() is not None


def _open_page(db: Database, result: PageResult) -> _Page:
    """The start of a transaction that writes pulled rows: the change-log triggers off, and
    what the case book knows about pending edits, conflicts and parked rows."""
    db.execute("UPDATE sync_state SET applying = 1 WHERE id = 1")
    page = _Page(db, result)
    page.pending = {(t, k) for t, k in db.execute(
        "SELECT DISTINCT tbl, row_key FROM sync_change").fetchall()}
    page.conflicted = {(t, k) for t, k in db.execute(
        "SELECT DISTINCT tbl, row_key FROM sync_conflict").fetchall()}
    page.any_parked = any_parked(db)
    return page


def _write_records(page: _Page, records: list[dict[str, Any]],
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
    for number, record in enumerate(records):
        if clock is not None and number and number % CHUNK == 0:
            _write_run(page, run)
            run = []
            _index(page)  # (part of the time a record takes)
            if clock.over(page.rows):
                taken = number
                break
        page.rows += 1
        table, key = record["table"], record["key"]
        shape = page.shape(table)
        if shape is not None:  # (a table this version does not have: nothing to show)
            if pulled:
                versions.append((table, key, record["version"], record["seq"]))
                _note_conflicts(page, table, key, record.get("conflicts") or [])
                if page.any_parked:
                    db.execute("DELETE FROM sync_parked WHERE tbl = ? AND row_key = ?",
                               [table, key])
            values = _simple_values(page, shape, record)
            if values is None:
                _write_run(page, run)
                run = []
                _write_row(page, shape, record)
            else:
                if run and (run[0][0].name != table or list(run[0][2]) != list(values)):
                    _write_run(page, run)
                    run = []
                run.append((shape, record, values))
        if check is not None:
            check(number)
    _write_run(page, run)
    if versions:
        db.conn.executemany(
            "INSERT INTO sync_row (tbl, row_key, hub_version, hub_seq) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (tbl, row_key) DO UPDATE SET hub_version = excluded.hub_version, "
            "hub_seq = excluded.hub_seq", versions)
    return taken


def _simple_values(page: _Page, shape: TableShape,
                   record: dict[str, Any]) -> dict[str, Any] | None:
    """The row's values when it can go in a batch: live, not erased, nothing pending here."""
    if record["deleted"] or record.get("erased") or (shape.name, record["key"]) in page.pending:
        return None
    if not shape.blobs:
        return {c: v for c, v in record["fields"].items() if c in shape.columns}
    return {c: _column_value(shape, c, v) for c, v in record["fields"].items()
            if c in shape.columns}


def _note_conflicts(page: _Page, table: str, key: str, conflicts: list[dict[str, Any]]) -> None:
    if not conflicts and (table, key) not in page.conflicted:
        return
    page.db.execute("DELETE FROM sync_conflict WHERE tbl = ? AND row_key = ?", [table, key])
    page.conflicted.discard((table, key))
    for c in conflicts:
        page.db.execute(
            "INSERT OR REPLACE INTO sync_conflict (id, tbl, row_key, field, base, hub_value, "
            "hub_deleted, incoming, incoming_delete, raised_by, kept_by, raised_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [c["id"], table, key, c["field"], _dumps(c.get("base")),
             _dumps(c.get("hub_value")), int(bool(c.get("hub_deleted"))),
             _dumps(c.get("incoming")), int(bool(c.get("incoming_delete"))),
             c.get("raised_by") or "", c.get("kept_by") or "", str(c.get("raised_at") or "")])
        page.result.conflicts += 1
        page.conflicted.add((table, key))


def _dumps(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _pending(db: Database, table: str, key: str) -> tuple[bool, set[str]]:
    """(a local delete is pending, the fields with pending local edits) for one row."""
    deleted = False
    fields: set[str] = set()
    for op, text in db.execute("SELECT op, fields FROM sync_change WHERE tbl = ? AND "
                               "row_key = ? ORDER BY seq", [table, key]).fetchall():
        if op == "delete":
            deleted, fields = True, set()
        else:
            deleted = False
            fields.update(json.loads(text))
    return deleted, fields


def _key_values(shape: TableShape, record: dict[str, Any]) -> list[Any]:
    values = json.loads(record["key"])
    if len(values) != len(shape.key):
        raise ValueError(f"a {shape.name} key with {len(values)} parts")
    return list(values)


def _upsert_sql(shape: TableShape, columns: list[str], keep: set[str]) -> str:
    """Insert the row, or update its columns but *keep* (fields with pending local edits)."""
    def q(c: str) -> str:
        return '"' + c + '"'
    update = [c for c in columns if c not in shape.key and c not in keep]
    sql = (f'INSERT INTO "{shape.name}" ({", ".join(q(c) for c in columns)}) '
           f'VALUES ({", ".join("?" for _ in columns)}) ON CONFLICT '
           f'({", ".join(q(c) for c in shape.key)}) ')
    if not update:
        return sql + "DO NOTHING"
    return (sql + "DO UPDATE SET " + ", ".join(f"{q(c)} = excluded.{q(c)}" for c in update)
            + " WHERE " + " OR ".join(f'"{shape.name}".{q(c)} IS NOT excluded.{q(c)}'
                                       for c in update))


def _write_run(page: _Page, run: list[tuple[TableShape, dict[str, Any], dict[str, Any]]]
               ) -> None:
    """Consecutive live rows of one table with the same columns and nothing pending here:
    parents checked (once per page each), then one executemany. If the batch fails (a
    reference number another laptop also used, say), its rows go one by one, so only the
    row at fault is parked."""
    if not run:
        return
    ready = []
    for shape, record, values in run:
        missing = _missing_parent(page, shape, values)
        if missing:
            _park(page, shape.name, record["key"], record, WAITING + missing)
        else:
            ready.append((shape, record, values))
    if not ready:
        return
    shape, columns = ready[0][0], list(ready[0][2])
    try:
        page.db.conn.executemany(_upsert_sql(shape, columns, set()),
                                 [[v[c] for c in columns] for _, _, v in ready])
    except Exception:  # each row is tried alone below, and parked if it fails
        for shape, record, _ in ready:
            _write_row(page, shape, record)
        return
    for shape, record, values in ready:
        _written(page, shape, _key_values(shape, record), values)


def _written(page: _Page, shape: TableShape, key_values: list[Any],
             values: dict[str, Any]) -> None:
    """A live row is in: count it, remember it as a parent, and note what to re-index."""
    page.result.applied += 1
    page.present.add((shape.name, shape.key, tuple(key_values)))
    page.arrived.add(f"{shape.name} {key_values[0]}")
    if shape.name in _TEXT_OF:
        source, text = _TEXT_OF[shape.name]
        row = values if {"case_id", text} <= set(values) else page.db.execute(
            f'SELECT case_id, "{text}" FROM "{shape.name}" WHERE id = ?',
            [key_values[0]]).fetchone()
        case_id, words = (row["case_id"], row[text]) if isinstance(row, dict) else row
        page.words.append((case_id, f"{source}:{key_values[0]}", words))
    else:
        cases = _cases_of(page.db, shape, key_values)
        page.result.cases.update(cases)
        page.touched.update(cases)


def _write_row(page: _Page, shape: TableShape, record: dict[str, Any]) -> bool:
    """One pulled record, alone: a delete, an erasure, a row with local edits, or a retry."""
    db, result = page.db, page.result
    table, key = shape.name, record["key"]
    if record.get("erased"):
        # erased on another laptop: the erasure wins over anything unsent here, and no
        # value of the row stays in the change log or the conflicts either
        for log in ("sync_change", "sync_conflict", "sync_parked"):
            db.execute(f"DELETE FROM {log} WHERE tbl = ? AND row_key = ?", [table, key])
        page.pending.discard((table, key))
    pending_delete, pending_fields = ((False, set()) if (table, key) not in page.pending
                                      else _pending(db, table, key))
    if pending_delete:
        return True  # deleted here; the hub decides at the next push
    key_values = _key_values(shape, record)
    if record["deleted"]:
        if pending_fields:
            return True  # edited here after a delete elsewhere: the push will raise it
        cases = _cases_of(db, shape, key_values)
        # a failing statement is undone on its own (SQLite's ABORT), the page goes on
        try:
            db.execute(f'DELETE FROM "{table}" WHERE {where_key(shape)}', key_values)
        except Exception as exc:  # a row that others still refer to (ON DELETE RESTRICT)
            _park(page, table, key, record, f"delete held back: {exc}")
            return False
        page.present.discard((table, shape.key, tuple(key_values)))
        result.deleted += 1
        result.cases.update(cases)
        page.touched.update(cases)
        if table in _TEXT_OF:
            source = _TEXT_OF[table][0]
            db.execute("DELETE FROM search_doc WHERE source = ?", [f"{source}:{key_values[0]}"])
            page.words = [w for w in page.words if w[1] != f"{source}:{key_values[0]}"]
        return True
    values = {c: _column_value(shape, c, v) for c, v in record["fields"].items()
              if c in shape.columns}
    missing_parent = _missing_parent(page, shape, values)
    if missing_parent:
        _park(page, table, key, record, WAITING + missing_parent)
        return False
    columns = list(values)
    try:
        db.execute(_upsert_sql(shape, columns, pending_fields), [values[c] for c in columns])
    except Exception as exc:  # e.g. a reference number another laptop also used
        _park(page, table, key, record, f"not written: {exc}")
        return False
    # the words as stored: a field with a local edit kept what was typed here
    _written(page, shape, key_values, {} if pending_fields else values)
    return True


def _column_value(shape: TableShape, column: str, value: Any) -> Any:
    if column in shape.blobs and isinstance(value, dict) and "hex" in value:
        return bytes.fromhex(str(value["hex"]))
    return value


_FK_CACHE: dict[str, list[tuple[str, tuple[str, ...], tuple[str, ...]]]] = {}


def _foreign_keys(db: Database, table: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    if table not in _FK_CACHE:
        groups: dict[int, tuple[str, list[str], list[str]]] = {}
        for row in db.execute(f'PRAGMA foreign_key_list("{table}")').fetchall():
            fk_id, parent, src, dst = int(row[0]), str(row[2]), str(row[3]), row[4]
            group = groups.setdefault(fk_id, (parent, [], []))
            group[1].append(src)
            group[2].append(str(dst) if dst is not None else "id")
        _FK_CACHE[table] = [(p, tuple(s), tuple(d)) for p, s, d in groups.values()]
    return _FK_CACHE[table]


def _missing_parent(page: _Page, shape: TableShape, values: dict[str, Any]) -> str | None:
    for parent, src, dst in _foreign_keys(page.db, shape.name):
        refs = tuple(values.get(c) for c in src)
        if any(r is None for r in refs) or (parent, dst, refs) in page.present:
            continue
        where = " AND ".join(f'"{c}" = ?' for c in dst)
        if page.db.execute(f'SELECT 1 FROM "{parent}" WHERE {where}', refs).fetchone() is None:
            return f"{parent} {refs[0]}"
        page.present.add((parent, dst, refs))
    return None


def _park(page: _Page, table: str, key: str, record: dict[str, Any], reason: str) -> None:
    page.db.execute("INSERT INTO sync_parked (tbl, row_key, record, reason) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (tbl, row_key) DO UPDATE SET record = excluded.record, "
                    "reason = excluded.reason", [table, key, json.dumps(record), reason])
    page.any_parked = True
    page.result.parked += 1
    if page.retrying.get((table, key)) == reason:
        page.stale.add(reason)


WAITING = "waiting for "
"""How a row parked until its parent arrives is marked (then the parent: table, space, id)."""


_OTHER = "reason < ? OR reason >= ?"
"""Rows parked for another reason than a missing parent (the index finds them)."""
_OTHER_ARGS = [WAITING, WAITING[:-1] + chr(ord(WAITING[-1]) + 1)]


def _retry_parked(page: _Page, clock: StepClock | None, at_least_one: bool) -> None:
    """Try parked rows again: the rows waiting for a parent that has arrived (listed in
    sync_parked_ready, found through the index on reason) and, first and after any
    progress, the rows parked for another reason (few: a clash of references, a delete held
    back). Not every parked row on every page: a new laptop's first load can park tens of
    thousands (a record changed after its children comes after them). With a *clock*,
    CHUNK ready rows at a time while it has time; the rest stay ready for the next step.
    A row that fails again for the same parent takes that parent off the ready list (it is
    missing again: every row waiting for it would fail too)."""
    if not page.any_parked:
        return
    db, result = page.db, page.result
    others_due, first = True, True
    while True:
        _mark_ready(page)
        if clock is not None:
            _index(page)  # (part of the time a row takes)
            if not (first and at_least_one) and clock.over(page.rows):
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
        page.rows += len(rows)
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


def _mark_ready(page: _Page) -> None:
    """The parents written since the last call for which rows wait are ready."""
    if not page.arrived:
        return
    arrived = sorted(WAITING + parent for parent in page.arrived)
    page.arrived = set()
    page.db.execute(
        "INSERT OR IGNORE INTO sync_parked_ready (reason) SELECT j.value FROM json_each(?) j "
        "WHERE EXISTS (SELECT 1 FROM sync_parked p WHERE p.reason = j.value)",
        [json.dumps(arrived)])


def _cases_of(db: Database, shape: TableShape, key_values: list[Any]) -> set[str]:
    """The cases whose search words may change with this row."""
    table, first = shape.name, key_values[0]
    if table == "case_file":
        return {first}
    if table == "family":
        family = first
    elif table in ("person", "child"):
        row = db.execute(f'SELECT family_id FROM "{table}" WHERE id = ?', [first]).fetchone()
        if row is None:
            return set()
        family = row[0]
    else:
        return set()
    return {r[0] for r in db.execute("SELECT id FROM case_file WHERE family_id = ?",
                                     [family]).fetchall()}


def _index(page: _Page) -> None:
    """The search words of the rows written so far, and the headers of the cases they
    touched, since the last call."""
    search.index_records(page.db, page.words)
    page.words = []
    for case_id in sorted(page.touched):
        if page.db.execute("SELECT 1 FROM case_file WHERE id = ?", [case_id]).fetchone():
            search.index_case_header(page.db, case_id)
    page.touched = set()
