"""Golden case books from every format open with today's code, upgrade, and keep their data
(reliability T14a).

tests/fixtures/schema_vN.db and schema_vN.key are real encrypted case books written by
scripts/make_schema_fixture.py; the script's docstring gives the rule (each release adds its
own, none is ever regenerated). Which code made the committed ones, each run through
`--code` on a `git archive` of that commit (there are no release tags, so "the code of format
N" is the last commit at which N was the newest format):

    v2  47eb466   v3  8959774   v4  8e2c1e7   v5  b0fd741   v6  55ca000
    v8, v9 and v10 (data protection, the service's figures, the sync change log) were each
        made with the merged code of the session that brought them together, format by
        format as the branches landed
    v1  55ca000 with ONLY migration 0001 applied (--first-format): no release wrote exactly
        this file, because the code that wrote format 1 made files today's app can't open
        (see the script's docstring)

Each test works on a copy, so the committed files are never touched.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from adviser_app.domain.statutory.events import DeadlineState, EventKind
from adviser_app.domain.graduated.expectations import CheckStatus
from adviser_app.domain.graduated.passport import TargetStatus
from adviser_app.domain.mediation import Decision, Step
from adviser_app.domain.records import Case, Family
from adviser_app.domain.vocab import CaseState, ContactMethod, ContactWay
from adviser_app.services import audit_log, case_books, graduated, mediation, statutory
from adviser_app.store import cases, events, families, migrate, search, tasks, timeline
from adviser_app.store.cases import CaseFilter
from adviser_app.store.db import Database, close_case_book, verify_file
from adviser_app.store.documents import document_pdf, documents_for_case
import support
from support import create_book, key_of, open_book

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CURRENT = len(migrate.known_migrations())
SCRIPT = "scripts/make_schema_fixture.py"


def committed_versions() -> list[int]:
    found = []
    for path in FIXTURES.glob("schema_v*.db"):
        match = re.fullmatch(r"schema_v(\d+)\.db", path.name)
        assert match, f"unexpected fixture name {path.name}"
        found.append(int(match.group(1)))
    return sorted(found)


VERSIONS = committed_versions()

# The awkward rows the script writes (see scripts/make_schema_fixture.py), as the app stores
# them: names NFC, everything else exactly as typed.
ZOE = "Zo\u00eb"
LUKASZ = "\u0141ukasz"
ARABIC_FAMILY = "\u200f\u0627\u0644\u062d\u0633\u064a\u0646\u064a"
ARABIC_GIVEN = "\u0645\u0631\u064a\u0645"
EMOJI_CHILD = "Yusuf \U0001f468\u200d\U0001f469\u200d\U0001f466"
EMOJI_TASK = "Ring school re: \U0001f9d1\U0001f3fe\u200d\U0001f9bd access ramp"
CLOSING_NOTE = "Transport agreed \u2014 \u0634\u0643\u0631\u0627\u064b."
NOTE_LENGTH = 200_000  # the validator's cap (MAX_NOTE) when the fixtures were made
TODAY = date(2026, 11, 28)

# The first format holding each kind of record.
STATUTORY, GRADUATED, AUDIT, DOCUMENTS, DISAGREEMENTS = 2, 3, 4, 5, 6
FIGURES = 9  # levels, inactive spells, outcomes and evaluation answers, time and way of contact


@dataclass
class Upgraded:
    """A copy of one fixture, opened (so upgraded) by today's code."""

    version: int
    db: Database
    place: case_books.CaseBookPlace

    def case_of(self, family_name: str) -> Case:
        found = [s for s in cases.find_cases(self.db).rows if s.family_name == family_name]
        assert len(found) == 1, [s.family_name for s in cases.find_cases(self.db).rows]
        return cases.get_case(self.db, found[0].id)

    def family_of(self, case: Case) -> Family:
        return families.get_family(self.db, case.family_id)


def copy_fixture(version: int, data_dir: Path) -> case_books.CaseBookPlace:
    """Put schema_vN where the app keeps the real case book (the key file beside it)."""
    place = case_books.real_place(data_dir)
    shutil.copyfile(FIXTURES / f"schema_v{version}.db", place.path)
    shutil.copyfile(FIXTURES / f"schema_v{version}.key", place.key_path)
    return place


