"""What SQLCipher says about a case book file, on a connection store.db has opened: both
integrity checks, and what an error means (damage, a full disk, a wrong key, another app
holding it, or another disk problem). Only SQLite's own verdicts count as damage, so a full or
failing disk never leads to quarantining a healthy file."""

from __future__ import annotations

import errno
import threading
from typing import Any

import sqlcipher3

from adviser_app.store.errors import (CaseBookDamaged, CaseBookError, CaseBookInUse,
                                      CheckStopped, DiskFull, DiskProblem, WrongKey)


def is_damage(exc: BaseException) -> bool:
    """True when *exc* is SQLite reporting a damaged file (a page that fails its check)."""
    if not isinstance(exc, sqlcipher3.DatabaseError):
        return False
    if getattr(exc, "sqlite_errorname", "") in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        return True
    text = str(exc)
    return "malformed" in text or "not a database" in text


def read_problem(exc: sqlcipher3.DatabaseError) -> CaseBookError:
    """What an error while reading the file means. Only SQLite's own verdicts count as damage:
    a full or failing disk is not, so it never leads to quarantining a healthy file."""
    name = getattr(exc, "sqlite_errorname", "")
    text = str(exc)
    if "locked" in text or name.startswith("SQLITE_BUSY") or name.startswith("SQLITE_LOCKED"):
        return CaseBookInUse()
    if name == "SQLITE_FULL" or "disk is full" in text:
        return DiskFull()
    if name == "SQLITE_NOTADB" or "not a database" in text:
        return WrongKey()  # what SQLCipher says when the HMAC fails on page 1
    if name.startswith("SQLITE_CORRUPT") or "malformed" in text:
        return CaseBookDamaged("a damaged page was found")
    return DiskProblem(name or type(exc).__name__)


def first_read(conn: Any) -> None:
    """Read page 1: tells a wrong key or a damaged first page from a readable file."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except sqlcipher3.DatabaseError as exc:
        raise read_problem(exc) from None


def is_disk_full(exc: BaseException | None) -> bool:
    """Whether *exc* (or what caused it) is the disk running out of space."""
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return True
        if isinstance(exc, DiskFull):
            return True
        if isinstance(exc, sqlcipher3.DatabaseError) and (
                getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL"
                or "disk is full" in str(exc)):
            return True
        exc = exc.__cause__
    return False


def check_pages(conn: Any, stop: threading.Event | None) -> None:
    """HMAC check of every page and SQLite's own check, on *conn* (CaseBookDamaged, or
    WrongKey when page 1 can't be read). Setting *stop* makes it give up soon."""
    if stop is not None:
        conn.set_progress_handler(lambda: 1 if stop.is_set() else 0, 1000)
    first_read(conn)
    try:
        bad_pages = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        if stop is not None and stop.is_set():
            raise CheckStopped()
        quick = conn.execute("PRAGMA quick_check").fetchall()
    except sqlcipher3.DatabaseError as exc:
        problem = read_problem(exc)
        raise (CaseBookDamaged("a damaged page was found") if isinstance(problem, WrongKey)
               else problem) from None
    if bad_pages:
        raise CaseBookDamaged(f"{len(bad_pages)} damaged page(s) found")
    if quick != [("ok",)]:
        raise CaseBookDamaged("the database structure check failed")
