"""Joining the office hub from the app, and leaving it: the connection file IT gave the adviser
(or its text, pasted) is read and checked, the hub is tried, and only then are the details
kept, inside the encrypted case book (never in a plain settings file). Any failure is one
plain sentence (a HubError) and leaves the case book exactly as it was."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from adviser_app.store import audit, sync_log
from adviser_app.store.db import Database
from adviser_app.store.settings import is_training
from adviser_app.sync import connection_file
from adviser_app.sync.connection_file import HubSettings
from adviser_app.sync.errors import HubError, explain
from adviser_app.sync.hub import Hub

TRAINING_REFUSED = ("The training case book never connects to the office hub: its families are "
                    "made up. Open your own case book to join.")
__all__ = ["HubError", "explain", "TeamStatus", "read_connection", "try_hub",
           "refuse_training", "join", "leave", "connected", "status"]

NOT_A_FILE = ("That is not a connection file from adviser-hub: ask IT for the file made for "
              "you (its name ends in .adviser-hub).")


@dataclass(frozen=True)
class TeamStatus:
    joined: bool
    where: str
    """host:port of the hub ("" when not joined)."""
    user: str
    waiting: int
    """Changes made here that the office has not yet had."""
    last_synced: datetime | None
    """When the last sync finished, in local time (None: never)."""
    decisions: int = 0
    """Open conflicts waiting for a person to decide."""


def read_connection(source: Path | str) -> HubSettings:
    """The hub's details from a connection file (a Path) or its pasted text (a str)."""
    if isinstance(source, Path):
        return connection_file.read(source)
    text = source.strip()
    if not text:
        raise HubError("Nothing was pasted: paste the whole connection file, or choose it.")
    try:
        body = json.loads(text)
    except ValueError:
        raise HubError(NOT_A_FILE) from None
    return connection_file.verify(body)


def try_hub(settings: HubSettings, timeout: int = 10) -> int:
    """Connect, check the hub's version and sign in; returns the hub's schema version. Talks
    to the network: the window calls it on a worker thread."""
    with Hub(settings, connect_timeout=timeout) as hub:
        return hub.schema


def refuse_training(db: Database) -> None:
    if is_training(db):
        raise HubError(TRAINING_REFUSED)


def join(db: Database, settings: HubSettings, actor: str) -> None:
    """Keep the hub's details in the case book (after try_hub has passed), audited."""
    refuse_training(db)
    with db.atomic():
        sync_log.save_hub_settings(db, settings.as_dict())
        audit.record(db, actor, "changed", "hub", f"{settings.user}@{_where(settings)}",
                     "joined")


def leave(db: Database, actor: str) -> None:
    """Forget the hub. Changes not yet sent stay logged here and go if the laptop joins
    again; nothing in the case book is removed."""
    held = connected(db)
    if held is None:
        return
    with db.atomic():
        sync_log.save_hub_settings(db, None)
        audit.record(db, actor, "changed", "hub", f"{held.user}@{_where(held)}", "left")


def connected(db: Database) -> HubSettings | None:
    """The hub this case book has joined, or None."""
    held = sync_log.hub_settings(db)
    return HubSettings.from_dict(held) if held else None


def status(db: Database) -> TeamStatus:
    held = connected(db)
    last = sync_log.last_synced(db)
    when = datetime.fromisoformat(last).astimezone() if last else None
    return TeamStatus(held is not None, _where(held) if held else "",
                      held.user if held else "", sync_log.pending_count(db), when,
                      sync_log.open_conflict_count(db))


def _where(settings: HubSettings) -> str:
    return f"{settings.host}:{settings.port}"
