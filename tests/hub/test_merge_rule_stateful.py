"""The merge rule on its own, as a Hypothesis state machine against the hub's functions.

Clients hold what their screen shows of one record, edit fields with unique values, push
(sometimes twice, as after a lost answer), delete, and pull. After every step the promise
must hold for every pushed value: it is the hub's current value, or a later accepted edit had
it as its base, or it is held in an open conflict."""

from __future__ import annotations

import itertools
import json
import uuid
from typing import Any

import psycopg
import pytest
from hub.pg import HubDb
from hub.schedules import LWW_SQL
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (RuleBasedStateMachine, initialize, invariant, rule,
                                 run_state_machine_as_test)
from psycopg.types.json import Jsonb

FIELDS = ("a", "b")
CLIENTS = 3
_counter = itertools.count()


class MergeRule(RuleBasedStateMachine):
    conn: psycopg.Connection[Any]
    admin: psycopg.Connection[Any]

    @initialize()
    def start(self) -> None:
        self.key = json.dumps([str(uuid.uuid4())])
        self.view: list[dict[str, Any] | None] = [None] * CLIENTS  # what each screen shows
        self.pending: list[list[dict[str, Any]]] = [[] for _ in range(CLIENTS)]
        self.sent: list[list[dict[str, Any]]] = [[] for _ in range(CLIENTS)]
        self.pushed: list[tuple[str, Any]] = []
        creator = {"id": uuid.uuid4().hex, "table": "t", "key": self.key, "op": "insert",
                   "fields": {f: {"new": f"start-{f}"} for f in FIELDS}}
        self._push([creator])
        for client in range(CLIENTS):
            self.pull(client)

    def _push(self, changes: list[dict[str, Any]]) -> None:
        with self.conn.transaction():
            self.conn.execute("SELECT hub.sync_push('prop', 1, 8, %s)", [Jsonb(changes)])

    @rule(client=st.integers(0, CLIENTS - 1), field=st.sampled_from(FIELDS))
    def edit(self, client: int, field: str) -> None:
        view = self.view[client]
        if view is None:
            return  # deleted on this screen
        value = f"v{next(_counter)}"
        self.pending[client].append({"id": uuid.uuid4().hex, "table": "t", "key": self.key,
                                     "op": "update",
                                     "fields": {field: {"base": view[field], "new": value}}})
        view[field] = value

    @rule(client=st.integers(0, CLIENTS - 1))
    def delete(self, client: int) -> None:
        view = self.view[client]
        if view is None:
            return
        self.pending[client].append({"id": uuid.uuid4().hex, "table": "t", "key": self.key,
                                     "op": "delete",
                                     "fields": {f: {"base": view[f]} for f in FIELDS}})
        self.view[client] = None

    @rule(client=st.integers(0, CLIENTS - 1), again=st.booleans())
    def push(self, client: int, again: bool) -> None:
        changes = self.pending[client]
        if not changes:
            return
        self._push(changes)
        if again:  # the answer was lost: the same changes are sent again
            self._push(changes)
        for change in changes:
            for field, values in change["fields"].items():
                if "new" in values:
                    self.pushed.append((field, values["new"]))
        self.sent[client] = changes
        self.pending[client] = []

    @rule(client=st.integers(0, CLIENTS - 1))
    def retry_old(self, client: int) -> None:
        """A push retried long after: answered from the record, never applied twice."""
        if self.sent[client]:
            before = self._record()
            self._push(self.sent[client])
            assert self._record()[0:2] == before[0:2]

    @rule(client=st.integers(0, CLIENTS - 1))
    def pull(self, client: int) -> None:
        if self.pending[client]:
            return  # the sync pushes first; a screen with unsent edits keeps them
        fields, deleted, _ = self._record()
        self.view[client] = None if deleted else dict(fields)

    def _record(self) -> tuple[dict[str, Any], bool, int]:
        row = self.admin.execute("SELECT fields, deleted, version FROM hub.record WHERE "
                                 "tbl = 't' AND row_key = %s", [self.key]).fetchone()
        assert row is not None
        return row[0], row[1], row[2]

    @invariant()
    def no_pushed_value_is_silently_lost(self) -> None:
        if not hasattr(self, "key"):
            return
        fields, deleted, _ = self._record()
        bases = {(f, json.dumps(b)) for f, b in self.admin.execute(
            "SELECT field, base FROM hub.field_history WHERE tbl = 't' AND row_key = %s "
            "AND field <> '*'", [self.key])}
        for (base,) in self.admin.execute(
                "SELECT base FROM hub.field_history WHERE tbl = 't' AND row_key = %s "
                "AND field = '*' AND new_value IS NULL", [self.key]):
            bases.update((f, json.dumps(v)) for f, v in base.items())
        held = {(f, json.dumps(v)) for f, v in self.admin.execute(
            "SELECT field, incoming FROM hub.conflict WHERE tbl = 't' AND row_key = %s "
            "AND status = 'open'", [self.key])}
        for field, value in self.pushed:
            current = not deleted and fields.get(field) == value
            assert current or (field, json.dumps(value)) in bases | held, (field, value)

    @invariant()
    def each_change_is_applied_once(self) -> None:
        if not hasattr(self, "key"):
            return
        twice = self.admin.execute(
            "SELECT change_id FROM hub.field_history WHERE tbl = 't' AND row_key = %s AND "
            "change_id IS NOT NULL GROUP BY change_id, field HAVING count(*) > 1",
            [self.key]).fetchall()
        assert not twice


def test_the_merge_rule_keeps_its_promise(hub_db: HubDb, tmp_path: Any) -> None:
    _run(hub_db, tmp_path)


def test_the_state_machine_catches_last_writer_wins(hub_db: HubDb, tmp_path: Any) -> None:
    with hub_db.admin() as conn:
        conn.execute("SET ROLE adviser_hub_owner")
        conn.execute(LWW_SQL)
    with pytest.raises(AssertionError):
        _run(hub_db, tmp_path, shrink=False)  # finding it is enough: no time spent shrinking


def _run(hub_db: HubDb, tmp_path: Any, shrink: bool = True) -> None:
    user = hub_db.add_user()
    ca = tmp_path / "ca.crt"
    ca.write_text(user.ca_pem)
    conn = psycopg.connect(host=user.host, port=user.port, dbname=user.dbname,
                           user=user.user, password=user.password, sslmode="verify-full",
                           sslrootcert=str(ca), autocommit=True)
    admin = hub_db.admin()
    MergeRule.conn = conn
    MergeRule.admin = admin
    try:
        run_state_machine_as_test(MergeRule, settings=settings(
            max_examples=40, stateful_step_count=25, deadline=None, derandomize=True,
            database=None, phases=list(Phase) if shrink else [Phase.generate],
            suppress_health_check=[HealthCheck.too_slow]))
    finally:
        conn.close()
        admin.close()