def versions_from(first: int) -> Any:
    """Run a test on the fixtures of format *first* onwards (those holding its records)."""
    chosen = [v for v in VERSIONS if v >= first]
    return pytest.mark.parametrize("upgraded", chosen, ids=[f"v{v}" for v in chosen],
                                   indirect=True)


@pytest.fixture(scope="module", params=VERSIONS, ids=[f"v{v}" for v in VERSIONS])
def upgraded(request: pytest.FixtureRequest,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[Upgraded]:
    """Opened once per fixture and shared by the tests below, which only read."""
    place = copy_fixture(request.param, tmp_path_factory.mktemp(f"v{request.param}"))
    db = open_book(place)
    try:
        yield Upgraded(request.param, db, place)
    finally:
        close_case_book(db)


@pytest.fixture(scope="module")
def fresh_schema(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, str,
                                                                             str | None]]:
    """The schema of a case book created today."""
    fresh = create_book(tmp_path_factory.mktemp("fresh"))
    try:
        return normalised_schema(fresh.conn)
    finally:
        close_case_book(fresh)


def raw_connect(path: Path, key: bytes) -> Any:
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def normalised_schema(conn: Any) -> list[tuple[str, str, str, str | None]]:
    """Every table, index, trigger and view by name, with its SQL whitespace-normalised (the
    root page numbers differ between files and say nothing about the schema)."""
    return sorted((kind, name, table, " ".join(sql.split()) if sql else None)
                  for kind, name, table, sql in conn.execute(
                      "SELECT type, name, tbl_name, sql FROM sqlite_schema"))


# --- the rule: the current format has a fixture ---------------------------------------------


def test_the_current_format_has_a_committed_fixture() -> None:
    assert CURRENT in VERSIONS, (
        f"Case book format {CURRENT} has no golden fixture. Make it with this release's code: "
        f"`.venv/bin/python {SCRIPT}`, then commit tests/fixtures/schema_v{CURRENT}.db and "
        f"schema_v{CURRENT}.key. Never regenerate the older ones.")


def test_no_fixture_is_from_a_format_this_code_does_not_know() -> None:
    assert VERSIONS and max(VERSIONS) <= CURRENT, VERSIONS


def test_the_fixtures_are_still_unlocked_by_the_test_passphrase() -> None:
    assert support.PASSPHRASE == "otter lantern pumpkin", (
        "the committed fixtures are wrapped with the old test passphrase: unlock them with it")


@pytest.mark.parametrize("version", VERSIONS, ids=[f"v{v}" for v in VERSIONS])
def test_each_fixture_is_an_encrypted_case_book_of_its_own_format(version: int,
                                                                  tmp_path: Path) -> None:
    path = FIXTURES / f"schema_v{version}.db"
    assert path.read_bytes()[:16] != b"SQLite format 3\x00"
    # from format 10 the sync change log holds a second copy of the 200,000-character note
    assert path.stat().st_size < 1_200_000, "keep fixtures small"
    place = copy_fixture(version, tmp_path)  # even reading a WAL-mode file writes beside it
    conn = raw_connect(place.path, key_of(place.key_path))
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version
    finally:
        conn.close()


# --- open, upgrade, compare with a new case book ---------------------------------------------


def test_fixture_upgrades_to_the_current_format_with_a_verified_backup(
        upgraded: Upgraded) -> None:
    assert migrate.user_version(upgraded.db.conn) == CURRENT
    backups = sorted(upgraded.place.backups.glob("*-pre-upgrade-*.db"))
    if upgraded.version == CURRENT:
        assert backups == []
        return
    assert len(backups) == 1 and f"-pre-upgrade-v{CURRENT}-" in backups[0].name
    key = key_of(upgraded.place.key_path)
    verify_file(backups[0], key)
    conn = raw_connect(backups[0], key)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == upgraded.version
    finally:
        conn.close()


def test_upgraded_schema_is_exactly_a_new_case_books_schema(
        upgraded: Upgraded, fresh_schema: list[tuple[str, str, str, str | None]]) -> None:
    assert normalised_schema(upgraded.db.conn) == fresh_schema


def test_integrity_foreign_keys_and_audit_chain_verify(upgraded: Upgraded) -> None:
    conn = upgraded.db.conn
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA cipher_integrity_check").fetchall() == []
    result = audit_log.verify(upgraded.db)
    rows = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    assert result.ok and result.checked == rows
    if upgraded.version >= AUDIT:
        assert rows > 0
        names = (ZOE, LUKASZ, ARABIC_GIVEN, ARABIC_FAMILY, "Kowalsk")
        for entry in audit_log.recent(upgraded.db):
            assert not any(n in entry.detail or n in entry.record_id for n in names), entry


