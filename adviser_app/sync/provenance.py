"""Who did what, and on which laptop: what the office hub knows about each change to a
record (the user, the laptop and when), and the service's combined audit log, both read only.

The laptop itself knows only its own unsent changes; everything else is asked of the hub,
on a worker thread (ask_changes and read_service_log talk to the network and never touch
the case book), and worded on the GUI thread (where_made). The questions share one
connection (READER), kept open between them, so opening case after case does not connect
to the hub each time; when the hub cannot be reached, the questions of the next minute or
so are answered at once with the reason, without trying the network again."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from adviser_app.store import sync_log
from adviser_app.store.db import Database
from adviser_app.sync.connection_file import HubSettings
from adviser_app.sync.errors import HubError
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


T = TypeVar("T")

RETRY_SECONDS = 30.0
"""After the hub could not be reached, how long questions are answered with that reason
without trying again (a successful sync, or locking, ends the wait sooner)."""
CONNECT_SECONDS = 5
"""How long to wait for the hub to answer a connection before saying it cannot be reached."""


class HubReader:
    """One connection to the hub for read-only questions, opened at the first question and
    kept for the next. Questions run on worker threads, one at a time; closing (the case book
    locked) is safe from any thread and never waits for a question still out: that question
    lets the connection go when it returns."""

    def __init__(self) -> None:
        self._question = threading.Lock()  # one question at a time on the connection
        self._guard = threading.Lock()  # the fields below
        self._hub: Hub | None = None
        self._settings: HubSettings | None = None
        self._busy = False
        self._close_after = False
        self._generation = 0
        self._down_until = 0.0
        self._down_reason = ""
        self.connections = 0
        """Connections opened so far (read by tests and benchmarks)."""

    def token(self) -> int:
        """Taken on the GUI thread when a question is made: a question made before a close
        is refused rather than connecting again after the case book locked."""
        with self._guard:
            return self._generation

    def ask(self, settings: HubSettings, token: int, question: Callable[[Hub], T]) -> T:
        """*question* asked of the hub on the kept connection (worker thread). Raises
        HubError, in one plain sentence, when the hub cannot answer."""
        with self._question:
            with self._guard:
                if token != self._generation:
                    raise HubError("The case book was locked before the hub was asked.")
                if time.monotonic() < self._down_until and settings == self._settings:
                    raise HubError(self._down_reason)
                self._busy = True
                stale = self._hub if settings != self._settings else None
                if stale is not None:
                    self._hub = None
                self._settings = settings
            try:
                if stale is not None:
                    stale.close()
                return self._ask(settings, question)
            finally:
                with self._guard:
                    self._busy = False
                    hub = self._hub if self._close_after else None
                    if self._close_after:
                        self._hub, self._close_after = None, False
                if hub is not None:
                    hub.close()

    def _ask(self, settings: HubSettings, question: Callable[[Hub], T]) -> T:
        for attempt in (1, 2):
            fresh = self._hub is None
            if fresh:
                try:
                    self._hub = Hub(settings, connect_timeout=CONNECT_SECONDS,
                                    read_ahead=False)
                    self.connections += 1
                except HubError as exc:
                    with self._guard:
                        self._down_until = time.monotonic() + RETRY_SECONDS
                        self._down_reason = str(exc)
                    raise
            assert self._hub is not None
            try:
                return question(self._hub)
            except HubError:
                hub, self._hub = self._hub, None
                hub.close()
                if fresh or attempt == 2:
                    raise
                # the kept connection had gone (the hub restarted, the network dropped):
                # once more on a new one
        raise AssertionError("unreachable")

    def reachable(self) -> None:
        """The hub answered elsewhere (a sync): stop answering that it cannot be reached."""
        with self._guard:
            self._down_until = 0.0

    def close(self) -> None:
        """Let the connection go: now, or when the question still out returns."""
        with self._guard:
            self._generation += 1
            self._down_until = 0.0
            if self._busy:
                self._close_after = True
                return
            hub, self._hub = self._hub, None
        if hub is not None:
            hub.close()


READER = HubReader()
"""The connection the case view, an entry's history and the service's log share."""


def laptop_name(device: str, number: int | None, own: str) -> str:
    """A laptop as the team knows it: this one, or the number the hub gave it (the one its
    case references carry, SA7-…)."""
    if device == own:
        return THIS_LAPTOP
    if device.startswith("hub:"):
        return "the office hub"
    return f"laptop {number}" if number is not None else "another laptop"


def ask_changes(settings: HubSettings, device: str, records: Sequence[Record],
                token: int | None = None) -> dict[Record, list[Change]]:
    """Each record's changes on the hub, oldest first (worker thread: network only; *token*
    from READER.token() on the GUI thread when the question was made)."""
    out: dict[Record, list[Change]] = {r: [] for r in records}
    if not records:
        return out
    answer = READER.ask(settings, READER.token() if token is None else token,
                        lambda hub: hub.record_changes(device, list(records)))
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
                     limit: int = SERVICE_PAGE, token: int | None = None
                     ) -> tuple[list[ServiceEntry], bool]:
    """A page of the service's combined audit log, newest first, read from the hub (worker
    thread: network only); and whether there are older entries."""
    page = READER.ask(settings, READER.token() if token is None else token,
                      lambda hub: hub.audit_read(device, before, limit))
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
