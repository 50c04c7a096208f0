"""SEN support cycles (with their evidence, outcomes and support), parent meetings and the
adviser's checklist marks: rows <-> records."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from adviser_app.domain.graduated.cycles import (
    Cycle, CycleDetails, Evidence, EvidenceKind, Meeting,
                                          MeetingDetails, NextStep, Outcome, Progress, Support,
                                          number_cycles)
from adviser_app.domain.graduated.expectations import CheckMark, CheckStatus
from adviser_app.domain.vocab import AreaOfNeed
from adviser_app.store.cases import touch_case
from adviser_app.store.rows import get_row, iso, new_id, now_stamp, stamps, to_date


def touch_child_cases(db: Database, child_id: str, actor: str) -> None:
    """Mark every case the child is on as just updated (the case list sorts by it)."""
    for row in db.query("SELECT case_id FROM case_child WHERE child_id = ?", [child_id]):
        touch_case(db, row["case_id"], actor)


def require_child(db: Database, child_id: str) -> None:
    get_row(db, "child", child_id, "child", "id")


def _cycle_row(d: CycleDetails) -> dict[str, Any]:
    return {
        "child_id": d.child_id, "assessed_on": iso(d.assessed_on),
        "assessed_by": d.assessed_by, "senco_involved": int(d.senco_involved),
        "planned_on": iso(d.planned_on), "parents_told_on": iso(d.parents_told_on),
        "agreed_with_parents": int(d.agreed_with_parents), "review_due": iso(d.review_due),
        "on_passport": int(d.on_passport), "on_provision_map": int(d.on_provision_map),
        "senco_support": d.senco_support, "reviewed_on": iso(d.reviewed_on),
        "parent_views": d.parent_views, "pupil_views": d.pupil_views,
        "next_step": d.next_step.value if d.next_step else None,
        "review_notes": d.review_notes,
    }


def _write_parts(db: Database, cycle_id: str, d: CycleDetails) -> None:
    for table in ("ga_cycle_area", "ga_evidence", "ga_outcome", "ga_support"):
        db.execute(f"DELETE FROM {table} WHERE cycle_id = ?", [cycle_id])
    for area in sorted(d.areas):
        db.execute("INSERT INTO ga_cycle_area (cycle_id, area) VALUES (?, ?)",
                   [cycle_id, area.value])
    for n, e in enumerate(d.evidence):
        db.execute("INSERT INTO ga_evidence (id, cycle_id, position, kind, description, author,"
                   " given_on) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [new_id(), cycle_id, n, e.kind.value, e.description, e.author,
                    iso(e.given_on)])
    for n, o in enumerate(d.outcomes):
        db.execute("INSERT INTO ga_outcome (id, cycle_id, position, description, progress, "
                   "progress_note) VALUES (?, ?, ?, ?, ?, ?)",
                   [new_id(), cycle_id, n, o.description,
                    o.progress.value if o.progress else None, o.progress_note])
    for stage, rows in (("plan", d.support), ("do", d.provision)):
        for n, s in enumerate(rows):
            db.execute("INSERT INTO ga_support (id, cycle_id, stage, position, what, who, "
                       "how_often, starts_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       [new_id(), cycle_id, stage, n, s.what, s.who, s.how_often,
                        iso(s.starts_on)])


def insert_cycle(db: Database, details: CycleDetails, actor: str) -> str:
    cycle_id = new_id()
    db.table("ga_cycle").insert({"id": cycle_id, **_cycle_row(details),
                                 **stamps(actor, created=True)})
    _write_parts(db, cycle_id, details)
    touch_child_cases(db, details.child_id, actor)
    return cycle_id


def update_cycle(db: Database, cycle_id: str, details: CycleDetails, actor: str) -> None:
    get_cycle_details(db, cycle_id)  # refuses a cycle that has gone
    db.table("ga_cycle").update(cycle_id, {**_cycle_row(details),
                                           **stamps(actor, created=False)})
    _write_parts(db, cycle_id, details)
    touch_child_cases(db, details.child_id, actor)


def delete_cycle(db: Database, cycle_id: str, actor: str) -> None:
    child_id = get_cycle_details(db, cycle_id).child_id
    db.execute("DELETE FROM ga_cycle WHERE id = ?", [cycle_id])
    touch_child_cases(db, child_id, actor)


def _support(rows: list[dict[str, Any]], stage: str) -> tuple[Support, ...]:
    return tuple(Support(r["what"], r["who"], r["how_often"], to_date(r["starts_on"]))
                 for r in rows if r["stage"] == stage)


def _details(db: Database, row: dict[str, Any]) -> CycleDetails:
    cid = row["id"]
    areas = frozenset(AreaOfNeed(r["area"]) for r in db.query(
        "SELECT area FROM ga_cycle_area WHERE cycle_id = ?", [cid]))
    evidence = tuple(Evidence(EvidenceKind(r["kind"]), r["description"], r["author"],
                              to_date(r["given_on"])) for r in db.query(
        "SELECT * FROM ga_evidence WHERE cycle_id = ? ORDER BY position", [cid]))
    outcomes = tuple(Outcome(r["description"], Progress(r["progress"]) if r["progress"]
                             else None, r["progress_note"]) for r in db.query(
        "SELECT * FROM ga_outcome WHERE cycle_id = ? ORDER BY position", [cid]))
    support = list(db.query("SELECT * FROM ga_support WHERE cycle_id = ? "
                            "ORDER BY stage, position", [cid]))
    return CycleDetails(
        child_id=row["child_id"], assessed_on=to_date(row["assessed_on"]),
        assessed_by=row["assessed_by"], senco_involved=bool(row["senco_involved"]),
        evidence=evidence, areas=areas, planned_on=to_date(row["planned_on"]),
        parents_told_on=to_date(row["parents_told_on"]),
        agreed_with_parents=bool(row["agreed_with_parents"]), outcomes=outcomes,
        support=_support(support, "plan"), review_due=to_date(row["review_due"]),
        on_passport=bool(row["on_passport"]), on_provision_map=bool(row["on_provision_map"]),
        provision=_support(support, "do"), senco_support=row["senco_support"],
        reviewed_on=to_date(row["reviewed_on"]), parent_views=row["parent_views"],
        pupil_views=row["pupil_views"],
        next_step=NextStep(row["next_step"]) if row["next_step"] else None,
        review_notes=row["review_notes"])


def get_cycle_details(db: Database, cycle_id: str) -> CycleDetails:
    return _details(db, get_row(db, "ga_cycle", cycle_id, "SEN support cycle"))


def cycles_for_child(db: Database, child_id: str) -> list[Cycle]:
    """The child's cycles, numbered 1, 2, ... in date order."""
    return number_cycles([(r["id"], _details(db, r), r["updated_at"], r["updated_by"])
                          for r in db.query("SELECT * FROM ga_cycle WHERE child_id = ?",
                                            [child_id])])