# --- the awkward rows, read back through the app's own functions -------------------------------


def test_names_come_back_exactly_and_in_nfc(upgraded: Upgraded) -> None:
    kowalski = upgraded.family_of(upgraded.case_of("Kowalski"))
    people = {p.details.given_name: p.details for p in kowalski.people}
    # Zoë was typed decomposed for the mother and precomposed for the child
    assert set(people) == {LUKASZ, ZOE}
    assert [c.details.given_name for c in kowalski.children] == [ZOE]
    assert unicodedata.normalize("NFC", "Zoe\u0308") == ZOE
    assert (people[ZOE].family_name, kowalski.children[0].details.family_name) == (
        "Kowalska", "Kowalska")
    husseini = upgraded.family_of(upgraded.case_of(ARABIC_FAMILY))
    assert husseini.family_name == ARABIC_FAMILY  # the right-to-left mark is kept
    assert [(p.details.given_name, p.details.family_name) for p in husseini.people] == [
        (ARABIC_GIVEN, ARABIC_FAMILY)]
    assert [c.details.given_name for c in husseini.children] == [EMOJI_CHILD]
    every_name = [kowalski.family_name, husseini.family_name, *people, EMOJI_CHILD]
    assert all(unicodedata.is_normalized("NFC", n) for n in every_name)


def test_nulls_stay_null_and_the_longest_note_is_whole(upgraded: Upgraded) -> None:
    kowalski = upgraded.family_of(upgraded.case_of("Kowalski"))
    lukasz = next(p.details for p in kowalski.people if p.details.given_name == LUKASZ)
    mother = next(p.details for p in kowalski.people if p.details.given_name == ZOE)
    assert (lukasz.preferred_contact, lukasz.consent_date) == (None, None)
    assert (lukasz.postcode, lukasz.address) == ("LS6 2AB", "Flat 2\n14 Kestrel Rise\nLeeds")
    assert (mother.preferred_contact, mother.consent_date) == (ContactMethod.EMAIL,
                                                               date(2026, 1, 2))
    zoe = kowalski.children[0].details
    assert (zoe.ehc_plan_issued, zoe.ehc_plan_last_reviewed) == (None, None)
    assert len(zoe.notes) == NOTE_LENGTH
    assert zoe.notes.startswith(f"Home visit with {ZOE} and {LUKASZ}.") and \
        zoe.notes.endswith("END")
    yusuf = upgraded.family_of(upgraded.case_of(ARABIC_FAMILY)).children[0].details
    assert (yusuf.ehc_plan_issued, yusuf.ehc_plan_last_reviewed) == (date(2021, 3, 15),
                                                                     date(2026, 3, 14))


def test_open_and_closed_cases_with_their_notes_and_tasks(upgraded: Upgraded) -> None:
    open_case = upgraded.case_of("Kowalski")
    assert (open_case.state, open_case.closed_on) == (CaseState.OPEN, None)
    closed = upgraded.case_of(ARABIC_FAMILY)
    assert (closed.state, closed.closed_on, closed.closing_note) == (
        CaseState.CLOSED, date(2025, 12, 19), CLOSING_NOTE)
    assert f"Case closed. Closing note: {CLOSING_NOTE}" in [
        e.details.body for e in timeline.list_entries(upgraded.db, closed.id)]

    entries = timeline.list_entries(upgraded.db, open_case.id)
    edited = [e for e in entries if e.version == 2]
    assert len(edited) == 1
    assert [v.details.body for v in timeline.entry_history(upgraded.db, edited[0].id)] == [
        f"Spoke to {LUKASZ}; he wants letters in English.",
        f"Spoke to {LUKASZ}; he wants letters in English and Polish."]

    found = {t.details.title: t for t in tasks.list_tasks(upgraded.db, open_case.id)}
    assert set(found) == {"Chase the speech and language report", EMOJI_TASK,
                          "Send the consent form"}
    assert (found[EMOJI_TASK].details.due_on, found[EMOJI_TASK].done_on) == (None, None)
    assert found["Send the consent form"].done_on == date(2026, 1, 8)


