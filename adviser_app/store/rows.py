"""Small helpers shared by the repositories: timestamps, ids, date and flag conversion."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime


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
