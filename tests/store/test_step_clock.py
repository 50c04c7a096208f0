"""The window's clock for writing pulled records: what it learns of each kind of row, and
when it says a step has had its time (a fake clock, so nothing depends on the machine)."""

from __future__ import annotations

import pytest

from adviser_app.store import step_clock
from adviser_app.store.step_clock import FIRST_COMMIT_PER_ROW, StepClock


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The time step_clock sees, in seconds; tests move it by hand."""
    at = [100.0]
    monkeypatch.setattr(step_clock.time, "perf_counter", lambda: at[0])
    return at


def _write(clock: StepClock, now: list[float], table: str, rows: int, seconds: float,
           next_table: str | None = None, next_rows: int | None = None) -> bool:
    """A chunk of *rows* rows of *table* written in *seconds*: the clock's answer."""
    now[0] += seconds
    clock.rows[table] += rows
    return clock.over(table, rows, next_table, next_rows)


def test_a_step_stops_before_a_chunk_that_would_not_fit(now: list[float]) -> None:
    clock = StepClock(0.040)
    clock.start()
    clock.commit_per_row["task"] = 0.0
    assert not _write(clock, now, "task", 25, 0.010)  # 10 ms gone, 10 more: fits
    assert not _write(clock, now, "task", 25, 0.010)  # 20 ms: another fits, just
    assert _write(clock, now, "task", 25, 0.010)  # 30 ms: the next would end at 40


def test_the_commit_to_come_counts_against_the_time(now: list[float]) -> None:
    clock = StepClock(0.040)
    clock.start()
    clock.commit_per_row["task"] = 0.0004  # 25 rows: 10 ms to commit
    assert not _write(clock, now, "task", 25, 0.005)  # 5 + 5 more + commit of 50: 30
    assert _write(clock, now, "task", 25, 0.005)  # 10 + 5 more + commit of 75: 45


def test_a_kind_not_seen_yet_is_expected_to_commit_as_dearly_as_the_dearest(
        now: list[float]) -> None:
    clock = StepClock(0.040)
    assert clock.start() is clock.rows
    clock.rows["timeline_entry_version"] = 100
    assert clock.commit_estimate() == pytest.approx(100 * FIRST_COMMIT_PER_ROW)
    clock.commit_per_row.update({"timeline_entry_version": 0.00001, "case_file": 0.0005})
    clock.rows["timeline_entry"] = 10
    assert clock.commit_estimate() == pytest.approx(100 * 0.00001 + 10 * 0.0005)


def test_a_commit_dearer_than_expected_is_learnt_at_once_and_forgotten_by_halves(
        now: list[float]) -> None:
    clock = StepClock(0.040)
    clock.start()
    clock.rows["case_file"] = 20
    clock.committed(0.017)  # 0.85 ms a case
    assert clock.commit_per_row["case_file"] == pytest.approx(0.00085)
    clock.start()
    clock.rows["case_file"] = 20
    clock.committed(0.001)  # 0.05 ms a case this time
    assert clock.commit_per_row["case_file"] == pytest.approx((0.00085 + 0.00005) / 2)
    clock.start()
    clock.rows["case_file"] = 10
    clock.committed(0.020)  # 2 ms a case: up at once
    assert clock.commit_per_row["case_file"] == pytest.approx(0.002)


def test_a_commit_of_several_kinds_is_shared_as_expected(now: list[float]) -> None:
    clock = StepClock(0.040)
    clock.commit_per_row.update({"note": 0.0001, "case_file": 0.0004})
    clock.start()
    clock.rows.update({"note": 100, "case_file": 25})  # expected 10 ms and 10 ms
    clock.committed(0.040)  # twice what was expected: each kind takes half
    assert clock.commit_per_row["note"] == pytest.approx(0.0002)
    assert clock.commit_per_row["case_file"] == pytest.approx(0.0008)


def test_a_step_that_moves_to_a_dearer_kind_stops_sooner(now: list[float]) -> None:
    """What the single rate for every kind got wrong: cheap rows, then cases."""
    clock = StepClock(0.040)
    clock.commit_per_row.update({"timeline_entry_version": 0.000004, "case_file": 0.0008})
    clock.write_per_row.update({"case_file": 0.0013})
    clock.start()
    # 15 ms gone; five cases to write (6.5 ms) and commit (0.8 + 4 ms): fits
    assert not _write(clock, now, "timeline_entry_version", 200, 0.015, "case_file", 5)
    # 21.5 ms gone; five more cases (6.5 ms), and 0.8 + 8 ms of commit: 36.8, fits
    assert not _write(clock, now, "case_file", 5, 0.0065)
    # 28 ms gone; five more: 34.5 + 12.8 ms of commit, over
    assert _write(clock, now, "case_file", 5, 0.0065)


def test_writing_slower_than_before_is_learnt_for_the_next_chunk(now: list[float]) -> None:
    clock = StepClock(0.040)
    clock.commit_per_row["task"] = 0.0
    clock.start()
    assert not _write(clock, now, "task", 25, 0.002)
    assert _write(clock, now, "task", 25, 0.019)  # 21 ms gone, the next like this: 40


def test_the_first_chunk_of_a_kind_not_timed_yet_is_expected_to_be_as_slow_as_the_slowest(
        now: list[float]) -> None:
    clock = StepClock(0.040)
    clock.commit_per_row.update({"child": 0.0, "case_file": 0.0})
    clock.write_per_row["case_file"] = 0.0015  # (cases, timed in an earlier step)
    clock.start()
    # 25 children in 5 ms; the next chunk is of notes, never timed: 25 x 1.5 ms expected
    assert _write(clock, now, "child", 25, 0.005, "timeline_entry", 25)
    clock.start()
    assert not _write(clock, now, "child", 25, 0.005, "child", 25)


def test_a_chunk_of_a_row_or_two_teaches_nothing(now: list[float]) -> None:
    """One row's time is mostly noise (and the first chunk's used to carry the step's own
    start): it never sets the cost of its table."""
    clock = StepClock(0.040)
    clock.start()
    _write(clock, now, "family", 1, 0.004)
    assert "family" not in clock.write_per_row
    _write(clock, now, "family", 25, 0.005)
    assert clock.write_per_row["family"] == pytest.approx(0.0002)


def test_a_step_begins_its_first_chunk_when_marked(now: list[float]) -> None:
    clock = StepClock(0.040)
    clock.start()
    now[0] += 0.010  # (the transaction's own start: not the rows')
    clock.mark()
    _write(clock, now, "task", 25, 0.005)
    assert clock.write_per_row["task"] == pytest.approx(0.0002)


def test_commit_costs_never_fall_to_nothing_and_a_commit_of_no_cost_is_shared_safely(
        now: list[float]) -> None:
    clock = StepClock(0.040)
    clock.start()
    clock.rows["note"] = 100
    clock.committed(0.0)  # (a commit too quick for the clock)
    assert clock.commit_per_row["note"] > 0
    clock.start()
    clock.rows["note"] = 100
    clock.committed(0.010)
    assert clock.commit_per_row["note"] == pytest.approx(0.0001)
