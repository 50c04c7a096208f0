"""Putting a backup in place of the case book, and moving a damaged case book aside.

Nothing is ever deleted: the files a restore replaces, or a damaged case book, are moved to
quarantine/, never wiped (losing data is a breach too). Each step of a restore is written
down first, so one cut off part-way is finished at the next start.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

from adviser_app.services import backups
from adviser_app.services.backups import STAMP, BackupInfo
from adviser_app.services.places import CaseBookPlace
from adviser_app.store.anchor import anchor_path
from adviser_app.store.db import copy_held_file, verify_file
from adviser_app.store.errors import CaseBookError, DiskFull
from adviser_app.store.files import atomic_write, owner_only


def quarantine_folder(place: CaseBookPlace) -> Path:
    base = place.path.parent / "quarantine" / backups.now().strftime(STAMP)
    folder, number = base, 1
    while folder.exists():  # two in the same second (or a repeated hour): never overwrite
        number += 1
        folder = base.with_name(f"{base.name}-{number}")
    folder.mkdir(mode=0o700, parents=True)
    return folder


def _involved(place: CaseBookPlace) -> list[Path]:
    """The case book's files that go together: the file, its WAL and index, its anchor."""
    return [place.path, Path(f"{place.path}-wal"), Path(f"{place.path}-shm"),
            anchor_path(place.path)]


def _fsync_folder(folder: Path) -> None:
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _move_aside(place: CaseBookPlace, folder: Path) -> None:
    for source in _involved(place):
        if source.exists():
            target = folder / source.name
            number = 1
            while target.exists():
                number += 1
                target = folder / f"{source.name}.{number}"
            os.replace(source, target)
            owner_only(target)
            _fsync_folder(folder)
            _fsync_folder(place.path.parent)
            _crash_point(f"moved {source.name}")


def quarantine(place: CaseBookPlace) -> Path:
    """Move the case book (its WAL files and anchor too) aside into quarantine/, never
    deleting it."""
    folder = quarantine_folder(place)
    _move_aside(place, folder)
    return folder


def keep_copies(place: CaseBookPlace) -> Path:
    """Copy the case book's files into quarantine/ as they are now (the case book stays in
    use): what a crash left behind, kept before anything changes it."""
    folder = quarantine_folder(place)
    for source in _involved(place):
        if source.exists():
            copy_held_file(source, folder / source.name)
    _fsync_folder(folder)
    return folder


def _crash_point(step: str) -> None:
    """Called after each step of a restore. Nothing happens here; the recovery tests replace
    it to kill the process at that step and check that the next start finishes the restore."""


def _journal(place: CaseBookPlace) -> Path:
    return place.restore_journal


def _write_journal(place: CaseBookPlace, backup: Path, folder: Path, phase: str) -> None:
    atomic_write(_journal(place), json.dumps(
        {"backup": str(backup), "quarantine": str(folder), "phase": phase}).encode("utf-8"))


def restore(place: CaseBookPlace, backup: BackupInfo, key: bytes) -> Path | None:
    """Put *backup* in place of the case book; the current files (if any) go to quarantine.
    The backup is checked first, so a bad backup never replaces anything. Each step is
    written down first (a journal beside the case book), so a restore cut off part-way is
    finished at the next start (finish_restore) rather than leaving no case book."""
    verify_file(backup.path, key, snapshot=True)
    had_book = place.path.exists()
    folder = quarantine_folder(place)
    _write_journal(place, backup.path, folder, "quarantine")
    _crash_point("journal written")
    _carry_out(place, backup.path, folder, "quarantine")
    if not had_book and not any(folder.iterdir()):
        folder.rmdir()
        return None
    return folder


def _carry_out(place: CaseBookPlace, backup: Path, folder: Path, phase: str) -> None:
    if phase == "quarantine":
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _move_aside(place, folder)
        _write_journal(place, backup, folder, "copy")
        _crash_point("quarantined")
    for leftover in _involved(place)[1:]:  # never let an old WAL meet the restored file
        if leftover.exists():
            _move_aside(place, folder)
            break
    tmp = place.path.with_name(place.path.name + ".restoring")
    tmp.unlink(missing_ok=True)
    if not backup.is_file():
        raise CaseBookError(f"The restore could not be finished: the backup {backup} is no "
                            f"longer there. The files it replaced are kept in {folder}.")
    try:
        copy_held_file(backup, tmp)
        _crash_point("copied")
        os.replace(tmp, place.path)
        _fsync_folder(place.path.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise DiskFull("The restore") from exc
        raise
    _crash_point("replaced")
    _journal(place).unlink()
    _fsync_folder(place.path.parent)


def restore_interrupted(place: CaseBookPlace) -> bool:
    """Whether a restore was cut off part-way (finish_restore finishes it)."""
    return _journal(place).exists()


def finish_restore(place: CaseBookPlace) -> Path | None:
    """Finish a restore that was cut off part-way (a crash, a kill, a power cut); returns the
    quarantine folder it used, or None when there was nothing to finish."""
    journal = _journal(place)
    try:
        body = json.loads(journal.read_text(encoding="utf-8"))
        backup, folder, phase = Path(body["backup"]), Path(body["quarantine"]), body["phase"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        raise CaseBookError(f"A restore was interrupted and its record ({journal}) can't be "
                            "read. Nothing was changed. Ask IT support to run "
                            "`adviser-app restore`.") from None
    _carry_out(place, backup, folder, phase if phase in ("quarantine", "copy") else "copy")
    return folder



def clean_leftovers(place: CaseBookPlace) -> int:
    """Remove what an interrupted backup or restore left behind (never a finished file, and
    not while a restore is being finished: see finish_restore). Returns how many."""
    removed = 0
    if _journal(place).exists():
        return 0
    leftovers = list(place.backups.glob("*.partial")) if place.backups.is_dir() else []
    leftovers += list(place.path.parent.glob(f"{place.path.name}.restoring"))
    for leftover in leftovers:
        try:
            leftover.unlink()
            removed += 1
        except OSError:
            pass  # tried again next time
    return removed
