"""Retention review, anonymising and erasing: canary words planted in every kind of record are
looked for afterwards in every decrypted page of the case book, its WAL and the next backup;
a restore from an older backup followed by re-applying the erasure list shows the case still
erased."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from adviser_app.domain.records import CaseDetails
from adviser_app.domain.retention import RetentionPolicy
from adviser_app.services import backups, case_books, casework, restoring
from adviser_app.services import data_protection as dp
from adviser_app.store import erasure_ledger
from adviser_app.store.db import Database, close_case_book, data_key
from adviser_app.store.errors import CaseBookError
from planting import ACTOR, CANARIES, plant
from sqlcipher_pages import file_contains
from support import open_book

TODAY = date(2033, 1, 10)


def found(path: Path, key: bytes, tag: str) -> list[str]:
    return [c for c in CANARIES if file_contains(path, key, f"Qx{tag}{c}")
            or file_contains(path, key, f"qx{tag}{c}")]


@pytest.fixture
def place(data_dir: Path) -> case_books.CaseBookPlace:
    return case_books.real_place(data_dir)


def test_the_scanner_finds_planted_words_before_erasure(db: Database, place) -> None:
    plant(db, "aa")
    assert found(place.path, data_key(db), "aa") == list(CANARIES)  # the test's teeth


@pytest.mark.parametrize("kind", ["erased", "anonymised"])
def test_erasure_leaves_no_trace_in_file_wal_index_or_next_backup(db, place, kind) -> None:
    case_id = plant(db, "bb")
    plant(db, "cc")  # another family, untouched
    key = bytes(data_key(db))
    remove = dp.erase_case if kind == "erased" else dp.anonymise_case
    remove(db, case_id, "Retention period over", TODAY, ACTOR)
    assert found(place.path, key, "bb") == []
    assert set(found(place.path, key, "cc")) == set(CANARIES)
    assert not list(db.query("SELECT 1 FROM search_doc WHERE words LIKE '%qxbb%'"))
    info = backups.backup_now(db, place)
    assert found(info.path, key, "bb") == []
    close_case_book(db)
    assert found(place.path, key, "bb") == []


def test_anonymising_keeps_what_the_figures_count(db: Database) -> None:
    case_id = plant(db, "dd")
    dp.anonymise_case(db, case_id, "Retention period over", TODAY, ACTOR)
    case = db.query("SELECT * FROM case_file WHERE id = ?", [case_id]).__next__()
    assert case["state"] == "closed" and case["opened_on"] == "2025-03-01"
    child = next(db.query("SELECT * FROM child"))
    assert child["date_of_birth"] == "2005-01-01" and child["given_name"] == "Anonymised"
    entries = list(db.query("SELECT kind, entry_date, body FROM timeline_entry"))
    assert entries == [{"kind": "home_visit", "entry_date": "2025-04-01", "body": ""},
                       {"kind": "note", "entry_date": "2026-01-05", "body": ""}]
    assert len(list(db.query("SELECT 1 FROM statutory_event"))) == 1
    assert [e.kind for e in dp.rows.erasures(db)] == ["anonymised"]
    assert dp.review_list(db) == []  # nothing personal left to review


def test_erasing_the_only_case_takes_the_family_and_leaves_a_tombstone(db: Database) -> None:
    case_id = plant(db, "ee")
    reference = next(db.query("SELECT reference FROM case_file"))["reference"]
    text = dp.confirmation_text(db, case_id, "erased")
    assert "Qxeesur family" in text and reference in text and "go too" in text
    dp.erase_case(db, case_id, "Asked to be forgotten", TODAY, ACTOR)
    for table in ("family", "person", "child", "case_file", "timeline_entry",
                  "timeline_entry_version", "task", "statutory_event", "ga_passport",
                  "search_doc"):
        assert not list(db.query(f"SELECT 1 FROM {table}")), table
    (tomb,) = dp.rows.erasures(db)
    assert (tomb.case_reference, tomb.reason, tomb.erased_by) == (
        reference, "Asked to be forgotten", ACTOR)
    audit = list(db.query("SELECT action, record_id, detail FROM audit_log "
                          "WHERE action = 'erased'"))
    assert audit == [{"action": "erased", "record_id": case_id, "detail": "erased"}]


def test_a_family_with_another_case_keeps_its_details(db: Database) -> None:
    case_id = plant(db, "ff")
    family_id = next(db.query("SELECT family_id FROM case_file"))["family_id"]
    other = casework.open_case_for_family(db, family_id, CaseDetails(
        adviser="Ann", opened_on=date(2027, 1, 1)), ACTOR)
    assert "another case" in dp.confirmation_text(db, case_id, "anonymised")
    dp.erase_case(db, case_id, "Done with", TODAY, ACTOR)
    assert next(db.query("SELECT family_name FROM family"))["family_name"] == "Qxffsur"
    assert [r["id"] for r in db.query("SELECT id FROM case_file")] == [other]


def test_restore_of_an_older_backup_makes_the_erasure_again(db, place, data_dir) -> None:
    case_id = plant(db, "gg")
    key = bytes(data_key(db))
    older = backups.backup_now(db, place)
    dp.erase_case(db, case_id, "Retention period over", TODAY, ACTOR)
    close_case_book(db)
    restoring.restore(place, older, key)
    db = open_book(place)
    try:
        assert len(list(db.query("SELECT 1 FROM case_file"))) == 1  # the old file has it
        assert dp.reapply_erasures(db, TODAY, ACTOR) == 1
        assert not list(db.query("SELECT 1 FROM case_file"))
        assert [e.case_id for e in dp.rows.erasures(db)] == [case_id]
        assert dp.reapply_erasures(db, TODAY, ACTOR) == 0  # once only
        assert found(place.path, key, "gg") == []
    finally:
        close_case_book(db)


def test_the_erasure_list_is_written_before_the_commit_and_owner_only(db, place) -> None:
    case_id = plant(db, "hh")
    dp.anonymise_case(db, case_id, "Retention period over", TODAY, ACTOR)
    ledger = erasure_ledger.ledger_path(db)
    assert ledger == place.path.with_name("casebook.erasures")
    assert ledger.stat().st_mode & 0o777 == 0o600
    (entry,) = erasure_ledger.read(ledger)
    assert entry.case_id == case_id and "Qxhh" not in ledger.read_text()
    assert "Retention period over" not in ledger.read_text()  # free text stays encrypted
    with ledger.open("a") as fh:  # a line cut short by a crash is skipped
        fh.write('{"id": "x", "kind": "er')
    assert len(erasure_ledger.read(ledger)) == 1


def test_review_list_and_keep(db: Database) -> None:
    # Child born 10/06/2005 turns 25 on 10/06/2030; closed 05/01/2026, 6 years on 05/01/2032.
    case_id = plant(db, "ii")
    (item,) = dp.review_list(db)
    assert item.due == date(2032, 1, 5) and "05" not in item.why[:0]
    assert [i.case.case_id for i in dp.due_for_review(db, TODAY)] == [case_id]
    assert dp.due_for_review(db, date(2032, 1, 4)) == []
    with pytest.raises(CaseBookError, match="why"):
        dp.keep_case(db, case_id, " ", date(2034, 1, 1), TODAY, ACTOR)
    with pytest.raises(CaseBookError, match="after today"):
        dp.keep_case(db, case_id, "Tribunal pending", TODAY, TODAY, ACTOR)
    dp.keep_case(db, case_id, "Tribunal pending", date(2034, 1, 1), TODAY, ACTOR)
    assert dp.due_for_review(db, TODAY) == []
    assert "2034" in dp.review_list(db)[0].why


def test_policy_is_kept_in_the_case_book(book) -> None:
    db = book.db
    plant(db, "jj")
    dp.set_retention_policy(db, RetentionPolicy(years_closed=2, youngest_age=18), ACTOR)
    with pytest.raises(CaseBookError):
        dp.set_retention_policy(db, RetentionPolicy(years_closed=0), ACTOR)
    db = book.reopen()
    assert dp.retention_policy(db) == RetentionPolicy(2, 18)
    assert dp.review_list(db)[0].due == date(2028, 1, 5)


def test_an_open_case_is_never_reviewed(db: Database) -> None:
    plant(db, "kk", closed_on=None)
    assert dp.review_list(db) == []


@pytest.mark.parametrize("kind", ["erased", "anonymised"])
def test_a_note_typed_on_the_case_when_the_app_locked_goes_with_it(db, kind) -> None:
    from adviser_app.services import drafts

    def kept() -> bool:
        return bool(list(db.query("SELECT 1 FROM settings WHERE value LIKE '%Qxggdraft%'")))

    case_id, other = plant(db, "gg"), plant(db, "hh")
    remove = dp.erase_case if kind == "erased" else dp.anonymise_case
    drafts.keep(db, {"case_id": case_id, "entry_id": None, "body": "Qxggdraft half-typed"})
    remove(db, other, "Retention period over", TODAY, ACTOR)
    assert kept()  # a draft on another case stays
    remove(db, case_id, "Retention period over", TODAY, ACTOR)
    assert not kept()
