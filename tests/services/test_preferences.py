"""The adviser's preferences kept in the case book: read back after closing, noted in the
audit log when changed, and the last open case forgotten once it is gone."""

from __future__ import annotations

from pathlib import Path

from adviser_app.services import preferences
from adviser_app.services.case_books import real_place
from adviser_app.store.audit import entries
from adviser_app.store.db import close_case_book
from support import create_book, open_book
from services.test_backups import add_family


def test_preferences_are_kept_in_the_case_book_and_changes_audited(data_dir: Path) -> None:
    db = create_book(data_dir)
    assert preferences.adviser_name(db) == "" and preferences.lock_minutes(db) is None
    assert preferences.backup_folder(db) is None
    preferences.set_adviser_name(db, "Sam Patel")
    preferences.set_lock_minutes(db, 10, "Sam Patel")
    preferences.set_backup_folder(db, data_dir / "usb", "Sam Patel")
    close_case_book(db)
    db = open_book(real_place(data_dir))
    try:
        assert preferences.adviser_name(db) == "Sam Patel"
        assert preferences.lock_minutes(db) == 10
        assert preferences.backup_folder(db) == data_dir / "usb"
        changed = [(e.actor, e.record_id) for e in entries(db, 10) if e.action == "changed"]
        assert sorted(changed) == sorted([("Sam Patel", preferences.BACKUP_FOLDER),
                                          ("Sam Patel", preferences.LOCK_AFTER),
                                          ("Sam Patel", preferences.NAME)])
        preferences.set_backup_folder(db, None, "Sam Patel")
        assert preferences.backup_folder(db) is None
    finally:
        close_case_book(db)


def test_an_unreadable_lock_time_falls_back_to_the_default(db) -> None:
    from adviser_app.store.settings import set_setting

    set_setting(db, preferences.LOCK_AFTER, "ten")
    assert preferences.lock_minutes(db) is None


def test_the_last_open_case_is_forgotten_once_it_is_gone(db) -> None:
    add_family(db, "Okafor")
    case_id = str(next(iter(db.query("SELECT id FROM case_file")))["id"])
    assert preferences.last_case(db) is None
    preferences.remember_case(db, case_id)
    assert preferences.last_case(db) == case_id
    preferences.remember_case(db, None)
    assert preferences.last_case(db) is None
    preferences.remember_case(db, "no-such-case")
    assert preferences.last_case(db) is None
