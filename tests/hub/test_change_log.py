"""The laptop's change log: generated triggers, the table registry, and what gets logged."""

from __future__ import annotations

import json

import pytest

from adviser_app.store import families, sync_tables
from adviser_app.store.db import Database


def _tables(db: Database) -> set[str]:
    return {r[0] for r in db.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table'").fetchall()}


def test_every_table_is_either_synced_or_declared_local(db: Database) -> None:
    """A new table (from any branch) must be registered in store/sync_tables.py: either
    SYNCED (users edit it) or LOCAL_ONLY / PUSHED_ONLY, with a reason."""
    declared = set(sync_tables.SYNCED) | set(sync_tables.LOCAL_ONLY) | \
        set(sync_tables.PUSHED_ONLY)
    unknown = _tables(db) - declared
    assert not unknown, f"tables neither synced nor declared local-only: {sorted(unknown)}"
    twice = [t for t in sync_tables.SYNCED if t in sync_tables.LOCAL_ONLY]
    assert not twice


def test_every_synced_table_has_its_triggers(db: Database) -> None:
    triggers = {r[0] for r in db.execute(
        "SELECT name FROM sqlite_temp_schema WHERE type = 'trigger'").fetchall()}
    for table in sync_tables.SYNCED:
        assert table in _tables(db), f"{table} is registered but no migration makes it"
        for kind in ("insert", "update", "rekey", "delete"):
            assert f"sync_log_{table}_{kind}" in triggers


def test_the_triggers_follow_a_new_column_and_a_new_table(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a later migration does: add a column and a table. Installing again after the
    run covers both (existing rows of the new table are logged as made)."""
    db.execute("ALTER TABLE family ADD COLUMN address_line TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE TABLE referral (id TEXT PRIMARY KEY, note TEXT NOT NULL) STRICT")
    db.execute("INSERT INTO referral VALUES ('r1', 'made before the triggers')")
    monkeypatch.setattr(sync_tables, "SYNCED", (*sync_tables.SYNCED, "referral"))
    assert sync_tables.install_triggers(db.conn) is True
    assert sync_tables.install_triggers(db.conn) is False  # idempotent
    assert db.execute("SELECT count(*) FROM sync_change WHERE tbl = 'referral'").fetchone()[0] \
        == 1
    db.execute("DELETE FROM sync_change")
    with db.atomic():
        fid = families.insert_family(db, "Kowalski", "ann")
        db.execute("UPDATE family SET address_line = '1 Kestrel Rise' WHERE id = ?", [fid])
    rows = db.execute("SELECT op, fields FROM sync_change ORDER BY seq").fetchall()
    assert [op for op, _ in rows] == ["insert", "update"]
    assert json.loads(rows[0][1])["address_line"] == {"new": ""}
    assert json.loads(rows[1][1]) == {"address_line": {"base": "", "new": "1 Kestrel Rise"}}


def test_a_backlog_is_logged_for_rows_older_than_the_triggers(db: Database) -> None:
    with db.atomic():
        fid = families.insert_family(db, "Kowalski", "ann")
    db.execute("DELETE FROM sync_covered WHERE tbl = 'family'")  # as if newly registered
    db.execute("DELETE FROM sync_change")
    sync_tables.install_triggers(db.conn)
    [(op, key)] = db.execute("SELECT op, row_key FROM sync_change").fetchall()
    assert (op, json.loads(key)) == ("insert", [fid])
    assert sync_tables.install_triggers(db.conn) is False  # once only
    assert db.execute("SELECT count(*) FROM sync_change").fetchone()[0] == 1


def test_edits_are_logged_in_the_same_transaction(db: Database) -> None:
    db.execute("DELETE FROM sync_change")
    try:
        with db.atomic():
            families.insert_family(db, "Kowalski", "ann")
            raise RuntimeError("the save fails")
    except RuntimeError:
        pass
    assert db.execute("SELECT count(*) FROM sync_change").fetchone()[0] == 0
    with db.atomic():
        fid = families.insert_family(db, "Kowalski", "ann")
        families.update_family(db, fid, "Kowalski", "visit notes", "bob")
        db.execute("DELETE FROM family WHERE id = ?", [fid])
    ops = [r[0] for r in db.execute("SELECT op FROM sync_change ORDER BY seq").fetchall()]
    assert ops == ["insert", "update", "delete"]
    update = json.loads(db.execute("SELECT fields FROM sync_change WHERE op = 'update'")
                        .fetchone()[0])
    assert update["notes"] == {"base": "", "new": "visit notes"}
    assert "family_name" not in update  # only changed fields


def test_nothing_is_logged_while_pulled_rows_are_applied(db: Database) -> None:
    db.execute("DELETE FROM sync_change")
    with db.atomic():
        db.execute("UPDATE sync_state SET applying = 1")
        families.insert_family(db, "Kowalski", "ann")
        db.execute("UPDATE sync_state SET applying = 0")
    assert db.execute("SELECT count(*) FROM sync_change").fetchone()[0] == 0


def test_the_key_json_matches_python(db: Database) -> None:
    """The hub compares keys as text: SQLite's json_array and Python's json must agree."""
    key = db.execute("SELECT json_array(?, ?)", ["Łukasz \u201cé\u201d", 3]).fetchone()[0]
    assert key == json.dumps(["Łukasz \u201cé\u201d", 3], ensure_ascii=False,
                             separators=(",", ":"))