def test_search_finds_each_family_however_the_name_is_typed(upgraded: Upgraded) -> None:
    expected = {typed: "Kowalski" for typed in ("zoe", ZOE, "ZOE\u0308", "lukasz", LUKASZ,
                                                "kowalska")}
    expected |= {typed: ARABIC_FAMILY for typed in (ARABIC_FAMILY, ARABIC_FAMILY[1:])}
    for typed, family in expected.items():
        found = cases.find_cases(upgraded.db, CaseFilter(text=typed)).rows
        assert [s.family_name for s in found] == [family], typed


def test_every_case_s_family_name_is_indexed(upgraded: Upgraded) -> None:
    """Migration 0013 filled in the words of each family's name (folded by the app's own
    folding), and the index of names holds them."""
    rows = upgraded.db.execute(
        "SELECT d.rowid, d.name_words, f.family_name FROM search_doc d "
        "JOIN case_file cf ON cf.id = d.case_id JOIN family f ON f.id = cf.family_id "
        "WHERE d.source = 'case'").fetchall()
    assert rows and all(words == search.folded_words(name) for _, words, name in rows)
    for rowid, words, _ in rows:
        for word in words.split():
            assert rowid in {r for (r,) in upgraded.db.execute(
                "SELECT rowid FROM case_search_name WHERE case_search_name MATCH ?",
                [f'"{word}"'])}
    assert upgraded.db.execute("SELECT count(*) FROM search_doc "
                               "WHERE source != 'case' AND name_words != ''").fetchone() == (0,)


@versions_from(STATUTORY)
def test_statutory_events_marks_and_holidays(upgraded: Upgraded) -> None:
    db, open_case = upgraded.db, upgraded.case_of("Kowalski")
    found = events.events_for_case(db, open_case.id)
    assert [e.kind for e in found] == [EventKind.EHC_REQUEST_RECEIVED,
                                       EventKind.ASSESSMENT_DECISION]  # the erased one is gone
    assert found[1].details.params == {"outcome": "refuse"}
    marks = {m.event_id: m for m in events.marks_for(db, [e.id for e in found])}
    assert (marks[found[0].id].state, marks[found[0].id].on, marks[found[0].id].reason) == (
        DeadlineState.NOT_APPLICABLE, None, "Superseded by the decision letter.")
    assert (marks[found[1].id].state, marks[found[1].id].on) == (DeadlineState.MET,
                                                                 date(2026, 3, 20))
    assert events.extra_bank_holidays(db) == {date(2026, 6, 15): "Extra bank holiday (test)"}
    derived = statutory.case_deadlines(db, open_case.id)
    assert {i.state for i in derived} >= {DeadlineState.MET, DeadlineState.NOT_APPLICABLE}
    closed = upgraded.case_of(ARABIC_FAMILY)
    assert [e.kind for e in events.events_for_case(db, closed.id)] == [
        EventKind.FINAL_PLAN_ISSUED]


@versions_from(GRADUATED)
def test_graduated_approach_cycle_meeting_mark_passport_and_target(upgraded: Upgraded) -> None:
    zoe = upgraded.family_of(upgraded.case_of("Kowalski")).children[0].id
    seen = graduated.overview(upgraded.db, zoe, TODAY)
    assert len(seen.cycles) == 1
    cycle = seen.cycles[0].details
    assert [e.author for e in cycle.evidence] == ["Mr \u0141ukaszewicz", f"{ZOE} Kowalska"]
    assert [o.progress for o in cycle.outcomes][1] is None
    assert (cycle.next_step, cycle.parents_told_on) == (None, None)
    assert cycle.parent_views == "Happier at home \U0001f642"
    assert [m.details.notes for m in seen.meetings] == [f"Plan shared with {LUKASZ}."]
    assert seen.passport is not None and seen.passport.review_on is None
    assert seen.passport.strengths == "Drawing \U0001f3a8 and Lego"
    assert [(t.description, t.status) for t in seen.targets] == [
        ("Use the visual timetable", TargetStatus.PARTLY)]
    marks = {row.expectation.key: row.mark for row in seen.rows if row.mark}
    assert marks["parents_told"].status is CheckStatus.NOT_MET


