"""The training case book's graduated-approach scenarios load, and show what they were written
to teach: Tobi Okafor's missing s.68 notice, An Nguyễn's two slow cycles with no specialist,
Tyler Reid's overdue review in the Deadlines view."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from adviser_app.domain.graduated.cycles import Stage, stage_of
from adviser_app.domain.graduated.passport import TargetStatus
from adviser_app.services import case_books, graduated, training
from adviser_app.store.db import Database, close_case_book

TODAY = date(2026, 11, 28)
EARLIEST_TRAINING_TODAY = date(2026, 11, 20)


@pytest.fixture
def book(data_dir: Path):
    db = case_books.open_training(data_dir, TODAY)
    yield db
    close_case_book(db)


def child_id(db: Database, given_name: str) -> str:
    return next(r["id"] for r in db.query("SELECT id FROM child WHERE given_name = ?",
                                          [given_name]))


def gap_texts(db: Database, name: str) -> list[str]:
    return [g.text for g in graduated.overview(db, child_id(db, name), TODAY).gaps]


def test_tobi_has_two_reviewed_cycles_and_no_record_parents_were_told(book):
    view = graduated.overview(book, child_id(book, "Tobi"), TODAY)
    assert [stage_of(c.details) for c in view.cycles] == [Stage.REVIEW, Stage.REVIEW]
    assert all(c.details.parents_told_on is None for c in view.cycles)
    texts = gap_texts(book, "Tobi")
    assert "No record that parents were told SEN support started" in texts
    assert "Cycle 2: no record of an assessment before the plan" in texts
    assert "The review on 10/07/2026 (cycle 2) decided to involve a specialist, but no " \
           "specialist involvement is recorded since" in texts
    assert "No parent meetings recorded in school year 2025/26 (the Code expects at least " \
           "3)" in texts
    assert "No regular reports to parents (Only the July 2026 end-of-year report, which " \
           "mentioned the SEN register; Mrs Okafor at the home visit on 10/11/2026)" in texts
    assert view.passport is not None and "Lego" in view.passport.strengths
    assert [t.status for t in view.targets] == [TargetStatus.PARTLY, TargetStatus.WORKING]


def test_an_has_two_slow_cycles_and_no_specialist(book):
    texts = gap_texts(book, "An")
    assert "Two cycles with little progress and no specialist involved (cycles 1 and 2)" in \
        texts
    assert not any(t.startswith("Cycle 3") for t in texts)
    assert "No record that parents were told SEN support started" not in texts


def test_reviews_due_in_training_include_tyler_overdue_and_an_in_january(book):
    rows = {(r.child_name, r.item.deadline.due) for r in graduated.open_review_rows(book)}
    assert rows == {("Tyler Reid", date(2026, 11, 17)), ("An Nguyễn", date(2027, 1, 15))}
    assert "Review date passed with no review (cycle 2: due 17/11/2026)" in gap_texts(
        book, "Tyler")


def test_training_graduated_data_is_checked_like_the_forms(tmp_path: Path, book):
    body = json.loads(training.TRAINING_FAMILIES_FILE.read_text(encoding="utf-8"))
    okafor = next(f for f in body["families"] if f["family_name"] == "Okafor")
    cycle = okafor["children"][0]["graduated"]["cycles"][1]
    cycle["reviewed_on"] = "2026-04-01"  # before its plan of 20/04/2026
    path = tmp_path / "families.json"
    path.write_text(json.dumps({"version": 1, "families": [okafor]}), encoding="utf-8")
    with pytest.raises(training.TrainingDataError,
                       match="Tobi's graduated approach, cycle 2: The review can't be before"):
        training.load_training_families(book, TODAY, path)


def test_training_dates_suit_the_earliest_training_today(data_dir: Path):
    db = case_books.open_training(data_dir, EARLIEST_TRAINING_TODAY)
    close_case_book(db)
