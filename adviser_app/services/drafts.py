"""The note being typed when the case book locked: kept, encrypted, inside the case book
until the adviser unlocks again and decides whether to finish it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adviser_app.domain.records import Case, TimelineEntry
from adviser_app.store import drafts
from adviser_app.store.cases import get_case
from adviser_app.store.db import Database
from adviser_app.store.errors import CaseBookError
from adviser_app.store.timeline import get_entry


@dataclass(frozen=True)
class WaitingDraft:
    case: Case
    entry: TimelineEntry | None  # the entry being changed; None for a new one
    typed: dict[str, Any]  # what the entry dialog's draft_payload() kept


def keep(db: Database, typed: dict[str, Any]) -> None:
    """Keep what was typed (replacing any draft kept before)."""
    drafts.save_draft(db, typed)


def waiting(db: Database) -> WaitingDraft | None:
    """The draft kept at the last lock, if any. One on a case that is no longer there is
    thrown away: there is nothing to finish it on."""
    typed = drafts.peek_draft(db)
    if typed is None:
        return None
    try:
        case = get_case(db, str(typed.get("case_id")))
    except CaseBookError:
        drafts.clear_draft(db)
        return None
    entry = get_entry(db, str(typed["entry_id"])) if typed.get("entry_id") else None
    return WaitingDraft(case, entry, typed)


def discard(db: Database) -> None:
    """The draft was taken up again (into a dialog) or is not wanted."""
    drafts.clear_draft(db)
