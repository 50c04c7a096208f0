"""A connection to the office hub: TLS verified against the hub's own CA, scram-sha-256
passwords only, and nothing but the hub's functions."""

from __future__ import annotations

import os
import socket
import ssl
import struct
import tempfile
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import psycopg
from cryptography import x509
from psycopg.types.json import Jsonb

from adviser_app.sync.connection_file import HubSettings
from adviser_app.sync.errors import HubError, explain
from adviser_app.sync.schema import known_hub_version, version_of

PROTOCOL = 1
PULL_UNTIL = version_of("pull_until")
"""The hub schema whose pull stops where the hub stood when the pull began."""
FIRST_LOAD = version_of("first_load")
"""The hub schema that sends a new laptop the register parents first."""

Fault = Callable[[str], None]
"""Called at named points of a sync (tests use it to crash the hub or drop the line)."""


def _server_cert_expired(s: HubSettings) -> bool:
    """Ask the server for its certificate without trusting it, only to say why it failed."""
    try:
        with socket.create_connection((s.host, s.port), timeout=5) as raw:
            raw.sendall(struct.pack("!ii", 8, 80877103))  # PostgreSQL's SSLRequest
            if raw.recv(1) != b"S":
                return False
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            with context.wrap_socket(raw) as tls:
                der = tls.getpeercert(binary_form=True)
        if not der:
            return False
        cert = x509.load_der_x509_certificate(der)
        return bool(cert.not_valid_after_utc < datetime.now(UTC))
    except (OSError, ValueError):
        return False


def _no_fault(point: str) -> None:
    return None


class _ReadAhead:
    """The next pull page, asked for on a thread of its own while this laptop writes the page
    before it (a new laptop's load spends about a sixth of its time waiting for the hub).
    Only ever one; every other call on the hub waits for it first, so the connection is never
    used by two threads at once."""

    def __init__(self, key: tuple[Any, ...], limit: int,
                 fetch: Callable[[], dict[str, Any]]) -> None:
        self.key = key
        self.limit = limit
        self.page: dict[str, Any] | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._fetch, args=(fetch,), daemon=True,
                                        name="hub-read-ahead")
        self._thread.start()

    def _fetch(self, fetch: Callable[[], dict[str, Any]]) -> None:
        try:
            self.page = fetch()
        except BaseException as exc:  # handed to whoever asks for this page
            self.error = exc

    def wait(self) -> None:
        self._thread.join()


