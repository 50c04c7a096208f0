"""The laptop's side of the team register: pending changes out, pulled records in.

Changes and records are plain JSON-able dicts, the same whatever carries them (the hub, or a
file handed over later). Nothing here talks to the network: adviser_app.sync does.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from adviser_app.store import search
from adviser_app.store.sync_tables import SYNCED, TableShape, table_shape


@dataclass
class PageResult:
    applied: int = 0
    deleted: int = 0
    parked: int = 0
    unparked: int = 0
    conflicts: int = 0
    cases: set[str] = field(default_factory=set)


def device_id(db: Database) -> str:
    return str(db.execute("SELECT device FROM sync_state WHERE id = 1").fetchone()[0])


def pull_cursor(db: Database) -> int:
    return int(db.execute("SELECT pull_cursor FROM sync_state WHERE id = 1").fetchone()[0])


def hub_settings(db: Database) -> dict[str, Any] | None:
    """The imported connection file's contents, kept inside the encrypted case book."""
    value = db.execute("SELECT hub FROM sync_state WHERE id = 1").fetchone()[0]
    return json.loads(value) if value else None


def save_hub_settings(db: Database, settings: dict[str, Any] | None) -> None:
    with db.atomic():
        db.execute("UPDATE sync_state SET hub = ? WHERE id = 1",
                   [json.dumps(settings) if settings is not None else None])


def mark_synced(db: Database, at: str) -> None:
    with db.atomic():
        db.execute("UPDATE sync_state SET last_sync = ? WHERE id = 1", [at])


