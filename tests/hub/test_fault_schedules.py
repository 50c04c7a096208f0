"""The promise under faults: 25 schedules in every run, 200 with HUB_LONG=1; and the
last-writer-wins control must be caught in every one of its schedules."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hub.pg import PgCluster
from hub.schedules import Schedule

COUNT = 200 if os.environ.get("HUB_LONG") == "1" else 25
CONTROL = 20 if os.environ.get("HUB_LONG") == "1" else 5


def test_no_save_is_silently_overwritten_under_faults(pg: PgCluster, tmp_path: Path) -> None:
    total_saves = total_crashes = 0
    for seed in range(COUNT):
        outcome = Schedule(pg, tmp_path / f"run{seed}", seed).run()
        assert not outcome.violations, (seed, outcome.violations)
        assert not outcome.diverged, (seed, outcome.diverged)
        assert outcome.crashes >= 1
        assert outcome.conflicts >= 1  # the sure clash is held, not lost
        total_saves += len(outcome.saves)
        total_crashes += outcome.crashes
    print(f"{COUNT} schedules, {total_saves} saves, {total_crashes} hub crashes: "
          "0 lost, 0 diverged")


@pytest.mark.parametrize("seed", range(1000, 1000 + CONTROL))
def test_the_checker_catches_last_writer_wins(pg: PgCluster, tmp_path: Path,
                                             seed: int) -> None:
    outcome = Schedule(pg, tmp_path, seed, lww=True).run()
    assert outcome.violations, f"schedule {seed}: last-writer-wins went unnoticed"
