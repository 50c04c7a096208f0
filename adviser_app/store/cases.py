"""Cases: their children and issues, opening and closing (the case list and its search:
store/case_search.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from adviser_app.domain.records import Case, CaseDetails
from adviser_app.domain.references import next_reference
from adviser_app.domain.vocab import CaseIssue, CaseState, HeardFrom, ServiceUser
from adviser_app.store.case_progress import current_level, is_inactive, record_level
from adviser_app.store.case_search import CaseFilter, CasePage, find_cases
from adviser_app.store.rows import get_row, iso, new_id, stamps, to_date
from adviser_app.store.search import index_case_header, reindex_case

__all__ = ["CaseFilter", "CasePage", "find_cases"]
"""The case list's search lives in store/case_search.py; these stay importable from here."""


def _write_links(db: Database, case_id: str, details: CaseDetails) -> None:
    db.execute("DELETE FROM case_issue WHERE case_id = ?", [case_id])
    db.execute("DELETE FROM case_child WHERE case_id = ?", [case_id])
    for issue in sorted(details.issues):
        db.execute("INSERT INTO case_issue (case_id, issue) VALUES (?, ?)",
                   [case_id, issue.value])
    for child_id in sorted(details.child_ids):
        db.execute("INSERT INTO case_child (case_id, child_id) VALUES (?, ?)",
                   [case_id, child_id])


def insert_case(db: Database, family_id: str, details: CaseDetails, actor: str,
                prefix: str) -> tuple[str, str]:
    """Store a new open case; returns (id, reference)."""
    year = details.opened_on.year
    existing = [r["reference"] for r in db.query(
        "SELECT reference FROM case_file WHERE reference LIKE ?", [f"{prefix}-{year}-%"])]
    reference = next_reference(prefix, year, existing)
    case_id = new_id()
    db.table("case_file").insert({
        "id": case_id, "reference": reference, "family_id": family_id,
        "adviser": details.adviser, "state": CaseState.OPEN.value,
        "opened_on": details.opened_on.isoformat(), "summary": details.summary,
        **_about(details), **stamps(actor, created=True)})
    _write_links(db, case_id, details)
    if details.level is not None:
        record_level(db, case_id, details.level, details.opened_on, actor)
    reindex_case(db, case_id)
    return case_id, reference


def _about(details: CaseDetails) -> dict[str, str | None]:
    return {"service_user": details.service_user.value if details.service_user else None,
            "heard_from": details.heard_from.value if details.heard_from else None}


def update_case(db: Database, case_id: str, details: CaseDetails, actor: str,
                changed_on: date | None = None) -> None:
    """Save the case's details; a new level of support is kept as a change made on
    *changed_on* (by default the day the case opened, when it had no level before)."""
    if details.level is not None and details.level != current_level(db, case_id):
        record_level(db, case_id, details.level, changed_on or details.opened_on, actor)
    db.table("case_file").update(case_id, {
        "adviser": details.adviser, "opened_on": details.opened_on.isoformat(),
        "summary": details.summary, **_about(details), **stamps(actor, created=False)})
    _write_links(db, case_id, details)
    index_case_header(db, case_id)


def set_case_state(db: Database, case_id: str, state: CaseState, closed_on: date | None,
                   closing_note: str, actor: str) -> None:
    db.table("case_file").update(case_id, {
        "state": state.value, "closed_on": iso(closed_on), "closing_note": closing_note,
        **stamps(actor, created=False)})


def touch_case(db: Database, case_id: str, actor: str) -> None:
    """Mark activity on the case (a note or task), so the list shows it as recently active."""
    db.table("case_file").update(case_id, stamps(actor, created=False))


def get_case(db: Database, case_id: str) -> Case:
    row = get_row(db, "case_file", case_id, "case")
    issues = frozenset(CaseIssue(r["issue"]) for r in db.query(
        "SELECT issue FROM case_issue WHERE case_id = ?", [case_id]))
    children = frozenset(r["child_id"] for r in db.query(
        "SELECT child_id FROM case_child WHERE case_id = ?", [case_id]))
    opened = to_date(row["opened_on"])
    assert opened is not None
    return Case(row["id"], row["reference"], row["family_id"],
                CaseDetails(row["adviser"], opened, issues, children, row["summary"],
                            current_level(db, case_id),
                            ServiceUser(row["service_user"]) if row["service_user"] else None,
                            HeardFrom(row["heard_from"]) if row["heard_from"] else None),
                CaseState(row["state"]), to_date(row["closed_on"]), row["closing_note"],
                row["updated_at"], row["updated_by"], is_inactive(db, case_id), row["outcome"])


def case_ids_for_family(db: Database, family_id: str) -> list[str]:
    return [r["id"] for r in db.query(
        "SELECT id FROM case_file WHERE family_id = ? ORDER BY opened_on DESC, id",
        [family_id])]


@dataclass(frozen=True)
class CaseLabel:
    id: str
    reference: str
    family_name: str
    children: str


def open_case_labels(db: Database, *, after: CaseLabel | None = None,
                     limit: int = -1) -> list[CaseLabel]:
    """Each open case's reference, family and children's names, by reference (for picking
    cases from a long list); *after* and *limit* read them a part at a time."""
    since = "AND (cf.reference, cf.id) > (?, ?) " if after is not None else ""
    return [CaseLabel(r["id"], r["reference"], r["family_name"], r["children"] or "")
            for r in db.query(
                "SELECT cf.id, cf.reference, f.family_name, (SELECT group_concat("
                "c.given_name || ' ' || c.family_name, ', ') FROM case_child cc JOIN child c "
                "ON c.id = cc.child_id WHERE cc.case_id = cf.id) AS children "
                "FROM case_file cf JOIN family f ON f.id = cf.family_id "
                f"WHERE cf.state = 'open' {since}ORDER BY cf.reference, cf.id LIMIT ?",
                [*((after.reference, after.id) if after is not None else ()), limit])]


def advisers(db: Database) -> list[str]:
    return [r["adviser"] for r in db.query(
        "SELECT DISTINCT adviser FROM case_file ORDER BY adviser")]