def children_with_cycles_on_open_cases(db: Database) -> list[dict[str, Any]]:
    """(child_id, case_id, reference, family_name, adviser, child_name) for every child with
    SEN support cycles who is on an open case (the most recently updated one if several)."""
    return list(db.query(
        "SELECT ch.id AS child_id, c.id AS case_id, c.reference, c.adviser, f.family_name, "
        "ch.given_name || ' ' || ch.family_name AS child_name FROM child ch "
        "JOIN case_child cc ON cc.child_id = ch.id "
        "JOIN case_file c ON c.id = cc.case_id AND c.state = 'open' "
        "JOIN family f ON f.id = c.family_id "
        "WHERE EXISTS (SELECT 1 FROM ga_cycle g WHERE g.child_id = ch.id) "
        "AND c.id = (SELECT c2.id FROM case_child cc2 JOIN case_file c2 ON c2.id = cc2.case_id "
        "            WHERE cc2.child_id = ch.id AND c2.state = 'open' "
        "            ORDER BY c2.updated_at DESC, c2.id LIMIT 1) "
        "ORDER BY f.family_name, ch.given_name"))


# ----- parent meetings ---------------------------------------------------------------------

def _meeting_row(d: MeetingDetails) -> dict[str, Any]:
    return {"child_id": d.child_id, "met_on": d.met_on.isoformat(), "led_by": d.led_by,
            "senco_present": int(d.senco_present), "notes": d.notes}


def insert_meeting(db: Database, details: MeetingDetails, actor: str) -> str:
    meeting_id = new_id()
    db.table("ga_parent_meeting").insert({"id": meeting_id, **_meeting_row(details),
                                          **stamps(actor, created=True)})
    touch_child_cases(db, details.child_id, actor)
    return meeting_id


def update_meeting(db: Database, meeting_id: str, details: MeetingDetails, actor: str) -> None:
    get_meeting(db, meeting_id)
    db.table("ga_parent_meeting").update(meeting_id, {**_meeting_row(details),
                                                      **stamps(actor, created=False)})
    touch_child_cases(db, details.child_id, actor)


def delete_meeting(db: Database, meeting_id: str, actor: str) -> None:
    child_id = get_meeting(db, meeting_id).details.child_id
    db.execute("DELETE FROM ga_parent_meeting WHERE id = ?", [meeting_id])
    touch_child_cases(db, child_id, actor)


def _meeting(r: dict[str, Any]) -> Meeting:
    met_on = to_date(r["met_on"])
    assert met_on is not None
    return Meeting(r["id"], MeetingDetails(r["child_id"], met_on, r["led_by"],
                                           bool(r["senco_present"]), r["notes"]),
                   r["updated_at"])


def get_meeting(db: Database, meeting_id: str) -> Meeting:
    return _meeting(get_row(db, "ga_parent_meeting", meeting_id, "meeting"))


def meetings_for_child(db: Database, child_id: str) -> list[Meeting]:
    return [_meeting(r) for r in db.query(
        "SELECT * FROM ga_parent_meeting WHERE child_id = ? ORDER BY met_on, created_at",
        [child_id])]


# ----- checklist marks ---------------------------------------------------------------------

def set_check(db: Database, child_id: str, mark: CheckMark, actor: str) -> None:
    now = now_stamp()
    db.execute(
        "INSERT INTO ga_check (id, child_id, item_key, status, evidence, created_at, "
        "updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(child_id, item_key) DO UPDATE SET status = excluded.status, "
        "evidence = excluded.evidence, updated_at = excluded.updated_at, "
        "updated_by = excluded.updated_by",
        [new_id(), child_id, mark.key, mark.status.value, mark.evidence, now, now, actor])
    touch_child_cases(db, child_id, actor)


def clear_check(db: Database, child_id: str, key: str, actor: str) -> None:
    db.execute("DELETE FROM ga_check WHERE child_id = ? AND item_key = ?", [child_id, key])
    touch_child_cases(db, child_id, actor)


def checks_for_child(db: Database, child_id: str) -> list[CheckMark]:
    return [CheckMark(r["item_key"], CheckStatus(r["status"]), r["evidence"], r["updated_at"],
                      r["updated_by"])
            for r in db.query("SELECT * FROM ga_check WHERE child_id = ? ORDER BY item_key",
                              [child_id])]
