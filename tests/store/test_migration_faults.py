"""Upgrades that fail at each step, and the sqlite-utils behaviour the storage layer relies on
(reliability T14 c, f and g).

(c) Each migration step k is made to fail, on a real case book at format k-1 (the golden
fixture of that format): the book stays at k-1 with the same logical dump, a pre-upgrade
backup exists and verifies, and the person sees that the update couldn't be applied and their
data is unchanged. The lock is let go, so once the fault is gone the same file upgrades.
(f) sqlite-utils' add_column() and transform() inside our own BEGIN IMMEDIATE are undone by
our ROLLBACK (this depends on sqlite-utils internals, so it is pinned here).
(g) test_architecture.py already bans alter= and Database() outside store/db.py; the test
here closes the gaps it leaves (another spelling of the call, or a path given in db.py).
"""

from __future__ import annotations

import ast
import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3
from sqlite_utils.db import TransactionError

from adviser_app.services import case_books
from adviser_app.store import migrate
from adviser_app.store.db import Database, close_case_book, verify_file
from adviser_app.store.errors import UpgradeFailed
from adviser_app.store.migrate import Migration
from support import CHEAP, PASSPHRASE, key_of, open_book

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PACKAGE = Path(__file__).resolve().parent.parent.parent / "adviser_app"
REAL_MIGRATIONS = migrate.known_migrations
CURRENT = len(REAL_MIGRATIONS())
STEPS = list(range(2, CURRENT + 1))
UNCHANGED = "couldn't be applied; your data is unchanged"


# --- faults -------------------------------------------------------------------------------


class InjectedFault(Exception):
    pass


@dataclass(frozen=True)
class FailsBeforeItsStatements(Migration):
    def statements(self) -> list[str]:
        raise InjectedFault(f"step {self.number}")


