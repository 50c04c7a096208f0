"""The real case book and the training case book: separate files, each opened the right way."""

from __future__ import annotations

import functools
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from adviser_app.domain.records import CaseDetails, EntryDetails
from adviser_app.domain.vocab import CaseIssue, CaseState, ChildStatus, EntryKind
from adviser_app.paths import TRAINING_FAMILIES_FILE
from adviser_app.services import case_books, casework, recovering, training
from adviser_app.store import cases, families, tasks, timeline
from adviser_app.store.db import Database, close_case_book
from adviser_app.store.errors import CaseBookExists
from adviser_app.store.settings import TRAINING_FLAG, is_training, set_setting
from adviser_app.store import key_file_format, keyfile
from adviser_app.store.keyfile import PRODUCTION_KDF, KdfParams, kdf_of, read_training_key_file
from support import CHEAP, PASSPHRASE, create_book, key_of, open_book

TODAY = date(2026, 11, 28)


def small_training_file(folder: Path, **changes: Any) -> Path:
    body: dict[str, Any] = {"families": [
        {"family_name": "Fictional-Ahmed", "notes": "Made up for training",
         "people": [{"given_name": "Farah", "family_name": "Ahmed", "relationship": "mother",
                     "postcode": "LS1 1AA",
                     "phone": "07700 900001", "preferred_contact": "phone",
                     "consent_to_share": True, "consent_date": "2026-10-01"}],
         "children": [{"key": "yusuf", "given_name": "Yusuf", "family_name": "Ahmed",
                       "date_of_birth": "2016-04-02", "status": "ehc_plan",
                       "ehc_plan_issued": "2023-01-10", "school": "Brook Primary",
                       "local_authority": "Leeds",
                       "areas_of_need": ["communication_interaction"]}],
         "cases": [{"adviser": "Trainer", "opened_on": "2026-09-01",
                    "issues": ["annual_review"], "children": ["yusuf"],
                    "summary": "Annual review not held",
                    "timeline": [{"kind": "phone_call", "entry_date": "2026-09-02",
                                  "author": "Trainer", "body": "First call with Farah"}],
                    "tasks": [{"title": "Write to LA", "due_on": "2026-12-01"},
                              {"title": "Read plan", "due_on": "2026-09-05",
                               "done_on": "2026-09-04"}]},
                   {"adviser": "Trainer", "opened_on": "2025-03-01", "issues": ["transport"],
                    "children": [], "state": "closed", "closed_on": "2025-06-01",
                    "closing_note": "Transport agreed"}]},
        {"family_name": "Fictional-Brown",
         "children": [{"key": "k", "given_name": "Kai", "family_name": "Brown",
                       "date_of_birth": "2010-01-01", "status": "sen_support"}],
         "cases": [{"adviser": "Trainer", "opened_on": "2026-11-01", "issues": ["exclusion"],
                    "children": ["k"]}]},
    ]}
    body["families"][0].update(changes)
    path = folder / "families.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


