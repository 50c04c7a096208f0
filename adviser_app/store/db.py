"""The one module that opens case book files: SQLCipher, raw key, pragmas, checks, migrations.

Nothing else in the app opens a database file. The stdlib sqlite3 module is never used, so a
case book can't be created or read unencrypted by mistake. What the checks and errors on a
connection mean is in store.integrity; keeping an open one's anchor up to date in
store.anchoring.
"""

from __future__ import annotations

import os
import threading
import weakref
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3

from adviser_app.store import anchoring, integrity, migrate
from adviser_app.store.anchor import Head, read_anchor
from adviser_app.store.errors import (CaseBookBehind, CaseBookDamaged, CaseBookError,
                                      CaseBookExists, CaseBookInUse, CaseBookMissing,
                                      CheckStopped, DiskFull, EncryptionMissing, NotEncrypted,
                                      UnsafeLocation, UpgradeFailed)
from adviser_app.store.files import owner_only
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
           "copy_held_file", "in_use", "behind_problem", "holds_anchor_state", "key_opens"]

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


def _connect(path: Path, key: bytes, *, snapshot: bool = False,
             read_only: bool = False) -> Any:
    """A connection to *path*. A snapshot connection reads the main file as it is, taking no
    locks and ignoring any WAL: only for a file nobody is changing (a held or copied one). A
    read-only one reads the file with its WAL and never checkpoints or removes the WAL, so
    what a crash left behind is still there afterwards."""
    if len(key) != 32:
        raise ValueError("a case book key is 32 bytes")
    uri = snapshot or read_only
    target = (f"{path.resolve().as_uri()}?immutable=1" if snapshot else
              f"{path.resolve().as_uri()}?mode=ro" if read_only else str(path))
    conn = sqlcipher3.connect(target, timeout=0, isolation_level=None,
                              check_same_thread=True, uri=uri)
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


def verify_file(path: Path, key: bytes, *, snapshot: bool = False, read_only: bool = False,
                stop: threading.Event | None = None) -> None:
    """Raise CaseBookDamaged (or WrongKey) unless *path* passes both integrity checks.

    With *snapshot*, the main file is read as it stands (see checkpoints.hold_main_file), so
    this can run on another thread while the case book is open. Setting *stop* makes it give up
    soon with CheckStopped. With *read_only*, the file is checked with its WAL, which is left as
    it is (for the IT check on a closed case book).
    """
    _verify(path, key, snapshot=snapshot, read_only=read_only, stop=stop)


def _verify(path: Path, key: bytes, *, snapshot: bool = False, read_only: bool = False,
            stop: threading.Event | None = None) -> None:
    """HMAC check of every page and SQLite's own check, on a fresh short-lived connection."""
    try:
        _check_pages(path, key, snapshot, read_only, stop)
    except CaseBookError:
        if stop is not None and stop.is_set():  # interrupted: that says nothing about damage
            raise CheckStopped() from None
        raise


def _check_pages(path: Path, key: bytes, snapshot: bool, read_only: bool,
                 stop: threading.Event | None) -> None:
    had_shm = Path(f"{path}-shm").exists()
    conn = _connect(path, key, snapshot=snapshot, read_only=read_only)
    try:
        integrity.check_pages(conn, stop)
    finally:
        if read_only:
            _close_read_only(conn, path, had_shm)
        else:
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
        owner_only(tmp)
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
            raise integrity.read_problem(exc) from None
        owner_only(path)
        owner_only(Path(f"{path}-wal"))
        migrations = migrate.known_migrations()
        pending = migrate.pending_migrations(conn, migrations)
        current = migrate.user_version(conn)
        try:
            if pending and current > 0:
                _backup_before_upgrade(conn, path, key, pending[-1].number)
            migrate.apply(conn, migrations)
        except (UpgradeFailed, sqlcipher3.DatabaseError, OSError) as exc:
            if integrity.is_disk_full(exc):
                raise DiskFull("Opening (or making) the case book") from exc
            raise
        anchoring.record_head(conn, path, closed_cleanly=False)
    except BaseException:
        conn.close()
        raise
    from sqlite_utils import Database

    db = Database(conn, execute_plugins=False)
    anchoring.follow(db, path)
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
    stale = read_anchor(path)  # an anchor left by a case book that is gone: not this one's
    if stale is not None:
        from adviser_app.store.anchor import anchor_path

        anchor_path(path).unlink()
    return _open(path, key)


def open_case_book(path: Path, key: bytes, *, accept_behind: bool = False) -> Database:
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
    # Only the first page is read here, on a fresh read-only connection (which leaves any WAL
    # a crash left exactly as it is): the full checks of every page take seconds on a big
    # case book, so they run on another thread once it is open (see checkpoints.hold_main_file and
    # services.backups.check_held). The audit log's head is compared with the anchor kept
    # outside the file: a file behind it is refused (CaseBookBehind) unless *accept_behind*.
    behind = behind_problem(path, key)
    if behind is not None and not accept_behind:
        raise behind
    conn, had_shm = _read_only(path, key)
    try:
        upgrading = 0 < migrate.user_version(conn) < len(migrate.known_migrations())
    finally:
        _close_read_only(conn, path, had_shm)
    if upgrading:  # rare (after an app update): never upgrade, or back up, a damaged file
        _verify(path, key)
    return _open(path, key)


