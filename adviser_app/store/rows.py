"""Small helpers shared by the repositories: timestamps, ids, date and flag conversion, and
fetching one row by id."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlite_utils import Database

from adviser_app.store.errors import RecordNotFound


def new_id() -> str:
    return str(uuid.uuid4())


def now_stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def to_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def stamps(actor: str, *, created: bool) -> dict[str, str]:
    now = now_stamp()
    out = {"updated_at": now, "updated_by": actor}
    if created:
        out["created_at"] = now
    return out


def get_row(db: Database, table: str, row_id: str, what: str,
            columns: str = "*") -> dict[str, Any]:
    """The row of *table* with this id, or RecordNotFound naming *what* ("case", "meeting"):
    never sqlite-utils' own NotFoundError, whose message is not for the adviser. *table* and
    *columns* come from the code, never from what was typed."""
    for row in db.query(f'SELECT {columns} FROM "{table}" WHERE id = ?', [row_id]):
        return row
    raise RecordNotFound(what)
