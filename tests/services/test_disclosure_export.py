"""Subject access export: every record of the family (checked against an independent walk of
the case book's foreign keys) and nothing of another family's, withheld words and records
gone from every file, letters copied exactly as sent, and the PDF read back."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from adviser_app.domain.disclosure import Redaction, row_key
from adviser_app.services import documents
from adviser_app.services import subject_access as sar
from adviser_app.services.disclosure_export import export_everything
from adviser_app.store import disclosure
from adviser_app.store.db import Database
from adviser_app.store.errors import CaseBookError
from planting import ACTOR, plant

TODAY = date(2026, 12, 6)
# Tables that belong to no family, or that only index or log what is already exported.
NOT_FAMILY = {"settings", "search_doc", "audit_log", "extra_bank_holiday", "erasure"}


def owned_rows(db: Database, family_id: str) -> dict[str, set[str]]:
    """Rows belonging to the family, found by following every table's foreign keys from the
    family row (independent of the export's own queries)."""
    tables = [t for t in db.table_names() if not t.startswith("case_search")
              and t not in NOT_FAMILY]
    parents = {t: [(fk[3], fk[2], fk[4]) for fk in db.conn.execute(
        f"PRAGMA foreign_key_list({t})")] for t in tables}
    keys: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    owned: dict[str, set[str]] = defaultdict(set)
    rows = {t: [dict(r) for r in db.query(f"SELECT * FROM {t}")] for t in tables}
    keys["family"]["id"].add(family_id)
    changed = True
    while changed:
        changed = False
        for table in tables:
            for row in rows[table]:
                mine = (table == "family" and row["id"] == family_id) or any(
                    row.get(column) in keys[parent][target]
                    for column, parent, target in parents[table])
                key = row_key(table, row)
                if mine and key not in owned[table]:
                    owned[table].add(key)
                    for column, value in row.items():
                        keys[table][column].add(value)
                    changed = True
    return {t: k for t, k in owned.items() if k}


@pytest.fixture
def two_families(db: Database) -> tuple[str, str, str]:
    documents.save_letterhead(db, {"name": "Anytown SENDIASS", "address": "1 High Street",
                                   "phone": "01632 960000", "email": "ias@example.org"})
    mine = plant(db, "aa", closed_on=None)
    plant(db, "zz", closed_on=None)
    letter, wording = documents.standard_letter(db, mine, "case_summary", TODAY)
    documents.produce(db, mine, letter, wording, ACTOR, TODAY)
    family_id = next(db.query("SELECT family_id FROM case_file WHERE id = ?", [mine]))[
        "family_id"]
    request_id = sar.record_request(db, family_id=family_id, requester="Qxaamum Qxaasur",
                                    about="Qxaakid Qxaasur", received_on=TODAY,
                                    identity_check="Seen at home", today=TODAY, actor=ACTOR)
    return mine, family_id, request_id


def test_the_store_reads_every_row_the_family_owns(db, two_families) -> None:
    _, family_id, _ = two_families
    read = {t: {row_key(t, r) for r in rows}
            for t, rows in disclosure.family_records(db, family_id).items()}
    assert read == owned_rows(db, family_id)
    assert "timeline_entry_version" in read and "ga_target" in read and "document" in read


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "chosen"
    folder.mkdir()
    return folder


def test_every_table_that_belongs_to_a_family_is_read(db: Database) -> None:
    """A schema check that needs no data: a new table holding a family's rows (found through
    its foreign keys) must be added to the export's queries."""
    tables = [t for t in db.table_names() if not t.startswith("case_search")
              and t not in NOT_FAMILY]
    parents = {t: {fk[2] for fk in db.conn.execute(f"PRAGMA foreign_key_list({t})")}
               for t in tables}
    belongs = {"family"}
    while True:
        more = {t for t in tables if parents[t] & belongs} - belongs
        if not more:
            break
        belongs |= more
    assert belongs - set(disclosure.QUERIES) == set()


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_export_holds_the_family_and_nothing_of_another(db, two_families, out) -> None:
    _, family_id, request_id = two_families
    result = export_everything(db, request_id, out, Redaction(), TODAY, ACTOR)
    assert result.folder.parent == out and result.withheld == 0
    reference = next(db.query("SELECT reference FROM case_file WHERE family_id = ?",
                              [family_id]))["reference"]
    assert result.folder.name == f"Subject access request {reference} 2026-12-06"
    again = export_everything(db, request_id, out, Redaction(), TODAY, ACTOR)
    assert again.folder.name == f"Subject access request {reference} 2026-12-06 (2)"
    payload = json.loads((result.folder / "disclosure.json").read_text("utf-8"))
    expected = json.loads(json.dumps(disclosure.family_records(db, family_id)))
    assert payload["records"] == expected
    everything = (result.folder / "disclosure.json").read_text("utf-8") + pdf_text(
        result.folder / "disclosure.pdf")
    assert "Qxzz" not in everything and "qxzz" not in everything
    for word in ("Qxaavisitsecond", "Qxaavisitfirst", "Qxaastrengths", "Qxaatarget",
                 "Qxaaeventnote"):
        assert word in everything
    text = pdf_text(result.folder / "disclosure.pdf")
    assert "Information we hold about you" in text and "06/12/2026" in text
    assert "Nothing was withheld." in text
    (letter_file,) = [f for f in result.files if f.startswith("letter ")]
    (stored,) = disclosure.letter_pdfs(db, family_id)
    assert (result.folder / letter_file).read_bytes() == stored[3]  # exactly as sent
    exported = list(db.query("SELECT detail FROM audit_log WHERE action = 'exported'"))
    assert exported == [{"detail": "3 files, 0 withheld"}] * 2


def test_withheld_words_and_records_leave_no_trace(db, two_families, out) -> None:
    case_id, family_id, request_id = two_families
    entry = next(db.query("SELECT id FROM timeline_entry WHERE body = 'Qxaavisitsecond'"))
    redaction = Redaction(phrases=("qxaaschool", "Qxaasur"),
                          phrase_reason="It names another person",
                          records=(("timeline_entry", entry["id"]),),
                          record_reason="Given in confidence by the school")
    result = export_everything(db, request_id, out, redaction, TODAY, ACTOR)
    raw = b"".join((result.folder / name).read_bytes() for name in result.files)
    text = pdf_text(result.folder / "disclosure.pdf")
    everything = raw.decode("utf-8", "ignore") + text
    assert "Qxaaschool" not in everything and "Qxaasur" not in everything
    assert "Qxaavisitsecond" not in json.dumps(
        json.loads((result.folder / "disclosure.json").read_text("utf-8"))["records"][
            "timeline_entry"])
    payload = json.loads((result.folder / "disclosure.json").read_text("utf-8"))
    whats = [w["what"] for w in payload["withheld"]]
    assert any("mentions of 2 names or phrases" in w for w in whats)
    assert "One record from \u201cVisits, calls, emails, meetings, letters and notes\u201d " \
           "dated 01/04/2025" in whats
    assert any("not copied as sent" in w for w in whats)  # the letter names the surname
    assert not [f for f in result.files if f.startswith("letter ")]
    assert "Given in confidence by the school" in text


def test_a_request_needs_its_family_and_reasons(db, two_families, out) -> None:
    loose = sar.record_request(db, family_id=None, requester="A", about="B",
                               received_on=TODAY, identity_check="", today=TODAY, actor=ACTOR)
    with pytest.raises(CaseBookError, match="not linked to a family"):
        export_everything(db, loose, out, Redaction(), TODAY, ACTOR)
    _, _, request_id = two_families
    with pytest.raises(CaseBookError, match="why the words"):
        export_everything(db, request_id, out, Redaction(phrases=("x",)), TODAY, ACTOR)
    assert list(out.iterdir()) == []
