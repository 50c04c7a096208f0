"""Verified, rotated, encrypted backups of the case book, made from a held file.

Nothing is ever deleted except old automatic backups beyond the number kept. Putting a backup
back, and quarantining a damaged case book, are in services.restoring; opening a case book
through its checks in services.recovery.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from adviser_app.services.case_books import copy_key_file_to_backups
from adviser_app.services.places import CaseBookPlace
from adviser_app.store.checkpoints import hold_main_file, release_main_file
from adviser_app.store.db import Database, copy_held_file, data_key, verify_file
from adviser_app.store.errors import CaseBookError, DiskFull
from adviser_app.store.files import owner_only

KEEP = 10
STAMP = "%Y%m%dT%H%M%S"
_STAMP_IN_NAME = re.compile(r"-(\d{8}T\d{6})Z?(?:-\d+)?$")  # "-2": a second one that second


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime

    @property
    def label(self) -> str:
        return self.taken_at.strftime("%d/%m/%Y at %H:%M")


def now() -> datetime:
    """The time backups and quarantine folders are named by (tests set it)."""
    return datetime.now().replace(microsecond=0)


def list_backups(place: CaseBookPlace) -> list[BackupInfo]:
    """Automatic and pre-upgrade backups of this case book, newest first."""
    found = []
    if place.backups.is_dir():
        for path in place.backups.glob(f"{place.path.stem}-*.db"):
            stamp = _STAMP_IN_NAME.search(path.stem)
            try:
                taken = datetime.strptime(stamp.group(1), STAMP) if stamp else None
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
    check_space_for_backup(place, place.backups)
    if extra_folder is not None:
        extra_folder.mkdir(parents=True, exist_ok=True)
        check_space_for_backup(place, extra_folder)
    taken = now()
    target = place.backups / f"{place.path.stem}-{taken.strftime(STAMP)}.db"
    tmp = target.with_name(target.name + ".partial")
    tmp.unlink(missing_ok=True)
    try:
        with held.reading:
            copy_held_file(held.path, tmp, held.stop)
        verify_file(tmp, held.key, snapshot=True)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _plain(exc) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    try:
        copy_key_file_to_backups(place)
        if extra_folder is not None:
            copy = extra_folder / target.name
            partial = copy.with_name(copy.name + ".partial")
            try:
                shutil.copyfile(target, partial)
                owner_only(partial)
                os.replace(partial, copy)
            finally:
                partial.unlink(missing_ok=True)
            shutil.copy2(place.key_path, extra_folder / place.key_path.name)
    except OSError as exc:
        raise _plain(exc) from exc
    automatic = [b for b in list_backups(place) if "pre-upgrade" not in b.path.name]
    for old in automatic[keep:]:
        old.path.unlink(missing_ok=True)
    return BackupInfo(target, taken)


SPACE_MARGIN = 20 * 1024 * 1024  # never fill the disk to the last byte with a backup


def space_needed(place: CaseBookPlace) -> int:
    """Bytes a backup of the case book takes: the file, with a margin."""
    size = place.path.stat().st_size if place.path.exists() else 0
    return size + SPACE_MARGIN


def check_space_for_backup(place: CaseBookPlace, folder: Path) -> None:
    """DiskFull, before anything is written, when *folder* has too little free space."""
    needed, free = space_needed(place), shutil.disk_usage(folder).free
    if free < needed:
        raise DiskFull(f"The backup (about {_mb(needed)} MB; {_mb(free)} MB is free)")


def _mb(size: int) -> str:
    return f"{max(size, 0) / 1_000_000:,.0f}"


def _plain(exc: OSError) -> CaseBookError:
    """A failed file operation in words: a full disk, or another disk problem."""
    if exc.errno == errno.ENOSPC:
        return DiskFull("The backup")
    return CaseBookError(f"The backup could not be written ({exc.strerror or 'disk problem'}). "
                         "Nothing was changed; check the disk and try again.")


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
