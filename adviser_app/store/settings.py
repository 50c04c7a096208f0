"""Case book settings kept inside the encrypted file (so nothing personal sits in QSettings)."""

from __future__ import annotations

from sqlite_utils import Database

TRAINING_FLAG = "training_case_book"
LAPTOP_NUMBER = "team_register_laptop_number"
"""This laptop's number from the office hub (none until it first syncs): new case
references carry it, so references made on different laptops never clash."""


def get_setting(db: Database, key: str, default: str = "") -> str:
    rows = list(db.query("SELECT value FROM settings WHERE key = ?", [key]))
    return str(rows[0]["value"]) if rows else default


def set_setting(db: Database, key: str, value: str) -> None:
    db.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
               "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])


def is_training(db: Database) -> bool:
    return get_setting(db, TRAINING_FLAG) == "1"