@versions_from(DOCUMENTS)
def test_kept_document_is_the_same_pdf(upgraded: Upgraded) -> None:
    open_case = upgraded.case_of("Kowalski")
    kept = documents_for_case(upgraded.db, open_case.id)
    assert [d.template_id for d in kept] == ["certificate_request"]
    pdf = document_pdf(upgraded.db, kept[0].id)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert any(e.details.body.startswith("Produced: ") for e in
               timeline.list_entries(upgraded.db, open_case.id))


@versions_from(DISAGREEMENTS)
def test_disagreement_records_with_and_without_a_child(upgraded: Upgraded) -> None:
    kowalski = upgraded.case_of("Kowalski")
    zoe = upgraded.family_of(kowalski).children[0].id
    drafts = sorted((d for _, d in mediation.on_case(upgraded.db, kowalski.id)),
                    key=lambda d: d.step)
    assert [(d.child_id, d.decision, d.step) for d in drafts] == [
        ("", None, Step.DECISION), (zoe, Decision.REFUSE_ASSESS, Step.SUMMARY)]
    assert drafts[1].certificate_issued == date(2026, 3, 20)


def test_older_cases_are_not_recorded_rather_than_guessed(upgraded: Upgraded) -> None:
    """Cases from before format 9 have no level, service user or outcome; their contacts keep
    the way their kind already said, and notes stay not-a-contact."""
    if upgraded.version >= FIGURES:
        pytest.skip("made with the figures' fields")
    case = upgraded.case_of("Kowalski")
    assert (case.details.level, case.details.service_user, case.details.heard_from,
            case.inactive) == (None, None, None, False)
    assert upgraded.case_of(ARABIC_FAMILY).outcome is None
    ways = {e.details.kind.value: (e.details.contact, e.details.minutes)
            for e in timeline.list_entries(upgraded.db, case.id)}
    assert ways["phone_call"] == (ContactWay.PHONE, None)
    assert ways["home_visit"] == (ContactWay.HOME_VISIT, None)


@versions_from(FIGURES)
def test_levels_status_outcome_answers_and_time(upgraded: Upgraded) -> None:
    from adviser_app.domain.vocab import EvaluationAnswer, HeardFrom, ServiceUser, SupportLevel
    from adviser_app.store import case_progress

    case = upgraded.case_of("Kowalski")
    assert (case.details.level, case.details.service_user, case.details.heard_from,
            case.inactive) == (SupportLevel.TRIBUNAL, ServiceUser.PARENT_CARER,
                               HeardFrom.SCHOOL, True)
    assert case_progress.level_history(upgraded.db, case.id) == [
        (date(2026, 1, 5), SupportLevel.ADVICE), (date(2026, 3, 6), SupportLevel.TRIBUNAL)]
    online = [e for e in timeline.list_entries(upgraded.db, case.id)
              if e.details.contact is ContactWay.ONLINE]
    assert [(e.details.minutes, e.details.entry_date) for e in online] == [
        (45, date(2026, 3, 10))]
    closed = upgraded.case_of(ARABIC_FAMILY)
    assert closed.outcome == "Resolved \u2014 agreed"
    assert case_progress.evaluation_answers(upgraded.db, closed.id) == [
        ("Did we listen? \U0001f642", EvaluationAnswer.PARTLY)]


def test_teeth_the_schema_comparison_sees_an_index_added_to_an_applied_migration(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Editing a migration that books already ran (here: an index slipped into 0002) must
    make the comparison fail, or it could not catch a forgotten index or trigger."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    for migration in migrate.known_migrations():
        shutil.copy(migration.path, folder / migration.path.name)
    edited = sorted(folder.glob("0002_*.sql"))[0]
    edited.write_text(edited.read_text(encoding="utf-8")
                      + "\nCREATE INDEX slipped_in ON extra_bank_holiday(name);\n",
                      encoding="utf-8")
    original = migrate.known_migrations
    monkeypatch.setattr(migrate, "known_migrations", lambda: original(folder))
    (tmp_path / "fresh").mkdir()
    fresh = create_book(tmp_path / "fresh")
    try:
        expected = normalised_schema(fresh.conn)
    finally:
        close_case_book(fresh)
    (tmp_path / "old").mkdir()
    db = open_book(copy_fixture(CURRENT, tmp_path / "old"))
    try:
        got = normalised_schema(db.conn)
    finally:
        close_case_book(db)
    assert set(expected) - set(got) == {
        ("index", "slipped_in", "extra_bank_holiday",
         "CREATE INDEX slipped_in ON extra_bank_holiday(name)")}
