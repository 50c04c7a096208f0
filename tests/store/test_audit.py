"""T11: the audit log is append-only and tamper-evident."""

from __future__ import annotations

from datetime import date

import pytest

from adviser_app.domain.records import CaseDetails, EntryDetails
from adviser_app.domain.vocab import CaseIssue, EntryKind
from adviser_app.services import audit_log, casework
from adviser_app.store import audit
from adviser_app.store.db import Database


def busy_day(db: Database) -> str:
    case_id = casework.open_new_family_case(
        db, family_name="Okafor", person=None, children=[],
        case=CaseDetails("Sam", date(2026, 11, 1), frozenset({CaseIssue.OTHER})), actor="Sam")
    casework.view_case(db, case_id, "Sam")
    entry = casework.add_timeline_entry(db, case_id, EntryDetails(
        EntryKind.NOTE, date(2026, 11, 2), "Sam", "=HYPERLINK(\"x\")"), "Sam")
    casework.edit_timeline_entry(db, entry, EntryDetails(
        EntryKind.NOTE, date(2026, 11, 2), "Sam", "changed"), "Sam", 1)
    return case_id


def sneak(db: Database, sql: str, *params: object) -> None:
    """What an attacker with the key would do: drop the guard, change a row, put it back."""
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("DROP TRIGGER audit_log_no_delete")
    db.execute(sql, list(params))


def test_each_action_is_logged_with_ids_not_names(db: Database) -> None:
    case_id = busy_day(db)
    logged = [(e.action, e.record_type) for e in reversed(audit.entries(db))]
    assert logged == [("created", "family"), ("created", "case"), ("viewed", "case"),
                      ("created", "timeline_entry"), ("changed", "timeline_entry")]
    assert all(e.actor == "Sam" for e in audit.entries(db))
    assert case_id in {e.record_id for e in audit.entries(db)}
    assert all("Okafor" not in (e.detail + e.record_id) for e in audit.entries(db))
    assert audit.verify(db).ok and audit.verify(db).checked == 5


def test_the_log_refuses_updates_and_deletes(db: Database) -> None:
    busy_day(db)
    with pytest.raises(Exception, match="never changed"):
        db.execute("UPDATE audit_log SET actor = 'Someone else' WHERE seq = 2")
    with pytest.raises(Exception, match="never deleted"):
        db.execute("DELETE FROM audit_log WHERE seq = 2")


@pytest.mark.parametrize("tamper, first_bad, intact", [
    ("UPDATE audit_log SET actor = 'Someone else' WHERE seq = 3", 3, 2),
    ("UPDATE audit_log SET action = 'viewed' WHERE seq = 4", 4, 3),
    ("DELETE FROM audit_log WHERE seq = 2", 3, 1),
    ("UPDATE audit_log SET mac = '00' || substr(mac, 3) WHERE seq = 1", 1, 0),
])
def test_tampering_is_found_at_the_first_bad_entry(db: Database, tamper: str,
                                                    first_bad: int, intact: int) -> None:
    busy_day(db)
    sneak(db, tamper)
    outcome = audit.verify(db)
    assert not outcome.ok and outcome.first_bad == first_bad
    assert outcome.checked == intact


def test_a_forged_entry_without_the_key_is_found(db: Database) -> None:
    busy_day(db)
    last = audit.entries(db, 1)[0]
    db.execute("INSERT INTO audit_log (seq, at, actor, action, record_type, record_id, "
               "detail, mac) VALUES (?, ?, 'Forger', 'viewed', 'case', 'x', '', ?)",
               [last.seq + 1, last.at, "ab" * 32])
    assert audit.verify(db).first_bad == last.seq + 1


def test_cutting_off_the_tail_is_caught_against_the_last_anchor(db: Database) -> None:
    busy_day(db)
    anchor = audit.head(db)  # sent to the office with each hand-over
    sneak(db, "DELETE FROM audit_log WHERE seq >= 4")
    assert audit.verify(db).ok  # the chain alone cannot see a cut tail...
    assert audit.head(db) != anchor  # ...the anchor the office holds does


def test_csv_export_is_safe_for_spreadsheets(db: Database) -> None:
    busy_day(db)
    audit_log.note(db, "=cmd|' /C calc'!A0", "exported", "audit_log", "all")
    text = audit_log.export_csv(db)
    assert "'=cmd" in text
    assert text.splitlines()[0].startswith("seq,")


def test_csv_export_gives_each_record_its_case_reference_never_a_name(db: Database) -> None:
    """Found walking the data protection lead's journey: the CSV held record ids alone, so
    nobody could tell which case an entry was about without the app."""
    import csv
    import io

    case_id = busy_day(db)
    reference = db.query("SELECT reference FROM case_file WHERE id = ?", [case_id]).__next__()
    rows = list(csv.DictReader(io.StringIO(audit_log.export_csv(db))))
    about = {(r["record type"], r["case reference"]) for r in rows}
    assert ("case", reference["reference"]) in about
    assert ("timeline_entry", reference["reference"]) in about
    assert ("family", "") in about  # a family has no case reference of its own
    assert "Okafor" not in audit_log.export_csv(db)


@pytest.mark.parametrize("cut", ["DELETE FROM audit_log WHERE seq >= 4",
                                 "DELETE FROM audit_log"], ids=["last rows", "every row"])
def test_verify_finds_a_cut_off_tail_against_the_anchor(db: Database, cut: str) -> None:
    """Issue 14 item 7: the head kept outside the file (casebook.anchor) is checked."""
    busy_day(db)
    assert audit_log.verify(db).ok
    sneak(db, cut)
    outcome = audit_log.verify(db)
    assert not outcome.ok and outcome.missing >= 2
    for _ in range(8):  # saves after the cut, more than were cut...
        audit_log.note(db, "Sam", "viewed", "case", "x")
    assert not audit_log.verify(db).ok  # ...never move the anchor past the gap
