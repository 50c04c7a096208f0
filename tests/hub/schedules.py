"""Jepsen-style fault schedules for the team register, and the checker of its promise.

Several laptops with real encrypted case books edit a few hot records, each edit writing a
unique value, and sync at random while faults are injected (the hub crashes at any step, the
line drops before a commit, the answer is lost after a commit, a pull is cut off half way).
Then the hub is up and everyone syncs twice with no faults. The checker reads the recorded
history: every save the laptop was told had succeeded must be the hub's current value, or
knowingly replaced (a later accepted edit had it as its base), or held in an open conflict;
and every laptop must hold exactly the hub's records and open conflicts.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub.laptops import Laptop
from hub.pg import HubDb, PgCluster

from adviser_app.store import families
from adviser_app.sync.errors import HubError

FIELDS = ("family_name", "notes")
POINTS = ("info:before", "push:before", "push:before_commit", "push:after_commit",
          "audit:before_commit", "pull:before", "pull:before_commit", "pull:after_commit")

LWW_SQL = """
CREATE OR REPLACE FUNCTION hub.merge_decision(hub_value jsonb, base jsonb, new_value jsonb)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN hub_value IS NOT DISTINCT FROM new_value THEN 'same' ELSE 'apply' END
$$;
"""
"""The last-writer-wins control: the checker must catch it in every schedule."""


class Injected(OSError):
    """A fault the schedule injects (the line drops, the answer is lost)."""


@dataclass
class Save:
    laptop: str
    key: str
    field: str
    value: str


@dataclass
class Outcome:
    seed: int
    saves: list[Save] = field(default_factory=list)
    crashes: int = 0
    faults: dict[str, int] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)
    diverged: list[str] = field(default_factory=list)
    conflicts: int = 0


class Schedule:
    def __init__(self, pg: PgCluster, folder: Path, seed: int, *, laptops: int = 3,
                 steps: int = 30, lww: bool = False) -> None:
        self.pg = pg
        self.rng = random.Random(seed)
        self.outcome = Outcome(seed)
        self.hub = HubDb(pg, folder)
        if lww:
            with self.hub.admin() as conn:
                conn.execute("SET ROLE adviser_hub_owner")
                conn.execute(LWW_SQL)
        self.laptops = [Laptop(folder / f"s{seed}", self.hub.add_user(), f"l{i}")
                        for i in range(laptops)]
        self.steps = steps
        self.counter = 0
        self.keys: list[str] = []

    # --- actions -----------------------------------------------------------------------
    def _unique(self, laptop: Laptop) -> str:
        self.counter += 1
        return f"{laptop.name}-{self.counter}"

    def edit(self, laptop: Laptop, key: str, name: str) -> None:
        row = laptop.db.execute("SELECT family_name, notes FROM family WHERE id = ?",
                                [key]).fetchone()
        if row is None:
            return  # deleted here
        value = self._unique(laptop)
        current = dict(zip(FIELDS, row, strict=True))
        current[name] = value
        with laptop.db.atomic():
            families.update_family(laptop.db, key, current["family_name"], current["notes"],
                                   laptop.name)
        self.outcome.saves.append(Save(laptop.name, key, name, value))

    def delete(self, laptop: Laptop, key: str) -> None:
        with laptop.db.atomic():
            laptop.db.execute("DELETE FROM family WHERE id = ?", [key])

    def sync(self, laptop: Laptop, fault: str | None = None) -> None:
        point = self.rng.choice(POINTS)
        cut_at = self.rng.randrange(3)

        def at(name: str) -> None:
            if fault == "crash" and name == point:
                self.pg.crash()
                self.outcome.crashes += 1
            elif fault == "drop" and name == point and name.endswith("before_commit"):
                raise Injected("the line dropped before the commit")
            elif fault == "ack_lost" and name == point and name.endswith("after_commit"):
                raise Injected("the answer was lost after the commit")

        def page_check(number: int) -> None:
            if fault == "cut_pull" and number == cut_at:
                raise Injected("the pull was cut off half way")

        if fault == "drop":
            point = self.rng.choice([p for p in POINTS if p.endswith("before_commit")])
        elif fault == "ack_lost":
            point = self.rng.choice([p for p in POINTS if p.endswith("after_commit")])
        if fault:
            self.outcome.faults[fault] = self.outcome.faults.get(fault, 0) + 1
        try:
            laptop.sync(fault=at, page_size=3, page_check=page_check)
        except (HubError, Injected):
            pass
        if not self.pg.is_running():
            self.pg.restart_after_crash()

    # --- the run -----------------------------------------------------------------------
    def run(self) -> Outcome:
        first = self.laptops[0]
        with first.db.atomic():
            self.keys = [families.insert_family(first.db, f"Hot {i}", "setup")
                         for i in range(2)]
        for laptop in self.laptops:
            laptop.sync()
        # a sure clash: two laptops edit one field before either syncs
        self.edit(self.laptops[0], self.keys[0], "notes")
        self.edit(self.laptops[1], self.keys[0], "notes")
        self.sync(self.laptops[0])
        self.sync(self.laptops[1])
        for _ in range(self.steps):
            laptop = self.rng.choice(self.laptops)
            roll = self.rng.random()
            if roll < 0.6:
                self.edit(laptop, self.rng.choice(self.keys), self.rng.choice(FIELDS))
            elif roll < 0.62:
                self.delete(laptop, self.keys[1])
            else:
                fault = self.rng.choice([None, None, "crash", "drop", "ack_lost", "cut_pull"])
                self.sync(laptop, fault)
        if self.outcome.crashes == 0:  # every schedule has at least one real hub crash
            self.sync(self.rng.choice(self.laptops), "crash")
            while self.outcome.crashes == 0:
                self.sync(self.rng.choice(self.laptops), "crash")
        for _ in range(2):  # two quiet rounds
            for laptop in self.laptops:
                # (a crash loses nothing committed: the hub must never look restored)
                assert not laptop.sync().hub_behind, "after a crash the hub looked restored"
        check(self)
        for laptop in self.laptops:
            laptop.close()
        return self.outcome


def _hub_state(schedule: Schedule) -> tuple[dict[str, Any], list[tuple[Any, ...]],
                                            list[tuple[Any, ...]]]:
    with schedule.hub.admin() as conn:
        records = {json.loads(k)[0]: (fields, deleted) for k, fields, deleted in conn.execute(
            "SELECT row_key, fields, deleted FROM hub.record WHERE tbl = 'family'")}
        history = conn.execute("SELECT row_key, field, base, new_value FROM hub.field_history "
                               "WHERE tbl = 'family'").fetchall()
        conflicts = conn.execute("SELECT id, row_key, field, incoming FROM hub.conflict "
                                 "WHERE tbl = 'family' AND status = 'open'").fetchall()
    return records, history, conflicts


def check(schedule: Schedule) -> None:
    out = schedule.outcome
    records, history, conflicts = _hub_state(schedule)
    replaced: set[tuple[str, str, str]] = set()
    for key, fld, base, new in history:
        k = json.loads(key)[0]
        if fld == "*" and new is None and isinstance(base, dict):
            for f, v in base.items():
                replaced.add((k, f, json.dumps(v)))
        elif fld != "*" and base is not None:
            replaced.add((k, fld, json.dumps(base)))
    held = {(json.loads(k)[0], f, json.dumps(v)) for _, k, f, v in conflicts}
    for save in out.saves:
        fields, deleted = records.get(save.key, ({}, True))
        current = not deleted and fields.get(save.field) == save.value
        triple = (save.key, save.field, json.dumps(save.value))
        if not (current or triple in replaced or triple in held):
            out.violations.append(f"{save.laptop} saved {save.field}={save.value!r} on "
                                  f"{save.key[:8]}: silently overwritten")
    out.conflicts = len(conflicts)
    hub_ids = sorted(c[0] for c in conflicts)
    for laptop in schedule.laptops:
        mine = {k: {c: v for c, v in row.items()} for k, row in laptop.rows("family").items()}
        theirs = {k: f for k, (f, d) in records.items() if not d}
        if mine != theirs:
            out.diverged.append(f"{laptop.name}: records differ from the hub's")
        if sorted(c["id"] for c in laptop.conflicts()) != hub_ids:
            out.diverged.append(f"{laptop.name}: open conflicts differ from the hub's")
        if laptop.db.execute("SELECT count(*) FROM sync_change").fetchone()[0]:
            out.diverged.append(f"{laptop.name}: changes still pending")
