"""Which tables take part in the team register, and the change-log triggers made for them.

The triggers are generated from the live schema (PRAGMA table_info) and installed again after
every migration run, so a later migration that adds a column is covered at once, and a new
table is covered as soon as it is named in SYNCED. Every table must be named in exactly one of
SYNCED, PUSHED_ONLY or LOCAL_ONLY (a test checks a freshly created case book).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SYNCED: tuple[str, ...] = (
    # parents before children: the order a whole case book is first sent in
    "family", "person", "child", "child_need",
    "case_file", "case_issue", "case_child",
    "case_level_change", "case_status_change", "case_evaluation_answer", "retention_review",
    "timeline_entry", "timeline_entry_version", "task",
    "statutory_event", "deadline_mark", "extra_bank_holiday",
    "ga_cycle", "ga_cycle_area", "ga_evidence", "ga_outcome", "ga_support",
    "ga_parent_meeting", "ga_check", "ga_passport", "ga_target", "ga_target_check",
    "document", "disagreement",
    "subject_access_request", "subject_access_pause", "erasure",
)
"""Tables users edit: each edit is logged and sent to the hub; the hub's rows come back."""

PUSHED_ONLY: tuple[str, ...] = ("audit_log",)
"""Append-only records sent to the hub and never pulled back (see store.sync_log)."""

LOCAL_ONLY: tuple[str, ...] = (
    "settings",  # this laptop's lock time, backup folder, drafts, letterhead
    "search_doc", "case_search", "case_search_config", "case_search_data",
    "case_search_docsize", "case_search_idx",  # the search index, rebuilt from the records
    "case_search_header", "case_search_header_config", "case_search_header_data",
    "case_search_header_docsize", "case_search_header_idx",  # its index of cases' details
    "case_search_name", "case_search_name_config", "case_search_name_data",
    "case_search_name_docsize", "case_search_name_idx",  # and of their families' names
    "sync_change", "sync_row", "sync_state", "sync_conflict", "sync_parked", "sync_covered",
    "sync_parked_ready",
    "sqlite_sequence", "sqlite_stat1", "sqlite_stat4",
)
"""Tables that belong to one laptop, or are derived from the others."""

TRIGGER_PREFIX = "sync_log_"


@dataclass(frozen=True)
class TableShape:
    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    blobs: frozenset[str]


def table_shape(conn: Any, table: str) -> TableShape | None:
    """The columns, primary key and BLOB columns of *table*, or None if it does not exist."""
    rows = conn.execute(f"PRAGMA table_info({_quote(table)})").fetchall()
    if not rows:
        return None
    columns = tuple(str(r[1]) for r in rows)
    key = tuple(str(r[1]) for r in sorted((r for r in rows if r[5]), key=lambda r: r[5]))
    blobs = frozenset(str(r[1]) for r in rows if str(r[2]).upper() == "BLOB")
    return TableShape(table, columns, key or ("rowid",), blobs)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _json(shape: TableShape, row: str, column: str) -> str:
    """SQL giving the JSON text of *row*.*column*. A BLOB (a stored letter's PDF, kept
    exactly as produced and never edited) is logged as {"blob": length} and its bytes are
    read from the row when the change is sent, so the log never holds a second copy."""
    ref = f"{row}.{_quote(column)}"
    if column in shape.blobs:
        return (f"CASE WHEN {ref} IS NULL THEN 'null' "
                f"ELSE json_object('blob', length({ref})) END")
    return f"json_quote({ref})"


def where_key(shape: TableShape) -> str:
    """A WHERE clause matching one row by its primary key (one ? per key column)."""
    return " AND ".join(f"{_quote(c)} = ?" for c in shape.key)


def key_sql(shape: TableShape, row: str) -> str:
    return "json_array(" + ", ".join(f"{row}.{_quote(c)}" for c in shape.key) + ")"


_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
_NEW_ID = "lower(hex(randomblob(16)))"
_LOGGING = "(SELECT applying FROM main.sync_state WHERE id = 1) = 0"


def _fields_object(shape: TableShape, row: str, side: str) -> str:
    parts = []
    for column in shape.columns:
        parts.append(f"'{column}', json_object('{side}', json({_json(shape, row, column)}))")
    return "json_object(" + ", ".join(parts) + ")"


def _log(shape: TableShape, row: str, op: str, fields: str) -> str:
    return (f"INSERT INTO main.sync_change (change_id, tbl, row_key, op, fields, made_at) "
            f"VALUES ({_NEW_ID}, '{shape.name}', {key_sql(shape, row)}, '{op}', {fields}, "
            f"{_NOW});")


