"""Schema migrations on real encrypted files (reliability T14, architecture B3)."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from adviser_app.paths import MIGRATIONS_DIR
from adviser_app.services import case_books
from adviser_app.store import migrate
from adviser_app.store.db import Database, close_case_book
from adviser_app.store.errors import CaseBookTooNew, UpgradeFailed
from adviser_app.store.migrate import Migration, known_migrations
from support import create_book, open_book, key_of

EXPECTED_TABLES = {"settings", "family", "person", "child", "child_need", "case_file",
                   "case_issue", "case_child", "timeline_entry", "timeline_entry_version",
                   "task", "search_doc", "case_search", "statutory_event", "deadline_mark",
                   "extra_bank_holiday", "ga_cycle", "ga_cycle_area", "ga_evidence",
                   "ga_outcome", "ga_support", "ga_parent_meeting", "ga_check", "ga_passport",
                   "ga_target", "ga_target_check", "audit_log", "document", "disagreement",
                   "retention_review", "erasure", "subject_access_request",
                   "subject_access_pause", "case_level_change", "case_status_change",
                   "case_evaluation_answer", "sync_covered", "sync_change", "sync_row",
                   "sync_state", "sync_conflict", "sync_parked", "sync_parked_ready"}


CURRENT = len(list(MIGRATIONS_DIR.glob("*.sql")))  # the shipped format version
NEXT = f"{CURRENT + 1:04d}"  # the number a new migration file would take


def raw_connect(path: Path, key: bytes) -> Any:
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def file_state(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_mtime_ns, stat.st_size


def tables(db_or_conn: Any) -> set[str]:
    conn = db_or_conn.conn if isinstance(db_or_conn, Database) else db_or_conn
    return {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'case_search_%'")}


def logical_dump(conn: Any) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for (name,) in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table' "
                                "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall():
        out.extend((name, *row) for row in sorted(
            conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr))
    out.extend(conn.execute("SELECT type, name, sql FROM sqlite_schema ORDER BY name"))
    return out


def add_family(db: Database, name: str = "Okafor") -> None:
    with db.atomic():
        db.execute("INSERT INTO family (id, family_name, created_at, updated_at, updated_by) "
                   "VALUES (?, ?, 'now', 'now', 'test')", [f"id-{name}", name])


@pytest.fixture
def closed_book(data_dir: Path) -> tuple[case_books.CaseBookPlace, bytes]:
    """A real case book at the current version, holding one family, closed."""
    db = create_book(data_dir)
    add_family(db)
    close_case_book(db)
    place = case_books.real_place(data_dir)
    return place, key_of(place.key_path)


@pytest.fixture
def use_migrations(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Make the opener use the migrations in a given folder."""
    original = migrate.known_migrations

    def use(folder: Path) -> None:
        monkeypatch.setattr(migrate, "known_migrations", lambda: original(folder))
    return use


def migrations_folder(tmp_path: Path, extra: dict[str, str]) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    for source in MIGRATIONS_DIR.glob("*.sql"):
        shutil.copy(source, folder / source.name)
    for name, sql in extra.items():
        (folder / name).write_text(sql, encoding="utf-8")
    return folder


# --- the shipped migrations ---------------------------------------------------------------


def test_shipped_migrations_are_numbered_from_one() -> None:
    found = known_migrations()
    files = sorted(MIGRATIONS_DIR.glob("*.sql"))
    assert len(found) == len(files) >= 1
    assert [m.number for m in found] == list(range(1, len(files) + 1))
    assert found[0].path.name == "0001_initial.sql"


def test_new_case_book_has_every_migration_applied(db: Database) -> None:
    assert migrate.user_version(db.conn) == len(known_migrations())
    assert tables(db) == EXPECTED_TABLES


def test_reopening_an_up_to_date_book_changes_nothing_and_makes_no_backup(
        closed_book: tuple[case_books.CaseBookPlace, bytes], data_dir: Path) -> None:
    place, key = closed_book
    db = open_book(place)
    try:
        assert migrate.user_version(db.conn) == len(known_migrations())
        assert [r["family_name"] for r in db.query("SELECT family_name FROM family")] == \
            ["Okafor"]
    finally:
        close_case_book(db)
    assert not list((data_dir / "backups").glob("*.db"))


def test_creating_a_new_book_makes_no_backup(db: Database, data_dir: Path) -> None:
    assert not list((data_dir / "backups").glob("*.db"))


def test_trigger_is_kept_whole_when_splitting() -> None:
    statements = known_migrations()[0].statements()
    triggers = [s for s in statements if s.upper().startswith("CREATE TRIGGER")]
    assert len(triggers) == 4  # timeline history guard and the three search triggers
    assert all(t.rstrip().endswith("END;") for t in triggers)
    assert "RAISE(ABORT" in triggers[0]
    assert triggers[3].count("INSERT INTO case_search") == 2
    assert all(sqlcipher3.complete_statement(s) for s in statements)