def _read_only(path: Path, key: bytes) -> tuple[Any, bool]:
    """A read-only connection that has read page 1 (CaseBookError if that fails), and
    whether the shared-memory file was there before it."""
    had_shm = Path(f"{path}-shm").exists()
    conn = _connect(path, key, read_only=True)
    try:
        integrity.first_read(conn)
    except BaseException:
        _close_read_only(conn, path, had_shm)
        raise
    return conn, had_shm


def _close_read_only(conn: Any, path: Path, had_shm: bool) -> None:
    """Close; remove the shared-memory index a read-only look made (the app itself keeps it
    in memory), unless something else is using the file."""
    conn.close()
    if not had_shm and not in_use(path):  # (in_use removes it)
        Path(f"{path}-shm").unlink(missing_ok=True)


def behind_problem(path: Path, key: bytes) -> CaseBookBehind | None:
    """CaseBookBehind when the case book file (with its WAL) holds less than the anchor beside
    it recorded; None when it is level or ahead, or there is no anchor. Read-only: the file
    and whatever WAL a crash left are not changed."""
    anchor = read_anchor(path)
    conn, had_shm = _read_only(path, key)
    try:
        if anchor is None:
            return None
        try:
            found = anchoring.head(conn)
            if anchoring.holds(conn, anchor.head):
                return None
        except sqlcipher3.DatabaseError as exc:
            raise integrity.read_problem(exc) from None
    finally:
        _close_read_only(conn, path, had_shm)
    return CaseBookBehind(anchor.head.seq, anchor.head.at, found.seq, found.at,
                          anchor.closed_cleanly)


def holds_anchor_state(path: Path, key: bytes, seq: int, mac: str) -> bool:
    """Whether a closed copy (a backup) holds the audit entry *seq* with *mac*: it has
    everything the case book had when that entry was anchored."""
    conn = _connect(path, key, snapshot=True)
    try:
        return anchoring.holds(conn, Head(seq, mac, ""))
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.close()


def key_opens(path: Path, key: bytes) -> bool:
    """Whether *key* reads the first page of the (closed) case book at *path*."""
    try:
        conn, had_shm = _read_only(path, key)
    except CaseBookError:
        return False
    _close_read_only(conn, path, had_shm)
    return True


def in_use(path: Path) -> bool:
    """True while a running app holds *path* open (it keeps an exclusive lock on it). Needs
    no key: the lock is met before the first page is decrypted."""
    if not path.is_file():
        return False
    shm = Path(f"{path}-shm")
    had_shm = shm.exists()
    conn = sqlcipher3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0,
                              isolation_level=None)
    busy = False
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{bytes(32).hex()}'\"")
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except sqlcipher3.DatabaseError as exc:
        busy = isinstance(integrity.read_problem(exc), CaseBookInUse)
    finally:
        conn.close()
    if not busy and not had_shm:
        shm.unlink(missing_ok=True)
    return busy


def close_case_book(db: Database) -> None:
    """Checkpoint the WAL into the main file, close, and wipe the key from memory."""
    try:
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        path = anchoring.path_of(db)
        if path is not None:
            anchoring.record_head(db.conn, path, closed_cleanly=True, forward_only=True)
    finally:
        db.conn.close()
        closed = anchoring.let_go(db)
        if closed is not None:
            _close_kept(closed)
        held = _OPEN_KEYS.pop(db, None)
        if held is not None:
            held[:] = bytes(len(held))


_CHUNK = 4 * 1024 * 1024


def copy_held_file(path: Path, target: Path, stop: threading.Event | None = None) -> None:
    """Copy the bytes of a held (or closed) case book to *target*, synced to disk. The copy is
    exactly as encrypted as the original; it is not checked here.

    On POSIX, closing any descriptor of a file drops every lock this process holds on it,
    including the open case book's exclusive lock (then another process could open it, or an
    IT command restore it, under the running app). So a descriptor of an open case book's
    file is kept open until the case book closes, as SQLite does with its own."""
    fd = os.open(path, os.O_RDONLY)
    try:
        with target.open("xb") as dest:
            os.chmod(target, 0o600)
            while chunk := os.read(fd, _CHUNK):
                if stop is not None and stop.is_set():
                    raise CheckStopped()
                dest.write(chunk)
            dest.flush()
            os.fsync(dest.fileno())
    finally:
        _let_go_of(path, fd)


_KEPT_OPEN: dict[Path, list[int]] = {}  # descriptors kept until their case book closes


def _let_go_of(path: Path, fd: int) -> None:
    resolved = path.resolve()
    if any(open_path.resolve() == resolved for open_path in anchoring.open_paths()):
        _KEPT_OPEN.setdefault(resolved, []).append(fd)
    else:
        os.close(fd)


def _close_kept(path: Path) -> None:
    for fd in _KEPT_OPEN.pop(path.resolve(), []):
        os.close(fd)
