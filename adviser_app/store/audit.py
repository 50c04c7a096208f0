"""The audit log: append-only, each entry chained to the one before by an HMAC keyed from the
data key, so an edited, removed or inserted entry is found by verify()."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlite_utils import Database

from adviser_app.store.db import data_key

GENESIS = bytes(32)


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    record_type: str
    record_id: str
    detail: str
    mac: str


def _key(db: Database) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"adviser-toolkit audit chain").derive(data_key(db))


def _mac(key: bytes, previous: bytes, entry: dict[str, object]) -> str:
    body = json.dumps(entry, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hmac.new(key, previous + body, hashlib.sha256).hexdigest()


def _fields(seq: int, at: str, actor: str, action: str, record_type: str, record_id: str,
            detail: str) -> dict[str, object]:
    return {"seq": seq, "at": at, "actor": actor, "action": action,
            "record_type": record_type, "record_id": record_id, "detail": detail}


def record(db: Database, actor: str, action: str, record_type: str, record_id: str,
           detail: str = "") -> None:
    """Append one entry (inside the caller's transaction, so it commits with the action).
    Never put names or case text in *detail*: record ids only."""
    last = list(db.query("SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1"))
    seq = last[0]["seq"] + 1 if last else 1
    previous = bytes.fromhex(last[0]["mac"]) if last else GENESIS
    at = datetime.now(UTC).isoformat(timespec="seconds")
    fields = _fields(seq, at, actor, action, record_type, record_id, detail)
    db.execute("INSERT INTO audit_log (seq, at, actor, action, record_type, record_id, detail,"
               " mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               [seq, at, actor, action, record_type, record_id, detail,
                _mac(_key(db), previous, fields)])


def entries(db: Database, limit: int | None = None) -> list[AuditEntry]:
    sql = "SELECT * FROM audit_log ORDER BY seq DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [AuditEntry(**row) for row in db.query(sql)]


@dataclass(frozen=True)
class Verification:
    checked: int
    first_bad: int | None  # the seq of the first entry that does not verify (or is missing)
    missing: int = 0  # entries recorded outside the file (its anchor) that are not in it

    @property
    def ok(self) -> bool:
        return self.first_bad is None and self.missing == 0


def verify(db: Database) -> Verification:
    """Walk the chain from the start; report the first entry whose MAC or number is wrong."""
    key = _key(db)
    previous = GENESIS
    expected = 1
    count = 0
    for row in db.query("SELECT * FROM audit_log ORDER BY seq"):
        fields = _fields(row["seq"], row["at"], row["actor"], row["action"],
                         row["record_type"], row["record_id"], row["detail"])
        if row["seq"] != expected or not hmac.compare_digest(
                _mac(key, previous, fields), row["mac"]):
            return Verification(count, row["seq"])
        previous = bytes.fromhex(row["mac"])
        expected += 1
        count += 1
    return Verification(count, None)


def head(db: Database) -> str:
    """The newest MAC: sent to the office, it anchors the chain against a cut-off tail."""
    last = list(db.query("SELECT mac FROM audit_log ORDER BY seq DESC LIMIT 1"))
    return str(last[0]["mac"]) if last else GENESIS.hex()


def verify_against(db: Database, seq: int, mac: str) -> Verification:
    """verify(), and also that the chain still holds entry *seq* with *mac* (the head kept
    outside the file, see store.anchor): a cut-off tail, or every entry deleted, is found."""
    outcome = verify(db)
    if not outcome.ok or seq == 0:
        return outcome
    row = list(db.query("SELECT mac FROM audit_log WHERE seq = ?", [seq]))
    if row and row[0]["mac"] == mac:
        return outcome
    return Verification(outcome.checked, outcome.checked + 1,
                        missing=max(seq - outcome.checked, 1))


_CASE = "SELECT c.id AS id, c.reference AS reference, f.family_name AS family " \
        "FROM case_file c JOIN family f ON f.id = c.family_id"
_WHOSE: dict[str, str] = {
    "case": f"SELECT id, reference, family FROM ({_CASE}) WHERE id IN ({{}})",
    **{table: f"SELECT t.id AS id, c.reference AS reference, c.family AS family FROM {table} t "
              f"JOIN ({_CASE}) c ON c.id = t.case_id WHERE t.id IN ({{}})"
       for table in ("task", "timeline_entry", "document", "statutory_event")},
    **{table: f"SELECT t.id AS id, '' AS reference, f.family_name AS family FROM {table} t "
              f"JOIN family f ON f.id = t.family_id WHERE t.id IN ({{}})"
       for table in ("family", "person", "child")},
}
_WHOSE["family"] = ("SELECT id, '' AS reference, family_name AS family FROM family "
                    "WHERE id IN ({})")
ERASED = "erased record"


class AboutARecord(Protocol):
    """An entry of a log (this laptop's, or the service's from the hub) about one record."""

    @property
    def record_type(self) -> str: ...
    @property
    def record_id(self) -> str: ...


def whose(db: Database, found: Iterable[AboutARecord], *, names: bool = True,
          missing: str = ERASED) -> dict[tuple[str, str], str]:
    """For each entry about a family's record, the case reference and family it belongs to
    now (*missing*, "erased record", once it is gone), looked up when shown: names are never
    written into the log itself. With names=False, the case reference alone (for a file that
    leaves this case book). Entries about other things (settings, backups) are left out."""
    out: dict[tuple[str, str], str] = {}
    found = list(found)
    for record_type, sql in _WHOSE.items():
        ids = sorted({e.record_id for e in found if e.record_type == record_type})
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = db.query(sql.format(", ".join("?" * len(chunk))), chunk)
            known = {r["id"]: " ".join(p for p in (r["reference"], r["family"] if names else "")
                                       if p) for r in rows}
            for record_id in chunk:
                out[(record_type, record_id)] = known.get(record_id, missing)
    return out