def test_unfinished_statement_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "0001_x.sql"
    path.write_text("CREATE TABLE a (x TEXT);\nCREATE TABLE b (\n  y TEXT\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unfinished statement"):
        Migration(1, path).statements()


def test_trailing_comment_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "0001_x.sql"
    path.write_text("CREATE TABLE a (x TEXT);\n-- the end\n\n", encoding="utf-8")
    assert Migration(1, path).statements() == ["CREATE TABLE a (x TEXT);"]


# --- numbering ----------------------------------------------------------------------------


@pytest.mark.parametrize("names", [
    ["0001_a.sql", "0003_c.sql"],
    ["0002_b.sql"],
    ["0001_a.sql", "0002_b.sql", "0004_d.sql"],
    ["0001_a.sql", "0001_again.sql"],
])
def test_numbering_with_gaps_or_repeats_is_refused(tmp_path: Path, names: list[str]) -> None:
    for name in names:
        (tmp_path / name).write_text("SELECT 1;", encoding="utf-8")
    with pytest.raises(ValueError, match="without gaps"):
        known_migrations(tmp_path)


@pytest.mark.parametrize("name", ["2_b.sql", "0002-b.sql", "0002_B.sql", "00002_b.sql"])
def test_badly_named_migration_file_is_refused(tmp_path: Path, name: str) -> None:
    (tmp_path / "0001_a.sql").write_text("SELECT 1;", encoding="utf-8")
    (tmp_path / name).write_text("SELECT 1;", encoding="utf-8")
    with pytest.raises(ValueError, match="unexpected file"):
        known_migrations(tmp_path)


def test_numbering_in_order(tmp_path: Path) -> None:
    for name in ["0002_b.sql", "0001_a.sql", "0003_c.sql", "notes.txt"]:
        (tmp_path / name).write_text("SELECT 1;", encoding="utf-8")
    assert [m.path.name for m in known_migrations(tmp_path)] == \
        ["0001_a.sql", "0002_b.sql", "0003_c.sql"]


# --- too new ------------------------------------------------------------------------------


def test_file_from_a_newer_version_is_refused_and_left_untouched(
        closed_book: tuple[case_books.CaseBookPlace, bytes], data_dir: Path) -> None:
    place, key = closed_book
    known = len(known_migrations())
    conn = raw_connect(place.path, key)
    conn.execute(f"PRAGMA user_version = {known + 1}")
    conn.close()
    before = file_state(place.path)
    listing = sorted(p.name for p in data_dir.iterdir())

    with pytest.raises(CaseBookTooNew) as caught:
        open_book(place)

    assert (caught.value.found, caught.value.known) == (known + 1, known)
    assert "newer version" in str(caught.value)
    assert file_state(place.path) == before
    assert sorted(p.name for p in data_dir.iterdir()) == listing
    assert not list((data_dir / "backups").glob("*.db"))
    # still refused the second time: nothing was half-done
    with pytest.raises(CaseBookTooNew):
        open_book(place)
    assert file_state(place.path) == before


# --- failure rolls back -------------------------------------------------------------------


BROKEN = ("CREATE TABLE extra_table (x TEXT) STRICT;\n"
          "ALTER TABLE family ADD COLUMN nickname TEXT NOT NULL DEFAULT '';\n"
          "INSERT INTO extra_table (x) VALUES ('one');\n"
          "INSERT INTO no_such_table VALUES (1);\n")


def test_failing_migration_leaves_the_book_at_the_old_version(
        closed_book: tuple[case_books.CaseBookPlace, bytes], tmp_path: Path,
        use_migrations: Callable[[Path], None], monkeypatch: pytest.MonkeyPatch) -> None:
    place, key = closed_book
    conn = raw_connect(place.path, key)
    dump_before = logical_dump(conn)
    conn.close()
    use_migrations(migrations_folder(tmp_path, {NEXT + "_broken.sql": BROKEN}))

    with pytest.raises(UpgradeFailed) as caught:
        open_book(place)
    assert caught.value.version == CURRENT + 1
    assert "data is unchanged" in str(caught.value)
    # the lock was let go: trying again fails the same way, not with "in use"
    with pytest.raises(UpgradeFailed):
        open_book(place)

    monkeypatch.undo()
    db = open_book(place)
    try:
        assert migrate.user_version(db.conn) == CURRENT
        assert "extra_table" not in tables(db)
        columns = {r[1] for r in db.conn.execute("PRAGMA table_info(family)")}
        assert "nickname" not in columns
    finally:
        close_case_book(db)
    conn = raw_connect(place.path, key)
    assert logical_dump(conn) == dump_before
    conn.close()


def test_failing_migration_still_made_a_backup_first(
        closed_book: tuple[case_books.CaseBookPlace, bytes], tmp_path: Path, data_dir: Path,
        use_migrations: Callable[[Path], None]) -> None:
    place, key = closed_book
    use_migrations(migrations_folder(tmp_path, {NEXT + "_broken.sql": BROKEN}))
    with pytest.raises(UpgradeFailed):
        open_book(place)
    backups = list((data_dir / "backups").glob(f"casebook-pre-upgrade-v{CURRENT + 1}-*.db"))
    assert len(backups) == 1
    conn = raw_connect(backups[0], key)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT
    conn.close()


