"""Rows for the data protection duties: cases due for a retention review, keep decisions,
anonymising and erasing a case, erasure tombstones, and subject access requests.

Anonymising keeps what the service's figures count (the case, its dates, issues, levels and
statutory events, each child's local authority, year group, needs and year of birth) and
removes names, contact details, addresses, exact dates of birth and every free text. Erasing
removes the case and everything about it; the family, its people and children go too when no
other case of theirs remains. Both leave a tombstone with the case reference only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from adviser_app.store import drafts, letter_recipients
from adviser_app.store.checkpoints import main_file_held
from adviser_app.store.db import Database
from adviser_app.store.errors import CaseBookError
from adviser_app.store.rows import iso, new_id, now_stamp, stamps, to_date
from adviser_app.store.search import reindex_case
from adviser_app.store.sync_log import ERASE_MARK
from adviser_app.store.sync_tables import backlog_sql, key_sql, table_shape

ANONYMISED = "Anonymised"


@dataclass(frozen=True)
class ClosedCase:
    case_id: str
    reference: str
    family_id: str
    family_name: str
    closed_on: date
    children_born: tuple[date | None, ...]
    next_review: date | None  # from the latest "keep" decision, if any
    anonymised: bool


@dataclass(frozen=True)
class Erasure:
    kind: str  # 'erased' or 'anonymised'
    case_id: str
    case_reference: str
    reason: str
    erased_at: str
    erased_by: str
    id: str = ""

    def as_json(self) -> dict[str, str]:
        return {"id": self.id, "kind": self.kind, "case_id": self.case_id,
                "case_reference": self.case_reference, "reason": self.reason,
                "erased_at": self.erased_at, "erased_by": self.erased_by}


def closed_cases(db: Database) -> list[ClosedCase]:
    """Every closed case with what its retention review date depends on."""
    rows = db.query("""
        SELECT cf.id, cf.reference, cf.family_id, f.family_name, cf.closed_on,
          (SELECT json_group_array(c.date_of_birth) FROM case_child cc
             JOIN child c ON c.id = cc.child_id WHERE cc.case_id = cf.id) AS births,
          (SELECT r.next_review FROM retention_review r WHERE r.case_id = cf.id
             ORDER BY r.decided_on DESC, r.created_at DESC LIMIT 1) AS next_review,
          EXISTS (SELECT 1 FROM erasure e WHERE e.case_id = cf.id
                    AND e.kind = 'anonymised') AS anonymised
        FROM case_file cf JOIN family f ON f.id = cf.family_id
        WHERE cf.closed_on IS NOT NULL ORDER BY cf.closed_on, cf.reference""")
    out = []
    for r in rows:
        births = tuple(to_date(b) for b in json.loads(r["births"] or "[]"))
        out.append(ClosedCase(r["id"], r["reference"], r["family_id"], r["family_name"],
                              date.fromisoformat(r["closed_on"]), births,
                              to_date(r["next_review"]), bool(r["anonymised"])))
    return out


def record_keep(db: Database, case_id: str, reason: str, next_review: date, decided_on: date,
                actor: str) -> str:
    review_id = new_id()
    db.table("retention_review").insert({
        "id": review_id, "case_id": case_id, "decision": "keep", "reason": reason,
        "next_review": iso(next_review), "decided_on": iso(decided_on),
        **stamps(actor, created=True)})
    return review_id


def case_reference(db: Database, case_id: str) -> tuple[str, str]:
    """(reference, family id) of a case, or our own error when there is no such case."""
    reference, family_id, _ = case_and_family(db, case_id)
    return reference, family_id


def case_and_family(db: Database, case_id: str) -> tuple[str, str, str]:
    """(reference, family id, family name) of a case."""
    rows = list(db.query("SELECT cf.reference, cf.family_id, f.family_name FROM case_file cf "
                         "JOIN family f ON f.id = cf.family_id WHERE cf.id = ?", [case_id]))
    if not rows:
        raise CaseBookError("That case is no longer in the case book.")
    r = rows[0]
    return str(r["reference"]), str(r["family_id"]), str(r["family_name"])


def _other_cases(db: Database, family_id: str, case_id: str) -> list[str]:
    """The family's other cases that have not been anonymised."""
    return [r["id"] for r in db.query(
        "SELECT id FROM case_file WHERE family_id = ? AND id != ? AND id NOT IN "
        "(SELECT case_id FROM erasure WHERE kind = 'anonymised')", [family_id, case_id])]