class Hub:
    """One session with the hub. Each call is its own hub transaction."""

    def __init__(self, settings: HubSettings, *, connect_timeout: int = 10,
                 fault: Fault | None = None, read_ahead: bool = True) -> None:
        self.settings = settings
        self.fault = fault or _no_fault
        self.read_ahead = read_ahead
        self._ahead: _ReadAhead | None = None
        self._conn = self._connect(connect_timeout)
        self._check_version()

    def _connect(self, timeout: int) -> psycopg.Connection[Any]:
        s = self.settings
        with tempfile.TemporaryDirectory(prefix="adviser-hub-") as folder:
            ca_path = os.path.join(folder, "hub-ca.crt")
            with open(ca_path, "w", encoding="utf-8") as handle:
                handle.write(s.ca_pem)
            try:
                return psycopg.connect(
                    host=s.host, port=s.port, dbname=s.dbname, user=s.user,
                    password=s.password, sslmode="verify-full", sslrootcert=ca_path,
                    require_auth="scram-sha-256", channel_binding="prefer",
                    connect_timeout=timeout, autocommit=True,
                    application_name="adviser-toolkit")
            except psycopg.Error as exc:
                if "certificate verify failed" in str(exc) and _server_cert_expired(s):
                    raise HubError(f"The certificate of the hub at {s.host}:{s.port} has "
                                   "expired: ask IT to renew it (adviser-hub init) and send "
                                   "new connection files.") from None
                raise explain(exc, f"{s.host}:{s.port}", s.user) from None

    def _call(self, sql: str, params: list[Any], point: str) -> Any:
        try:
            self.fault(f"{point}:before")
            with self._conn.transaction():
                row = self._conn.execute(sql, params).fetchone()
                self.fault(f"{point}:before_commit")
            self.fault(f"{point}:after_commit")
        except psycopg.Error as exc:
            raise explain(exc, f"{self.settings.host}:{self.settings.port}",
                          self.settings.user) from None
        except OSError as exc:
            raise explain(exc) from None
        return row[0] if row else None

    def _check_version(self) -> None:
        info = self._call("SELECT hub.hub_info()", [], "info")
        self.schema = int(info["schema"])
        if self.schema > known_hub_version():
            self.close()
            raise HubError("The hub has been upgraded to a newer version of the team register "
                           "than this app knows: update the app on this laptop before syncing.")

    def _settle(self) -> _ReadAhead | None:
        """Wait for a page being read ahead (if any) and take it off the connection."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            ahead.wait()
        return ahead

    def push(self, device: str, fmt: int, changes: list[dict[str, Any]]) -> list[Any]:
        self._settle()
        return list(self._call("SELECT hub.sync_push(%s, %s, %s, %s)",
                               [device, PROTOCOL, fmt, Jsonb(changes)], "push"))

    def pull(self, device: str, cursor: int, limit: int,
             until: int | None = None) -> dict[str, Any]:
        """Records after *cursor*, up to *limit* of them (in as many hub calls as the hub's own
        largest page needs), none newer than *until*: None on a pull's first page, which
        answers the hub's newest record ("until") for the pages after it, so a pull never
        chases what other laptops push meanwhile (a hub before PULL_UNTIL answers none, and
        each page then runs to its newest record). When there are more, the next page is
        read ahead meanwhile."""
        page = self._page_wanted(("pull", device, cursor, until), limit,
                                 lambda: self._pull_now(device, cursor, limit, until))
        if self.read_ahead and page["more"] and page["records"]:
            after, last = int(page["cursor"]), page["until"]
            self._ahead = _ReadAhead(("pull", device, after, last), limit,
                                     lambda: self._pull_now(device, after, limit, last))
        return page

    def _page_wanted(self, key: tuple[Any, ...], limit: int,
                     fetch: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The page read ahead if it starts where the one wanted does and is no larger (its
        error if it failed), else fetched now. (The pages grow as a pull goes on: a page read
        ahead at the size before is taken, not fetched again, and the next is read ahead at
        the new size.)"""
        ahead = self._settle()
        if ahead is not None and ahead.key == key and ahead.limit <= limit:
            if ahead.error is not None:
                raise ahead.error
            assert ahead.page is not None
            return ahead.page
        return fetch()

    def first_load(self, device: str, tables: tuple[str, ...], snapshot: int,
                   table: str | None, key: str | None, limit: int) -> dict[str, Any] | None:
        """A new laptop's first load, parents first (db/hub/0008_first_load.sql): up to
        *limit* records live at the *snapshot* (0: the first call, which notes it), from
        (*table*, *key*) on, *tables* in the order given. Answers {"records", "snapshot",
        "table", "key", "more"}, or None from a hub before FIRST_LOAD (the ordinary pull
        then loads the register). The next page is read ahead meanwhile."""
        if self.schema < FIRST_LOAD:
            return None
        page = self._page_wanted(
            ("load", device, tables, snapshot, table, key), limit,
            lambda: self._load_now(device, tables, snapshot, table, key, limit))
        if self.read_ahead and page["more"] and page["records"]:
            at = (int(page["snapshot"]), page["table"], page["key"])
            self._ahead = _ReadAhead(("load", device, tables, *at), limit,
                                     lambda: self._load_now(device, tables, *at, limit))
        return page

    def _load_now(self, device: str, tables: tuple[str, ...], snapshot: int,
                  table: str | None, key: str | None, limit: int) -> dict[str, Any]:
        records: list[Any] = []
        while True:
            page = dict(self._call("SELECT hub.first_load(%s, %s, %s, %s, %s, %s, %s)",
                                   [device, PROTOCOL, list(tables), snapshot, table, key,
                                    limit - len(records)], "pull"))
            for part in page["records"]:  # (one list per table)
                records.extend(part)
            snapshot, table, key = int(page["snapshot"]), page["table"], page["key"]
            if not page["more"] or len(records) >= limit:
                break
        return {"records": records, "snapshot": snapshot, "table": table, "key": key,
                "more": bool(page["more"])}

    def _pull_now(self, device: str, cursor: int, limit: int,
                  until: int | None) -> dict[str, Any]:
        page = self._pull_call(device, cursor, limit, until)
        until = page["until"]
        records = list(page["records"])
        while page["more"] and page["records"] and len(records) < limit:
            page = self._pull_call(device, int(page["cursor"]), limit - len(records), until)
            records.extend(page["records"])
        return {"records": records, "cursor": page["cursor"], "more": bool(page["more"]),
                "until": until}

    def _pull_call(self, device: str, cursor: int, limit: int,
                   until: int | None) -> dict[str, Any]:
        if self.schema < PULL_UNTIL:
            return {**self._call("SELECT hub.sync_pull(%s, %s, %s, %s)",
                                 [device, PROTOCOL, cursor, limit], "pull"), "until": None}
        return dict(self._call("SELECT hub.sync_pull(%s, %s, %s, %s, %s::bigint)",
                               [device, PROTOCOL, cursor, limit, until], "pull"))

    def device_number(self, device: str) -> int | None:
        """This laptop's number on the hub (for its case references); None from a hub that
        predates laptop numbers (schema 3 or older)."""
        if self.schema < 4:
            return None
        self._settle()
        return int(self._call("SELECT hub.device_number(%s, %s)", [device, PROTOCOL],
                              "number"))

    def push_audit(self, device: str, entries: list[dict[str, Any]]) -> int:
        self._settle()
        return int(self._call("SELECT hub.sync_push_audit(%s, %s, %s)",
                              [device, PROTOCOL, Jsonb(entries)], "audit"))

    def resolve(self, device: str, conflict_id: int, choice: str, note: str = "") -> Any:
        self._settle()
        return self._call("SELECT hub.resolve_conflict(%s, %s, %s, %s, %s)",
                          [device, PROTOCOL, conflict_id, choice, note], "resolve")

    def resolve_value(self, device: str, conflict_id: int, value: Any, note: str = "") -> Any:
        """A decision with a value the person deciding typed (hub schema 5 or newer)."""
        self._needs(5, "settle a clash with a value of your own")
        return self._call("SELECT hub.resolve_conflict_value(%s, %s, %s, %s, %s)",
                          [device, PROTOCOL, conflict_id, Jsonb(value), note], "resolve")

    def record_changes(self, device: str, records: list[tuple[str, str]]) -> list[Any]:
        """Who changed each (table, key) record and on which laptop, oldest change first."""
        self._needs(5, "say who changed a record and on which laptop")
        return list(self._call("SELECT hub.record_changes(%s, %s, %s)",
                               [device, PROTOCOL, Jsonb([list(r) for r in records])],
                               "changes"))

    def audit_read(self, device: str, before: int, limit: int) -> dict[str, Any]:
        """A page of the service's combined audit log, newest first, from the entries
        numbered below *before* (0: the newest). Read only."""
        self._needs(5, "show the whole service's audit log")
        return dict(self._call("SELECT hub.audit_read(%s, %s, %s, %s)",
                               [device, PROTOCOL, before, limit], "audit_read"))

    def report_state(self, device: str, cursor: int, seen: list[list[Any]],
                     erasures: list[dict[str, str]]) -> dict[str, Any] | None:
        """Tell the hub what this laptop holds: its pull cursor, the records it last pulled
        ([table, key, seq, version]) and its erasures (ids, case references, kind, day:
        never a reason). The hub answers the erasures it has no record of ("missing") and
        whether it holds less than this laptop has already seen ("behind"): both mean it
        was restored from an older backup. None from a hub before schema 6."""
        if self.schema < 6:
            return None
        self._settle()
        return dict(self._call("SELECT hub.report_state(%s, %s, %s, %s, %s)",
                               [device, PROTOCOL, cursor, Jsonb(seen), Jsonb(erasures)],
                               "report"))

    def register_size(self, device: str, cursor: int) -> tuple[int, int] | None:
        """(families on the hub, records after *cursor*); None from a hub before schema 5."""
        if self.schema < 5:
            return None
        size = dict(self._call("SELECT hub.register_size(%s, %s, %s)",
                               [device, PROTOCOL, cursor], "size"))
        return int(size["families"]), int(size["waiting"])

    def _needs(self, schema: int, what: str) -> None:
        if self.schema < schema:
            raise HubError(f"The office hub needs upgrading before this laptop can {what}: "
                           "ask IT to run adviser-hub upgrade.")

    def close(self) -> None:
        self._settle()
        try:
            self._conn.close()
        except Exception:  # closing a dead connection
            pass

    def __enter__(self) -> Hub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
