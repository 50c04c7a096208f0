"""The adviser's preferences, kept inside the encrypted case book (nothing personal goes in
QSettings): their name on notes, how long the case book may sit unused before it locks, the
extra folder backups are also written to, the case on screen when it last closed, and the
folder the last export went to."""

from __future__ import annotations

from pathlib import Path

from adviser_app.store import audit
from adviser_app.store.cases import get_case
from adviser_app.store.db import Database
from adviser_app.store.errors import CaseBookError
from adviser_app.store.settings import get_setting, set_setting

NAME = "adviser_name"
LOCK_AFTER = "lock_after_minutes"
BACKUP_FOLDER = "backup_folder"
LAST_CASE = "last_open_case"
EXPORT_FOLDER = "last_export_folder"
LOCK_AFTER_CHOICES = (1, 2, 5, 10, 15, 30)
"""Minutes without use before locking that the adviser may choose from (a service's policy
may narrow the choice)."""


def adviser_name(db: Database) -> str:
    """The name given when the case book was made ("" if none: the login name is used)."""
    return get_setting(db, NAME)


def set_adviser_name(db: Database, name: str) -> None:
    with db.atomic():
        set_setting(db, NAME, name)
        audit.record(db, name, "changed", "settings", NAME)


def lock_minutes(db: Database) -> float | None:
    """The chosen time without use before locking, or None if none was chosen (or it cannot
    be read: the default applies)."""
    stored = get_setting(db, LOCK_AFTER)
    try:
        return float(stored) if stored else None
    except ValueError:
        return None


def set_lock_minutes(db: Database, minutes: int, actor: str) -> None:
    with db.atomic():
        set_setting(db, LOCK_AFTER, str(minutes))
        audit.record(db, actor, "changed", "settings", LOCK_AFTER)


def backup_folder(db: Database) -> Path | None:
    """The folder (a USB drive, say) each backup is also copied to, if one was chosen."""
    folder = get_setting(db, BACKUP_FOLDER)
    return Path(folder) if folder else None


def set_backup_folder(db: Database, folder: Path | None, actor: str) -> None:
    """*folder* None: back up into the case book's own backups folder only."""
    with db.atomic():
        set_setting(db, BACKUP_FOLDER, str(folder) if folder else "")
        audit.record(db, actor, "changed", "settings", BACKUP_FOLDER)


def last_case(db: Database) -> str | None:
    """The case on screen when the case book last closed, if it is still there."""
    case_id = get_setting(db, LAST_CASE)
    if not case_id:
        return None
    try:
        get_case(db, case_id)
    except CaseBookError:
        return None  # deleted (or erased) since
    return case_id


def remember_case(db: Database, case_id: str | None) -> None:
    """The case on screen now (None: the case list), to open again next time."""
    with db.atomic():
        set_setting(db, LAST_CASE, case_id or "")


def export_folder(db: Database) -> Path:
    """Where the last export went, to offer first next time (home if none, or if it has
    gone, say a USB stick taken out)."""
    stored = get_setting(db, EXPORT_FOLDER)
    return Path(stored) if stored and Path(stored).is_dir() else Path.home()


def remember_export_folder(db: Database, folder: Path) -> None:
    with db.atomic():
        set_setting(db, EXPORT_FOLDER, str(folder))