def _children_only_here(db: Database, case_id: str) -> list[str]:
    return [r["child_id"] for r in db.query(
        "SELECT child_id FROM case_child WHERE case_id = ? AND child_id NOT IN "
        "(SELECT child_id FROM case_child WHERE case_id != ?)", [case_id, case_id])]


def family_goes_too(db: Database, case_id: str) -> bool:
    """True when the family's own details go with this case (no other case of theirs)."""
    _, family_id = case_reference(db, case_id)
    return not _other_cases(db, family_id, case_id)


def _tombstone(db: Database, kind: str, case_id: str, reference: str, reason: str,
               actor: str, again: Erasure | None) -> Erasure:
    """The record of the erasure; *again* is the original when an erasure is made again
    after a restore, so it keeps its id, time and author."""
    erasure = again or Erasure(kind, case_id, reference, reason, now_stamp(), actor, new_id())
    db.table("erasure").insert(erasure.as_json())
    return erasure


def erase_case(db: Database, case_id: str, reason: str, actor: str,
               again: Erasure | None = None) -> Erasure:
    """Remove the case and everything about it; call inside a transaction."""
    mark = change_log_mark(db)
    reference, family_id = case_reference(db, case_id)
    letter_recipients.forget_family(db, family_id)  # a To box that mentions them
    drafts.forget_case(db, case_id)  # a note typed on it when the app locked
    family_too = not list(db.query(
        "SELECT 1 FROM case_file WHERE family_id = ? AND id != ?", [family_id, case_id]))
    children = _children_only_here(db, case_id)
    db.execute("DELETE FROM case_file WHERE id = ?", [case_id])  # cascades to its records
    for child_id in children:
        db.execute("DELETE FROM child WHERE id = ?", [child_id])
    if family_too:
        db.execute("DELETE FROM subject_access_request WHERE family_id = ?", [family_id])
        db.execute("DELETE FROM person WHERE family_id = ?", [family_id])
        db.execute("DELETE FROM child WHERE family_id = ?", [family_id])
        db.execute("DELETE FROM family WHERE id = ?", [family_id])
    scrub_change_log(db, mark)
    return _tombstone(db, "erased", case_id, reference, reason, actor, again)


# Free text in a case's own records: blanked when a case is anonymised.
_CASE_TEXT = {
    "case_file": ("id", ("closing_note", "summary")),
    "task": ("case_id", ("title",)),
    "statutory_event": ("case_id", ("document", "notes")),
}
_KEEP_WORD = re.compile(r"^(?:[a-z0-9_]{1,40}|\d{4}-\d{2}-\d{2})$")


def _without_free_text(value: Any) -> Any:
    """JSON answers with every free-text string removed; keys, choices (lower-case words),
    ISO dates, numbers and flags stay so the figures can still be counted."""
    if isinstance(value, dict):
        return {k: _without_free_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_free_text(v) for v in value]
    if isinstance(value, str) and not _KEEP_WORD.match(value):
        return ""
    return value


