"""T3: random I/O errors on the real stack. libfiu's fiu-run makes a share of the real pwrite()
and fsync() calls fail under Python, sqlcipher3 and the app, while a writer process
(fiu_writer.py) adds notes to a real encrypted case book with the app's own save.

Every failed save must reach the app as a disk error it words plainly (no general "problem
with the case book"), the same save must work when tried again, and after each round both
integrity checks pass, every acknowledged save is there, no save is there in part and the
audit chain verifies. ROUNDS sets the writer runs (default 6; RELIABILITY_LONG=1 multiplies
by 10). The teeth run lets each statement commit on its own and must find half-saved notes.
A disk fault while opening must never be taken for damage (that sends the app to quarantine
the file and restore a backup); the last tests aim one at each stage of opening.

Needs fiu-run (Debian package fiu-utils); skipped with the reason when it is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from adviser_app.domain.records import CaseDetails
from adviser_app.domain.vocab import CaseIssue
from adviser_app.services import case_books, casework
from adviser_app.store import audit
from adviser_app.store.db import close_case_book, verify_file
from adviser_app.ui.form_support import save_failure_message
from support import create_book, key_of, open_book

HERE = Path(__file__).resolve().parent
FIU_RUN = shutil.which("fiu-run")
pytestmark = pytest.mark.skipif(
    FIU_RUN is None, reason="fiu-run is not installed (Debian package fiu-utils): T3 needs it "
    "to make real pwrite/fsync calls fail")

LONG = bool(os.environ.get("RELIABILITY_LONG"))
ROUNDS = int(os.environ.get("ROUNDS", "6")) * (10 if LONG else 1)
SAVES = 120  # per round
# The chance that each call fails. SQLite on Linux syncs with fsync; fdatasync is listed in
# case a build uses it instead.
FAULTS = {"posix/io/rw/pwrite": 0.01, "posix/io/sync/fsync": 0.02,
          "posix/io/sync/fdatasync": 0.02}

# What the app shows for a save that failed below it (ui.form_support.save_failure_message):
# one plain message for a failing disk and one for a full disk. Anything else (its general
# "problem with the case book") would mean a disk error went unrecognised.
DISK_PROBLEM = save_failure_message(Exception("disk I/O error"))
DISK_FULL = save_failure_message(Exception("database or disk is full"))


def run_writer(data_dir: Path, case_id: str, saves: int, tag: str,
               faults: dict[str, float], *extra: str,
               switches: list[str] | None = None) -> list[dict[str, Any]]:
    """Run fiu_writer.py under fiu-run with *faults* switched on at random (or with the
    given fiu-run *switches*), and return its events."""
    assert FIU_RUN is not None
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE.parent),
                                                        str(HERE.parent.parent)])}
    if switches is None:
        switches = [part for name, probability in faults.items()
                    for part in ("-c", f"enable_random name={name},probability={probability}")]
    spec = ",".join(f"{name}={p}" for name, p in faults.items())
    done = subprocess.run(
        [FIU_RUN, "-x", "-f", "", *switches, sys.executable, str(HERE / "fiu_writer.py"),
         str(data_dir), case_id, str(saves), tag, spec, *extra],
        capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, f"the writer failed:\n{done.stderr[-3000:]}"
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def new_book_with_case(data_dir: Path) -> str:
    db = create_book(data_dir)
    try:
        return casework.open_new_family_case(
            db, family_name="Fault", person=None, children=[],
            case=CaseDetails("Writer", date(2026, 11, 1), frozenset({CaseIssue.OTHER})),
            actor="test")
    finally:
        close_case_book(db)


@dataclass
class Campaign:
    rounds: int = 0
    attempted: int = 0
    saved_first_time: int = 0
    acknowledged: set[str] = field(default_factory=set)
    failed: Counter[str] = field(default_factory=Counter)  # by SQLite error name
    retried: int = 0
    open_failures: Counter[str] = field(default_factory=Counter)  # by class and message
    problems: list[str] = field(default_factory=list)
    present: int = 0
    failed_but_saved: int = 0  # saves reported as failed that turned out to be there

    def line(self) -> str:
        return (f"{self.rounds} rounds, {self.attempted} saves tried, "
                f"{self.saved_first_time} saved first time, failures "
                f"{dict(self.failed)}, {self.retried} saved when tried again, "
                f"{len(self.acknowledged)} acknowledged in all, {self.present} notes "
                f"present, {self.failed_but_saved} 'failed' saves present anyway, opening "
                f"failures {dict(self.open_failures)}")


def read_events(events: list[dict[str, Any]], campaign: Campaign, round_number: int) -> None:
    for event in events:
        kind = event["event"]
        where = f"round {round_number}, save {event.get('n')}"
        if kind == "open_failed":
            campaign.open_failures[f"{event['error']}: {event['text'][:60]}"] += 1
            if event["error"] in ("CaseBookDamaged", "WrongKey"):  # the app would quarantine
                campaign.problems.append(f"round {round_number}: a disk fault while opening "
                                         f"was taken for damage: {event}")
        elif kind == "saved":
            campaign.attempted += 1
            campaign.saved_first_time += 1
            campaign.acknowledged.add(event["entry"])
        elif kind == "failed":
            campaign.attempted += 1
            name = event["name"] or event["error"]
            campaign.failed[name] += 1
            expected = DISK_FULL if name == "SQLITE_FULL" else DISK_PROBLEM
            if not (name.startswith("SQLITE_IOERR") or name == "SQLITE_FULL"):
                campaign.problems.append(f"{where}: not a disk error: {event}")
            elif event["shown"] != expected:
                campaign.problems.append(f"{where}: {name} shown as {event['shown']!r}")
        elif kind == "retried":
            campaign.retried += 1
            campaign.acknowledged.add(event["entry"])
        elif kind == "retry_failed":
            campaign.problems.append(f"{where}: saving again with the disk healthy failed: "
                                     f"{event}")
    if not events or events[-1]["event"] != "done":
        campaign.problems.append(f"round {round_number}: the writer did not finish "
                                 f"({events[-1:] or 'no output'})")


def check_book(data_dir: Path, case_id: str, campaign: Campaign) -> list[str]:
    """What is wrong with the case book after a round (empty when all is well)."""
    place = case_books.real_place(data_dir)
    try:
        verify_file(place.path, key_of(place.key_path))  # HMAC of every page + quick_check
    except Exception as exc:
        return [f"integrity: {exc}"]
    db = open_book(place)
    problems = []
    try:
        entries = {r["id"]: r["body"] for r in db.query(
            "SELECT id, body FROM timeline_entry WHERE case_id = ?", [case_id])}
        campaign.present = len(entries)
        lost = campaign.acknowledged - set(entries)
        if lost:
            problems.append(f"{len(lost)} acknowledged saves lost")
        # every note has exactly its version row, its search row and its audit row, and
        # none of those rows is without its note (counted in Python: the case book grows
        # over the rounds, and these columns are not indexed for lookups the other way)
        rows: Counter[tuple[str, str]] = Counter()
        for r in db.query("SELECT entry_id FROM timeline_entry_version"):
            rows["version", r["entry_id"]] += 1
        for r in db.query("SELECT substr(source, 7) AS id FROM search_doc "
                          "WHERE source LIKE 'entry:%'"):
            rows["search", r["id"]] += 1
        for r in db.query("SELECT record_id FROM audit_log WHERE record_type = "
                          "'timeline_entry' AND action = 'created'"):
            rows["audit", r["record_id"]] += 1
        all_entries = {r["id"] for r in db.query("SELECT id FROM timeline_entry")}
        half = [e for e in all_entries
                if any(rows[kind, e] != 1 for kind in ("version", "search", "audit"))]
        orphans = [key for key in rows if key[1] not in all_entries]
        if half or orphans:
            problems.append(f"half-saved: {len(half)} notes without all their rows, "
                            f"{len(orphans)} rows without their note")
        db.execute("INSERT INTO case_search (case_search) VALUES ('integrity-check')")
        if list(db.query("PRAGMA foreign_key_check")):
            problems.append("foreign keys broken")
        chain = audit.verify(db)
        if chain.first_bad is not None:
            problems.append(f"audit chain broken at entry {chain.first_bad}")
        # A save that raised and was then saved again leaves two notes with the same number:
        # the first attempt was kept although the app said nothing was changed.
        firsts = Counter(" ".join(body.split(" ")[:3]) for body in entries.values())
        campaign.failed_but_saved = sum(1 for n in firsts.values() if n > 1)
    finally:
        close_case_book(db)
    return problems


def campaign_rounds(data_dir: Path, rounds: int, *extra: str, saves: int = SAVES) -> Campaign:
    case_id = new_book_with_case(data_dir)
    campaign = Campaign()
    for round_number in range(rounds):
        events = run_writer(data_dir, case_id, saves, f"round{round_number}", FAULTS, *extra)
        campaign.rounds += 1
        read_events(events, campaign, round_number)
        campaign.problems += [f"round {round_number}: {p}"
                              for p in check_book(data_dir, case_id, campaign)]
        if campaign.problems:
            break
    return campaign


def test_random_io_errors_are_reported_plainly_and_lose_nothing(data_dir: Path) -> None:
    started = time.perf_counter()
    campaign = campaign_rounds(data_dir, ROUNDS)
    print(f"\nT3 random I/O errors {FAULTS}: {campaign.line()} in "
          f"{time.perf_counter() - started:.1f} s")
    assert campaign.problems == []
    assert sum(campaign.failed.values()) >= ROUNDS, "the faults hardly ever fired"
    assert campaign.failed_but_saved == 0, (
        "a save the app reported as failed (\"Nothing was changed\") was in the case book")


def test_teeth_without_transactions_the_checks_find_half_saves(data_dir: Path) -> None:
    campaign = campaign_rounds(data_dir, 3, "--no-transactions", saves=60)
    print(f"\nT3 teeth (no transactions): {campaign.line()}; problems {campaign.problems[:2]}")
    assert any("half-saved" in p for p in campaign.problems), (
        "with each statement committing on its own, I/O errors should leave half-saved notes")


ENOSPC, EIO = 28, 5


@pytest.mark.parametrize(("connection", "errno"), [
    pytest.param(1, ENOSPC, id="first-read-disk-full"),
    pytest.param(2, EIO, id="after-first-read-io-error"),
])
def test_a_disk_fault_while_opening_is_worded_and_never_called_damage(
        data_dir: Path, connection: int, errno: int) -> None:
    """Opening with a disk that refuses writes (full, or failing): the error must be one the
    app words (a CaseBookError), and never "damaged" or "wrong key", since either sends the
    app to quarantine the file and restore a backup. Once the disk is healthy again the case
    book opens with nothing lost and nothing quarantined."""
    case_id = new_book_with_case(data_dir)
    events = run_writer(data_dir, case_id, 0, "open", {},
                        f"--fail-from-connect={connection},{errno}", switches=[])
    outcome = {e["event"]: e for e in events}
    assert "reopened" in outcome, events
    assert not (data_dir / "quarantine").exists()
    failed = outcome.get("open_failed")
    assert failed is not None, f"opening should have failed with the disk refusing writes: {events}"
    assert failed["error"] not in ("CaseBookDamaged", "WrongKey"), failed
    assert failed["worded"], f"not one of the app's own errors: {failed}"
