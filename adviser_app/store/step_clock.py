"""A window's time for one write of pulled records (one transaction, one step on its GUI
thread; store.sync_pull writes the pages).

Rows are written a chunk at a time; after each chunk the clock is asked whether there is
time for another one and the commit still to come. Both costs are learnt as the load goes,
for each kind of row (a table, or rows parked and tried again), because they differ by far
more than the time they are meant to fit: on a new laptop's first load of 1,000 families a
case cost 1.3 ms to write and 0.14 ms to commit, a note's later version 0.07 ms and 0.004 ms.
A single rate for every kind let steps that moved from one kind to another overrun their
40 ms by 30 to 50 ms (a commit of 17 ms where 3 were expected; benchmarks/README.md).

A cost rises at once to what was seen and falls by halves: a step that guessed low is
followed by shorter ones, not by another overrun.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

FIRST_COMMIT_PER_ROW = 2e-4
"""The commit's cost (seconds a row) of a kind not seen yet, before anything is learnt:
above the dearest kind measured (a case, 0.14 ms)."""


LEARNT_FROM = 5
"""Rows a chunk needs for its time to be learnt from (one row's time is mostly noise)."""
LEAST_PER_ROW = 1e-6
"""No cost is learnt below this (one that reached 0 could never take a share of a commit)."""


def _learnt(known: float | None, seen: float) -> float:
    """Up at once, down by halves."""
    seen = max(seen, LEAST_PER_ROW)
    return seen if known is None or seen >= known else (known + seen) / 2


@dataclass
class StepClock:
    """*seconds*: the time one write may hold the window, its commit included. The writer
    counts the rows of each table it writes in *rows* (a new Counter at each start)."""

    seconds: float
    deadline: float = 0.0
    write_per_row: dict[str, float] = field(default_factory=dict)
    commit_per_row: dict[str, float] = field(default_factory=dict)
    rows: Counter[str] = field(default_factory=Counter)
    _mark: float = 0.0

    def start(self) -> Counter[str]:
        """A step begins: its deadline set, and the Counter its writer counts rows in."""
        self._mark = time.perf_counter()
        self.deadline = self._mark + self.seconds
        self.rows = Counter()
        return self.rows

    def mark(self) -> None:
        """The first chunk's rows begin now (what came before is no row's cost)."""
        self._mark = time.perf_counter()

    def over(self, kind: str, rows: int, next_kind: str | None = None,
             next_rows: int | None = None) -> bool:
        """A chunk of *rows* rows of *kind* (a table, or another name for a kind of work)
        has just been written, with all that goes with it: whether another chunk, of
        *next_rows* rows of *next_kind* (by default like this one), and the commit of them
        all would pass the deadline. A kind not timed yet is expected to be as slow as the
        slowest timed."""
        now = time.perf_counter()
        if rows >= LEARNT_FROM:
            self.write_per_row[kind] = _learnt(self.write_per_row.get(kind),
                                               (now - self._mark) / rows)
        self._mark = now
        coming_kind = kind if next_kind is None else next_kind
        coming = rows if next_rows is None else next_rows
        per_row = self.write_per_row.get(coming_kind, max(self.write_per_row.values(),
                                                          default=0.0))
        return (now + coming * per_row + self.commit_estimate(coming_kind, coming)
                >= self.deadline)

    def commit_estimate(self, kind: str = "", more: int = 0) -> float:
        """Seconds the commit of the rows counted so far, and *more* of *kind*, should take."""
        unknown = max(self.commit_per_row.values(), default=FIRST_COMMIT_PER_ROW)
        return sum(count * self.commit_per_row.get(table, unknown)
                   for table, count in (self.rows + Counter({kind: more})).items())

    def committed(self, seconds: float) -> None:
        """The step's commit took *seconds*: each table written takes its share, in
        proportion to what was expected of it."""
        unknown = max(self.commit_per_row.values(), default=FIRST_COMMIT_PER_ROW)
        expected = {table: count * self.commit_per_row.get(table, unknown)
                    for table, count in self.rows.items() if count}
        total = sum(expected.values())
        if total <= 0:
            return
        for table, share in expected.items():
            self.commit_per_row[table] = _learnt(self.commit_per_row.get(table),
                                                 seconds * share / total / self.rows[table])
