"""One pulled record written into the case book, or parked until its parent arrives: the
laptop's side of a pull, row by row and in runs (store.sync_pull writes the pages).

A field with a pending local edit keeps what the adviser typed (the hub judges it at the next
push); a row with a pending local delete stays deleted. A new laptop pulls the whole register,
so the common record is a live row with nothing pending here: consecutive such records of one
table are written with one executemany, their parents looked up once per page. Anything else
(deletes, erasures, rows with local edits, a batch that fails) takes the row-by-row path. A
row whose parent has not arrived yet is parked in sync_parked, its reason naming the parent
(WAITING).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlite_utils import Database

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
    indexed: int = 0
    """Search entries written (notes' and tasks' words, cases' headers)."""
    cases: set[str] = field(default_factory=set)


_TEXT_OF = {"timeline_entry": ("entry", "body"), "task": ("task", "title")}
"""Tables whose rows are searched one by one: (search source prefix, the text column)."""


@dataclass
class Page:
    """What one page's writing knows about the case book, looked up once."""

    db: Database
    result: PageResult
    shapes: dict[str, TableShape | None] = field(default_factory=dict)
    pending: set[tuple[str, str]] = field(default_factory=set)
    """Rows with changes not yet pushed (normally none: the push ran just before)."""
    conflicted: set[tuple[str, str]] = field(default_factory=set)
    conflicts: dict[tuple[str, str], list[tuple[Any, ...]]] = field(default_factory=dict)
    """Records' open conflicts noted and not yet written (see write_conflicts)."""
    any_parked: bool = False
    present: set[tuple[str, tuple[str, ...], tuple[Any, ...]]] = field(default_factory=set)
    """Parent rows known to exist: (table, key columns, key values)."""
    words: list[tuple[str, str, str]] = field(default_factory=list)
    """(case, search source, text) to index (by sync_pull, at the end of each chunk)."""
    touched: set[str] = field(default_factory=set)
    """Cases whose search header is to be written again (by sync_pull, at the end of each chunk)."""
    retrying: dict[tuple[str, str], str] = field(default_factory=dict)
    """Parked rows being tried again: (table, key) -> the reason they waited."""
    kinds: Counter[str] = field(default_factory=Counter)
    """Rows written (or parked, or tried again) in this transaction, by table: its commit's
    size (a StepClock's count, when a window writes)."""
    stale: set[str] = field(default_factory=set)
    """Ready reasons whose parent turned out missing again (a row tried failed for it)."""
    arrived: set[str] = field(default_factory=set)
    """Rows written since parked rows were last tried, as a parked row's reason names its
    parent ("case_file 1f3..."): only rows waiting for one of these are tried again."""

    column_sets: dict[str, frozenset[str]] = field(default_factory=dict)

    def columns(self, shape: TableShape) -> frozenset[str]:
        if shape.name not in self.column_sets:
            self.column_sets[shape.name] = frozenset(shape.columns)
        return self.column_sets[shape.name]

    def shape(self, table: str) -> TableShape | None:
        if table not in self.shapes:
            self.shapes[table] = table_shape(self.db.conn, table) if table in SYNCED else None
        return self.shapes[table]


def simple_values(page: Page, shape: TableShape,
                   record: dict[str, Any]) -> dict[str, Any] | None:
    """The row's values when it can go in a batch: live, not erased, nothing pending here."""
    if record["deleted"] or record.get("erased") or (shape.name, record["key"]) in page.pending:
        return None
    fields: dict[str, Any] = record["fields"]
    if not shape.blobs:
        if fields.keys() <= page.columns(shape):  # (the common case: no column unknown here)
            return fields
        return {c: v for c, v in fields.items() if c in shape.columns}
    return {c: _column_value(shape, c, v) for c, v in record["fields"].items()
            if c in shape.columns}


def note_conflicts(page: Page, table: str, key: str, conflicts: list[Any]) -> None:
    """A pulled record's open conflicts replace those held here for it: noted now, written
    with the page's others by write_conflicts (a later copy of the record in the page wins).
    Each conflict is an array from the hub [id, field, base, hub_value, hub_deleted,
    incoming, incoming_delete, raised_by, kept_by, raised_at], its values JSON text, or an
    object of decoded values from a hub before PULL_UNTIL (sync.hub)."""
    if not conflicts and (table, key) not in page.conflicted:
        return
    page.conflicts[(table, key)] = [
        (c[0], table, key, c[1], c[2], c[3], int(bool(c[4])), c[5], int(bool(c[6])),
         c[7] or "", c[8] or "", str(c[9] or "")) if isinstance(c, list) else
        (c["id"], table, key, c["field"], _dumps(c.get("base")), _dumps(c.get("hub_value")),
         int(bool(c.get("hub_deleted"))), _dumps(c.get("incoming")),
         int(bool(c.get("incoming_delete"))), c.get("raised_by") or "",
         c.get("kept_by") or "", str(c.get("raised_at") or "")) for c in conflicts]
    page.result.conflicts += len(conflicts)
    if conflicts:
        page.conflicted.add((table, key))
    else:
        page.conflicted.discard((table, key))


def write_conflicts(page: Page) -> None:
    """The conflicts noted so far, in two statements whatever their number (a pull carrying
    22,000 open conflicts wrote them one DELETE and one INSERT each): the records' conflicts
    no longer open go, new ones come. A conflict never changes while it is open, so one
    already held stays as it is (rewriting the thousands held already was most of the cost
    of a pull in a team where many edits clash)."""
    if not page.conflicts:
        return
    rows = [row for noted in page.conflicts.values() for row in noted]
    page.db.execute(
        "DELETE FROM sync_conflict WHERE rowid IN (SELECT c.rowid FROM json_each(?) r "
        "CROSS JOIN sync_conflict c ON c.tbl = r.value ->> 0 AND c.row_key = r.value ->> 1 "
        "WHERE c.id NOT IN (SELECT value FROM json_each(?)))",
        [json.dumps(list(page.conflicts), ensure_ascii=False),
         json.dumps([row[0] for row in rows])])
    page.db.conn.executemany(
        "INSERT OR IGNORE INTO sync_conflict (id, tbl, row_key, field, base, hub_value, "
        "hub_deleted, incoming, incoming_delete, raised_by, kept_by, raised_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    page.conflicts = {}


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
    key: str = record["key"]
    if (len(shape.key) == 1 and key.startswith('["') and key.endswith('"]')
            and '"' not in key[2:-2] and "\\" not in key):
        return [key[2:-2]]  # (one plain string, as nearly every key is: no JSON decoding)
    values = json.loads(key)
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


def write_run(page: Page, run: list[tuple[TableShape, dict[str, Any], dict[str, Any]]]
               ) -> None:
    """Consecutive live rows of one table with the same columns and nothing pending here:
    parents checked (once per page each), then one executemany. If the batch fails (a
    reference number another laptop also used, say), its rows go one by one, so only the
    row at fault is parked."""
    if not run:
        return
    _look_up_parents(page, run)
    ready = []
    for shape, record, values in run:
        missing = _missing_parent(page, shape, values)
        if missing:
            park(page, shape.name, record["key"], record, WAITING + missing)
        else:
            ready.append((shape, record, values))
    if not ready:
        return
    shape, columns = ready[0][0], list(ready[0][2])
    try:
        row = itemgetter(*columns) if len(columns) > 1 else (lambda v: (v[columns[0]],))
        page.db.conn.executemany(_upsert_sql(shape, columns, set()),
                                 [row(v) for _, _, v in ready])
    except Exception:  # each row is tried alone below, and parked if it fails
        for shape, record, _ in ready:
            write_row(page, shape, record)
        return
    for shape, record, values in ready:
        _written(page, shape, _key_values(shape, record), values)


def _written(page: Page, shape: TableShape, key_values: list[Any],
             values: dict[str, Any]) -> None:
    """A live row is in: count it, remember it as a parent, and note what to re-index."""
    page.result.applied += 1
    name = shape.name
    if name in _parents(page.db):  # (half a million notes are nobody's parent)
        page.present.add((name, shape.key, tuple(key_values)))
    if page.any_parked:  # (a row parked later in the page never waits for one written before)
        page.arrived.add(f"{name} {key_values[0]}")
    text_of = _TEXT_OF.get(name)
    if text_of is not None:
        source, text = text_of
        if "case_id" in values and text in values:
            case_id, words = values["case_id"], values[text]
        else:
            case_id, words = page.db.execute(f'SELECT case_id, "{text}" FROM "{name}" '
                                             'WHERE id = ?', [key_values[0]]).fetchone()
        page.words.append((case_id, f"{source}:{key_values[0]}", words))
    else:
        cases = _cases_of(page.db, shape, key_values)
        page.result.cases.update(cases)
        page.touched.update(cases)


def write_row(page: Page, shape: TableShape, record: dict[str, Any]) -> bool:
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
            park(page, table, key, record, f"delete held back: {exc}")
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
        park(page, table, key, record, WAITING + missing_parent)
        return False
    columns = list(values)
    try:
        db.execute(_upsert_sql(shape, columns, pending_fields), [values[c] for c in columns])
    except Exception as exc:  # e.g. a reference number another laptop also used
        park(page, table, key, record, f"not written: {exc}")
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


def _look_up_parents(page: Page, run: list[tuple[TableShape, dict[str, Any], dict[str, Any]]]
                     ) -> None:
    """The parents a run of rows (one table) refers to, looked up together, one statement
    per foreign key: those found are noted as present, so _missing_parent looks up only the
    missing ones again. (A first load's page of notes in key order names nearly every case:
    2,500 statements a page at 500,000 entries.)"""
    shape = run[0][0]
    for parent, src, dst in _foreign_keys(page.db, shape.name):
        if len(src) != 1:
            continue  # (composite references: looked up one by one)
        column = src[0]
        wanted = {ref for _, _, values in run if (ref := values.get(column)) is not None
                  and (parent, dst, (ref,)) not in page.present}
        if len(wanted) < 2:
            continue
        found = {row[0] for row in page.db.execute(
            f'SELECT "{dst[0]}" FROM "{parent}" WHERE "{dst[0]}" IN '
            f'(SELECT value FROM json_each(?))', [json.dumps(sorted(wanted, key=str))])}
        page.present.update((parent, dst, (ref,)) for ref in wanted if ref in found)


_PARENTS: set[str] = set()


def _parents(db: Database) -> set[str]:
    """The synced tables some synced table refers to (only their rows are noted as present)."""
    if not _PARENTS:
        _PARENTS.update(parent for table in SYNCED for parent, _, _ in _foreign_keys(db, table))
    return _PARENTS


def _missing_parent(page: Page, shape: TableShape, values: dict[str, Any]) -> str | None:
    for parent, src, dst in _foreign_keys(page.db, shape.name):
        if len(src) == 1:
            ref = values.get(src[0])
            if ref is None:
                continue
            refs: tuple[Any, ...] = (ref,)
        else:
            refs = tuple([values.get(c) for c in src])
            if any(r is None for r in refs):
                continue
        if (parent, dst, refs) in page.present:
            continue
        where = " AND ".join(f'"{c}" = ?' for c in dst)
        if page.db.execute(f'SELECT 1 FROM "{parent}" WHERE {where}', refs).fetchone() is None:
            return f"{parent} {refs[0]}"
        page.present.add((parent, dst, refs))
    return None


def park(page: Page, table: str, key: str, record: dict[str, Any], reason: str) -> None:
    page.db.execute("INSERT INTO sync_parked (tbl, row_key, record, reason) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (tbl, row_key) DO UPDATE SET record = excluded.record, "
                    "reason = excluded.reason", [table, key, json.dumps(record), reason])
    page.any_parked = True
    page.result.parked += 1
    if page.retrying.get((table, key)) == reason:
        page.stale.add(reason)


WAITING = "waiting for "
"""How a row parked until its parent arrives is marked (then the parent: table, space, id)."""


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
