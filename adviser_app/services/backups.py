"""Verified, rotated, encrypted backups; quarantining a damaged case book and restoring it.

Nothing is ever deleted except old automatic backups beyond the number kept: a damaged case
book is moved to quarantine/, never wiped (losing data is a breach too).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from adviser_app.services.case_books import CaseBookPlace, copy_key_file_to_backups
from adviser_app.store.db import Database, open_case_book, verify_file, write_backup
from adviser_app.store.errors import CaseBookDamaged, CaseBookError, WrongKey
from adviser_app.store.keyfile import unlock_with_passphrase

KEEP = 10
_STAMP = "%Y%m%dT%H%M%S"


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
            stamp = path.stem.rsplit("-", 1)[-1].rstrip("Z")
            try:
                taken = datetime.strptime(stamp, _STAMP)
            except ValueError:
                continue
            found.append(BackupInfo(path, taken))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def backup_now(db: Database, place: CaseBookPlace, extra_folder: Path | None = None,
               keep: int = KEEP) -> BackupInfo:
    """Write a verified backup beside the case book (and to *extra_folder* if given); keep
    the newest *keep* automatic backups."""
    place.backups.mkdir(mode=0o700, exist_ok=True)
    taken = _now()
    target = place.backups / f"{place.path.stem}-{taken.strftime(_STAMP)}.db"
    write_backup(db, target)
    copy_key_file_to_backups(place)
    if extra_folder is not None:
        extra_folder.mkdir(parents=True, exist_ok=True)
        copy = extra_folder / target.name
        tmp = copy.with_name(copy.name + ".partial")
        shutil.copyfile(target, tmp)
        os.replace(tmp, copy)
        shutil.copy2(place.key_path, extra_folder / place.key_path.name)
    automatic = [b for b in list_backups(place) if "pre-upgrade" not in b.path.name]
    for old in automatic[keep:]:
        old.path.unlink(missing_ok=True)
    return BackupInfo(target, taken)


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
    verify_file(backup.path, key)
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
    """Unlock the case book; if it is damaged, quarantine it and restore the newest backup
    that passes its checks."""
    key = unlock_with_passphrase(place.key_path, passphrase)
    try:
        return Opened(open_case_book(place.path, key))
    except (CaseBookDamaged, WrongKey) as damage:
        # The passphrase opened the key file, so a "wrong key" here means the file's first
        # page is unreadable, unless this key file belongs to another case book: a backup
        # that passes its checks with this key settles which.
        for backup in list_backups(place):
            try:
                verify_file(backup.path, key)
            except CaseBookError:
                continue
            kept = restore(place, backup, key)
            return Opened(open_case_book(place.path, key), backup, kept)
        if isinstance(damage, WrongKey):
            raise  # nothing proves the file is damaged: leave it exactly where it is
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
            verify_file(backup.path, key)
            lines.append(f"OK       {backup.path} ({backup.label})")
        except CaseBookError as exc:
            lines.append(f"DAMAGED  {backup.path}: {exc}")
    return "\n".join(lines)