def trigger_sql(shape: TableShape) -> dict[str, str]:
    """The CREATE TRIGGER statements for one table, by trigger name."""
    table = "main." + _quote(shape.name)
    prefix = f"{TRIGGER_PREFIX}{shape.name}"
    same_key = " AND ".join(f"OLD.{_quote(c)} IS NEW.{_quote(c)}" for c in shape.key)
    changed = " OR ".join(f"OLD.{_quote(c)} IS NOT NEW.{_quote(c)}" for c in shape.columns)
    per_field = " UNION ALL ".join(
        f"SELECT '{c}' AS f, json_object('base', json({_json(shape, 'OLD', c)}), "
        f"'new', json({_json(shape, 'NEW', c)})) AS v WHERE OLD.{_quote(c)} IS NOT "
        f"NEW.{_quote(c)}" for c in shape.columns)
    update_log = (
        f"INSERT INTO main.sync_change (change_id, tbl, row_key, op, fields, made_at) "
        f"SELECT {_NEW_ID}, '{shape.name}', {key_sql(shape, 'NEW')}, 'update', "
        f"json_group_object(f, json(v)), {_NOW} FROM ({per_field});")
    return {
        f"{prefix}_insert": (
            f"CREATE TEMP TRIGGER {prefix}_insert AFTER INSERT ON {table} "
            f"WHEN {_LOGGING}\nBEGIN\n"
            f"  {_log(shape, 'NEW', 'insert', _fields_object(shape, 'NEW', 'new'))}\nEND"),
        f"{prefix}_update": (
            f"CREATE TEMP TRIGGER {prefix}_update AFTER UPDATE ON {table} WHEN {_LOGGING} "
            f"AND ({same_key}) AND ({changed})\nBEGIN\n  {update_log}\nEND"),
        # a changed primary key is the old row deleted and a new one made
        f"{prefix}_rekey": (
            f"CREATE TEMP TRIGGER {prefix}_rekey AFTER UPDATE ON {table} WHEN {_LOGGING} "
            f"AND NOT ({same_key})\nBEGIN\n"
            f"  {_log(shape, 'OLD', 'delete', _fields_object(shape, 'OLD', 'base'))}\n"
            f"  {_log(shape, 'NEW', 'insert', _fields_object(shape, 'NEW', 'new'))}\nEND"),
        f"{prefix}_delete": (
            f"CREATE TEMP TRIGGER {prefix}_delete AFTER DELETE ON {table} "
            f"WHEN {_LOGGING}\nBEGIN\n"
            f"  {_log(shape, 'OLD', 'delete', _fields_object(shape, 'OLD', 'base'))}\nEND"),
    }


def backlog_sql(shape: TableShape) -> str:
    """Log every existing row of a table as made: for rows that predate its triggers."""
    fields = _fields_object(shape, "t", "new")
    return (f"INSERT INTO main.sync_change (change_id, tbl, row_key, op, fields, made_at) "
            f"SELECT {_NEW_ID}, '{shape.name}', {key_sql(shape, 't')}, 'insert', {fields}, "
            f"{_NOW} FROM {_quote(shape.name)} AS t")


def install_triggers(conn: Any) -> bool:
    """(Re)make the change-log triggers to match the live schema; True if any changed.

    They are TEMP triggers (kept in memory, for this connection): made at every open, from
    the schema as it is then, so they never go stale and add nothing to the file. Does
    nothing before migration 0010 (the sync change log). Rows of a table not yet covered are
    logged as made, once, so rows older than the triggers reach the hub too."""
    if table_shape(conn, "sync_change") is None:
        return False
    existing = {str(name): str(sql) for name, sql in conn.execute(
        "SELECT name, sql FROM sqlite_temp_schema WHERE type = 'trigger' "
        "AND substr(name, 1, ?) = ?", [len(TRIGGER_PREFIX), TRIGGER_PREFIX]).fetchall()}
    covered = {str(r[0]) for r in conn.execute("SELECT tbl FROM sync_covered").fetchall()}
    wanted: dict[str, str] = {}
    new_tables: list[TableShape] = []
    for table in SYNCED:
        shape = table_shape(conn, table)
        if shape is None:
            continue
        if table not in covered:
            new_tables.append(shape)
        for name, text in trigger_sql(shape).items():
            wanted[name] = text.replace("CREATE TEMP TRIGGER", "CREATE TRIGGER", 1)
    stale = [name for name, sql in existing.items() if wanted.get(name) != sql]
    missing = [name for name, sql in wanted.items() if existing.get(name) != sql]
    if not stale and not missing and not new_tables:
        return False
    conn.execute("BEGIN IMMEDIATE")
    try:
        for name in stale:
            conn.execute(f"DROP TRIGGER IF EXISTS temp.{_quote(name)}")
        for shape in new_tables:
            conn.execute(backlog_sql(shape))
            conn.execute("INSERT INTO sync_covered (tbl) VALUES (?)", [shape.name])
        for name in missing:
            conn.execute(wanted[name].replace("CREATE TRIGGER", "CREATE TEMP TRIGGER", 1))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return True
