"""A child's pupil passport and its targets, each with its status at every review."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from sqlite_utils import Database

from adviser_app.domain.graduated.passport import (PassportDetails, Target, TargetCheck,
                                                   TargetStatus)
from adviser_app.store.errors import RecordNotFound
from adviser_app.store.graduated import touch_child_cases
from adviser_app.store.rows import get_row, iso, new_id, stamps, to_date


def _passport_row(details: PassportDetails) -> dict[str, Any]:
    row = asdict(details)
    row["made_on"], row["review_on"] = iso(details.made_on), iso(details.review_on)
    row["consent_to_share"] = int(details.consent_to_share)
    return row


def save_passport(db: Database, child_id: str, details: PassportDetails, actor: str) -> None:
    """Create the child's passport, or replace what it says."""
    existing = list(db.query("SELECT id FROM ga_passport WHERE child_id = ?", [child_id]))
    if existing:
        db.table("ga_passport").update(existing[0]["id"], {
            **_passport_row(details), **stamps(actor, created=False)})
    else:
        db.table("ga_passport").insert({"id": new_id(), "child_id": child_id,
                                        **_passport_row(details),
                                        **stamps(actor, created=True)})
    touch_child_cases(db, child_id, actor)


def get_passport(db: Database, child_id: str) -> PassportDetails | None:
    rows = list(db.query("SELECT * FROM ga_passport WHERE child_id = ?", [child_id]))
    if not rows:
        return None
    row = rows[0]
    fields = {name: row[name] for name in PassportDetails.__dataclass_fields__}
    fields["made_on"], fields["review_on"] = to_date(row["made_on"]), to_date(row["review_on"])
    fields["consent_to_share"] = bool(row["consent_to_share"])
    return PassportDetails(**fields)


def child_of_target(db: Database, target_id: str) -> str:
    return str(get_row(db, "ga_target", target_id, "target", "child_id")["child_id"])


def replace_targets(db: Database, child_id: str,
                    rows: list[tuple[str | None, str, date | None]], actor: str) -> None:
    """Make the child's targets these (id or None for new, description, date set), in this
    order; targets left out are removed with their history."""
    keep = {target_id for target_id, _, _ in rows if target_id}
    for r in db.query("SELECT id FROM ga_target WHERE child_id = ?", [child_id]):
        if r["id"] not in keep:
            db.execute("DELETE FROM ga_target WHERE id = ?", [r["id"]])
    for position, (target_id, description, set_on) in enumerate(rows):
        values = {"position": position, "description": description, "set_on": iso(set_on)}
        if target_id:
            if child_of_target(db, target_id) != child_id:
                raise RecordNotFound("target")
            db.table("ga_target").update(target_id, {**values,
                                                     **stamps(actor, created=False)})
        else:
            db.table("ga_target").insert({"id": new_id(), "child_id": child_id, **values,
                                          **stamps(actor, created=True)})
    touch_child_cases(db, child_id, actor)


def add_target_check(db: Database, target_id: str, check: TargetCheck, actor: str) -> None:
    child_id = child_of_target(db, target_id)
    db.table("ga_target_check").insert({
        "id": new_id(), "target_id": target_id, "checked_on": check.checked_on.isoformat(),
        "status": check.status.value, "note": check.note, **stamps(actor, created=True)})
    touch_child_cases(db, child_id, actor)


def targets_for_child(db: Database, child_id: str) -> list[Target]:
    checks: dict[str, list[TargetCheck]] = {}
    for r in db.query("SELECT k.* FROM ga_target_check k JOIN ga_target t ON t.id = k.target_id"
                      " WHERE t.child_id = ? ORDER BY k.checked_on, k.created_at", [child_id]):
        day = to_date(r["checked_on"])
        assert day is not None
        checks.setdefault(r["target_id"], []).append(
            TargetCheck(day, TargetStatus(r["status"]), r["note"]))
    return [Target(r["id"], r["description"], to_date(r["set_on"]),
                   tuple(checks.get(r["id"], ())))
            for r in db.query("SELECT * FROM ga_target WHERE child_id = ? ORDER BY position",
                              [child_id])]
