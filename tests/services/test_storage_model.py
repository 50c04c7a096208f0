"""Stateful model test of the storage layer (T17).

Hypothesis drives a real encrypted case book through random sequences of what an adviser
does (families and cases, notes and their edits, tasks, closing and reopening cases) mixed
with what happens to the file (backups, closing and reopening the case book, a crash, going
back to the newest backup). A plain Python model says what the store must return; after
every step the store is compared with it, the audit chain must verify and hold one entry for
each recorded action.

Run it 10x longer with HYPOTHESIS_PROFILE=long (or RELIABILITY_LONG=1).
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (RuleBasedStateMachine, invariant, precondition, rule)

from adviser_app.domain.records import CaseDetails, EntryDetails, TaskDetails
from adviser_app.domain.vocab import CaseIssue, CaseState, EntryKind
from adviser_app.services import audit_log, backups, case_books, casework, recovering
from adviser_app.store.cases import find_cases
from adviser_app.store.db import Database, close_case_book, open_case_book
from adviser_app.store.tasks import list_tasks
from adviser_app.store.timeline import StaleEdit, entry_history, list_entries
from support import PASSPHRASE, create_book, key_of, open_book

LONG = (os.environ.get("HYPOTHESIS_PROFILE", "").lower() in {"long", "ci-long", "nightly"}
        or bool(os.environ.get("RELIABILITY_LONG")))
EXAMPLES = 20 * (10 if LONG else 1)
STEPS = 30

ACTOR = "sam"
OPENED = date(2026, 11, 1)
TODAY = date(2026, 11, 28)

# What the forms let through (domain.validation refuses control characters but tabs and line
# breaks; lone surrogates have no UTF-8 form at all).
texts = st.text(st.characters(codec="utf-8", exclude_categories=["Cc"], include_characters="\n\t"),
                min_size=1, max_size=30)
picks = st.integers(min_value=0, max_value=10**6)

BACK_UP, REOPEN, CRASH, RESTORE = ("back up", "close and reopen the case book", "crash",
                                   "restore the newest backup")
FILE_EVENTS = (BACK_UP, REOPEN, CRASH, RESTORE)


@dataclass
class CaseModel:
    family: str
    state: CaseState = CaseState.OPEN
    notes: dict[str, list[str]] = field(default_factory=dict)  # entry id -> every wording
    tasks: dict[str, tuple[str, bool]] = field(default_factory=dict)  # id -> (title, done)


@dataclass
class Model:
    cases: dict[str, CaseModel] = field(default_factory=dict)
    audited: int = 0  # audit entries the store must hold


def _pick(keys: list[str], index: int) -> str:
    return sorted(keys)[index % len(keys)]


class StorageModel(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.data_dir = Path(tempfile.mkdtemp(prefix="storage-model-"))
        self.place = case_books.real_place(self.data_dir)
        self.db: Database | None = create_book(self.data_dir)
        self.model = Model()
        self.at_backup: Model | None = None  # the model when the newest backup was taken
        self.newest_backup: Path | None = None

    @property
    def book(self) -> Database:
        assert self.db is not None
        return self.db

    def teardown(self) -> None:
        try:
            if self.db is not None:
                close_case_book(self.db)
        finally:
            self.db = None
            shutil.rmtree(self.data_dir, ignore_errors=True)

    # ----- what helpers pick ------------------------------------------------------------------
    def _case(self, index: int, state: CaseState | None = None) -> str:
        return _pick([cid for cid, c in self.model.cases.items()
                      if state is None or c.state is state], index)

    def _has(self, state: CaseState) -> bool:
        return any(c.state is state for c in self.model.cases.values())

    def _notes(self) -> list[tuple[str, str]]:
        return [(cid, nid) for cid, c in self.model.cases.items() for nid in c.notes]

    def _tasks(self) -> list[tuple[str, str]]:
        return [(cid, tid) for cid, c in self.model.cases.items() for tid in c.tasks]

    def _new_entry(self, case_id: str, body: str) -> None:
        """A note the app wrote itself (closing, reopening): find its id, check its words."""
        known = self.model.cases[case_id].notes
        added = [e for e in list_entries(self.book, case_id) if e.id not in known]
        assert [e.details.body for e in added] == [body]
        known[added[0].id] = [body]

    # ----- what an adviser does ---------------------------------------------------------------
    @rule(family=texts)
    def open_family_case(self, family: str) -> None:
        case_id = casework.open_new_family_case(
            self.book, family_name=family, person=None, children=[],
            case=CaseDetails(ACTOR, OPENED, frozenset({CaseIssue.OTHER})), actor=ACTOR)
        self.model.cases[case_id] = CaseModel(family)
        self.model.audited += 2  # the family and the case

    @precondition(lambda self: self.model.cases)
    @rule(pick=picks, body=texts)
    def add_note(self, pick: int, body: str) -> None:
        case_id = self._case(pick)
        entry_id = casework.add_timeline_entry(
            self.book, case_id, EntryDetails(EntryKind.NOTE, TODAY, ACTOR, body), ACTOR)
        self.model.cases[case_id].notes[entry_id] = [body]
        self.model.audited += 1

    @precondition(lambda self: self._notes())
    @rule(pick=picks, body=texts)
    def edit_note(self, pick: int, body: str) -> None:
        case_id, entry_id = sorted(self._notes())[pick % len(self._notes())]
        versions = self.model.cases[case_id].notes[entry_id]
        version = casework.edit_timeline_entry(
            self.book, entry_id, EntryDetails(EntryKind.NOTE, TODAY, ACTOR, body), ACTOR,
            based_on_version=len(versions))
        versions.append(body)
        assert version == len(versions)
        self.model.audited += 1

    @precondition(lambda self: any(len(v) > 1 for c in self.model.cases.values()
                                   for v in c.notes.values()))
    @rule(pick=picks, body=texts)
    def stale_edit_is_refused(self, pick: int, body: str) -> None:
        edited = sorted((cid, nid) for cid, nid in self._notes()
                        if len(self.model.cases[cid].notes[nid]) > 1)
        _, entry_id = edited[pick % len(edited)]
        with pytest.raises(StaleEdit):
            casework.edit_timeline_entry(
                self.book, entry_id, EntryDetails(EntryKind.NOTE, TODAY, ACTOR, body), ACTOR,
                based_on_version=1)

    @precondition(lambda self: self.model.cases)
    @rule(pick=picks, title=texts, due=st.none() | st.dates(date(2026, 1, 1),
                                                          date(2027, 12, 31)))
    def add_task(self, pick: int, title: str, due: date | None) -> None:
        case_id = self._case(pick)
        task_id = casework.add_task(self.book, case_id, TaskDetails(title, due), ACTOR)
        self.model.cases[case_id].tasks[task_id] = (title, False)
        self.model.audited += 1

    @precondition(lambda self: self._tasks())
    @rule(pick=picks, done=st.booleans())
    def mark_task(self, pick: int, done: bool) -> None:
        case_id, task_id = sorted(self._tasks())[pick % len(self._tasks())]
        casework.mark_task(self.book, task_id, done=done, today=TODAY, actor=ACTOR)
        title, _ = self.model.cases[case_id].tasks[task_id]
        self.model.cases[case_id].tasks[task_id] = (title, done)
        self.model.audited += 1

    @precondition(lambda self: self._has(CaseState.OPEN))
    @rule(pick=picks, note=st.just("") | texts)
    def close_case(self, pick: int, note: str) -> None:
        case_id = self._case(pick, CaseState.OPEN)
        casework.close_case(self.book, case_id, TODAY, note, ACTOR)
        self.model.cases[case_id].state = CaseState.CLOSED
        self._new_entry(case_id, "Case closed." + (f" Closing note: {note}" if note else ""))
        self.model.audited += 1

    @precondition(lambda self: self._has(CaseState.CLOSED))
    @rule(pick=picks)
    def reopen_case(self, pick: int) -> None:
        case_id = self._case(pick, CaseState.CLOSED)
        casework.reopen_case(self.book, case_id, ACTOR, TODAY)
        self.model.cases[case_id].state = CaseState.OPEN
        self._new_entry(case_id, "Case reopened.")
        self.model.audited += 1

    # ----- what happens to the file -----------------------------------------------------------
    @rule(event=st.sampled_from(FILE_EVENTS))
    def file_event(self, event: str) -> None:
        """One rule for all four, so they are drawn as often as an adviser's actions (Hypothesis
        favours rules without arguments)."""
        if event == RESTORE and self.at_backup is None:
            event = BACK_UP  # nothing to go back to yet
        {BACK_UP: self._back_up, REOPEN: self._close_and_reopen, CRASH: self._crash,
         RESTORE: self._restore_newest_backup}[event]()

    def _back_up(self) -> None:
        """As the main window does it: the backup, then an audit note that it was made."""
        info = backups.backup_now(self.book, self.place)
        self.at_backup = copy.deepcopy(self.model)
        self.newest_backup = info.path
        audit_log.note(self.book, ACTOR, "backed_up", "case_book", info.path.name)
        self.model.audited += 1

    def _close_and_reopen(self) -> None:
        close_case_book(self.book)
        self.db = None
        self.db = open_book(self.place)

    def _crash(self) -> None:
        """The process dies: the files are left exactly as they are now (every save was
        committed with synchronous=FULL), with no checkpoint and no clean close."""
        left = {name: Path(f"{self.place.path}{name}") for name in ("", "-wal", "-shm")}
        on_disk = {name: path.read_bytes() for name, path in left.items() if path.exists()}
        assert "-wal" in on_disk  # WAL mode: the crash leaves the log for recovery
        self.book.conn.close()  # drop the connection; what it tidied up is put back below
        self.db = None
        for name, path in left.items():
            if name in on_disk:
                path.write_bytes(on_disk[name])
            else:
                path.unlink(missing_ok=True)
        self.db = open_book(self.place)

    def _restore_newest_backup(self) -> None:
        """As the main window does it: close the case book, then go back to the backup."""
        close_case_book(self.book)
        self.db = None
        newest = backups.list_backups(self.place)[0]
        assert newest.path == self.newest_backup
        opened = recovering.restore_from_backup(self.place, newest, PASSPHRASE)
        self.db = opened.db
        assert opened.restored_from == newest and opened.quarantined is not None
        assert self.at_backup is not None
        self.model = copy.deepcopy(self.at_backup)

    # ----- what must always hold --------------------------------------------------------------
    @invariant()
    def store_matches_model(self) -> None:
        db = self.book
        listed = {s.id: (s.family_name, s.state) for s in find_cases(db).rows}
        assert listed == {cid: (c.family, c.state) for cid, c in self.model.cases.items()}
        for case_id, case in self.model.cases.items():
            entries = list_entries(db, case_id)
            assert {e.id: e.details.body for e in entries} == {
                nid: versions[-1] for nid, versions in case.notes.items()}
            for entry in entries:
                versions = case.notes[entry.id]
                assert entry.version == len(versions)
                history = entry_history(db, entry.id)
                assert [v.details.body for v in history] == versions
                assert [v.version for v in history] == list(range(1, len(versions) + 1))
            assert {t.id: (t.details.title, t.done) for t in list_tasks(db, case_id)} == \
                case.tasks

    @invariant()
    def audit_chain_verifies(self) -> None:
        check = audit_log.verify(self.book)
        assert check.ok, f"audit chain broken at entry {check.first_bad}"
        assert check.checked == self.model.audited


StorageModel.TestCase.settings = settings(
    max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
test_storage_model = StorageModel.TestCase


def _families(db: Database) -> set[str]:
    return {s.family_name for s in find_cases(db).rows}


def test_a_second_restore_never_overwrites_the_first_quarantined_book(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found while building the model test above (two restores in one second)."""
    monkeypatch.setattr(backups, "now", lambda: datetime(2026, 10, 25, 1, 30, 0))
    data_dir = tmp_path / "data"
    place = case_books.real_place(data_dir)
    db = create_book(data_dir)

    def add(book: Database, family: str) -> None:
        casework.open_new_family_case(
            book, family_name=family, person=None, children=[],
            case=CaseDetails(ACTOR, OPENED, frozenset({CaseIssue.OTHER})), actor=ACTOR)

    add(db, "Okafor")
    backup = backups.backup_now(db, place)
    add(db, "Nowak")  # only in the book the first restore puts aside
    close_case_book(db)
    db = recovering.restore_from_backup(place, backup, PASSPHRASE).db
    add(db, "Begum")  # only in the book the second restore puts aside
    close_case_book(db)
    db = recovering.restore_from_backup(place, backup, PASSPHRASE).db
    assert _families(db) == {"Okafor"}
    close_case_book(db)
    kept = sorted((data_dir / "quarantine").rglob(place.path.name))
    found: set[str] = set()
    for path in kept:
        book = open_case_book(path, key_of(place.key_path))
        found |= _families(book)
        close_case_book(book)
    assert {"Nowak", "Begum"} <= found, f"quarantined books: {len(kept)}, families {found}"
