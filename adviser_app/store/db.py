"""The one module that opens case book files: SQLCipher, raw key, pragmas, checks, migrations.

Nothing else in the app opens a database file. The stdlib sqlite3 module is never used, so a
case book can't be created or read unencrypted by mistake.
"""

from __future__ import annotations

import os
import threading
import weakref
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3

from adviser_app.store import migrate
from adviser_app.store.errors import (CaseBookDamaged, CaseBookError, CaseBookExists,
                                      CaseBookInUse, CaseBookMissing, CheckStopped,
                                      DiskProblem,
                                      EncryptionMissing, NotEncrypted, UnsafeLocation, WrongKey)
from adviser_app.store.location import location_problem

if TYPE_CHECKING:
    from sqlite_utils import Database


def __getattr__(name: str) -> Any:
    """`Database` on demand: sqlite-utils takes a while to load, and checking for SQLCipher
    at start (check_encryption) does not need it."""
    if name == "Database":
        from sqlite_utils import Database

        return Database
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["Database", "open_case_book", "create_case_book", "check_encryption",
           "check_new_place", "close_case_book", "data_key", "is_open", "verify_file",
           "hold_main_file", "release_main_file", "copy_held_file", "is_damage"]

MIN_CIPHER_MAJOR = 4
_PLAIN_HEADER = b"SQLite format 3\x00"
_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA foreign_keys = ON",
    "PRAGMA trusted_schema = OFF",
    "PRAGMA locking_mode = EXCLUSIVE",
    # 64 MB of decrypted pages (SQLite's default is 2 MB): searching a big case book reads the
    # same pages again and again, and each miss means decrypting and checking a page again.
    "PRAGMA cache_size = -65536",
    # Deleted content is overwritten with zeros, so an erased record leaves no words behind in
    # free pages (data protection: erasure that stays erased).
    "PRAGMA secure_delete = ON",
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


def _connect(path: Path, key: bytes, *, snapshot: bool = False) -> Any:
    """A connection to *path*. A snapshot connection reads the main file as it is, taking no
    locks and ignoring any WAL: only for a file nobody is changing (a held or copied one)."""
    if len(key) != 32:
        raise ValueError("a case book key is 32 bytes")
    target = f"{path.resolve().as_uri()}?immutable=1" if snapshot else str(path)
    conn = sqlcipher3.connect(target, timeout=0, isolation_level=None,
                              check_same_thread=True, uri=snapshot)
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


def verify_file(path: Path, key: bytes, *, snapshot: bool = False,
                stop: threading.Event | None = None) -> None:
    """Raise CaseBookDamaged (or WrongKey) unless *path* passes both integrity checks.

    With *snapshot*, the main file is read as it stands (see hold_main_file), so this can run
    on another thread while the case book is open. Setting *stop* makes it give up soon with
    CheckStopped."""
    _verify(path, key, snapshot=snapshot, stop=stop)


def is_damage(exc: BaseException) -> bool:
    """True when *exc* is SQLite reporting a damaged file (a page that fails its check)."""
    if not isinstance(exc, sqlcipher3.DatabaseError):
        return False
    if getattr(exc, "sqlite_errorname", "") in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        return True
    text = str(exc)
    return "malformed" in text or "not a database" in text


def _read_problem(exc: sqlcipher3.DatabaseError) -> CaseBookError:
    """What an error while reading the file means. Only SQLite's own verdicts count as damage:
    a full or failing disk is not, so it never leads to quarantining a healthy file."""
    name = getattr(exc, "sqlite_errorname", "")
    text = str(exc)
    if "locked" in text or name.startswith("SQLITE_BUSY") or name.startswith("SQLITE_LOCKED"):
        return CaseBookInUse()
    if name == "SQLITE_NOTADB" or "not a database" in text:
        return WrongKey()  # what SQLCipher says when the HMAC fails on page 1
    if name.startswith("SQLITE_CORRUPT") or "malformed" in text:
        return CaseBookDamaged("a damaged page was found")
    return DiskProblem(name or type(exc).__name__)


