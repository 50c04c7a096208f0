"""The laptop's side of the team register: pending changes out (pulled records are written
in by store.sync_pull).

Changes and records are plain JSON-able dicts, the same whatever carries them (the hub, or a
file handed over later). Nothing here talks to the network: adviser_app.sync does.
"""

from __future__ import annotations

import json
from typing import Any

import sqlcipher3
from sqlite_utils import Database

from adviser_app.store.sync_tables import table_shape, where_key


ERASE_MARK = '{"(erase)": true}'
"""The fields of a logged delete that is an erasure (sent to the hub as op "erase"): the
change log's op column allows insert, update and delete only, and "(erase)" is no column."""


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


def last_synced(db: Database) -> str | None:
    """When the last sync finished (UTC, ISO 8601), or None if it never has."""
    value = db.execute("SELECT last_sync FROM sync_state WHERE id = 1").fetchone()[0]
    return str(value) if value else None


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
        if op == "delete" and text == ERASE_MARK:
            op, fields = "erase", {}
        elif op != "delete":
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
                             f"{where_key(shape)}", json.loads(key)).fetchone()
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


def open_conflict_count(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM sync_conflict").fetchone()[0])


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


def record_family(db: Database, table: str, key: str) -> str:
    """The name of the family a synced record belongs to ("" if it cannot be told: the
    record is not here, or belongs to no family)."""
    shape = table_shape(db.conn, table)
    if shape is None:
        return ""
    own = f'SELECT {{}} FROM "{table}" WHERE {where_key(shape)}'
    if table == "family":
        query = own.format("family_name")
    elif "family_id" in shape.columns:
        query = f"SELECT family_name FROM family WHERE id = ({own.format('family_id')})"
    elif "case_id" in shape.columns:
        query = ("SELECT family_name FROM family WHERE id = (SELECT family_id FROM case_file "
                 f"WHERE id = ({own.format('case_id')}))")
    else:
        return ""
    row = db.execute(query, json.loads(key)).fetchone()
    return str(row[0]) if row and row[0] is not None else ""


def cases_touched(db: Database, source: str) -> set[str]:
    """The cases with a record in *source*: "sync_change" (changes not yet sent to the hub)
    or "sync_conflict" (open conflicts). A case counts for its own row, its rows (timeline,
    tasks…) and its family's rows (the family, its people and children)."""
    if source not in ("sync_change", "sync_conflict"):
        raise ValueError(source)
    cases: set[str] = set()
    families: set[str] = set()
    for (table,) in db.execute(f"SELECT DISTINCT tbl FROM {source}").fetchall():
        shape = table_shape(db.conn, table)
        if shape is None:
            continue
        ids = f"SELECT json_extract(row_key, '$[0]') FROM {source} WHERE tbl = ?"
        if table == "case_file":
            into, query = cases, ids
        elif table == "family":
            into, query = families, ids
        elif shape.key == ("id",) and "case_id" in shape.columns:
            into, query = cases, f'SELECT case_id FROM "{table}" WHERE id IN ({ids})'
        elif shape.key == ("id",) and "family_id" in shape.columns:
            into, query = families, f'SELECT family_id FROM "{table}" WHERE id IN ({ids})'
        elif "case_id" in shape.key:
            into = cases
            query = (f"SELECT json_extract(row_key, '$[{shape.key.index('case_id')}]') "
                     f"FROM {source} WHERE tbl = ?")
        else:
            continue
        into.update(str(r[0]) for r in db.execute(query, [table]).fetchall() if r[0])
    if families:
        cases.update(str(r[0]) for r in db.execute(
            "SELECT id FROM case_file WHERE family_id IN (SELECT value FROM json_each(?))",
            [json.dumps(sorted(families))]).fetchall())
    return cases


def column_kind(db: Database, table: str, column: str) -> tuple[str, bool] | None:
    """The declared type (upper case) of *table*.*column* and whether it must hold a value;
    None if there is no such column here."""
    for row in db.execute(f'PRAGMA table_info("{table}")').fetchall():
        if str(row[1]) == column:
            return str(row[2]).upper(), bool(row[3])
    return None


def value_refused(db: Database, table: str, key: str, column: str, value: Any) -> bool:
    """Whether the case book's own rules (its CHECK and NOT NULL constraints) refuse
    *value* for that field of that row: tried in a savepoint that is always rolled back, so
    nothing is written and nothing is logged."""
    shape = table_shape(db.conn, table)
    if shape is None or column not in shape.columns:
        return True
    conn = db.conn
    conn.execute("SAVEPOINT try_typed_value")
    try:
        conn.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE {where_key(shape)}',
                     [value, *json.loads(key)])
    except sqlcipher3.IntegrityError:
        return True
    finally:
        conn.execute("ROLLBACK TO try_typed_value")
        conn.execute("RELEASE try_typed_value")
    return False