def anonymise_case(db: Database, case_id: str, reason: str, today: date, actor: str,
                   again: Erasure | None = None) -> Erasure:
    """Remove names, contact details, addresses, dates of birth and free text from a case;
    call inside a transaction."""
    mark = change_log_mark(db)
    reference, family_id = case_reference(db, case_id)
    letter_recipients.forget_family(db, family_id)  # its letters go: so does a To box naming them
    drafts.forget_case(db, case_id)  # a note typed on it when the app locked
    stamp = stamps(actor, created=False)
    for table, (key, columns) in _CASE_TEXT.items():
        sets = ", ".join(f"{c} = ''" for c in columns)
        db.execute(f"UPDATE {table} SET {sets} WHERE {key} = ?", [case_id])
    _blank_timeline(db, case_id, stamp)
    db.execute("DELETE FROM document WHERE case_id = ?", [case_id])
    for row in list(db.query("SELECT id, answers FROM disagreement WHERE case_id = ?",
                             [case_id])):
        db.execute("UPDATE disagreement SET answers = ? WHERE id = ?",
                   [json.dumps(_without_free_text(json.loads(row["answers"]))), row["id"]])
    children = _children_only_here(db, case_id)
    if not _other_cases(db, family_id, case_id):
        children = [r["id"] for r in db.query("SELECT id FROM child WHERE family_id = ?",
                                              [family_id])]
        _anonymise_family(db, family_id, stamp)
    for child_id in children:
        _anonymise_child(db, child_id, stamp)
    db.execute("DELETE FROM search_doc WHERE case_id = ?", [case_id])
    reindex_case(db, case_id)
    db.execute("INSERT INTO retention_review (id, case_id, decision, reason, next_review, "
               "decided_on, created_at, updated_at, updated_by) VALUES "
               "(?, ?, 'anonymise', ?, NULL, ?, ?, ?, ?)",
               [new_id(), case_id, reason, today.isoformat(), stamp["updated_at"],
                stamp["updated_at"], actor])
    scrub_change_log(db, mark)
    return _tombstone(db, "anonymised", case_id, reference, reason, actor, again)


def _blank_timeline(db: Database, case_id: str, stamp: dict[str, str]) -> None:
    """Entries keep their kind and date (contacts are counted); every wording goes."""
    ids = [r["id"] for r in db.query("SELECT id FROM timeline_entry WHERE case_id = ?",
                                     [case_id])]
    for entry_id in ids:
        db.execute("DELETE FROM timeline_entry_version WHERE entry_id = ?", [entry_id])
        db.execute("UPDATE timeline_entry SET body = '', updated_at = ?, updated_by = ? "
                   "WHERE id = ?", [stamp["updated_at"], stamp["updated_by"], entry_id])
        db.execute("INSERT INTO timeline_entry_version (entry_id, version, kind, entry_date, "
                   "author, body, saved_at, saved_by) SELECT id, version, kind, entry_date, "
                   "author, '', ?, ? FROM timeline_entry WHERE id = ?",
                   [stamp["updated_at"], stamp["updated_by"], entry_id])


def _anonymise_family(db: Database, family_id: str, stamp: dict[str, str]) -> None:
    db.execute("UPDATE family SET family_name = ?, notes = '', updated_at = ?, updated_by = ? "
               "WHERE id = ?", [ANONYMISED, stamp["updated_at"], stamp["updated_by"],
                                family_id])
    db.execute("UPDATE person SET given_name = '', family_name = ?, address = '', "
               "postcode = '', phone = '', email = '', access_needs = '', "
               "interpreter_language = '', updated_at = ?, updated_by = ? "
               "WHERE family_id = ?",
               [ANONYMISED, stamp["updated_at"], stamp["updated_by"], family_id])
    db.execute("UPDATE subject_access_request SET requester = ?, about = ?, "
               "identity_check = '', extension_reason = CASE WHEN extended_on IS NULL "
               "THEN '' ELSE ? END WHERE family_id = ?",
               [ANONYMISED, ANONYMISED, ANONYMISED, family_id])


def _anonymise_child(db: Database, child_id: str, stamp: dict[str, str]) -> None:
    """Name, school, notes and the exact date of birth go (1 January of the year stays, for
    the age groups); graduated-approach records, all free text about the child, go."""
    db.execute("UPDATE child SET given_name = ?, family_name = '', school = '', notes = '', "
               "date_of_birth = substr(date_of_birth, 1, 4) || '-01-01', updated_at = ?, "
               "updated_by = ? WHERE id = ?",
               [ANONYMISED, stamp["updated_at"], stamp["updated_by"], child_id])
    for table in ("ga_cycle", "ga_parent_meeting", "ga_check", "ga_passport", "ga_target"):
        db.execute(f"DELETE FROM {table} WHERE child_id = ?", [child_id])