@dataclass(frozen=True)
class FailsHalfWay(Migration):
    def statements(self) -> list[str]:
        real = super().statements()
        return [*real[:max(1, len(real) // 2)], "INSERT INTO no_such_table VALUES (1)"]


@dataclass(frozen=True)
class FailsAfterItsStatements(Migration):
    """Every statement of the step runs, then it fails before the version is set."""

    def statements(self) -> list[str]:
        return [*super().statements(), "INSERT INTO no_such_table VALUES (1)"]


FAULTS = {"before": FailsBeforeItsStatements, "half-way": FailsHalfWay,
          "after": FailsAfterItsStatements}


def use_migrations(monkeypatch: pytest.MonkeyPatch, migrations: list[Migration]) -> None:
    monkeypatch.setattr(migrate, "known_migrations", lambda: migrations)


def break_step(monkeypatch: pytest.MonkeyPatch, step: int, fault: type[Migration]) -> None:
    use_migrations(monkeypatch, [fault(m.number, m.path) if m.number == step else m
                                 for m in REAL_MIGRATIONS()])


# --- books and dumps ----------------------------------------------------------------------


def raw_connect(path: Path, key: bytes) -> Any:
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


# Values a migration makes up afresh on each run (format 10 gives the laptop a random device
# id): two clean upgrades of the same book differ only in these, so they are left out when
# comparing books.
MADE_UP_AFRESH = {"sync_state": ("device",)}


def _columns(conn: Any, table: str) -> str:
    names = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
    return ", ".join(f'"{n}"' for n in names if n not in MADE_UP_AFRESH.get(table, ()))


def dump_hash(path: Path, key: bytes) -> tuple[int, str]:
    """(user_version, SHA-256 of every row of every table plus the schema), less the values
    in MADE_UP_AFRESH."""
    conn = raw_connect(path, key)
    try:
        digest = hashlib.sha256()
        for (name,) in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table' "
                                    "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall():
            digest.update(repr(name).encode())
            query = f'SELECT {_columns(conn, name)} FROM "{name}"'
            for row in sorted(map(repr, conn.execute(query))):
                digest.update(row.encode())
        for row in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema "
                                "ORDER BY type, name"):
            digest.update(repr(row).encode())
        return int(conn.execute("PRAGMA user_version").fetchone()[0]), digest.hexdigest()
    finally:
        conn.close()


def book_at(version: int, data_dir: Path, monkeypatch: pytest.MonkeyPatch
            ) -> case_books.CaseBookPlace:
    """A real case book at *version*: its golden fixture, or (if a format has none) the
    format-1 fixture upgraded by the real migrations up to *version*."""
    data_dir.mkdir(parents=True, exist_ok=True)
    place = case_books.real_place(data_dir)
    source = version if (FIXTURES / f"schema_v{version}.db").exists() else 1
    shutil.copyfile(FIXTURES / f"schema_v{source}.db", place.path)
    shutil.copyfile(FIXTURES / f"schema_v{source}.key", place.key_path)
    if source != version:
        with monkeypatch.context() as patch:
            use_migrations(patch, REAL_MIGRATIONS()[:version])
            close_case_book(open_book(place))
        shutil.rmtree(place.backups)
    assert dump_hash(place.path, key_of(place.key_path))[0] == version
    return place


def pre_upgrade_backups(place: case_books.CaseBookPlace) -> list[Path]:
    return sorted(place.backups.glob(f"{place.path.stem}-pre-upgrade-v{CURRENT}-*.db"))


# --- (c) a fault at each step ---------------------------------------------------------------


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("step", STEPS)
def test_a_fault_at_step_k_leaves_the_book_at_k_minus_1_unchanged_with_a_backup(
        step: int, fault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    place = book_at(step - 1, tmp_path / "data", monkeypatch)
    key = key_of(place.key_path)
    before = dump_hash(place.path, key)
    break_step(monkeypatch, step, FAULTS[fault])

    with pytest.raises(UpgradeFailed) as caught:
        open_book(place)

    assert caught.value.version == step
    assert str(caught.value).startswith(f"The update to case book format {step} {UNCHANGED}.")
    assert dump_hash(place.path, key) == before
    backups = pre_upgrade_backups(place)
    assert len(backups) == 1
    verify_file(backups[0], key)
    assert dump_hash(backups[0], key) == before
    # the lock was let go: with the fault gone the same file upgrades all the way
    monkeypatch.undo()
    db = open_book(place)
    try:
        assert migrate.user_version(db.conn) == CURRENT
    finally:
        close_case_book(db)


@pytest.mark.parametrize("step", STEPS)
def test_a_fault_part_way_through_a_longer_upgrade_keeps_the_steps_before_it(
        step: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """From format 1 each step commits on its own: failing at k leaves exactly the book a
    clean upgrade to k-1 makes, and the backup still holds the format-1 book."""
    place = book_at(1, tmp_path / "data", monkeypatch)
    key = key_of(place.key_path)
    original = dump_hash(place.path, key)
    reference = book_at(1, tmp_path / "reference", monkeypatch)
    with monkeypatch.context() as patch:
        use_migrations(patch, REAL_MIGRATIONS()[:step - 1])
        # the steps alone: the change log's backlog is written after a *successful* run (at
        # every open), which a failed upgrade never reaches
        patch.setattr(migrate.sync_tables, "install_triggers", lambda conn: False)
        close_case_book(open_book(reference))
    break_step(monkeypatch, step, FailsAfterItsStatements)

    with pytest.raises(UpgradeFailed, match=UNCHANGED):
        open_book(place)

    assert dump_hash(place.path, key) == dump_hash(reference.path, key_of(reference.key_path))
    assert dump_hash(place.path, key)[0] == step - 1
    backups = pre_upgrade_backups(place)
    assert len(backups) == 1
    verify_file(backups[0], key)
    assert dump_hash(backups[0], key) == original


def test_a_fault_in_the_first_step_leaves_no_half_made_case_book(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Creating a book runs step 1; if it fails, whatever file is left holds no tables and
    the next attempt makes a complete book from it."""
    break_step(monkeypatch, 1, FailsAfterItsStatements)
    with pytest.raises(UpgradeFailed, match=UNCHANGED):
        case_books.create_real(data_dir, PASSPHRASE, kdf=CHEAP)
    place = case_books.real_place(data_dir)
    assert not place.backups.exists() or not list(place.backups.glob("*.db"))
    monkeypatch.undo()
    if place.path.exists():
        assert dump_hash(place.path, key_of(place.key_path))[0] == 0
        db = open_book(place)
    else:
        db = case_books.create_real(data_dir, PASSPHRASE, kdf=CHEAP).db
    try:
        assert migrate.user_version(db.conn) == CURRENT
    finally:
        close_case_book(db)


def test_teeth_without_the_fault_the_same_upgrade_changes_the_dump(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dump comparison can see a step that was applied."""
    place = book_at(CURRENT - 1, tmp_path / "data", monkeypatch)
    key = key_of(place.key_path)
    before = dump_hash(place.path, key)
    close_case_book(open_book(place))
    after = dump_hash(place.path, key)
    assert after[0] == CURRENT and after[1] != before[1]


# --- (f) sqlite-utils inside our transaction --------------------------------------------------


def scratch_state(db: Database) -> tuple[Any, ...]:
    conn = db.conn
    return (conn.execute("SELECT sql FROM sqlite_schema WHERE tbl_name = 'scratch' "
                         "ORDER BY name").fetchall(),
            conn.execute("SELECT * FROM scratch ORDER BY id").fetchall())


def make_scratch(db: Database) -> None:
    with db.atomic():
        db.execute("CREATE TABLE scratch (id TEXT PRIMARY KEY, name TEXT NOT NULL, "
                   "n INTEGER NOT NULL DEFAULT 0) STRICT")
        db.execute("CREATE INDEX scratch_name ON scratch(name)")
        db.execute("INSERT INTO scratch VALUES ('a', 'Zo\u00eb', 1), ('b', '\u0141ukasz', 2)")


def alter_scratch(db: Database) -> None:
    db.table("scratch").add_column("nickname", str)
    db.table("scratch").transform(rename={"name": "full_name"}, types={"n": str}, drop={"nickname"})


def test_sqlite_utils_add_column_and_transform_are_undone_by_our_rollback(
        db: Database) -> None:
    make_scratch(db)
    before = scratch_state(db)
    db.conn.execute("BEGIN IMMEDIATE")
    alter_scratch(db)
    assert db.conn.in_transaction  # sqlite-utils did not commit our transaction
    assert scratch_state(db) != before
    db.conn.execute("ROLLBACK")
    assert scratch_state(db) == before
    assert db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_teeth_without_our_transaction_the_same_changes_stay(db: Database) -> None:
    make_scratch(db)
    before = scratch_state(db)
    alter_scratch(db)
    assert not db.conn.in_transaction
    assert scratch_state(db) != before
    assert [r[1] for r in db.conn.execute("PRAGMA table_info(scratch)")] == [
        "id", "full_name", "n"]


def test_sqlite_utils_refuses_to_transform_a_table_with_cascading_children_in_a_transaction(
        db: Database) -> None:
    """Dropping family inside our transaction would fire ON DELETE CASCADE on its people;
    sqlite-utils 4.2.1 refuses instead, and nothing is lost."""
    with db.atomic():
        db.execute("INSERT INTO family (id, family_name, created_at, updated_at, updated_by) "
                   "VALUES ('f', 'Okafor', 'now', 'now', 't')")
        db.execute("INSERT INTO person (id, family_id, given_name, family_name, relationship,"
                   " created_at, updated_at, updated_by) VALUES ('p', 'f', 'Ada', 'Okafor', "
                   "'mother', 'now', 'now', 't')")
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(TransactionError):
            db.table("family").transform(rename={"notes": "remarks"})
    finally:
        db.conn.execute("ROLLBACK")
    assert db.conn.execute("SELECT count(*) FROM person").fetchone()[0] == 1


# --- (g) the gaps the architecture test leaves ------------------------------------------------


def sqlite_utils_database_calls(tree: ast.Module) -> list[ast.Call]:
    """Calls of sqlite_utils' Database however it was imported (aliased, or through the
    module), found by following the file's own imports."""
    names: set[str] = set()
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("sqlite_utils",
                                                                "sqlite_utils.db"):
            names |= {a.asname or a.name for a in node.names if a.name == "Database"}
        elif isinstance(node, ast.Import):
            modules |= {a.asname or a.name for a in node.names
                        if a.name in ("sqlite_utils", "sqlite_utils.db")}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in names:
            found.append(node)
        elif isinstance(func, ast.Attribute) and func.attr == "Database" and \
                ast.unparse(func.value) in modules:
            found.append(node)
    return found


def test_sqlite_utils_database_is_only_made_in_store_db_and_only_on_a_connection() -> None:
    db_module = PACKAGE / "store" / "db.py"
    for path in PACKAGE.rglob("*.py"):
        calls = sqlite_utils_database_calls(ast.parse(path.read_text(encoding="utf-8")))
        if path != db_module:
            assert not calls, f"{path}: sqlite_utils.Database made outside store/db.py"
            continue
        assert calls, "store/db.py should wrap its connection in Database"
        for call in calls:
            given = call.args[0] if call.args else next(
                (k.value for k in call.keywords if k.arg == "filename_or_conn"), None)
            assert isinstance(given, ast.Name) and "path" not in given.id.lower(), \
                f"store/db.py line {call.lineno}: Database() must be given the open " \
                f"SQLCipher connection, never a file name"
            assert not any(k.arg == "memory" for k in call.keywords)


@pytest.mark.parametrize("source", [
    "import sqlite_utils\nsqlite_utils.Database('x.db')\n",
    "from sqlite_utils import Database as D\nD('x.db')\n",
    "import sqlite_utils.db as s\ns.Database(conn)\n",
])
def test_teeth_the_lint_sees_other_spellings(source: str) -> None:
    assert len(sqlite_utils_database_calls(ast.parse(source))) == 1
