"""Verified, rotated, encrypted backups; quarantining a damaged case book and restoring it.

Nothing is ever deleted except old automatic backups beyond the number kept: a damaged case
book is moved to quarantine/, never wiped (losing data is a breach too).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from adviser_app.services.case_books import copy_key_file_to_backups
from adviser_app.services.places import CaseBookPlace
from adviser_app.store.db import (Database, close_case_book, copy_held_file, data_key,
                                  hold_main_file, open_case_book, release_main_file,
                                  verify_file)
from adviser_app.store.errors import CaseBookDamaged, CaseBookError, WrongKey
from adviser_app.store.keyfile import unlock_with_passphrase

KEEP = 10
_STAMP = "%Y%m%dT%H%M%S"
_STAMP_IN_NAME = re.compile(r"-(\d{8}T\d{6})Z?(?:-\d+)?$")  # "-2": a second one that second


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime

    @property
    def label(self) -> str:
        return self.taken_at.strftime("%d/%m/%Y at %H:%M")


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def list_backups(place: CaseBookPlace) -> list[BackupInfo]:
    """Automatic and pre-upgrade backups of this case book, newest first."""
    found = []
    if place.backups.is_dir():
        for path in place.backups.glob(f"{place.path.stem}-*.db"):
            stamp = _STAMP_IN_NAME.search(path.stem)
            try:
                taken = datetime.strptime(stamp.group(1), _STAMP) if stamp else None
            except ValueError:
                taken = None
            if taken is None:
                continue
            found.append(BackupInfo(path, taken))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


@dataclass
class HeldFile:
    """A case book file kept unchanged while a worker thread checks or copies it.

    *stop* asks the worker to give up soon; the worker holds *reading* while it reads the
    case book file itself, so finish() returns only once it has let go."""
    path: Path
    key: bytes
    stop: threading.Event = field(default_factory=threading.Event)
    reading: threading.Lock = field(default_factory=threading.Lock)

    def finish(self) -> None:
        self.stop.set()
        with self.reading:
            pass


def hold(db: Database, place: CaseBookPlace) -> HeldFile:
    """On the thread that owns *db*: keep its file unchanged until release()."""
    hold_main_file(db)
    return HeldFile(place.path, data_key(db))


def release(db: Database, held: HeldFile) -> None:
    """On the thread that owns *db*: stop any worker still reading, then let the file change."""
    held.finish()
    release_main_file(db)


def check_held(held: HeldFile) -> None:
    """Any thread: both integrity checks of the held case book file (CaseBookDamaged if not)."""
    with held.reading:
        verify_file(held.path, held.key, snapshot=True, stop=held.stop)


def back_up_held(held: HeldFile, place: CaseBookPlace, extra_folder: Path | None = None,
                 keep: int = KEEP) -> BackupInfo:
    """Any thread: copy the held case book into backups/ (and to *extra_folder* if given),
    check the copy, and keep the newest *keep* automatic backups. The copy is written under a
    temporary name and renamed only once it has passed, so a half-made backup never looks
    like a good one."""
    place.backups.mkdir(mode=0o700, exist_ok=True)
    taken = _now()
    target = place.backups / f"{place.path.stem}-{taken.strftime(_STAMP)}.db"
    tmp = target.with_name(target.name + ".partial")
    tmp.unlink(missing_ok=True)
    try:
        with held.reading:
            copy_held_file(held.path, tmp, held.stop)
        verify_file(tmp, held.key, snapshot=True)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    copy_key_file_to_backups(place)
    if extra_folder is not None:
        extra_folder.mkdir(parents=True, exist_ok=True)
        copy = extra_folder / target.name
        partial = copy.with_name(copy.name + ".partial")
        shutil.copyfile(target, partial)
        os.replace(partial, copy)
        shutil.copy2(place.key_path, extra_folder / place.key_path.name)
    automatic = [b for b in list_backups(place) if "pre-upgrade" not in b.path.name]
    for old in automatic[keep:]:
        old.path.unlink(missing_ok=True)
    return BackupInfo(target, taken)


def backup_now(db: Database, place: CaseBookPlace, extra_folder: Path | None = None,
               keep: int = KEEP) -> BackupInfo:
    """A verified backup, made and checked on this thread (the app does it on a worker)."""
    held = hold(db, place)
    try:
        return back_up_held(held, place, extra_folder, keep)
    finally:
        release(db, held)


def full_check(db: Database, place: CaseBookPlace) -> None:
    """Both integrity checks of the open case book, on this thread (the app uses a worker)."""
    held = hold(db, place)
    try:
        check_held(held)
    finally:
        release(db, held)


def quarantine(place: CaseBookPlace) -> Path:
    """Move the case book (and its WAL files) aside into quarantine/, never deleting it."""
    base = place.path.parent / "quarantine" / _now().strftime(_STAMP)
    folder, number = base, 1
    while folder.exists():  # two in the same second (or a repeated hour): never overwrite
        number += 1
        folder = base.with_name(f"{base.name}-{number}")
    folder.mkdir(mode=0o700, parents=True)
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{place.path}{suffix}")
        if source.exists():
            os.replace(source, folder / source.name)
    return folder


def restore(place: CaseBookPlace, backup: BackupInfo, key: bytes) -> Path | None:
    """Put *backup* in place of the case book; the current file (if any) goes to quarantine.
    The backup is checked first, so a bad backup never replaces anything."""
    verify_file(backup.path, key, snapshot=True)
    kept = quarantine(place) if place.path.exists() else None
    tmp = place.path.with_name(place.path.name + ".restoring")
    shutil.copyfile(backup.path, tmp)
    os.replace(tmp, place.path)
    return kept


@dataclass(frozen=True)
class Opened:
    db: Database
    restored_from: BackupInfo | None = None
    quarantined: Path | None = None

    @property
    def message(self) -> str:
        if self.restored_from is None:
            return ""
        return (f"The case book file was damaged. The damaged file was kept in "
                f"{self.quarantined}. Your case book was restored from the backup made on "
                f"{self.restored_from.label}: anything saved after that time needs "
                "re-entering.")


def open_or_recover(place: CaseBookPlace, passphrase: str) -> Opened:
    """Unlock the case book; if its first page is damaged, quarantine it and restore the
    newest backup that passes its checks. The full checks of every page come after opening
    (check_held on a worker thread, or full_check)."""
    key = unlock_with_passphrase(place.key_path, passphrase)
    try:
        return Opened(open_case_book(place.path, key))
    except (CaseBookDamaged, WrongKey) as damage:
        return recover(place, key, damage)


def recover_open(db: Database, place: CaseBookPlace, damage: CaseBookError) -> Opened:
    """A check found *damage* in the open case book: close it, then recover as below."""
    key = data_key(db)
    try:
        close_case_book(db)
    except Exception:  # noqa: BLE001 - a damaged file may fail to close cleanly; go on
        pass
    return recover(place, key, damage)


def recover(place: CaseBookPlace, key: bytes, damage: CaseBookError) -> Opened:
    """The (closed) case book is damaged: quarantine it and restore the newest backup that
    passes its checks, or explain that none did."""
    # The passphrase opened the key file, so a "wrong key" here means the file's first page
    # is unreadable, unless this key file belongs to another case book: a backup that passes
    # its checks with this key settles which.
    for backup in list_backups(place):
        try:
            verify_file(backup.path, key, snapshot=True)
        except CaseBookError:
            continue
        kept = restore(place, backup, key)
        return Opened(open_case_book(place.path, key), backup, kept)
    if isinstance(damage, WrongKey):
        raise damage  # nothing proves the file is damaged: leave it exactly where it is
    kept = quarantine(place)
    raise CaseBookDamaged(f"no good backup was found; the damaged file was kept in "
                          f"{kept}") from damage


def restore_from_backup(place: CaseBookPlace, backup: BackupInfo, passphrase: str) -> Opened:
    """The adviser chose to go back to a backup (the current file is kept in quarantine)."""
    key = unlock_with_passphrase(place.key_path, passphrase)
    kept = restore(place, backup, key)
    return Opened(open_case_book(place.path, key), backup, kept)


def check(place: CaseBookPlace, passphrase: str) -> str:
    """For IT support: both integrity checks on the case book and every backup."""
    key = unlock_with_passphrase(place.key_path, passphrase)
    lines = []
    try:
        verify_file(place.path, key)
        lines.append(f"OK       {place.path}")
    except CaseBookError as exc:
        lines.append(f"DAMAGED  {place.path}: {exc}")
    for backup in list_backups(place):
        try:
            verify_file(backup.path, key, snapshot=True)
            lines.append(f"OK       {backup.path} ({backup.label})")
        except CaseBookError as exc:
            lines.append(f"DAMAGED  {backup.path}: {exc}")
    return "\n".join(lines)