def anonymised_on(db: Database, case_id: str) -> date | None:
    """The day the case was anonymised (None if it never was)."""
    row = next(db.query("SELECT decided_on FROM retention_review WHERE case_id = ? AND "
                        "decision = 'anonymise' ORDER BY decided_on DESC LIMIT 1",
                        [case_id]), None)
    return to_date(row["decided_on"]) if row else None


def erasures(db: Database) -> list[Erasure]:
    return [Erasure(r["kind"], r["case_id"], r["case_reference"], r["reason"],
                    r["erased_at"], r["erased_by"], r["id"])
            for r in db.query("SELECT * FROM erasure ORDER BY erased_at, id")]


def has_erasure(db: Database, erasure_id: str) -> bool:
    return bool(list(db.query("SELECT 1 FROM erasure WHERE id = ?", [erasure_id])))


def case_exists(db: Database, case_id: str) -> bool:
    return bool(list(db.query("SELECT 1 FROM case_file WHERE id = ?", [case_id])))


def insert_erasure(db: Database, erasure: Erasure) -> None:
    """A tombstone copied back from the file beside the case book (after a restore)."""
    db.table("erasure").insert(erasure.as_json())


def compact_search_index(db: Database) -> None:
    """Merge the full-text indexes' segments so deleted words leave their pages too."""
    db.execute("INSERT INTO case_search (case_search) VALUES ('optimize')")
    db.execute("INSERT INTO case_search_header (case_search_header) VALUES ('optimize')")
    db.execute("INSERT INTO case_search_name (case_search_name) VALUES ('optimize')")


def fold_log_into_file(db: Database) -> bool:
    """Checkpoint the write-ahead log into the main file and empty it, so the old pages of an
    erased record do not linger there; False while a background check holds the main file
    (closing the case book does it then)."""
    if main_file_held(db):
        return False
    busy, _, _ = db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return not busy


def change_log_mark(db: Database) -> int | None:
    """Where the team register's change log stands (None in a case book without one)."""
    if table_shape(db.conn, "sync_change") is None:
        return None
    return int(db.conn.execute("SELECT coalesce(max(seq), 0) FROM sync_change").fetchone()[0])


def scrub_change_log(db: Database, mark: int | None) -> None:
    """After an erasure or anonymising (same transaction): the change log kept the old values
    of every row it touched, to send to the hub. For each such row every logged value is
    removed; the hub is sent an "erase" for the row (it then keeps no value of it either, and
    every other laptop removes it at its next pull; see db/hub/0003_erasure.sql), and a row
    that remains (anonymised) is sent again as new. The erase goes even for a row this laptop
    has not seen come back from the hub: a push whose answer was lost may have put it there."""
    if mark is None:
        return
    touched = db.conn.execute(
        "SELECT tbl, row_key, (SELECT op FROM sync_change l WHERE l.tbl = c.tbl "
        "AND l.row_key = c.row_key ORDER BY seq DESC LIMIT 1) FROM sync_change c "
        "WHERE seq > ? GROUP BY tbl, row_key", [mark]).fetchall()
    for tbl, row_key, last_op in touched:
        for table in ("sync_change", "sync_conflict", "sync_parked"):
            db.execute(f"DELETE FROM {table} WHERE tbl = ? AND row_key = ?", [tbl, row_key])
        db.execute("INSERT INTO sync_change (change_id, tbl, row_key, op, fields, "
                   "made_at) VALUES (lower(hex(randomblob(16))), ?, ?, 'delete', ?, "
                   "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))", [tbl, row_key, ERASE_MARK])
        shape = table_shape(db.conn, tbl)
        if last_op != "delete" and shape is not None:
            db.execute(f"{backlog_sql(shape)} WHERE {key_sql(shape, 't')} = ?", [row_key])
    # SQLite can leave a copy of a moved row in the unused middle of a page, which
    # secure_delete does not reach: write the log's pages afresh (freed pages are zeroed).
    db.execute("CREATE TEMP TABLE sync_change_kept AS SELECT * FROM main.sync_change")
    db.execute("DELETE FROM main.sync_change")
    db.execute("INSERT INTO main.sync_change SELECT * FROM temp.sync_change_kept")
    db.execute("DROP TABLE temp.sync_change_kept")
