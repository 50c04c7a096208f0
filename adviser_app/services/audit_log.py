"""The audit log for the data protection lead: recent entries, verification, CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from adviser_app.store import audit
from adviser_app.store.audit import AboutARecord, AuditEntry, Verification
from adviser_app.store.anchoring import anchored_head
from adviser_app.store.db import Database


def recent(db: Database, limit: int = 2000) -> list[AuditEntry]:
    return audit.entries(db, limit)


def whose(db: Database, entries: Iterable[AboutARecord], *, names: bool = True,
          missing: str = audit.ERASED) -> dict[tuple[str, str], str]:
    """Which case and family each entry's record belongs to (see store.audit.whose)."""
    return audit.whose(db, entries, names=names, missing=missing)


def verify(db: Database) -> Verification:
    """The chain from the start, and its head against the one recorded outside the case book
    file (its anchor), which a cut-off tail or a rollback of the file cannot reach."""
    recorded = anchored_head(db)
    if recorded is None:
        return audit.verify(db)
    return audit.verify_against(db, recorded.seq, recorded.mac)


def note(db: Database, actor: str, action: str, record_type: str, record_id: str,
         detail: str = "") -> None:
    """Record something that is not a change to a record (unlocked, backed up, printed…)."""
    with db.atomic():
        audit.record(db, actor, action, record_type, record_id, detail)


def _safe(cell: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: make them plain text."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def to_csv(entries: list[AuditEntry], references: dict[tuple[str, str], str]) -> str:
    """The log as CSV, each entry with the case reference its record belongs to now (from
    whose(..., names=False)): references, never names, as the file leaves the case book."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["seq", "when (UTC)", "who", "action", "record type", "record id",
                     "case reference", "detail", "mac"])
    for e in sorted(entries, key=lambda e: e.seq):
        writer.writerow([str(e.seq), e.at, _safe(e.actor), e.action, e.record_type,
                         _safe(e.record_id), _safe(references.get((e.record_type, e.record_id),
                                                                  "")),
                         _safe(e.detail), e.mac])
    return out.getvalue()


def export_csv(db: Database) -> str:
    """The whole log as CSV, with case references (see to_csv)."""
    entries = recent(db, limit=10**9)
    return to_csv(entries, whose(db, entries, names=False))
