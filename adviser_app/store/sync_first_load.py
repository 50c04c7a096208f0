"""Where a new laptop's first load of the office register has got to (the laptop's side of
hub.first_load, db/hub/0008_first_load.sql).

A laptop whose pull cursor is 0 loads the register parents first, table by table in key
order, as it stood at the snapshot the hub noted when the load began. Each page written
moves the load's position (snapshot, table, last key) in the same transaction, kept in the
case book's settings: an interrupted load resumes there, losing and repeating nothing. The
last page's transaction sets the pull cursor to the snapshot and forgets the position, so the
ordinary pull carries on with everything changed on the hub since the load began.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from adviser_app.store import settings

POSITION = "team_register_first_load"


@dataclass(frozen=True)
class Loading:
    """A first-load page being written: the hub's snapshot, where the page ends (the table
    and the last key it reached), and whether it is the last page."""

    snapshot: int
    table: str | None
    key: str | None
    last: bool


def position(db: Database) -> Loading | None:
    """Where an unfinished first load stopped (None: none began, or it finished)."""
    text = settings.get_setting(db, POSITION)
    if not text:
        return None
    saved = json.loads(text)
    return Loading(int(saved["snapshot"]), saved.get("table"), saved.get("key"), False)


def moved(db: Database, loading: Loading, taken: list[dict[str, Any]], whole: bool) -> None:
    """In the transaction that wrote *taken* (the first records of the page, or all of them
    when *whole*): note where the load has got to, or end it after the last page's last
    record."""
    if whole and loading.last:
        finish(db, loading.snapshot)
        return
    table, key = (loading.table, loading.key) if whole else (taken[-1]["table"],
                                                              taken[-1]["key"])
    settings.set_setting(db, POSITION, json.dumps(
        {"snapshot": loading.snapshot, "table": table, "key": key}))


def finish(db: Database, snapshot: int) -> None:
    """The load is done: the ordinary pull goes on from the snapshot (in the caller's
    transaction)."""
    db.execute("DELETE FROM settings WHERE key = ?", [POSITION])
    db.execute("UPDATE sync_state SET pull_cursor = ? WHERE id = 1", [snapshot])
