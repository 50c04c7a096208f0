"""Keeping the anchor beside an open case book up to date (see store.anchor): where each open
case book's file is, the audit head its anchor last recorded, and the anchor moved on after
every committed change that added to the audit log. These work on a connection store.db has
opened; they open no database file themselves."""

from __future__ import annotations

import logging
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3

from adviser_app.store.anchor import Anchor, Head, read_anchor, write_anchor

if TYPE_CHECKING:
    from sqlite_utils import Database

# Where each open case book's file is, for its anchor.
_PATHS: weakref.WeakKeyDictionary[Database, Path] = weakref.WeakKeyDictionary()
_ANCHORED: dict[Path, Head] = {}  # the head last written to each anchor


def follow(db: Database, path: Path) -> None:
    """From now on move *db*'s anchor (beside *path*) on after each outermost commit."""
    db.atomic = _anchored_atomic(db)  # type: ignore[method-assign]
    _PATHS[db] = path


def path_of(db: Database) -> Path | None:
    """Where the open case book's file is (None once it is closed)."""
    return _PATHS.get(db)


def open_paths() -> list[Path]:
    """The files of every case book open in this process."""
    return list(_PATHS.values())


def let_go(db: Database) -> Path | None:
    """Stop following *db* (it has closed); returns where its file is."""
    return _PATHS.pop(db, None)


def record_head(conn: Any, path: Path, *, closed_cleanly: bool,
                forward_only: bool = False) -> None:
    """Write the file's audit head to the anchor beside *path* (with *forward_only*, never
    one behind what it last recorded)."""
    head_now = head(conn)
    anchored = _ANCHORED.get(path)
    if forward_only and anchored is not None and head_now.seq < anchored.seq:
        head_now = anchored  # entries went missing while open: the anchor keeps what it had
    write_anchor(path, Anchor(head_now, closed_cleanly))
    _ANCHORED[path] = head_now


def anchored_head(db: Database) -> Head | None:
    """The audit head recorded outside the open case book's file (None if there is none)."""
    path = _PATHS.get(db)
    anchor = read_anchor(path) if path is not None else None
    return anchor.head if anchor is not None else None


def _after_commit(db: Database) -> None:
    """After a committed transaction: move the anchor on if the audit log grew. A failure
    to write it (a full disk) is logged: the save itself is committed, and an anchor that
    lags behind the file is allowed."""
    path = _PATHS.get(db)
    if path is None:
        return
    try:
        now, anchored = head(db.conn), _ANCHORED.get(path)
        # Only ever forward: entries removed from the file never take the anchor back with
        # them (the audit log's Verify then finds them missing).
        if anchored is None or (now.seq > anchored.seq and holds(db.conn, anchored)):
            record_head(db.conn, path, closed_cleanly=False)
    except (OSError, sqlcipher3.DatabaseError) as exc:
        logging.getLogger(__name__).warning("The case book's anchor could not be written: %s",
                                            type(exc).__name__)


def _anchored_atomic(db: Database) -> Any:
    """sqlite-utils' atomic() for *db*, moving the anchor on after the outermost COMMIT."""
    plain = db.atomic
    conn = db.conn
    ref = weakref.ref(db)

    @contextmanager
    def atomic() -> Any:
        outermost = not conn.in_transaction
        with plain() as inside:
            yield inside
        held = ref()
        if outermost and held is not None:
            _after_commit(held)
    return atomic


def head(conn: Any) -> Head:
    """The newest audit entry (seq 0 when there is none, or no audit log yet)."""
    try:
        row = conn.execute("SELECT seq, mac, at FROM audit_log ORDER BY seq DESC LIMIT 1"
                           ).fetchone()
    except sqlcipher3.OperationalError as exc:
        if "no such table" in str(exc):
            return Head(0, "", "")
        raise
    return Head(int(row[0]), str(row[1]), str(row[2])) if row else Head(0, "", "")


def holds(conn: Any, entry: Head) -> bool:
    """Whether the file's audit chain holds *entry* (the same entry at the same number)."""
    if entry.seq == 0:
        return True
    try:
        row = conn.execute("SELECT mac FROM audit_log WHERE seq = ?", [entry.seq]).fetchone()
    except sqlcipher3.OperationalError:
        return False
    return row is not None and row[0] == entry.mac