@pytest.fixture
def small_training(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the training case book build from a small file instead of the shipped one."""
    source = tmp_path / "source"
    source.mkdir()
    path = small_training_file(source)
    monkeypatch.setattr(training, "load_training_families",
                        functools.partial(training.load_training_families, path=path))
    return path


def new_training_db(data_dir: Path) -> Database:
    """An empty training case book (flag set), without loading any families."""
    from adviser_app.store.db import create_case_book
    from adviser_app.store.keyfile import create_training_key_file
    place = case_books.training_place(data_dir)
    place.path.parent.mkdir(parents=True)
    db = create_case_book(place.path, create_training_key_file(place.key_path))
    with db.atomic():
        set_setting(db, TRAINING_FLAG, "1")
    return db


# --- the real case book -------------------------------------------------------------------


def test_create_real_then_open_existing(data_dir: Path) -> None:
    db = create_book(data_dir)
    try:
        assert not is_training(db)
        case_id = casework.open_new_family_case(
            db, family_name="Okafor", person=None, children=[],
            case=CaseDetails("Sam", date(2026, 11, 1), frozenset({CaseIssue.OTHER})),
            actor="Sam")
    finally:
        close_case_book(db)
    place = case_books.real_place(data_dir)
    assert place.path == data_dir / "casebook.db" and place.exists()
    assert not place.training
    assert sorted(p.name for p in data_dir.iterdir()) == ["backups", "casebook.anchor",
                                                          "casebook.db", "casebook.key"]
    db = open_book(place)
    try:
        assert not is_training(db)
        assert cases.get_case(db, case_id).reference == "SA-2026-0001"
    finally:
        close_case_book(db)


def test_create_real_twice_keeps_the_first(data_dir: Path) -> None:
    db = create_book(data_dir)
    close_case_book(db)
    place = case_books.real_place(data_dir)
    key_before = place.key_path.read_bytes()
    db_before = place.path.read_bytes()
    with pytest.raises(CaseBookExists):
        create_book(data_dir)
    assert place.key_path.read_bytes() == key_before
    assert place.path.read_bytes() == db_before


def test_create_real_over_an_existing_book_with_a_lost_key_writes_no_key(data_dir: Path
                                                                         ) -> None:
    db = create_book(data_dir)
    close_case_book(db)
    place = case_books.real_place(data_dir)
    place.key_path.unlink()
    with pytest.raises(CaseBookExists):
        create_book(data_dir)
    assert not place.key_path.exists()


# --- key stretching: calibrated at setup, raised on unlock (T16) ---------------------------

CALIBRATED = KdfParams(time_cost=4, memory_kib=64 * 1024, parallelism=4)


@pytest.fixture
def calibration(monkeypatch: pytest.MonkeyPatch) -> list[KdfParams]:
    """Calibration without spending a second: records each floor it was asked to start from
    and settles on CALIBRATED (above the floor, and cheap enough for a test)."""
    asked: list[KdfParams] = []

    def fake(floor: KdfParams) -> KdfParams:
        asked.append(floor)
        return CALIBRATED
    monkeypatch.setattr(case_books, "calibrate_kdf", fake)
    return asked


def test_create_real_calibrates_on_this_laptop_from_the_floor(data_dir: Path,
                                                              calibration) -> None:
    made = case_books.create_real(data_dir, PASSPHRASE)
    close_case_book(made.db)
    place = case_books.real_place(data_dir)
    assert calibration == [PRODUCTION_KDF]
    assert kdf_of(place.key_path) == CALIBRATED
    assert kdf_of(place.backups / "casebook.key") == CALIBRATED
    assert len(made.recovery_key.split()) == 12


def test_cheap_test_settings_are_used_as_given(data_dir: Path, calibration) -> None:
    close_case_book(create_book(data_dir))
    assert calibration == []
    assert kdf_of(case_books.real_place(data_dir).key_path) == CHEAP


def test_unlocking_a_key_file_below_the_floor_rewraps_it_with_calibrated_settings(
        data_dir: Path, calibration) -> None:
    close_case_book(create_book(data_dir))  # CHEAP stands in for an old, weak key file
    place = case_books.real_place(data_dir)
    key = key_of(place.key_path)
    close_case_book(case_books.open_existing(place, PASSPHRASE))
    assert calibration == [PRODUCTION_KDF]
    assert kdf_of(place.key_path) == CALIBRATED
    assert kdf_of(place.backups / "casebook.key") == CALIBRATED
    assert key_of(place.key_path) == key  # same data key, same passphrase
    before = place.key_path.read_bytes()
    close_case_book(case_books.open_existing(place, PASSPHRASE))
    assert place.key_path.read_bytes() == before  # at the floor or above: left alone
    assert calibration == [PRODUCTION_KDF]


def test_rewrap_on_unlock_keeps_the_recovery_key(data_dir: Path) -> None:
    made = case_books.create_real(data_dir, PASSPHRASE, kdf=CHEAP)
    close_case_book(made.db)
    place = case_books.real_place(data_dir)
    stronger = KdfParams(time_cost=2, memory_kib=16, parallelism=1)  # a floor above CHEAP
    close_case_book(case_books.open_existing(place, PASSPHRASE, kdf=stronger))
    assert kdf_of(place.key_path) == stronger
    db = recovering.open_with_recovery(place, made.recovery_key, "kettle thistle yacht",
                                    kdf=CHEAP).db
    close_case_book(db)
    assert kdf_of(place.key_path) == stronger  # kept: it is not below the floor asked for
    assert keyfile.unlock_with_passphrase(place.key_path, "kettle thistle yacht") == \
        keyfile.unlock_with_recovery_key(place.key_path, made.recovery_key)


def test_a_failed_rewrap_still_opens_the_case_book(data_dir: Path, calibration,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    close_case_book(create_book(data_dir))
    place = case_books.real_place(data_dir)
    before = place.key_path.read_bytes()

    def disk_full(*_args: Any) -> None:
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(case_books, "set_passphrase", disk_full)
    db = case_books.open_existing(place, PASSPHRASE)
    try:
        assert not is_training(db)
    finally:
        close_case_book(db)
    assert place.key_path.read_bytes() == before


def test_passphrase_change_below_the_floor_calibrates(data_dir: Path, calibration) -> None:
    close_case_book(create_book(data_dir))
    place = case_books.real_place(data_dir)
    case_books.change_passphrase(place, PASSPHRASE, "kettle thistle yacht")
    assert kdf_of(place.key_path) == CALIBRATED and calibration == [PRODUCTION_KDF]
    case_books.change_passphrase(place, "kettle thistle yacht", PASSPHRASE)
    assert kdf_of(place.key_path) == CALIBRATED and len(calibration) == 1  # kept as recorded


def test_an_older_case_book_opens_with_its_printed_character_key(data_dir: Path) -> None:
    """A case book set up before recovery keys were words."""
    from adviser_app.store.db import create_case_book

    place = case_books.real_place(data_dir)
    key, old_key = keyfile.create_protected_key_file(place.key_path, PASSPHRASE, CHEAP,
                                                     recovery_kind="characters")
    close_case_book(create_case_book(place.path, key))
    db = recovering.open_with_recovery(place, old_key.lower(), "kettle thistle yacht",
                                    kdf=CHEAP).db
    close_case_book(db)
    assert key_file_format.recovery_kind_of(place.key_path) == "characters"
    assert keyfile.unlock_with_recovery_key(place.key_path, old_key) == key
    assert keyfile.unlock_with_passphrase(place.key_path, "kettle thistle yacht") == key


# --- the training case book ---------------------------------------------------------------


def test_open_training_builds_a_separate_training_book(data_dir: Path, small_training: Path
                                                       ) -> None:
    real = create_book(data_dir)
    close_case_book(real)
    real_bytes = (data_dir / "casebook.db").read_bytes()

    db = case_books.open_training(data_dir, TODAY)
    try:
        assert is_training(db)
        summaries = cases.find_cases(db).rows
        assert sorted(s.reference for s in summaries) == \
            ["TR-2025-0001", "TR-2026-0001", "TR-2026-0002"]
        assert {s.family_name for s in summaries} == {"Fictional-Ahmed", "Fictional-Brown"}
        # work done in training gets training references too
        family_id = cases.get_case(db, summaries[0].id).family_id
        new = casework.open_case_for_family(db, family_id, CaseDetails(
            "Trainee", TODAY, frozenset({CaseIssue.OTHER})), "Trainee")
        assert cases.get_case(db, new).reference.startswith("TR-2026-")
    finally:
        close_case_book(db)

    place = case_books.training_place(data_dir)
    assert place.training
    assert place.path == data_dir / "training" / "training-casebook.db"
    assert place.path.exists() and place.key_path.exists()
    assert read_training_key_file(place.key_path) != key_of(data_dir / "casebook.key")
    assert (data_dir / "casebook.db").read_bytes() == real_bytes
    real = open_book(case_books.real_place(data_dir))
    try:
        assert not is_training(real)
        assert cases.find_cases(real).rows == []
    finally:
        close_case_book(real)


def test_training_details_are_loaded(data_dir: Path, small_training: Path) -> None:
    db = case_books.open_training(data_dir, TODAY)
    close_case_book(db)
    db = case_books.open_training(data_dir, TODAY)
    try:
        by_ref = {s.reference: s for s in cases.find_cases(db).rows}
        main = cases.get_case(db, by_ref["TR-2026-0001"].id)
        assert main.details.summary == "Annual review not held"
        assert main.details.issues == {CaseIssue.ANNUAL_REVIEW}
        family = families.get_family(db, main.family_id)
        assert family.family_name == "Fictional-Ahmed" and family.notes == "Made up for training"
        assert family.people[0].details.consent_date == date(2026, 10, 1)
        [yusuf] = family.children
        assert yusuf.details.status is ChildStatus.EHC_PLAN
        assert main.details.child_ids == {yusuf.id}
        [call] = timeline.list_entries(db, main.id)
        assert call.details.body == "First call with Farah"
        assert call.details.kind is EntryKind.PHONE_CALL
        listed = tasks.list_tasks(db, main.id)
        assert [(t.details.title, t.done_on) for t in listed] == [
            ("Write to LA", None), ("Read plan", date(2026, 9, 4))]
        closed = cases.get_case(db, by_ref["TR-2025-0001"].id)
        assert (closed.state, closed.closed_on, closed.closing_note) == \
            (CaseState.CLOSED, date(2025, 6, 1), "Transport agreed")
        # a family's children are searchable from each of its cases
        assert sorted(s.reference for s in cases.find_cases(
            db, cases.CaseFilter(text="yusuf")).rows) == ["TR-2025-0001", "TR-2026-0001"]
        assert [s.reference for s in cases.find_cases(
            db, cases.CaseFilter(text="kai")).rows] == ["TR-2026-0002"]
    finally:
        close_case_book(db)


def test_reopening_training_does_not_rebuild(data_dir: Path, small_training: Path) -> None:
    db = case_books.open_training(data_dir, TODAY)
    case_id = cases.find_cases(db).rows[0].id
    entry_id = casework.add_timeline_entry(db, case_id, EntryDetails(
        EntryKind.NOTE, TODAY, "Trainee", "Practice note"), "Trainee")
    close_case_book(db)
    key_before = case_books.training_place(data_dir).key_path.read_bytes()

    db = case_books.open_training(data_dir, TODAY)
    try:
        assert is_training(db)
        assert timeline.get_entry(db, entry_id).details.body == "Practice note"
        assert len(cases.find_cases(db).rows) == 3
    finally:
        close_case_book(db)
    assert case_books.training_place(data_dir).key_path.read_bytes() == key_before


def test_rebuild_training_throws_practice_away(data_dir: Path, small_training: Path) -> None:
    db = case_books.open_training(data_dir, TODAY)
    case_id = cases.find_cases(db).rows[0].id
    casework.add_timeline_entry(db, case_id, EntryDetails(EntryKind.NOTE, TODAY, "Trainee",
                                                          "Practice note"), "Trainee")
    close_case_book(db)
    db = case_books.rebuild_training(data_dir, TODAY)
    try:
        assert is_training(db)
        assert len(cases.find_cases(db).rows) == 3
        assert cases.find_cases(db, cases.CaseFilter(text="practice")).rows == []
    finally:
        close_case_book(db)


def test_bad_training_data_leaves_no_training_files(data_dir: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "bad"
    source.mkdir()
    path = small_training_file(source, children=[
        {"key": "yusuf", "given_name": "Yusuf", "family_name": "Ahmed",
         "date_of_birth": "2030-01-01", "status": "sen_support"}])
    monkeypatch.setattr(training, "load_training_families",
                        functools.partial(training.load_training_families, path=path))
    with pytest.raises(training.TrainingDataError, match="Fictional-Ahmed"):
        case_books.open_training(data_dir, TODAY)
    folder = data_dir / "training"
    assert list(folder.iterdir()) == []


def test_training_case_naming_an_unknown_child_is_refused(data_dir: Path, tmp_path: Path
                                                          ) -> None:
    path = small_training_file(tmp_path, cases=[
        {"adviser": "Trainer", "opened_on": "2026-09-01", "issues": ["other"],
         "children": ["nobody"]}])
    db = new_training_db(data_dir)
    try:
        with pytest.raises(training.TrainingDataError, match="unknown children"):
            training.load_training_families(db, TODAY, path=path)
        assert db.execute("SELECT count(*) FROM family").fetchone()[0] == 0
    finally:
        close_case_book(db)


def test_load_training_families_into_a_training_db(data_dir: Path, tmp_path: Path) -> None:
    path = small_training_file(tmp_path)
    db = new_training_db(data_dir)
    try:
        assert training.load_training_families(db, TODAY, path=path) == 2
        assert all(s.reference.startswith("TR-") for s in cases.find_cases(db).rows)
    finally:
        close_case_book(db)


def test_fictional_families_never_go_into_the_real_book(db: Database, tmp_path: Path) -> None:
    path = small_training_file(tmp_path)
    with pytest.raises(training.TrainingDataError, match="training case book"):
        training.load_training_families(db, TODAY, path=path)
    assert db.execute("SELECT count(*) FROM family").fetchone()[0] == 0


def test_real_case_book_is_not_training(db: Database) -> None:
    assert not is_training(db)
    case_id = casework.open_new_family_case(
        db, family_name="Okafor", person=None, children=[],
        case=CaseDetails("Sam", date(2026, 11, 1), frozenset({CaseIssue.OTHER})), actor="Sam")
    assert cases.get_case(db, case_id).reference.startswith("SA-")


def test_shipped_training_families_build_the_training_book(data_dir: Path) -> None:
    """Uses resources/training/families.json itself."""
    assert TRAINING_FAMILIES_FILE.exists(), f"{TRAINING_FAMILIES_FILE} is missing"
    expected = len(training.read_training_file())
    db = case_books.open_training(data_dir, TODAY)
    try:
        assert is_training(db)
        assert db.execute("SELECT count(*) FROM family").fetchone()[0] == expected
        summaries = cases.find_cases(db).rows
        assert summaries
        assert all(s.reference.startswith("TR-") for s in summaries)
    finally:
        close_case_book(db)
    assert not (data_dir / "casebook.db").exists()
    db = case_books.open_training(data_dir, TODAY)  # reopens, doesn't rebuild
    try:
        assert len(cases.find_cases(db).rows) == len(summaries)
    finally:
        close_case_book(db)


def test_training_tasks_do_not_restate_a_statutory_date() -> None:
    """A task such as "Last day to contact the mediation adviser (reg 33)" stayed in the case
    header as the next thing due after the wizard recorded the contact: the statutory clock
    owns those dates, and shows them as met once they are met."""
    families_json = json.loads(TRAINING_FAMILIES_FILE.read_text(encoding="utf-8"))
    titles = [task["title"] for family in families_json["families"]
              for case in family.get("cases", []) for task in case.get("tasks", [])]
    assert titles
    assert [t for t in titles if "(reg " in t or "last day" in t.lower()] == []


def test_an_older_case_books_key_copy_in_backups_is_kept(data_dir: Path, tmp_path: Path) -> None:
    """Making a case book where an older one's backups remain: their key copy is their only
    way back, so it is set aside under its own name, never overwritten."""
    old_key = tmp_path / "old.key"
    keyfile.create_protected_key_file(old_key, PASSPHRASE, CHEAP)
    backups = data_dir / "backups"
    backups.mkdir()
    (backups / "casebook.key").write_bytes(old_key.read_bytes())
    db = create_book(data_dir)
    close_case_book(db)
    place = case_books.real_place(data_dir)
    kept = [p for p in backups.glob("casebook-*.key")]
    assert len(kept) == 1 and kept[0].read_bytes() == old_key.read_bytes()
    assert (backups / "casebook.key").read_bytes() == place.key_path.read_bytes()
    case_books.copy_key_file_to_backups(place)  # the same book again: simply refreshed
    assert len(list(backups.glob("casebook-*.key"))) == 1
