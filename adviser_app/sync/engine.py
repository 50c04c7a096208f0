"""The sync call: push every pending change, then pull in pages. No window needed.

Safe to call again at any moment: a push whose answer was lost is answered again from the
hub's record of applied changes, and a pull page moves the cursor only when it commits here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from datetime import UTC, datetime
from typing import Any, cast

from adviser_app.store import erasure_ledger, settings, sync_log, sync_pull
from adviser_app.store import data_protection as erasures
from adviser_app.store.db import Database
from adviser_app.store.migrate import user_version
from adviser_app.store.settings import LAPTOP_NUMBER
from adviser_app.store.step_clock import StepClock
from adviser_app.store.sync_rows import PageResult
from adviser_app.sync import first_load
from adviser_app.sync.hub import Hub

PUSH_BATCH = 500
FIRST_WINDOW_PAGE = 20
FIRST_PAGE = 5_000
"""Without a window, the first page of a pull (the hub's own largest): the pages double from
there up to PAGE_SIZE, so the laptop starts writing while the larger pages are read ahead."""
PAGE_SIZE = 50_000
"""Records per pulled page when no window is waiting: each page is one transaction here, and
a new laptop's load costs far less in fewer, larger ones: the notes' and search words'
indexes by case are written again, in every page, wherever any case gained a row, so at
500,000 entries pages of 10,000 wrote 4.3 GB and pages of 50,000 1.8 GB, with a fifth less
CPU (benchmarks/README.md). A window asks for smaller pages, and writes each in steps that
fit its time budget (page_seconds)."""


@dataclass
class SyncResult:
    pushed: int = 0
    applied: int = 0
    """Changes the hub accepted (wholly or in part)."""
    conflicts_raised: int = 0
    pulled: int = 0
    written: int = 0
    deleted: int = 0
    parked: int = 0
    """Pulled rows still waiting at the end (their parent record never arrived)."""
    pages: int = 0
    """Pages fetched from the hub."""
    writes: int = 0
    """Transactions that wrote pulled rows here (a window writes a page in several)."""
    audit_sent: int = 0
    erasures_not_on_hub: list[str] = field(default_factory=list)
    """Case references of erasures this laptop holds that the hub has no record of (the hub
    was restored from an older backup since: the records erased are on it again)."""
    hub_behind: bool = False
    """The hub holds less than this laptop had already fetched from it: it was restored from
    an older backup (adviser-hub check says so too)."""
    open_conflicts: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    push_seconds: float = 0.0
    pull_seconds: float = 0.0


Step = Callable[[Hub], Any]
"""One call to the hub, handed out by sync_steps: whoever drives the sync runs it (the window
runs it on a worker thread) and sends back its answer."""

SyncSteps = Generator[Step, Any, SyncResult]


def sync(db: Database, hub: Hub, *, push_batch: int = PUSH_BATCH, page_size: int = PAGE_SIZE,
         on_page: Callable[[SyncResult], None] | None = None,
         page_check: Callable[[int], None] | None = None) -> SyncResult:
    """Push, then pull; raises HubError (one plain sentence) if the hub fails part way, with
    everything already done here kept and nothing half-written."""
    return run(sync_steps(db, push_batch=push_batch, page_size=page_size, on_page=on_page,
                          page_check=page_check), hub)


def run(steps: SyncSteps, hub: Hub) -> SyncResult:
    """Drive *steps* here, calling the hub in this thread."""
    try:
        step = next(steps)
        while True:
            step = steps.send(step(hub))
    except StopIteration as done:
        return cast(SyncResult, done.value)
    finally:
        steps.close()


def sync_steps(db: Database, *, push_batch: int = PUSH_BATCH, page_size: int = PAGE_SIZE,
               on_page: Callable[[SyncResult], None] | None = None,
               page_check: Callable[[int], None] | None = None,
               page_seconds: float | None = None) -> SyncSteps:
    """The sync as steps: the case book is read and written only between steps (in the thread
    that drives them, the one that opened it); each yielded Step is a call to the hub, whose
    answer is sent back in. A failed call is an exception from the driver: what is done here
    stays done. With *page_seconds*, each pulled page is written in steps that take about
    that long here each (the window keeps each step short)."""
    result = SyncResult()
    device = sync_log.device_id(db)
    yield from _take_laptop_number(db, device)
    fmt = user_version(db.conn)
    started = time.perf_counter()
    yield from _push(db, device, fmt, push_batch, result)
    yield from _push_audit(db, device, result)
    yield from _report_state(db, device, result)
    result.push_seconds = time.perf_counter() - started
    started = time.perf_counter()
    known = {e.id for e in erasures.erasures(db)}
    yield from _pull(db, device, page_size, result, on_page, page_check, page_seconds)
    _erased_elsewhere(db, known)
    result.pull_seconds = time.perf_counter() - started
    sync_log.mark_synced(db, datetime.now(UTC).isoformat(timespec="seconds"))
    result.open_conflicts = sync_log.open_conflict_count(db)
    result.parked = len(sync_log.parked_rows(db))
    return result


def _take_laptop_number(db: Database, device: str) -> Generator[Step, Any, None]:
    """Once: the hub's number for this laptop, which its new case references carry from now
    on (see db/hub/0004_laptop_numbers.sql), so two laptops never make the same one."""
    if settings.get_setting(db, LAPTOP_NUMBER):
        return
    number = yield lambda hub: hub.device_number(device)
    if number is not None:
        with db.atomic():
            settings.set_setting(db, LAPTOP_NUMBER, str(number))


def _erased_elsewhere(db: Database, known: set[str]) -> None:
    """Erasures made on another laptop arrived: their words leave this laptop's search index
    and write-ahead log too, and they join the list a restore here makes again."""
    arrived = [e for e in erasures.erasures(db) if e.id not in known]
    if not arrived:
        return
    ledger = erasure_ledger.ledger_path(db)
    for erasure in arrived:
        erasure_ledger.append(ledger, erasure)
    with db.atomic():
        erasures.compact_search_index(db)
    erasures.fold_log_into_file(db)


# The hub calls, with their arguments bound when the step is made (not when it runs).
def pause(hub: Hub) -> None:
    """No call at all: a step boundary, so that a window's GUI thread breathes between two
    writes of one page (and the next page is read ahead meanwhile). A driver may run it
    without a thread (the window just lets its event loop turn once)."""


def _push_call(hub: Hub, *, device: str, fmt: int, changes: list[dict[str, Any]]) -> Any:
    return hub.push(device, fmt, changes)


def _audit_call(hub: Hub, *, device: str, entries: list[dict[str, Any]]) -> Any:
    return hub.push_audit(device, entries)


def _pull_call(hub: Hub, *, device: str, cursor: int, limit: int, until: int | None) -> Any:
    return hub.pull(device, cursor, limit, until)


def _push(db: Database, device: str, fmt: int, batch: int,
          result: SyncResult) -> Generator[Step, Any, None]:
    # only what was pending when the sync began: edits made meanwhile wait for the next one
    row = db.execute("SELECT max(seq) FROM sync_change").fetchone()
    last = int(row[0]) if row and row[0] is not None else 0
    while True:
        pending = [(s, c) for s, c in sync_log.pending_changes(db, batch) if s <= last]
        if not pending:
            return
        changes = [c for _, c in pending]
        answers = yield partial(_push_call, device=device, fmt=fmt, changes=changes)
        sync_log.acknowledge(db, [s for s, _ in pending])
        result.pushed += len(pending)
        for answer in answers:
            status = str(answer.get("status"))
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if status in ("applied", "partial"):
                result.applied += 1
            result.conflicts_raised += int(answer.get("conflicts") or 0)


def _push_audit(db: Database, device: str, result: SyncResult) -> Generator[Step, Any, None]:
    while True:
        entries = sync_log.audit_after(db, 1000)
        if not entries:
            return
        yield partial(_audit_call, device=device, entries=entries)
        sync_log.mark_audit_sent(db, int(entries[-1]["seq"]))
        result.audit_sent += len(entries)


def _report_call(hub: Hub, *, device: str, cursor: int, seen: list[list[Any]],
                 erasures: list[dict[str, str]]) -> Any:
    return hub.report_state(device, cursor, seen, erasures)


SEEN = 3
"""The records last pulled that a laptop shows the hub, so it can tell it was restored."""


def _report_state(db: Database, device: str,
                  result: SyncResult) -> Generator[Step, Any, None]:
    """After the push (so an erasure made here is on the hub first), before the pull: what
    this laptop holds, for the hub to say whether it has lost any of it to a restore from an
    older backup. The erasures say no more than the list beside the case book (no reasons)."""
    held = erasures.erasures(db)
    sent = [{"id": e.id, "case_reference": e.case_reference, "kind": e.kind,
             "erased_at": e.erased_at} for e in held]
    seen = [[str(t), str(k), int(s), int(v)] for t, k, s, v in db.execute(
        "SELECT tbl, row_key, hub_seq, hub_version FROM sync_row ORDER BY hub_seq DESC "
        "LIMIT ?", [SEEN]).fetchall()]
    answer = yield partial(_report_call, device=device, cursor=sync_log.pull_cursor(db),
                           seen=seen, erasures=sent)
    if answer is None:
        return
    result.hub_behind = bool(answer.get("behind"))
    lost = {str(i) for i in answer.get("missing") or []}
    result.erasures_not_on_hub = [e.case_reference for e in held if e.id in lost]


def _pull(db: Database, device: str, page_size: int, result: SyncResult,
          on_page: Callable[[SyncResult], None] | None,
          page_check: Callable[[int], None] | None,
          page_seconds: float | None = None) -> Generator[Step, Any, None]:
    """Pages of *page_size* records, each written in one transaction here; with
    *page_seconds* (a window), each page in as many transactions as keep every one to about
    that long, with the parked rows whose parent has arrived written in steps of their own
    between them (and after the last page until none is left)."""
    # a pull starts small (a window's smaller still), so the first records are written at
    # once, and doubles up to page_size while the next page is read ahead
    size = min(page_size, FIRST_PAGE if page_seconds is None else FIRST_WINDOW_PAGE)
    clock = None if page_seconds is None else StepClock(page_seconds)
    if first_load.wanted(db):  # a new laptop: the register parents first (sync/first_load.py)
        yield from first_load.load(db, device, size, page_size, clock, page_check, pause,
                                   partial(_count, result, on_page=on_page),
                                   partial(_fetched, result))
    with ExitStack() as stack:
        large = False
        until = None  # (the hub's newest record when this pull began: see Hub.pull)
        while True:
            cursor = sync_log.pull_cursor(db)
            page: dict[str, Any] = yield partial(_pull_call, device=device, cursor=cursor,
                                                 limit=size, until=until)
            until = page.get("until")
            size = min(page_size, 2 * size)
            records = page["records"]
            if not records:
                break
            result.pages += 1
            result.pulled += len(records)
            first = True
            while records:
                if not first:
                    yield pause  # (the window breathes between two writes)
                first = False
                done = sync_pull.apply_page(db, records, int(page["cursor"]),
                                            check=page_check, clock=clock)
                records = records[done.taken:]
                _count(result, done, on_page)
                if page_seconds is not None and sync_pull.ready_parked(db):
                    yield pause
                    _count(result, sync_pull.retry_parked(db, clock), on_page)
            if not page["more"]:
                break
            if not large:  # more than one page: a large pull (a new laptop's load, say)
                stack.enter_context(sync_pull.large_pull(db))
                large = True
    # rows whose parent came when there was no time left to write them (a window's, or
    # one stopped part way), and in a window the rows parked for another reason once more
    if not sync_pull.any_parked(db) or (page_seconds is None
                                        and not sync_pull.ready_parked(db)):
        return
    while True:
        if page_seconds is not None:
            yield pause
        _count(result, sync_pull.retry_parked(db, clock), on_page)
        if not sync_pull.ready_parked(db):
            return


def _fetched(result: SyncResult, records: int) -> None:
    result.pages += 1
    result.pulled += records


def _count(result: SyncResult, done: PageResult,
           on_page: Callable[[SyncResult], None] | None) -> None:
    result.writes += 1
    result.written += done.applied
    result.deleted += done.deleted
    if on_page is not None:
        on_page(result)


TYPED = "typed"
"""A decision with a value the person deciding typed (neither of the two held)."""


def resolve(db: Database, hub: Hub, conflict_id: int, choice: str, note: str = "",
            value: Any = None) -> SyncResult:
    """A named person's decision on an open conflict ("keep" the hub's value, "take" the
    held one, or TYPED: *value*, one they typed), logged on the hub; then a sync, so this
    laptop shows the outcome."""
    return run(resolve_steps(db, conflict_id, choice, note, value), hub)


def resolve_steps(db: Database, conflict_id: int, choice: str, note: str = "",
                  value: Any = None) -> SyncSteps:
    """resolve() as steps (see sync_steps)."""
    device = sync_log.device_id(db)
    if choice == TYPED:
        yield partial(_resolve_value_call, device=device, conflict_id=conflict_id,
                      value=value, note=note)
    else:
        yield partial(_resolve_call, device=device, conflict_id=conflict_id, choice=choice,
                      note=note)
    return (yield from sync_steps(db))


def _resolve_call(hub: Hub, *, device: str, conflict_id: int, choice: str, note: str) -> Any:
    return hub.resolve(device, conflict_id, choice, note)


def _resolve_value_call(hub: Hub, *, device: str, conflict_id: int, value: Any,
                        note: str) -> Any:
    return hub.resolve_value(device, conflict_id, value, note)
