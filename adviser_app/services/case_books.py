"""Finding, creating, unlocking and opening the real case book and the training case book."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from adviser_app.domain.passphrase import passphrase_problems
# Re-exported: callers have always found these here.
from adviser_app.services.places import CaseBookPlace as CaseBookPlace
from adviser_app.services.places import real_place as real_place
from adviser_app.services.places import training_place as training_place
from adviser_app.store.anchor import anchor_path
from adviser_app.store.integrity import is_disk_full
from adviser_app.store.db import (Database, check_new_place, close_case_book, create_case_book,
                                  open_case_book)
from adviser_app.store.errors import (CaseBookBehind, CaseBookError, DiskFull,
                                      WrongRecoveryKey)
from adviser_app.store.kdf_calibration import calibrate_kdf
from adviser_app.store.key_file_format import case_book_id_of
from adviser_app.store.keyfile import (PRODUCTION_KDF, KdfParams, create_protected_key_file,
                                       create_training_key_file, kdf_of,
                                       read_training_key_file, set_passphrase,
                                       unlock_with_passphrase, unlock_with_recovery_key)
from adviser_app.store.settings import TRAINING_FLAG, set_setting

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class NewCaseBook:
    """A case book just made, and its recovery key, shown once and never stored in clear."""

    db: Database
    recovery_key: str


def disk_full_as_words(what: str) -> Any:
    """A context in which running out of disk space (an OSError, or SQLite's "disk is full")
    becomes DiskFull saying *what* was not done."""
    from contextlib import contextmanager

    @contextmanager
    def guard() -> Iterator[None]:
        try:
            yield
        except DiskFull:
            raise
        except (OSError, CaseBookError) as exc:
            if is_disk_full(exc):
                raise DiskFull(what) from exc
            raise
    return guard()


def check_passphrase(passphrase: str) -> None:
    problems = passphrase_problems(passphrase)
    if problems:
        raise CaseBookError(problems[0])


def kdf_for_this_laptop(floor: KdfParams = PRODUCTION_KDF) -> KdfParams:
    """The key-stretching settings for a new wrap: calibrated on this laptop from *floor* up
    (about 1 s spent measuring). A floor below RFC 9106's (t=3, 64 MiB) is never used for a
    real case book; tests pass one on purpose to stay fast, and it is used exactly as given."""
    if floor.below(PRODUCTION_KDF):
        return floor
    return calibrate_kdf(floor)


def kdf_for_rewrap(place: CaseBookPlace, floor: KdfParams) -> KdfParams:
    """Keep the recorded settings when they are at least *floor*; calibrate when they are not
    (an older or tampered key file)."""
    stored = kdf_of(place.key_path)
    return stored if not stored.below(floor) else kdf_for_this_laptop(floor)


def strengthen_key_file(place: CaseBookPlace, key: bytes, passphrase: str,
                        floor: KdfParams = PRODUCTION_KDF) -> bool:
    """After a successful unlock: if the key file's settings are below *floor*, wrap the data
    key again with settings calibrated here (T16 a). True if it was re-wrapped. A failure to
    write is logged and left for the next unlock; the case book itself is not touched."""
    try:
        if not kdf_of(place.key_path).below(floor):
            return False
        set_passphrase(place.key_path, key, passphrase, kdf_for_this_laptop(floor))
        copy_key_file_to_backups(place)
    except (OSError, CaseBookError) as exc:
        log.warning("The key file's key stretching could not be raised: %s", type(exc).__name__)
        return False
    log.info("Key file re-wrapped with stronger key stretching")
    return True


def copy_key_file_to_backups(place: CaseBookPlace) -> None:
    """Backups share the data key, so the key file is copied beside them. A copy there that
    belongs to another case book (an older one, whose backups are still in the folder) is
    kept under its own name, never overwritten: those backups need it."""
    place.backups.mkdir(mode=0o700, exist_ok=True)
    copy = place.backups / place.key_path.name
    if copy.exists():
        try:
            other = case_book_id_of(copy)
        except CaseBookError:
            other = ""  # unreadable: keep it aside all the same
        if other != case_book_id_of(place.key_path):
            kept = copy.with_name(f"{copy.stem}-{other[:8] or 'unreadable'}{copy.suffix}")
            number = 1
            while kept.exists():
                number += 1
                kept = copy.with_name(f"{copy.stem}-{other[:8] or 'unreadable'}-{number}"
                                      f"{copy.suffix}")
            copy.rename(kept)
    shutil.copy2(place.key_path, copy)


def create_real(data_dir: Path, passphrase: str, *,
                kdf: KdfParams = PRODUCTION_KDF) -> NewCaseBook:
    """A new, empty, encrypted case book whose key is wrapped by *passphrase*, with key
    stretching calibrated on this laptop from *kdf* up (see kdf_for_this_laptop)."""
    check_passphrase(passphrase)
    place = real_place(data_dir)
    check_new_place(place.path)  # before the key file, so a refused place is left clean
    place.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # All or nothing: a failure part-way must not leave a half-made book (which a second
    # "Create" would refuse) or a key file for no book. Only files that were not there
    # before this call are ever removed.
    ours = [f for f in _new_book_files(place) if not f.exists()]
    backups_made = not place.backups.exists()
    db: Database | None = None
    try:
        with disk_full_as_words("Making the new case book"):
            key, recovery = create_protected_key_file(place.key_path, passphrase,
                                                      kdf_for_this_laptop(kdf))
            db = create_case_book(place.path, key)
            copy_key_file_to_backups(place)
    except BaseException:
        _undo_create(db, ours, place.backups if backups_made else None)
        raise
    return NewCaseBook(db, recovery)


def _new_book_files(place: CaseBookPlace) -> list[Path]:
    """Every file creating a real case book may write: the book, its WAL, shared-memory and
    journal files, the key file, and the key file's copy beside the backups."""
    return [place.path, *(Path(f"{place.path}{end}") for end in ("-wal", "-shm", "-journal")),
            anchor_path(place.path), place.key_path, place.backups / place.key_path.name]


def _undo_create(db: Database | None, created: list[Path], made_folder: Path | None) -> None:
    """Close the half-made book and remove exactly *created* (files that did not exist
    before), and *made_folder* if it is left empty. A failure here is logged, never raised
    over the error that caused it."""
    if db is not None:
        try:
            close_case_book(db)
        except Exception as exc:  # the connection is closed regardless (see close_case_book)
            log.warning("A half-made case book did not close cleanly: %s", type(exc).__name__)
    for path in created:
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("A file from a failed case book creation could not be removed: %s",
                        type(exc).__name__)
    if made_folder is not None:
        try:
            made_folder.rmdir()
        except OSError:
            pass  # not there, or not empty: left as it is


def open_existing(place: CaseBookPlace, passphrase: str, *,
                  kdf: KdfParams = PRODUCTION_KDF) -> Database:
    """Unlock the real case book with the passphrase (checked, then opened and locked); a key
    file whose key stretching is below *kdf* is then re-wrapped with calibrated settings."""
    key = unlock_with_passphrase(place.key_path, passphrase)
    db = open_case_book(place.path, key)
    strengthen_key_file(place, key, passphrase, kdf)
    return db


def recovery_key_refusal(place: CaseBookPlace, typed: str) -> str | None:
    """Why *typed* does not open this case book as its recovery key (None if it does, or if
    the key file itself is the problem: unlocking then says so). Cheap: no key stretching."""
    try:
        unlock_with_recovery_key(place.key_path, typed)
    except WrongRecoveryKey as refused:
        return str(refused)
    except CaseBookError:
        return None
    return None


def change_passphrase(place: CaseBookPlace, old: str, new: str, *,
                      kdf: KdfParams = PRODUCTION_KDF) -> None:
    """Re-wrap the data key under a new passphrase (the case book itself is not rewritten),
    with the recorded key stretching, or calibrated settings if that is below *kdf*."""
    check_passphrase(new)
    key = unlock_with_passphrase(place.key_path, old)
    with disk_full_as_words("Changing the passphrase"):
        # the key file is written whole or not at all (atomic_write): on a full disk the
        # old passphrase still opens it
        set_passphrase(place.key_path, key, new, kdf_for_rewrap(place, kdf))
    try:
        copy_key_file_to_backups(place)
    except OSError as exc:  # the key file itself is changed; its copy is made next time
        log.warning("The key file's copy beside the backups was not updated: %s",
                    type(exc).__name__)


def open_training(data_dir: Path, today: date) -> Database:
    """The training case book, built from the fictional families the first time it is needed."""
    place = training_place(data_dir)
    if place.exists() and place.key_path.exists():
        try:
            return open_case_book(place.path, read_training_key_file(place.key_path))
        except CaseBookBehind:
            # Fictional families only: a training case book that lost its last changes in
            # a crash is simply built again, as Reset does.
            log.info("The training case book was behind its anchor; building it again")
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
                     Path(f"{place.path}-shm"), anchor_path(place.path)):
        leftover.unlink(missing_ok=True)
