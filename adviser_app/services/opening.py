"""What happens inside a case book as it opens for use: its search index brought up to date,
erasures made on this laptop made again in an older copy, and the unlock noted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from adviser_app.services import data_protection, preferences
from adviser_app.store import search, search_merges
from adviser_app.store.db import Database
from adviser_app.store.settings import is_training


@dataclass(frozen=True)
class ReadyBook:
    training: bool
    actor: str  # who notes, records and the audit log are written as
    erased_again: int  # erasures made again (the copy was older than the list beside it)
    lock_minutes: float | None  # the chosen time without use before locking, if any


def make_ready(db: Database, login_name: str, today: date) -> ReadyBook:
    """Prepare *db*, just opened, for the adviser (*login_name* if it names nobody)."""
    training = is_training(db)
    with db.atomic():  # once, for a case book indexed by an older version
        search_merges.restore(db)  # (after a window's first load was killed part way)
        search.bring_index_up_to_date(db)
    actor = preferences.adviser_name(db) or login_name
    if training:
        return ReadyBook(True, actor, 0, None)
    erased_again = data_protection.reapply_erasures(db, today, actor)
    return ReadyBook(False, actor, erased_again, preferences.lock_minutes(db))