def test_unfinished_migration_file_fails_cleanly(
        closed_book: tuple[case_books.CaseBookPlace, bytes], tmp_path: Path,
        use_migrations: Callable[[Path], None], monkeypatch: pytest.MonkeyPatch) -> None:
    place, _ = closed_book
    use_migrations(migrations_folder(
        tmp_path, {NEXT + "_half.sql": "CREATE TABLE extra_table (x TEXT);\nCREATE TABLE y (\n"}))
    with pytest.raises(UpgradeFailed):
        open_book(place)
    monkeypatch.undo()
    db = open_book(place)
    try:
        assert migrate.user_version(db.conn) == CURRENT
        assert "extra_table" not in tables(db)
    finally:
        close_case_book(db)


# --- a successful upgrade -----------------------------------------------------------------


EXTRA = ("CREATE TABLE extra_table (\n    id TEXT PRIMARY KEY,\n    x TEXT NOT NULL\n) STRICT;\n"
         "CREATE INDEX extra_x ON extra_table(x);\n")


def test_upgrade_makes_an_encrypted_backup_then_migrates(
        closed_book: tuple[case_books.CaseBookPlace, bytes], tmp_path: Path, data_dir: Path,
        use_migrations: Callable[[Path], None]) -> None:
    place, key = closed_book
    conn = raw_connect(place.path, key)
    dump_before = logical_dump(conn)
    conn.close()
    use_migrations(migrations_folder(tmp_path, {NEXT + "_extra.sql": EXTRA}))

    db = open_book(place)
    try:
        assert migrate.user_version(db.conn) == CURRENT + 1
        assert "extra_table" in tables(db)
        assert [r["family_name"] for r in db.query("SELECT family_name FROM family")] == \
            ["Okafor"]
    finally:
        close_case_book(db)

    backups = list((data_dir / "backups").glob("*.db"))
    assert len(backups) == 1
    backup = backups[0]
    assert backup.name.startswith(f"casebook-pre-upgrade-v{CURRENT + 1}-")
    assert backup.suffix == ".db"
    assert backup.read_bytes()[:16] != b"SQLite format 3\x00"
    conn = raw_connect(backup, key)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT
        assert logical_dump(conn) == dump_before
        assert conn.execute("PRAGMA cipher_integrity_check").fetchall() == []
    finally:
        conn.close()
    with pytest.raises(sqlcipher3.DatabaseError):
        bad = raw_connect(backup, bytes(32))
        try:
            bad.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        finally:
            bad.close()

    # once upgraded, opening again makes no further backup
    db = open_book(place)
    close_case_book(db)
    assert len(list((data_dir / "backups").glob("*.db"))) == 1


def test_new_book_with_extra_migration_gets_it_without_a_backup(
        data_dir: Path, tmp_path: Path, use_migrations: Callable[[Path], None]) -> None:
    use_migrations(migrations_folder(tmp_path, {NEXT + "_extra.sql": EXTRA}))
    db = create_book(data_dir)
    try:
        assert migrate.user_version(db.conn) == CURRENT + 1
        assert "extra_table" in tables(db)
    finally:
        close_case_book(db)
    assert not list((data_dir / "backups").glob("*.db"))


def test_apply_reports_final_version_and_is_idempotent(tmp_path: Path) -> None:
    conn = raw_connect(tmp_path / "x.db", bytes(range(32)))
    try:
        migrations = known_migrations()
        assert migrate.apply(conn, migrations) == len(migrations)
        assert migrate.pending_migrations(conn, migrations) == []
        assert migrate.apply(conn, migrations) == len(migrations)
    finally:
        conn.close()


def test_a_version_1_case_book_upgrades_to_the_current_format(
        tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file made by the first release (only 0001) opens in this one, keeps its data and
    gets a pre-upgrade backup."""
    original = migrate.known_migrations
    only_first = tmp_path / "v1"
    only_first.mkdir()
    shutil.copy(MIGRATIONS_DIR / "0001_initial.sql", only_first / "0001_initial.sql")
    monkeypatch.setattr(migrate, "known_migrations", lambda: original(only_first))
    db = create_book(data_dir)
    add_family(db, "Wiśniewska")
    assert migrate.user_version(db.conn) == 1
    close_case_book(db)
    monkeypatch.setattr(migrate, "known_migrations", original)
    db = open_book(case_books.real_place(data_dir))
    try:
        assert migrate.user_version(db.conn) == CURRENT
        assert tables(db) == EXPECTED_TABLES
        assert [r["family_name"] for r in db.query("SELECT family_name FROM family")] == [
            "Wiśniewska"]
        assert len(list((data_dir / "backups").glob("casebook-pre-upgrade-*.db"))) == 1
    finally:
        close_case_book(db)
