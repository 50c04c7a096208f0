"""Subject access requests and the times their clock stopped for clarification."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from adviser_app.domain.subject_access import ClarificationPause
from adviser_app.store.db import Database
from adviser_app.store.errors import CaseBookError
from adviser_app.store.rows import iso, new_id, stamps, to_date


@dataclass(frozen=True)
class SubjectAccessRequest:
    id: str
    family_id: str | None
    requester: str
    about: str
    received_on: date
    identity_check: str
    extended_on: date | None
    extension_reason: str
    answered_on: date | None
    pauses: tuple[ClarificationPause, ...]


def insert_request(db: Database, *, family_id: str | None, requester: str, about: str,
                   received_on: date, identity_check: str, actor: str) -> str:
    request_id = new_id()
    db.table("subject_access_request").insert({
        "id": request_id, "family_id": family_id, "requester": requester, "about": about,
        "received_on": iso(received_on), "identity_check": identity_check,
        **stamps(actor, created=True)})
    return request_id


def _pauses(db: Database, request_id: str) -> tuple[ClarificationPause, ...]:
    return tuple(ClarificationPause(date.fromisoformat(r["asked_on"]), to_date(r["answered_on"]))
                 for r in db.query("SELECT asked_on, answered_on FROM subject_access_pause "
                                   "WHERE request_id = ? ORDER BY asked_on", [request_id]))


def _request(db: Database, row: dict[str, Any]) -> SubjectAccessRequest:
    rid = str(row["id"])
    return SubjectAccessRequest(
        rid, row["family_id"], row["requester"], row["about"],
        date.fromisoformat(row["received_on"]), row["identity_check"],
        to_date(row["extended_on"]), row["extension_reason"], to_date(row["answered_on"]),
        _pauses(db, rid))


def get_request(db: Database, request_id: str) -> SubjectAccessRequest:
    rows = list(db.query("SELECT * FROM subject_access_request WHERE id = ?", [request_id]))
    if not rows:
        raise CaseBookError("That subject access request is no longer in the case book.")
    return _request(db, rows[0])


def list_requests(db: Database, *, open_only: bool = False) -> list[SubjectAccessRequest]:
    where = " WHERE answered_on IS NULL" if open_only else ""
    return [_request(db, r) for r in db.query(
        f"SELECT * FROM subject_access_request{where} ORDER BY received_on, id")]


def _touch(actor: str) -> dict[str, str]:
    return stamps(actor, created=False)


def set_extension(db: Database, request_id: str, decided_on: date, reason: str,
                  actor: str) -> None:
    db.table("subject_access_request").update(request_id, {
        "extended_on": iso(decided_on), "extension_reason": reason, **_touch(actor)})


def set_answered(db: Database, request_id: str, answered_on: date, actor: str) -> None:
    db.table("subject_access_request").update(request_id, {
        "answered_on": iso(answered_on), **_touch(actor)})


def insert_pause(db: Database, request_id: str, asked_on: date, actor: str) -> str:
    pause_id = new_id()
    db.table("subject_access_pause").insert({
        "id": pause_id, "request_id": request_id, "asked_on": iso(asked_on),
        **stamps(actor, created=True)})
    return pause_id


def end_open_pause(db: Database, request_id: str, answered_on: date, actor: str) -> bool:
    """Record when the clarification arrived; False when no pause was open."""
    stamp = _touch(actor)
    cursor = db.execute(
        "UPDATE subject_access_pause SET answered_on = ?, updated_at = ?, updated_by = ? "
        "WHERE request_id = ? AND answered_on IS NULL",
        [iso(answered_on), stamp["updated_at"], stamp["updated_by"], request_id])
    return bool(cursor.rowcount)


def family_choices(db: Database) -> list[tuple[str, str]]:
    """(label, family id) of every family, named with their case references, for a picker."""
    return [(f"{r['family_name']} ({r['refs']})" if r["refs"] else r["family_name"], r["id"])
            for r in db.query(
                "SELECT f.id, f.family_name, group_concat(cf.reference, ', ') AS refs "
                "FROM family f LEFT JOIN case_file cf ON cf.family_id = f.id "
                "GROUP BY f.id ORDER BY f.family_name COLLATE NOCASE")]


def latest_cases(db: Database, family_ids: list[str]) -> dict[str, dict[str, str]]:
    """Each family's most recently opened case: its id, reference, adviser and family name."""
    if not family_ids:
        return {}
    marks = ", ".join("?" for _ in family_ids)
    out: dict[str, dict[str, str]] = {}
    for r in db.query(
            f"SELECT cf.family_id, cf.id, cf.reference, cf.adviser, f.family_name "
            f"FROM case_file cf JOIN family f ON f.id = cf.family_id "
            f"WHERE cf.family_id IN ({marks}) ORDER BY cf.opened_on, cf.created_at",
            family_ids):
        out[r["family_id"]] = dict(r)
    return out