def pending_count(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM sync_change").fetchone()[0])


def pending_changes(db: Database, limit: int) -> list[tuple[int, dict[str, Any]]]:
    """The oldest *limit* changes not yet answered by the hub, as (local seq, change)."""
    rows = db.execute("SELECT seq, change_id, tbl, row_key, op, fields FROM sync_change "
                      "ORDER BY seq LIMIT ?", [limit]).fetchall()
    out = []
    for seq, cid, tbl, key, op, text in rows:
        fields = json.loads(text)
        if op != "delete":
            _fill_blobs(db, tbl, key, fields)
        out.append((int(seq), {"id": cid, "table": tbl, "key": key, "op": op,
                               "fields": fields}))
    return out


def _fill_blobs(db: Database, table: str, key: str, fields: dict[str, Any]) -> None:
    """Put each logged BLOB's bytes (as hex) in the change, read from the row now."""
    for column, entry in fields.items():
        new = entry.get("new")
        if isinstance(new, dict) and "blob" in new:
            shape = table_shape(db.conn, table)
            if shape is None:
                continue
            row = db.execute(f'SELECT hex("{column}") FROM "{table}" WHERE '
                             f"{_where_key(shape)}", json.loads(key)).fetchone()
            if row is not None and row[0] is not None:
                entry["new"] = {"hex": row[0]}


def acknowledge(db: Database, seqs: list[int]) -> None:
    """The hub has answered these changes: they are no longer pending."""
    with db.atomic():
        db.conn.executemany("DELETE FROM sync_change WHERE seq = ?", [(s,) for s in seqs])


def audit_after(db: Database, limit: int) -> list[dict[str, Any]]:
    """Audit entries not yet sent to the hub."""
    sent = int(db.execute("SELECT audit_sent FROM sync_state WHERE id = 1").fetchone()[0])
    rows = db.execute("SELECT seq, at, actor, action, record_type, record_id, detail, mac "
                      "FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?",
                      [sent, limit]).fetchall()
    names = ("seq", "at", "actor", "action", "record_type", "record_id", "detail", "mac")
    return [dict(zip(names, row, strict=True)) for row in rows]


def mark_audit_sent(db: Database, seq: int) -> None:
    with db.atomic():
        db.execute("UPDATE sync_state SET audit_sent = max(audit_sent, ?) WHERE id = 1", [seq])


def open_conflicts(db: Database) -> list[dict[str, Any]]:
    """Open conflicts as the hub last reported them (values decoded from JSON)."""
    rows = db.execute("SELECT id, tbl, row_key, field, base, hub_value, hub_deleted, incoming, "
                      "incoming_delete, raised_by, kept_by, raised_at FROM sync_conflict "
                      "ORDER BY id").fetchall()
    out = []
    for (cid, tbl, key, fld, base, hub_value, hub_deleted, incoming, incoming_delete,
         raised_by, kept_by, raised_at) in rows:
        out.append({"id": cid, "table": tbl, "key": key, "field": fld,
                    "base": _loads(base), "hub_value": _loads(hub_value),
                    "hub_deleted": bool(hub_deleted), "incoming": _loads(incoming),
                    "incoming_delete": bool(incoming_delete), "raised_by": raised_by,
                    "kept_by": kept_by, "raised_at": raised_at})
    return out


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _dumps(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def apply_page(db: Database, records: list[dict[str, Any]], cursor: int,
               check: Callable[[int], None] | None = None) -> PageResult:
    """Write one page of pulled records and move the pull cursor, in one transaction.

    The change-log triggers are off meanwhile. A field with a pending local edit keeps what
    the adviser typed (the hub judges it at the next push); a row with a pending local delete
    stays deleted. Rows whose parent has not arrived yet are parked and tried again later."""
    result = PageResult()
    shapes: dict[str, TableShape | None] = {}
    with db.atomic():
        db.execute("UPDATE sync_state SET applying = 1 WHERE id = 1")
        for number, record in enumerate(records):
            _apply_record(db, record, shapes, result)
            if check is not None:  # may raise: the whole page is then undone
                check(number)
        _retry_parked(db, shapes, result)
        _reindex(db, result.cases)
        db.execute("UPDATE sync_state SET applying = 0, pull_cursor = ? WHERE id = 1",
                   [cursor])
    return result


def _shape(db: Database, table: str, shapes: dict[str, TableShape | None]) -> TableShape | None:
    if table not in shapes:
        shapes[table] = table_shape(db.conn, table) if table in SYNCED else None
    return shapes[table]


def _apply_record(db: Database, record: dict[str, Any],
                  shapes: dict[str, TableShape | None], result: PageResult) -> None:
    table, key = record["table"], record["key"]
    shape = _shape(db, table, shapes)
    if shape is None:
        return  # a table this version of the app does not have: nothing to show
    db.execute("INSERT INTO sync_row (tbl, row_key, hub_version, hub_seq) VALUES (?, ?, ?, ?) "
               "ON CONFLICT (tbl, row_key) DO UPDATE SET hub_version = excluded.hub_version, "
               "hub_seq = excluded.hub_seq", [table, key, record["version"], record["seq"]])
    _store_conflicts(db, table, key, record.get("conflicts") or [], result)
    db.execute("DELETE FROM sync_parked WHERE tbl = ? AND row_key = ?", [table, key])
    _write_row(db, shape, record, result)


def _store_conflicts(db: Database, table: str, key: str, conflicts: list[dict[str, Any]],
                     result: PageResult) -> None:
    db.execute("DELETE FROM sync_conflict WHERE tbl = ? AND row_key = ?", [table, key])
    for c in conflicts:
        db.execute(
            "INSERT OR REPLACE INTO sync_conflict (id, tbl, row_key, field, base, hub_value, "
            "hub_deleted, incoming, incoming_delete, raised_by, kept_by, raised_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [c["id"], table, key, c["field"], _dumps(c.get("base")),
             _dumps(c.get("hub_value")), int(bool(c.get("hub_deleted"))),
             _dumps(c.get("incoming")), int(bool(c.get("incoming_delete"))),
             c.get("raised_by") or "", c.get("kept_by") or "", str(c.get("raised_at") or "")])
        result.conflicts += 1


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


def _where_key(shape: TableShape) -> str:
    return " AND ".join(f'"{c}" = ?' for c in shape.key)


def _key_values(shape: TableShape, record: dict[str, Any]) -> list[Any]:
    values = json.loads(record["key"])
    if len(values) != len(shape.key):
        raise ValueError(f"a {shape.name} key with {len(values)} parts")
    return list(values)


def _write_row(db: Database, shape: TableShape, record: dict[str, Any],
               result: PageResult) -> bool:
    table, key = shape.name, record["key"]
    pending_delete, pending_fields = _pending(db, table, key)
    if pending_delete:
        return True  # deleted here; the hub decides at the next push
    key_values = _key_values(shape, record)
    if record["deleted"]:
        if pending_fields:
            return True  # edited here after a delete elsewhere: the push will raise it
        cases = _cases_of(db, shape, key_values)
        # a failing statement is undone on its own (SQLite's ABORT), the page goes on
        try:
            db.execute(f'DELETE FROM "{table}" WHERE {_where_key(shape)}', key_values)
        except Exception as exc:  # a row that others still refer to (ON DELETE RESTRICT)
            _park(db, table, key, record, f"delete held back: {exc}", result)
            return False
        result.deleted += 1
        result.cases.update(cases)
        if table in ("timeline_entry", "task"):
            source = "entry" if table == "timeline_entry" else "task"
            db.execute("DELETE FROM search_doc WHERE source = ?", [f"{source}:{key_values[0]}"])
        return True
    values = {c: _column_value(shape, c, v) for c, v in record["fields"].items()
              if c in shape.columns}
    missing_parent = _missing_parent(db, shape, values)
    if missing_parent:
        _park(db, table, key, record, f"waiting for {missing_parent}", result)
        return False
    columns = list(values)
    update = [c for c in columns if c not in shape.key and c not in pending_fields]
    sql = (f'INSERT INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) '
           f'VALUES ({", ".join("?" for _ in columns)}) ON CONFLICT '
           f'({", ".join(chr(34) + c + chr(34) for c in shape.key)}) ')
    if update:
        sql += ("DO UPDATE SET " + ", ".join(f'"{c}" = excluded."{c}"' for c in update)
                + " WHERE " + " OR ".join(f'"{table}"."{c}" IS NOT excluded."{c}"'
                                           for c in update))
    else:
        sql += "DO NOTHING"
    try:
        db.execute(sql, [values[c] for c in columns])
    except Exception as exc:  # e.g. a reference number another laptop also used
        _park(db, table, key, record, f"not written: {exc}", result)
        return False
    result.applied += 1
    if table in ("timeline_entry", "task"):  # one note or task: index it alone, as stored
        text = "body" if table == "timeline_entry" else "title"
        row = db.execute(f'SELECT case_id, "{text}" FROM "{table}" WHERE id = ?',
                         [key_values[0]]).fetchone()
        index = search.index_entry if table == "timeline_entry" else search.index_task
        index(db, row[0], key_values[0], row[1])
    else:
        result.cases.update(_cases_of(db, shape, key_values))
    return True


def _column_value(shape: TableShape, column: str, value: Any) -> Any:
    if column in shape.blobs and isinstance(value, dict) and "hex" in value:
        return bytes.fromhex(str(value["hex"]))
    return value


_FK_CACHE: dict[str, list[tuple[str, list[str], list[str]]]] = {}


def _foreign_keys(db: Database, table: str) -> list[tuple[str, list[str], list[str]]]:
    if table not in _FK_CACHE:
        groups: dict[int, tuple[str, list[str], list[str]]] = {}
        for row in db.execute(f'PRAGMA foreign_key_list("{table}")').fetchall():
            fk_id, parent, src, dst = int(row[0]), str(row[2]), str(row[3]), row[4]
            group = groups.setdefault(fk_id, (parent, [], []))
            group[1].append(src)
            group[2].append(str(dst) if dst is not None else "id")
        _FK_CACHE[table] = list(groups.values())
    return _FK_CACHE[table]


def _missing_parent(db: Database, shape: TableShape, values: dict[str, Any]) -> str | None:
    for parent, src, dst in _foreign_keys(db, shape.name):
        refs = [values.get(c) for c in src]
        if any(r is None for r in refs):
            continue
        where = " AND ".join(f'"{c}" = ?' for c in dst)
        if db.execute(f'SELECT 1 FROM "{parent}" WHERE {where}', refs).fetchone() is None:
            return f"{parent} {refs[0]}"
    return None


def _park(db: Database, table: str, key: str, record: dict[str, Any], reason: str,
          result: PageResult) -> None:
    db.execute("INSERT INTO sync_parked (tbl, row_key, record, reason) VALUES (?, ?, ?, ?) "
               "ON CONFLICT (tbl, row_key) DO UPDATE SET record = excluded.record, "
               "reason = excluded.reason", [table, key, json.dumps(record), reason])
    result.parked += 1


def _retry_parked(db: Database, shapes: dict[str, TableShape | None],
                  result: PageResult) -> None:
    """Try parked rows again until a round writes none of them."""
    while True:
        rows = db.execute("SELECT tbl, row_key, record FROM sync_parked").fetchall()
        progress = 0
        for table, key, text in rows:
            shape = _shape(db, table, shapes)
            db.execute("DELETE FROM sync_parked WHERE tbl = ? AND row_key = ?", [table, key])
            if shape is None:
                continue
            before = result.parked
            if _write_row(db, shape, json.loads(text), result):
                progress += 1
                result.unparked += 1
            else:
                result.parked = before  # parked again: not a new one
        if not progress:
            return


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


def _reindex(db: Database, cases: set[str]) -> None:
    for case_id in sorted(cases):
        if db.execute("SELECT 1 FROM case_file WHERE id = ?", [case_id]).fetchone():
            search.index_case_header(db, case_id)


def parked_rows(db: Database) -> list[dict[str, str]]:
    return [{"table": t, "key": k, "reason": r} for t, k, r in db.execute(
        "SELECT tbl, row_key, reason FROM sync_parked ORDER BY tbl, row_key").fetchall()]
