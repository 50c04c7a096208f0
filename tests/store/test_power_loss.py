"""T2: a simulated power cut never loses a save the app acknowledged, never leaves half a save
and never damages the file, with the journal and sync settings the app really uses.

The pretend disk (power_loss_vfs.py) runs plain SQLite through APSW, so this checks our
journal mode, sync setting and transaction boundaries, not SQLCipher itself. The settings are
read from a case book opened by the app, so changing them in store/db.py changes what is
tested here. RUNS sets the number of power cuts (default 150); RELIABILITY_LONG=1 multiplies
every count by 10, tries every call in the "fail the Nth call" runs, and picks a fresh SEED
unless one is given. The teeth runs switch the sync off and must see lost or damaged data.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

import apsw
import pytest

from adviser_app.store.db import Database

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import power_loss_vfs as plv  # noqa: E402

LONG = bool(os.environ.get("RELIABILITY_LONG"))
SCALE = 10 if LONG else 1
RUNS = int(os.environ.get("RUNS", "150")) * SCALE
TEETH_RUNS = 30 * SCALE
FAULT_POINTS = None if LONG else 40  # about this many N per fault kind; None: every call
SEED = int(os.environ.get("SEED") or (random.randrange(1 << 30) if LONG else 20261128))

SYNC_NAMES = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
TEMP_STORE_NAMES = {0: "DEFAULT", 1: "FILE", 2: "MEMORY"}


def app_settings(db: Database) -> plv.Settings:
    """The storage pragmas of a case book as the app opened it, read back from SQLite.

    locking_mode=EXCLUSIVE comes first whatever the app does: the pretend disk has no shared
    memory, and SQLite only runs WAL without it in exclusive mode set before the WAL is
    first used. The app uses EXCLUSIVE too (it sets it after journal_mode, which makes no
    difference to what reaches the disk)."""
    def read(name: str) -> object:
        return db.conn.execute(f"PRAGMA {name}").fetchone()[0]

    return plv.Settings((
        ("locking_mode", "EXCLUSIVE"),
        ("journal_mode", str(read("journal_mode")).upper()),
        ("synchronous", SYNC_NAMES[int(read("synchronous"))]),  # type: ignore[call-overload]
        ("temp_store", TEMP_STORE_NAMES[int(read("temp_store"))]),  # type: ignore[call-overload]
        ("foreign_keys", "ON" if read("foreign_keys") else "OFF"),
    ))


def with_pragma(settings: plv.Settings, **changes: str) -> plv.Settings:
    return plv.Settings(tuple((name, changes.get(name, value))
                              for name, value in settings.pragmas))


@pytest.fixture
def settings(db: Database) -> plv.Settings:
    return app_settings(db)


def test_the_settings_under_test_are_the_apps(settings: plv.Settings) -> None:
    # Not a rule about which settings are right (the power cuts below judge that), but a
    # guard that they were really read from the app: SQLite's defaults are DELETE and FULL.
    assert dict(settings.pragmas)["journal_mode"] == "WAL"


def test_power_cuts_never_lose_an_acknowledged_save(settings: plv.Settings,
                                                    tmp_path: Path) -> None:
    started = time.perf_counter()
    with plv.unraisable_faults() as unexpected:
        tally = plv.power_cut_campaign(settings, runs=RUNS, seed=SEED, workdir=tmp_path)
    assert unexpected == [], f"errors inside the pretend disk itself: {unexpected}"
    print(f"\nT2 power cuts with {dict(settings.pragmas)} (SEED={SEED}): {tally.line()} "
          f"in {time.perf_counter() - started:.1f} s")
    assert tally.sound == tally.runs, (f"SEED={SEED}: {tally.line()}; first failures:\n"
                                       + "\n".join(tally.first_failures))
    assert tally.acknowledged > RUNS * 5  # the cuts fell across real work, not only at start


@pytest.mark.parametrize(("journal_mode", "synchronous", "must_see"), [
    (None, "NORMAL", "lost"),  # the app's journal mode, sync weakened
    (None, "OFF", "lost or corrupt"),
    ("DELETE", "OFF", "corrupt"),
])
def test_teeth_without_full_sync_the_harness_sees_the_damage(
        settings: plv.Settings, tmp_path: Path, journal_mode: str | None, synchronous: str,
        must_see: str) -> None:
    weakened = with_pragma(settings, synchronous=synchronous,
                           **({"journal_mode": journal_mode} if journal_mode else {}))
    with plv.unraisable_faults() as unexpected:
        tally = plv.power_cut_campaign(weakened, runs=TEETH_RUNS, seed=SEED, workdir=tmp_path)
    assert unexpected == []
    print(f"\nT2 teeth {dict(weakened.pragmas)}: {tally.line()}")
    seen = {"lost": tally.lost, "corrupt": tally.corrupt,
            "lost or corrupt": tally.lost + tally.corrupt}[must_see]
    assert seen, f"with synchronous={synchronous} the power cuts should show {must_see} data"


@pytest.mark.parametrize("persist", [False, True], ids=["once", "persisting"])
@pytest.mark.parametrize("fail_with", [apsw.IOError, apsw.FullError],
                         ids=["ioerr", "full"])
def test_failing_the_nth_call_is_reported_and_leaves_the_book_sound(
        settings: plv.Settings, tmp_path: Path, fail_with: type[apsw.Error],
        persist: bool) -> None:
    """SQLite's own "fail the Nth I/O" loop: call N of the workload (reads, writes, syncs,
    opens and deletes alike) fails, once or from then on. Every failure must reach the
    caller as that same disk error (which the app words for the adviser), nothing that was
    acknowledged may go, no save may be left in part, and saving must work again: straight
    away after a single fault, and once a persisting fault has cleared."""
    started = time.perf_counter()
    with plv.unraisable_faults() as unexpected:
        tally, total, stride = plv.fault_campaign(settings, fail_with=fail_with,
                                                  persist=persist, workdir=tmp_path,
                                                  points=FAULT_POINTS)
    assert unexpected == []
    print(f"\nT2 fail call N of {total} (every {stride}), {fail_with.__name__}, "
          f"{'persisting' if persist else 'once'}: {tally.line()}; errors seen "
          f"{sorted(tally.error_kinds)} in {time.perf_counter() - started:.1f} s")
    assert tally.sound == tally.runs, "\n".join(tally.first_failures)
    assert tally.error_kinds == {fail_with.__name__}, (
        "a disk fault reached the caller as another kind of error, which the app would "
        f"word as a general problem: {sorted(tally.error_kinds)}")