def _first_read(conn: Any) -> None:
    """Read page 1: tells a wrong key or a damaged first page from a readable file."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except sqlcipher3.DatabaseError as exc:
        raise _read_problem(exc) from None


def _verify(path: Path, key: bytes, *, snapshot: bool = False,
            stop: threading.Event | None = None) -> None:
    """HMAC check of every page and SQLite's own check, on a fresh short-lived connection."""
    try:
        _check_pages(path, key, snapshot, stop)
    except CaseBookError:
        if stop is not None and stop.is_set():  # interrupted: that says nothing about damage
            raise CheckStopped() from None
        raise


def _check_pages(path: Path, key: bytes, snapshot: bool, stop: threading.Event | None) -> None:
    conn = _connect(path, key, snapshot=snapshot)
    try:
        if stop is not None:
            conn.set_progress_handler(lambda: 1 if stop.is_set() else 0, 1000)
        _first_read(conn)
        try:
            bad_pages = conn.execute("PRAGMA cipher_integrity_check").fetchall()
            if stop is not None and stop.is_set():
                raise CheckStopped()
            quick = conn.execute("PRAGMA quick_check").fetchall()
        except sqlcipher3.DatabaseError as exc:
            problem = _read_problem(exc)
            raise (CaseBookDamaged("a damaged page was found") if isinstance(problem, WrongKey)
                   else problem) from None
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
    number = 1
    while target.exists():  # two upgrade attempts in one second: never overwrite the first
        number += 1
        target = folder / f"{path.stem}-pre-upgrade-v{version}-{stamp}-{number}.db"
    tmp = target.with_name(target.name + ".partial")
    tmp.unlink(missing_ok=True)
    dest = _connect(tmp, key)
    try:
        conn.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    try:
        _verify(tmp, key)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _open(path: Path, key: bytes) -> Database:
    conn = _connect(path, key)
    try:
        try:
            for pragma in _PRAGMAS:
                conn.execute(pragma)
            # take the exclusive lock now, so a second window is refused at once
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("COMMIT")
        except sqlcipher3.DatabaseError as exc:
            raise _read_problem(exc) from None
        migrations = migrate.known_migrations()
        pending = migrate.pending_migrations(conn, migrations)
        current = migrate.user_version(conn)
        if pending and current > 0:
            _backup_before_upgrade(conn, path, key, pending[-1].number)
        migrate.apply(conn, migrations)
    except BaseException:
        conn.close()
        raise
    from sqlite_utils import Database

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
    # Only the first page is read here, on a fresh connection: the full checks of every page
    # take seconds on a big case book, so they run on another thread once it is open (see
    # hold_main_file and services.backups.check_held).
    conn = _connect(path, key)
    try:
        _first_read(conn)
        upgrading = 0 < migrate.user_version(conn) < len(migrate.known_migrations())
    finally:
        conn.close()
    if upgrading:  # rare (after an app update): never upgrade, or back up, a damaged file
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


def hold_main_file(db: Database) -> None:
    """Fold the WAL into the main file and pause automatic checkpoints: from now until
    release_main_file the main file does not change (saves go on into the WAL), so another
    thread can check or copy it without taking the case book's lock."""
    busy, frames, copied = db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy or frames != copied:
        raise CaseBookError("The case book is busy; the check or backup was not started.")
    db.conn.execute("PRAGMA wal_autocheckpoint = 0")


def release_main_file(db: Database) -> None:
    """Automatic checkpoints again (SQLite's default of every 1,000 pages)."""
    if is_open(db):
        db.conn.execute("PRAGMA wal_autocheckpoint = 1000")


_CHUNK = 4 * 1024 * 1024


def copy_held_file(path: Path, target: Path, stop: threading.Event | None = None) -> None:
    """Copy the bytes of a held (or closed) case book to *target*, synced to disk. The copy is
    exactly as encrypted as the original; it is not checked here."""
    with path.open("rb") as source, target.open("xb") as dest:
        os.chmod(target, 0o600)
        while chunk := source.read(_CHUNK):
            if stop is not None and stop.is_set():
                raise CheckStopped()
            dest.write(chunk)
        dest.flush()
        os.fsync(dest.fileno())
