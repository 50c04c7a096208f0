"""Finding, creating and opening the real case book and the training case book."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from adviser_app.store.db import (Database, check_new_place, close_case_book, create_case_book,
                                  open_case_book)
from adviser_app.store.keyfile import create_key_file, key_file_for, read_key_file
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

    def exists(self) -> bool:
        return self.path.exists()


def real_place(data_dir: Path) -> CaseBookPlace:
    return CaseBookPlace(data_dir / REAL_NAME, training=False)


def training_place(data_dir: Path) -> CaseBookPlace:
    return CaseBookPlace(data_dir / "training" / TRAINING_NAME, training=True)


def create_real(data_dir: Path) -> Database:
    """A new, empty, encrypted case book with a fresh random key."""
    place = real_place(data_dir)
    check_new_place(place.path)  # before the key file, so a refused place is left clean
    place.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = create_key_file(place.key_path)
    return create_case_book(place.path, key)


def open_existing(place: CaseBookPlace) -> Database:
    return open_case_book(place.path, read_key_file(place.key_path))


def open_training(data_dir: Path, today: date) -> Database:
    """The training case book, built from the fictional families the first time it is needed."""
    place = training_place(data_dir)
    if place.exists() and place.key_path.exists():
        return open_existing(place)
    return rebuild_training(data_dir, today)


def rebuild_training(data_dir: Path, today: date) -> Database:
    """Throw away the training case book and build it again from the scenario files."""
    from adviser_app.services.training import load_training_families

    place = training_place(data_dir)
    _remove_training_files(place)
    check_new_place(place.path)
    place.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = create_key_file(place.key_path)
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
