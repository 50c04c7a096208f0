"""Applies db/NNNN_*.sql in order, one transaction each, tracked by PRAGMA user_version."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3

from adviser_app.paths import MIGRATIONS_DIR
from adviser_app.store import sync_tables
from adviser_app.store.errors import CaseBookTooNew, UpgradeFailed

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    number: int
    path: Path

    def statements(self) -> list[str]:
        """Split the script into complete statements (triggers stay whole)."""
        out: list[str] = []
        pending = ""
        for line in self.path.read_text(encoding="utf-8").splitlines(keepends=True):
            pending += line
            if sqlcipher3.complete_statement(pending):
                if pending.strip():
                    out.append(pending.strip())
                pending = ""
        if pending.strip() and not all(line.strip().startswith("--") or not line.strip()
                                       for line in pending.splitlines()):
            raise ValueError(f"{self.path.name} ends with an unfinished statement")
        return out


def known_migrations(folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migration files, checked to be numbered 0001.. with no gaps."""
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise ValueError(f"unexpected file in migrations folder: {path.name}")
        found.append(Migration(int(match.group(1)), path))
    for expected, migration in enumerate(found, start=1):
        if migration.number != expected:
            raise ValueError(f"migrations must be numbered without gaps; {migration.path.name}"
                             f" should be {expected:04d}")
    return found


def user_version(conn: Any) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def pending_migrations(conn: Any, migrations: list[Migration]) -> list[Migration]:
    current = user_version(conn)
    if current > len(migrations):
        raise CaseBookTooNew(current, len(migrations))
    return migrations[current:]


def apply(conn: Any, migrations: list[Migration]) -> int:
    """Apply each pending migration in its own transaction; returns the final version."""
    pending = pending_migrations(conn, migrations)
    if pending:
        # SQL cannot fold words for search as the app does: a migration that fills in search
        # words (0013) calls the app's own folding as index_words(text).
        from adviser_app.store.search import folded_words
        conn.create_function("index_words", 1, folded_words, deterministic=True)
    for migration in pending:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in migration.statements():
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {migration.number}")
            conn.execute("COMMIT")
        except Exception as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise UpgradeFailed(migration.number, type(exc).__name__) from exc
    # after every run: the team register's change-log triggers follow the schema as it is now
    sync_tables.install_triggers(conn)
    return user_version(conn)