def case_conflict_count(db: Database, case_id: str) -> int:
    """How many open conflicts are on *case_id*'s records (as cases_touched counts them: the
    case's own rows and its family's rows); one query per table that has a conflict."""
    family = db.execute("SELECT family_id FROM case_file WHERE id = ?", [case_id]).fetchone()
    family_id = str(family[0]) if family else ""
    total = 0
    for (table,) in db.execute("SELECT DISTINCT tbl FROM sync_conflict").fetchall():
        shape = table_shape(db.conn, table)
        if shape is None:
            continue
        first = "json_extract(row_key, '$[0]')"
        if table == "case_file":
            where, args = f"{first} = ?", [case_id]
        elif table == "family":
            where, args = f"{first} = ?", [family_id]
        elif "case_id" in shape.key:
            where = f"json_extract(row_key, '$[{shape.key.index('case_id')}]') = ?"
            args = [case_id]
        elif shape.key == ("id",) and "case_id" in shape.columns:
            where, args = f'{first} IN (SELECT id FROM "{table}" WHERE case_id = ?)', [case_id]
        elif shape.key == ("id",) and "family_id" in shape.columns:
            where = f'{first} IN (SELECT id FROM "{table}" WHERE family_id = ?)'
            args = [family_id]
        else:
            continue
        total += int(db.execute(f"SELECT count(*) FROM sync_conflict WHERE tbl = ? AND {where}",
                                [table, *args]).fetchone()[0])
    return total


def conflict_cases(db: Database) -> dict[int, set[str]]:
    """Each open conflict's cases (as cases_touched counts them: the case's own rows and its
    family's rows)."""
    out: dict[int, set[str]] = {}
    for cid, table, key in db.execute("SELECT id, tbl, row_key FROM sync_conflict").fetchall():
        out[int(cid)] = _row_cases(db, str(table), json.loads(key))
    return out


def _row_cases(db: Database, table: str, key: list[Any]) -> set[str]:
    shape = table_shape(db.conn, table)
    if shape is None:
        return set()
    family: Any = None
    if table == "case_file":
        return {str(key[0])}
    if table == "family":
        family = key[0]
    elif "case_id" in shape.key:
        return {str(key[shape.key.index("case_id")])}
    elif shape.key == ("id",) and "case_id" in shape.columns:
        row = db.execute(f'SELECT case_id FROM "{table}" WHERE id = ?', key).fetchone()
        return {str(row[0])} if row and row[0] else set()
    elif shape.key == ("id",) and "family_id" in shape.columns:
        row = db.execute(f'SELECT family_id FROM "{table}" WHERE id = ?', key).fetchone()
        family = row[0] if row else None
    if family is None:
        return set()
    return {str(r[0]) for r in db.execute("SELECT id FROM case_file WHERE family_id = ?",
                                          [family]).fetchall()}


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def parked_rows(db: Database) -> list[dict[str, str]]:
    return [{"table": t, "key": k, "reason": r} for t, k, r in db.execute(
        "SELECT tbl, row_key, reason FROM sync_parked ORDER BY tbl, row_key").fetchall()]
