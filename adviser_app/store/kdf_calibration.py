"""Choosing the Argon2id parameters on this laptop at setup (reliability.md T16, section
4.2): the weakest step from the floor up whose derivation takes long enough here."""

from __future__ import annotations

import time
from collections.abc import Callable

from argon2.low_level import Type, hash_secret_raw

from adviser_app.store.keyfile import MAX_MEMORY_KIB, MAX_TIME_COST, PRODUCTION_KDF, KdfParams

# Calibration (reliability.md T16, section 4.2). Measured on the 2-core development box
# (argon2-cffi 25.1.0, p=4, other work running beside it), one derivation: 64 MiB t=3 0.10 to
# 0.19 s; 128 MiB t=3 0.23 to 0.34 s; 256 MiB t=3 0.41 to 0.45 s when quiet, up to 1.0 s when
# busy; 256 MiB t=4 0.53 to 0.79 s. calibrate_kdf() there chose 256 MiB t=4 when the box was
# quiet and 256 MiB t=3 when the floor trials came out slow (busy); either way a derivation
# took 0.5 to 1.3 s, and calibration itself took 0.75 to 1.9 s.
TARGET_SECONDS = 0.5
"""One derivation should take at least this long on the laptop (section 4.2)."""
CALIBRATION_BUDGET_SECONDS = 2.0
"""Calibration never starts a trial that would take it past this, all trials together."""
MEMORY_STEP_CAP_KIB = MAX_MEMORY_KIB
"""Memory is raised in steps up to this; after that the number of passes goes up."""
_TOO_SLOW_SECONDS = 2.0  # a step that took longer than this is not used


def _steps(floor: KdfParams) -> list[KdfParams]:
    """The parameters calibration may choose, weakest first, starting at *floor*."""
    steps = [floor]
    t, m = floor.time_cost, floor.memory_kib
    while m < MEMORY_STEP_CAP_KIB:
        m = min(m * 2, MEMORY_STEP_CAP_KIB)
        steps.append(KdfParams(t, m, floor.parallelism))
    while t < MAX_TIME_COST:
        t += 1
        steps.append(KdfParams(t, m, floor.parallelism))
    while m < MAX_MEMORY_KIB:
        m = min(m * 2, MAX_MEMORY_KIB)
        steps.append(KdfParams(t, m, floor.parallelism))
    return steps


def time_one_derivation(kdf: KdfParams,
                        clock: Callable[[], float] = time.perf_counter) -> float:
    """Seconds one Argon2id derivation with *kdf* takes here (a throwaway password and salt)."""
    started = clock()
    hash_secret_raw(b"calibration", b"\0" * 16, time_cost=kdf.time_cost,
                    memory_cost=kdf.memory_kib, parallelism=kdf.parallelism, hash_len=32,
                    type=Type.ID)
    return clock() - started


def calibrate_kdf(floor: KdfParams = PRODUCTION_KDF, *,
                  measure: Callable[[KdfParams], float] = time_one_derivation,
                  target: float = TARGET_SECONDS,
                  budget: float = CALIBRATION_BUDGET_SECONDS) -> KdfParams:
    """The weakest step from *floor* up whose derivation takes at least *target* seconds here.

    Two trials at the floor (the first also pays for getting the memory) give the speed; the
    step predicted to reach the target is then tried, and the next one after it if the trial
    fell short, while the trials stay within *budget*. Never returns less than *floor*. Pure
    apart from *measure*, so tests pass a fake one and spend no time.
    """
    floor.check()
    spent = 0.0

    def trial(kdf: KdfParams) -> float:
        nonlocal spent
        seconds = measure(kdf)
        spent += seconds
        return seconds

    chosen, seconds = floor, min(trial(floor), trial(floor))
    remaining = _steps(floor)[1:]
    while seconds < target and remaining:
        per_work = max(seconds, 1e-6) / chosen.work
        pick = next((kdf for kdf in remaining if per_work * kdf.work >= target), remaining[-1])
        if spent + per_work * pick.work > budget:
            break
        tried = trial(pick)
        if tried > _TOO_SLOW_SECONDS:
            break
        chosen, seconds = pick, tried
        remaining = remaining[remaining.index(pick) + 1:]
    return chosen
