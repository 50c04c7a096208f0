"""A note being typed when the app locked, kept inside the encrypted case book until the
adviser unlocks again and decides what to do with it."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from adviser_app.store.settings import get_setting, set_setting

_KEY = "draft:timeline_entry"


def save_draft(db: Database, payload: dict[str, Any]) -> None:
    with db.atomic():
        set_setting(db, _KEY, json.dumps(payload, sort_keys=True))


def peek_draft(db: Database) -> dict[str, Any] | None:
    text = get_setting(db, _KEY)
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def clear_draft(db: Database) -> None:
    with db.atomic():
        db.execute("DELETE FROM settings WHERE key = ?", [_KEY])


def forget_case(db: Database, case_id: str) -> None:
    """Drop a draft typed on *case_id* (it is being erased or anonymised); call inside the
    erasure's own transaction."""
    draft = peek_draft(db)
    if draft is not None and draft.get("case_id") == case_id:
        db.execute("DELETE FROM settings WHERE key = ?", [_KEY])

