"""When the case book's WAL is folded into its main file (checkpoints), other than SQLite's
automatic one every 1,000 pages: a check or backup holds the main file still while it reads
it (hold_main_file), and a window's first load checkpoints by hand, each time in a step of
its own (checkpoints_by_hand). The connection's settings only; nothing here is stored.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlcipher3
from sqlite_utils import Database

from adviser_app.store import anchoring, integrity
from adviser_app.store.db import is_open
from adviser_app.store.errors import CaseBookError


def hold_main_file(db: Database) -> None:
    """Fold the WAL into the main file and pause automatic checkpoints: from now until
    release_main_file the main file does not change (saves go on into the WAL), so another
    thread can check or copy it without taking the case book's lock."""
    try:
        busy, frames, copied = db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlcipher3.DatabaseError as exc:
        raise integrity.read_problem(exc) from None
    if busy or frames != copied:
        raise CaseBookError("The case book is busy; the check or backup was not started.")
    _HELD.add(db)
    _set_auto_checkpoint(db)


def release_main_file(db: Database) -> None:
    """Automatic checkpoints again (SQLite's default of every 1,000 pages), unless a window's
    first load is checkpointing by hand meanwhile (checkpoints_by_hand)."""
    _HELD.discard(db)
    if is_open(db):
        _set_auto_checkpoint(db)


def main_file_held(db: Database) -> bool:
    """Whether a check or backup holds the main file (hold_main_file): no checkpoint now."""
    return db in _HELD


# Case books whose main file is held, and those checkpointed by hand: either way no COMMIT
# runs SQLite's automatic checkpoint meanwhile.
_HELD: weakref.WeakSet[Database] = weakref.WeakSet()
_BY_HAND: weakref.WeakSet[Database] = weakref.WeakSet()
AUTO_CHECKPOINT_PAGES = 1000
"""SQLite's default: a COMMIT that leaves this many pages in the WAL checkpoints it."""


def _set_auto_checkpoint(db: Database) -> None:
    pages = 0 if db in _HELD or db in _BY_HAND else AUTO_CHECKPOINT_PAGES
    db.conn.execute(f"PRAGMA wal_autocheckpoint = {pages}")


@contextmanager
def checkpoints_by_hand(db: Database) -> Iterator[None]:
    """While a window writes a large load in short steps on its GUI thread: no COMMIT runs
    the automatic checkpoint (copying 1,000 pages into the main file with two fsyncs, on top
    of that step's own work); the caller checkpoints with checkpoint_now in a step of its own
    whenever wal_pages reaches AUTO_CHECKPOINT_PAGES, so the WAL stays as bounded as ever.
    Afterwards (or as the case book locks) automatic checkpoints again. A crash meanwhile
    leaves at most the unchecked WAL, which SQLite replays on the next open as always."""
    _BY_HAND.add(db)
    _set_auto_checkpoint(db)
    try:
        yield
    finally:
        _BY_HAND.discard(db)
        if is_open(db):
            _set_auto_checkpoint(db)


def wal_file(db: Database) -> Path | None:
    path = anchoring.path_of(db)
    return None if path is None else Path(f"{path}-wal")


def flush_wal_file(wal: Path) -> None:
    """Make what SQLite has written to the WAL so far durable (fsync), from any thread and
    without the connection: a window's first load does it on its worker thread before each
    checkpoint, whose own flush of the WAL then finds little left to wait for (waits of 5 to
    60 ms moved off the GUI thread). Only an aid: a failure is ignored, the checkpoint syncs
    as ever. Closing this descriptor drops no lock: SQLite locks the main file and its -shm
    index, never the WAL. (Never do this to the main file: on POSIX, closing a second
    descriptor of it would drop the case book's exclusive lock; see db.copy_held_file.)"""
    try:
        fd = os.open(wal, os.O_RDWR if os.name == "nt" else os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def wal_pages(db: Database) -> int:
    """About how many pages the WAL holds: its size, which checkpoint_now empties (before the
    first one it may count pages already checkpointed, so it is never an underestimate)."""
    wal = wal_file(db)
    if wal is None:
        return 0
    try:
        size = wal.stat().st_size
    except FileNotFoundError:
        return 0
    page_size = int(db.conn.execute("PRAGMA page_size").fetchone()[0])
    return max(0, size - _WAL_HEADER) // (page_size + _FRAME_HEADER)


_WAL_HEADER, _FRAME_HEADER = 32, 24


def checkpoint_now(db: Database) -> bool:
    """Fold the WAL into the main file and empty it; False (nothing done) while a check or
    backup holds the main file, or when something was still reading."""
    if db in _HELD:
        return False
    busy, _, _ = db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return not busy
