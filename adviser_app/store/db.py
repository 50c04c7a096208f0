"""The one module that opens case book files: SQLCipher, raw key, pragmas, checks, migrations.

Nothing else in the app opens a database file. The stdlib sqlite3 module is never used, so a
case book can't be created or read unencrypted by mistake.
"""

from __future__ import annotations

import os
import weakref
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlite_utils import Database

from adviser_app.store import migrate
from adviser_app.store.errors import (CaseBookDamaged, CaseBookError, CaseBookExists,
                                      CaseBookInUse, CaseBookMissing,
                                      EncryptionMissing, NotEncrypted, UnsafeLocation, WrongKey)
from adviser_app.store.location import location_problem

__all__ = ["Database", "open_case_book", "create_case_book", "check_encryption",
           "check_new_place", "close_case_book", "data_key", "is_open", "verify_file",
           "write_backup"]

MIN_CIPHER_MAJOR = 4
_PLAIN_HEADER = b"SQLite format 3\x00"
_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA foreign_keys = ON",
    "PRAGMA trusted_schema = OFF",
    "PRAGMA locking_mode = EXCLUSIVE",
)


def check_encryption() -> str:
    """The SQLCipher version in use; refuses anything but SQLCipher 4 or later."""
    conn = sqlcipher3.connect(":memory:")
    try:
        row = conn.execute("PRAGMA cipher_version").fetchone()
    finally:
        conn.close()
    version = row[0] if row else ""
    if not version or int(version.split(".")[0]) < MIN_CIPHER_MAJOR:
        raise EncryptionMissing(f"found {version or 'no SQLCipher'}")
    return str(version)


def _connect(path: Path, key: bytes) -> Any:
    if len(key) != 32:
        raise ValueError("a case book key is 32 bytes")
    conn = sqlcipher3.connect(str(path), timeout=0, isolation_level=None,
                              check_same_thread=True)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


# The data key of each open case book, held as a bytearray so it can be wiped on close; the
# backup and audit code need it while the book is open.
_OPEN_KEYS: weakref.WeakKeyDictionary[Database, bytearray] = weakref.WeakKeyDictionary()


def data_key(db: Database) -> bytes:
    """The open case book's data key (for backups and the audit chain)."""
    try:
        return bytes(_OPEN_KEYS[db])
    except KeyError:
        raise CaseBookError("The case book is locked or closed.") from None


def is_open(db: Database) -> bool:
    """False once the case book has been closed or locked (its key wiped)."""
    return db in _OPEN_KEYS


def verify_file(path: Path, key: bytes) -> None:
    """Raise CaseBookDamaged (or WrongKey) unless *path* passes both integrity checks."""
    _verify(path, key)


def _verify(path: Path, key: bytes) -> None:
    """HMAC check of every page and SQLite's own check, on a fresh short-lived connection."""
    conn = _connect(path, key)
    try:
        try:
            conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        except sqlcipher3.DatabaseError as exc:
            text = str(exc)
            if "locked" in text:
                raise CaseBookInUse() from None
            if "not a database" in text:  # what SQLCipher says when the HMAC fails on page 1
                raise WrongKey() from None
            raise CaseBookDamaged("the file could not be read") from None
        try:
            bad_pages = conn.execute("PRAGMA cipher_integrity_check").fetchall()
            quick = conn.execute("PRAGMA quick_check").fetchall()
        except sqlcipher3.OperationalError as exc:
            if "locked" in str(exc):
                raise CaseBookInUse() from None
            raise CaseBookDamaged(type(exc).__name__) from None
        except sqlcipher3.DatabaseError as exc:
            raise CaseBookDamaged(type(exc).__name__) from None
        if bad_pages:
            raise CaseBookDamaged(f"{len(bad_pages)} damaged page(s) found")
        if quick != [("ok",)]:
            raise CaseBookDamaged("the database structure check failed")
    finally:
        conn.close()


def _backup_before_upgrade(conn: Any, path: Path, key: bytes, version: int) -> Path:
    folder = path.parent / "backups"
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{path.stem}-pre-upgrade-v{version}-{stamp}.db"
    dest = _connect(target, key)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def _open(path: Path, key: bytes) -> Database:
    conn = _connect(path, key)
    try:
        for pragma in _PRAGMAS:
            conn.execute(pragma)
        try:  # take the exclusive lock now, so a second window is refused at once
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("COMMIT")
        except sqlcipher3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise CaseBookInUse() from None
            raise
        migrations = migrate.known_migrations()
        pending = migrate.pending_migrations(conn, migrations)
        current = migrate.user_version(conn)
        if pending and current > 0:
            _backup_before_upgrade(conn, path, key, pending[-1].number)
        migrate.apply(conn, migrations)
    except BaseException:
        conn.close()
        raise
    db = Database(conn, execute_plugins=False)
    _OPEN_KEYS[db] = bytearray(key)
    return db


def check_new_place(path: Path) -> None:
    """Refuse, before anything is written, a place where a new case book can't go."""
    check_encryption()
    problem = location_problem(path.resolve())
    if problem:
        raise UnsafeLocation(problem)
    if path.exists():
        raise CaseBookExists()


def create_case_book(path: Path, key: bytes) -> Database:
    """Create a new encrypted case book at *path* (which must not exist yet)."""
    check_new_place(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return _open(path, key)


def open_case_book(path: Path, key: bytes) -> Database:
    """Open an existing case book: refuse plaintext, check integrity, lock, migrate."""
    check_encryption()
    problem = location_problem(path.resolve())
    if problem:
        raise UnsafeLocation(problem)
    if not path.is_file():
        raise CaseBookMissing("The case book file can't be found. Nothing was created.")
    with path.open("rb") as handle:
        header = handle.read(16)
    if header == _PLAIN_HEADER:
        raise NotEncrypted()
    if len(header) < 16:
        raise CaseBookDamaged("the file is empty or cut short")
    _verify(path, key)
    return _open(path, key)


def close_case_book(db: Database) -> None:
    """Checkpoint the WAL into the main file, close, and wipe the key from memory."""
    try:
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.conn.close()
        held = _OPEN_KEYS.pop(db, None)
        if held is not None:
            held[:] = bytes(len(held))


def write_backup(db: Database, target: Path) -> None:
    """Copy the open case book to *target* with SQLite's backup API (encrypted with the same
    key), then check the copy; the copy is written under a temporary name and renamed into
    place only once it has passed, so a half-written backup never looks like a good one."""
    key = data_key(db)
    tmp = target.with_name(target.name + ".partial")
    tmp.unlink(missing_ok=True)
    dest = _connect(tmp, key)
    try:
        db.conn.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    try:
        _verify(tmp, key)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
