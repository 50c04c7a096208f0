"""The hub's own migrations: db/hub/NNNN_*.sql, applied in order, one transaction each,
each version recorded in public.hub_migration, exactly like the laptop's."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from adviser_app.paths import MIGRATIONS_DIR

HUB_MIGRATIONS_DIR = MIGRATIONS_DIR / "hub"
OWNER = "adviser_hub_owner"
USERS = "adviser_hub_user"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def hub_migrations(folder: Path = HUB_MIGRATIONS_DIR) -> list[tuple[int, Path]]:
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise ValueError(f"unexpected file in the hub migrations folder: {path.name}")
        found.append((int(match.group(1)), path))
    for expected, (number, path) in enumerate(found, start=1):
        if number != expected:
            raise ValueError(f"hub migrations must be numbered without gaps: {path.name}")
    return found


def known_hub_version() -> int:
    return len(hub_migrations())


def version_of(name: str) -> int:
    """The schema version that brings the hub migration called NNNN_*name*.sql (found by
    its name, so a renumbering when branches are merged changes nothing here)."""
    for number, path in hub_migrations():
        if path.stem[5:] == name:
            return number
    raise ValueError(f"no hub migration called {name}")


def hub_version(conn: Any) -> int:
    """The hub database's schema version (0 for an empty database)."""
    row = conn.execute("SELECT to_regclass('public.hub_migration')").fetchone()
    if row[0] is None:
        return 0
    return int(conn.execute("SELECT coalesce(max(version), 0) FROM public.hub_migration")
               .fetchone()[0])


class HubTooNew(Exception):
    pass


def upgrade(conn: Any) -> list[int]:
    """Apply the pending hub migrations as the owner role (conn: an admin connection in
    autocommit mode). Returns the versions applied."""
    migrations = hub_migrations()
    current = hub_version(conn)
    if current > len(migrations):
        raise HubTooNew(f"The hub database is at version {current}, newer than this "
                        f"adviser-hub ({len(migrations)}): upgrade adviser-hub first.")
    applied = []
    for number, path in migrations[current:]:
        with conn.transaction():
            conn.execute(f"SET LOCAL ROLE {OWNER}")
            conn.execute("CREATE TABLE IF NOT EXISTS public.hub_migration ("
                         "version int PRIMARY KEY, applied_at timestamptz NOT NULL "
                         "DEFAULT now())")
            conn.execute("REVOKE ALL ON public.hub_migration FROM PUBLIC")
            conn.execute(path.read_text(encoding="utf-8"))
            conn.execute("INSERT INTO public.hub_migration (version) VALUES (%s)", [number])
        applied.append(number)
    return applied
