"""Who did what, and on which laptop: what the office hub knows about each change to a
record (the user, the laptop and when), and the service's combined audit log, both read only.

The laptop itself knows only its own unsent changes; everything else is asked of the hub,
on a worker thread (ask_changes and read_service_log talk to the network and never touch
the case book), and worded on the GUI thread (where_made)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from adviser_app.store import sync_log
from adviser_app.store.db import Database
from adviser_app.sync.connection_file import HubSettings
from adviser_app.sync.hub import Hub

THIS_LAPTOP = "this laptop"
NOT_SENT = "this laptop (not yet sent)"
SERVICE_PAGE = 500
"""Entries of the service's audit log read per page."""

Record = tuple[str, str]
"""(table, key as the change log writes it: a compact JSON list)."""


def record_key(*values: Any) -> str:
    """A row's key as the change log and the hub write it (SQLite's json_array)."""
    return json.dumps(list(values), separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class Change:
    by: str
    """The hub user who sent it."""
    device: str
    number: int | None
    at: datetime | None
    decision: bool
    """A decision on a clash rather than an edit."""


def laptop_name(device: str, number: int | None, own: str) -> str:
    """A laptop as the team knows it: this one, or the number the hub gave it (the one its
    case references carry, SA7-…)."""
    if device == own:
        return THIS_LAPTOP
    if device.startswith("hub:"):
        return "the office hub"
    return f"laptop {number}" if number is not None else "another laptop"


def ask_changes(settings: HubSettings, device: str,
                records: Sequence[Record]) -> dict[Record, list[Change]]:
    """Each record's changes on the hub, oldest first (worker thread: network only)."""
    out: dict[Record, list[Change]] = {r: [] for r in records}
    if not records:
        return out
    with Hub(settings) as hub:
        answer = hub.record_changes(device, list(records))
    for c in answer:
        at = _when(c.get("at"))
        out.setdefault((str(c["table"]), str(c["key"])), []).append(Change(
            str(c["by"]), str(c["device"]), _number(c.get("number")), at,
            bool(c.get("decision"))))
    return out


def unsent(db: Database, records: Sequence[Record]) -> set[Record]:
    """Which of *records* have changes made here that the hub has not yet had."""
    if not records:
        return set()
    rows = db.execute(
        "SELECT DISTINCT tbl, row_key FROM sync_change WHERE tbl || char(31) || row_key IN "
        "(SELECT value FROM json_each(?))",
        [json.dumps([f"{t}\x1f{k}" for t, k in records])]).fetchall()
    return {(str(t), str(k)) for t, k in rows}


def where_made(db: Database, records: Sequence[Record],
               known: dict[Record, list[Change]]) -> dict[Record, str]:
    """For each record, in words, the laptop it was made on and, if another, the laptop of
    its latest change: "laptop 3", "this laptop", "laptop 3, changed on this laptop",
    "this laptop (not yet sent)" ("" where the hub has not said)."""
    own = sync_log.device_id(db)
    waiting = unsent(db, records)
    out = {}
    for record in records:
        changes = known.get(record) or []
        names = [laptop_name(c.device, c.number, own) for c in changes]
        if record in waiting:
            names.append(NOT_SENT)
        if not names:
            out[record] = ""
        elif names[-1] == names[0] or names[-1].startswith(names[0]):
            out[record] = names[-1]
        else:
            out[record] = f"{names[0]}, changed on {names[-1]}"
    return out


@dataclass(frozen=True)
class ServiceEntry:
    """One line of the service's combined audit log."""
    id: int
    at: str
    actor: str
    user: str
    laptop: str
    action: str
    record_type: str
    record_id: str
    detail: str


def read_service_log(settings: HubSettings, device: str, before: int = 0,
                     limit: int = SERVICE_PAGE) -> tuple[list[ServiceEntry], bool]:
    """A page of the service's combined audit log, newest first, read from the hub (worker
    thread: network only); and whether there are older entries."""
    with Hub(settings) as hub:
        page = hub.audit_read(device, before, limit)
    entries = [ServiceEntry(int(e["id"]), str(e["at"]), str(e["actor"]), str(e["by"]),
                            laptop_name(str(e["device"]), _number(e.get("number")), device),
                            str(e["action"]), str(e["record_type"]), str(e["record_id"]),
                            str(e["detail"])) for e in page["entries"]]
    return entries, bool(page["more"])


def _number(value: Any) -> int | None:
    return None if value is None else int(value)


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)).astimezone()
    except ValueError:
        return None
