"""The search indexes' merges during a window's first load of the office register, done in
steps of their own.

Each full-text index (FTS5) is a set of segments that SQLite merges as words are added: by
default, every 64 leaf pages a statement writes, that statement also merges 64 pages for
each level the index has. In a window's first load, the statement that happened to cross
that line took 10 to 30 ms longer, and its commit wrote the merged pages too (up to 50 ms
more): the rare steps of 80 to 120 ms (benchmarks/README.md).

While a window loads the register, those automatic merges are off ('automerge' 0) and the
load calls merge_step between writes: the same work in slices of SLICE pages, in a
transaction of its own, while its clock has time. Searching goes on meanwhile (a few more
segments to read). When the load ends, fails or is stopped, automatic merging comes back;
if the app was killed part way, the next load or the next opening of the case book puts it
back (restore).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database

from adviser_app.store.db import is_open
from adviser_app.store.step_clock import StepClock
from adviser_app.store.sync_pull import step_transaction

INDEXES = ("case_search", "case_search_header", "case_search_name")
AUTOMERGE = 4
"""SQLite's default: segments on one level that make a merge."""
SLICE = 16
"""Pages of merged index written by one 'merge' command (a few milliseconds)."""


def _write_automerge(db: Database, segments: int) -> None:
    for index in INDEXES:
        db.execute(f"INSERT INTO {index} ({index}, rank) VALUES ('automerge', ?)", [segments])


def _automerge(db: Database, index: str) -> int:
    row = db.execute(f"SELECT v FROM {index}_config WHERE k = 'automerge'").fetchone()
    return AUTOMERGE if row is None else int(row[0])


@contextmanager
def merging_by_hand(db: Database) -> Iterator[None]:
    """While a window loads the register: no merge inside the load's writes (merge_step
    does them); automatic merging back afterwards, however the load ends. Each setting is
    written in a commit that does not wait for the disk (step_transaction): one lost to a
    power cut leaves merging on (harmless) or off until the next opening (restore)."""
    with step_transaction(db, None):
        _write_automerge(db, 0)
    try:
        yield
    finally:
        if is_open(db):  # (locking closed it first: the next opening puts it back)
            with step_transaction(db, None):
                _write_automerge(db, AUTOMERGE)


def restore(db: Database) -> bool:
    """Automatic merging back, if a load killed part way left it off (the caller knows no
    load is under way, and holds the transaction); True if it was off."""
    if all(_automerge(db, index) == AUTOMERGE for index in INDEXES):
        return False
    _write_automerge(db, AUTOMERGE)
    return True


def merge_step(db: Database, clock: StepClock) -> bool:
    """Merge the indexes' segments, SLICE pages at a time, while *clock* has time (at least
    one slice), in one transaction; whether merging is left to do."""
    with step_transaction(db, clock):
        for index in INDEXES:
            kind = f"merging {index}"
            while True:
                before = db.conn.total_changes
                db.execute(f"INSERT INTO {index} ({index}, rank) VALUES ('merge', ?)", [SLICE])
                if db.conn.total_changes - before < 2:  # (SQLite's sign of no work done)
                    break
                clock.rows[kind] += SLICE
                if clock.over(kind, SLICE):
                    return True
    return False
