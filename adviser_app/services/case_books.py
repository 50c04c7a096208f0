"""Finding, creating, unlocking and opening the real case book and the training case book."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from adviser_app.domain.passphrase import passphrase_problems
from adviser_app.store.db import (Database, check_new_place, close_case_book, create_case_book,
                                  open_case_book)
from adviser_app.store.errors import CaseBookError
from adviser_app.store.keyfile import (PRODUCTION_KDF, KdfParams, create_protected_key_file,
                                       create_training_key_file, key_file_for,
                                       read_training_key_file, set_passphrase,
                                       unlock_with_passphrase, unlock_with_recovery_key)
from adviser_app.store.settings import TRAINING_FLAG, set_setting

REAL_NAME = "casebook.db"
TRAINING_NAME = "training-casebook.db"


@dataclass(frozen=True)
class CaseBookPlace:
    """Where one case book lives, and whether it holds fictional training families."""

    path: Path
    training: bool

    @property
    def key_path(self) -> Path:
        return key_file_for(self.path)

    @property
    def backups(self) -> Path:
        return self.path.parent / "backups"

    def exists(self) -> bool:
        return self.path.exists()


@dataclass(frozen=True)
class NewCaseBook:
    """A case book just made, and its recovery key, shown once and never stored in clear."""

    db: Database
    recovery_key: str


def real_place(data_dir: Path) -> CaseBookPlace:
    return CaseBookPlace(data_dir / REAL_NAME, training=False)


def training_place(data_dir: Path) -> CaseBookPlace:
    return CaseBookPlace(data_dir / "training" / TRAINING_NAME, training=True)


def _check_passphrase(passphrase: str) -> None:
    problems = passphrase_problems(passphrase)
    if problems:
        raise CaseBookError(problems[0])


def copy_key_file_to_backups(place: CaseBookPlace) -> None:
    """Backups share the data key, so the key file is copied beside them."""
    place.backups.mkdir(mode=0o700, exist_ok=True)
    shutil.copy2(place.key_path, place.backups / place.key_path.name)


def create_real(data_dir: Path, passphrase: str, *,
                kdf: KdfParams = PRODUCTION_KDF) -> NewCaseBook:
    """A new, empty, encrypted case book whose key is wrapped by *passphrase*."""
    _check_passphrase(passphrase)
    place = real_place(data_dir)
    check_new_place(place.path)  # before the key file, so a refused place is left clean
    place.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key, recovery = create_protected_key_file(place.key_path, passphrase, kdf)
    db = create_case_book(place.path, key)
    copy_key_file_to_backups(place)
    return NewCaseBook(db, recovery)


def open_existing(place: CaseBookPlace, passphrase: str) -> Database:
    """Unlock the real case book with the passphrase (checked, then opened and locked)."""
    return open_case_book(place.path, unlock_with_passphrase(place.key_path, passphrase))


def unlock_with_recovery(place: CaseBookPlace, recovery_key: str, new_passphrase: str, *,
                         kdf: KdfParams = PRODUCTION_KDF) -> Database:
    """Open with the printed recovery key and set a new passphrase at the same time."""
    _check_passphrase(new_passphrase)
    key = unlock_with_recovery_key(place.key_path, recovery_key)
    db = open_case_book(place.path, key)
    set_passphrase(place.key_path, key, new_passphrase, kdf)
    copy_key_file_to_backups(place)
    return db


def change_passphrase(place: CaseBookPlace, old: str, new: str, *,
                      kdf: KdfParams = PRODUCTION_KDF) -> None:
    """Re-wrap the data key under a new passphrase (the case book itself is not rewritten)."""
    _check_passphrase(new)
    key = unlock_with_passphrase(place.key_path, old)
    set_passphrase(place.key_path, key, new, kdf)
    copy_key_file_to_backups(place)


def open_training(data_dir: Path, today: date) -> Database:
    """The training case book, built from the fictional families the first time it is needed."""
    place = training_place(data_dir)
    if place.exists() and place.key_path.exists():
        return open_case_book(place.path, read_training_key_file(place.key_path))
    return rebuild_training(data_dir, today)


def rebuild_training(data_dir: Path, today: date) -> Database:
    """Throw away the training case book and build it again from the scenario files."""
    from adviser_app.services.training import load_training_families

    place = training_place(data_dir)
    _remove_training_files(place)
    check_new_place(place.path)
    place.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = create_training_key_file(place.key_path)
    db = create_case_book(place.path, key)
    try:
        with db.atomic():
            set_setting(db, TRAINING_FLAG, "1")
        load_training_families(db, today)
    except BaseException:
        close_case_book(db)
        _remove_training_files(place)  # never leave a half-built training case book
        raise
    return db


def _remove_training_files(place: CaseBookPlace) -> None:
    assert place.training, "only the training case book is ever removed"
    for leftover in (place.path, place.key_path, Path(f"{place.path}-wal"),
                     Path(f"{place.path}-shm")):
        leftover.unlink(missing_ok=True)
