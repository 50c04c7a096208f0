"""Everything the case book holds about one family, read for a subject access request: every
row of every table that belongs to the family, table by table, plus the audit entries about
those rows. Stored letters come as their PDF bytes, exactly as they were sent.

When a migration adds a table that belongs to a family, add its query here: a test walks the
foreign keys of a new case book and fails when a family's row is missing from this read.
"""

from __future__ import annotations

from typing import Any

from adviser_app.store import letter_recipients
from adviser_app.store.db import Database

_CASES = "SELECT id FROM case_file WHERE family_id = :f"
_CHILDREN = "SELECT id FROM child WHERE family_id = :f"
_CYCLES = f"SELECT id FROM ga_cycle WHERE child_id IN ({_CHILDREN})"

# table -> the rows of that table belonging to family :f (in the order a reader wants them)
QUERIES: dict[str, str] = {
    "family": "SELECT * FROM family WHERE id = :f",
    "person": "SELECT * FROM person WHERE family_id = :f ORDER BY created_at",
    "child": "SELECT * FROM child WHERE family_id = :f ORDER BY date_of_birth",
    "child_need": f"SELECT * FROM child_need WHERE child_id IN ({_CHILDREN})",
    "case_file": "SELECT * FROM case_file WHERE family_id = :f ORDER BY opened_on",
    "case_issue": f"SELECT * FROM case_issue WHERE case_id IN ({_CASES})",
    "case_child": f"SELECT * FROM case_child WHERE case_id IN ({_CASES})",
    "timeline_entry": f"SELECT * FROM timeline_entry WHERE case_id IN ({_CASES}) "
                      "ORDER BY entry_date, created_at",
    "timeline_entry_version": "SELECT * FROM timeline_entry_version WHERE entry_id IN "
                              f"(SELECT id FROM timeline_entry WHERE case_id IN ({_CASES})) "
                              "ORDER BY entry_id, version",
    "task": f"SELECT * FROM task WHERE case_id IN ({_CASES}) ORDER BY created_at",
    "statutory_event": f"SELECT * FROM statutory_event WHERE case_id IN ({_CASES}) "
                       "ORDER BY event_date",
    "deadline_mark": "SELECT * FROM deadline_mark WHERE event_id IN (SELECT id FROM "
                     f"statutory_event WHERE case_id IN ({_CASES}))",
    "disagreement": f"SELECT * FROM disagreement WHERE case_id IN ({_CASES}) "
                    "ORDER BY created_at",
    "document": "SELECT id, case_id, template_id, template_version, title, wording, "
                f"created_at, updated_at, updated_by FROM document WHERE case_id IN ({_CASES}) "
                "ORDER BY created_at",
    "ga_cycle": f"SELECT * FROM ga_cycle WHERE child_id IN ({_CHILDREN}) ORDER BY created_at",
    "ga_cycle_area": f"SELECT * FROM ga_cycle_area WHERE cycle_id IN ({_CYCLES})",
    "ga_evidence": f"SELECT * FROM ga_evidence WHERE cycle_id IN ({_CYCLES}) "
                   "ORDER BY cycle_id, position",
    "ga_outcome": f"SELECT * FROM ga_outcome WHERE cycle_id IN ({_CYCLES}) "
                  "ORDER BY cycle_id, position",
    "ga_support": f"SELECT * FROM ga_support WHERE cycle_id IN ({_CYCLES}) "
                  "ORDER BY cycle_id, position",
    "ga_parent_meeting": f"SELECT * FROM ga_parent_meeting WHERE child_id IN ({_CHILDREN}) "
                         "ORDER BY met_on",
    "ga_check": f"SELECT * FROM ga_check WHERE child_id IN ({_CHILDREN})",
    "ga_passport": f"SELECT * FROM ga_passport WHERE child_id IN ({_CHILDREN})",
    "ga_target": f"SELECT * FROM ga_target WHERE child_id IN ({_CHILDREN}) "
                 "ORDER BY child_id, position",
    "ga_target_check": "SELECT * FROM ga_target_check WHERE target_id IN (SELECT id FROM "
                       f"ga_target WHERE child_id IN ({_CHILDREN})) ORDER BY checked_on",
    "subject_access_request": "SELECT * FROM subject_access_request WHERE family_id = :f "
                              "ORDER BY received_on",
    "subject_access_pause": "SELECT * FROM subject_access_pause WHERE request_id IN (SELECT "
                            "id FROM subject_access_request WHERE family_id = :f)",
    "retention_review": f"SELECT * FROM retention_review WHERE case_id IN ({_CASES})",
    "case_level_change": f"SELECT * FROM case_level_change WHERE case_id IN ({_CASES}) "
                         "ORDER BY changed_on",
    "case_status_change": f"SELECT * FROM case_status_change WHERE case_id IN ({_CASES}) "
                          "ORDER BY changed_on",
    "case_evaluation_answer": "SELECT * FROM case_evaluation_answer WHERE case_id IN "
                              f"({_CASES}) ORDER BY case_id, position",
}


def family_records(db: Database, family_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows belonging to the family (tables with none are left out), and the
    To boxes kept for the next letter to a council that mention the family, as
    "letter_recipient" (see store.letter_recipients)."""
    out = {}
    for table, sql in QUERIES.items():
        rows = [dict(r) for r in db.query(sql, {"f": family_id})]
        if rows:
            out[table] = rows
    mentioning = letter_recipients.mentioning(db, family_id)
    if mentioning:
        out["letter_recipient"] = [
            {"id": f"letter_recipient:{key}", "kept_for": letter_recipients.kept_for(key),
             "address": lines} for key, lines in sorted(mentioning.items())]
    return out


def audit_entries_about(db: Database, record_ids: set[str]) -> list[dict[str, Any]]:
    """Who viewed, changed, printed or exported any of these records, and when."""
    if not record_ids:
        return []
    marks = ", ".join("?" for _ in record_ids)
    return [dict(r) for r in db.query(
        f"SELECT at, actor, action, record_type, record_id FROM audit_log "
        f"WHERE record_id IN ({marks}) ORDER BY seq", sorted(record_ids))]


def letter_pdfs(db: Database, family_id: str) -> list[tuple[str, str, str, bytes]]:
    """(document id, title, made at, PDF) of every letter kept on the family's cases."""
    return [(r["id"], r["title"], r["created_at"], bytes(r["pdf"])) for r in db.query(
        f"SELECT id, title, created_at, pdf FROM document WHERE case_id IN ({_CASES}) "
        "ORDER BY created_at", {"f": family_id})]
