"""Case references such as SA-2026-0042."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from adviser_app.domain.references import REAL_PREFIX, TRAINING_PREFIX, next_reference


def test_first_reference_of_a_year() -> None:
    assert next_reference("SA", 2026, []) == "SA-2026-0001"
    assert next_reference(TRAINING_PREFIX, 2026, []) == "TR-2026-0001"
    assert REAL_PREFIX == "SA"


def test_next_is_one_more_than_the_highest_not_the_count() -> None:
    existing = ["SA-2026-0001", "SA-2026-0007", "SA-2026-0003"]
    assert next_reference("SA", 2026, existing) == "SA-2026-0008"


def test_other_years_prefixes_and_odd_strings_are_ignored() -> None:
    existing = ["SA-2025-0099", "TR-2026-0050", "SA-2026-0003x", "xSA-2026-0040",
                "SA-2026-", "SA-20260-0009", "sa-2026-0030"]
    assert next_reference("SA", 2026, existing) == "SA-2026-0001"


def test_past_9999_keeps_counting() -> None:
    assert next_reference("SA", 2026, ["SA-2026-9999"]) == "SA-2026-10000"
    assert next_reference("SA", 2026, ["SA-2026-10000", "SA-2026-9999"]) == "SA-2026-10001"


@given(st.sets(st.integers(min_value=1, max_value=20_000), max_size=30))
def test_next_reference_is_always_new(numbers: set[int]) -> None:
    existing = [f"SA-2026-{n:04d}" for n in numbers]
    new = next_reference("SA", 2026, existing)
    assert new not in existing
    assert int(new.rsplit("-", 1)[1]) == max(numbers, default=0) + 1
