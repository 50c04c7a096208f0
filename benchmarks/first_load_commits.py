"""Where a window's first-load steps go: each write's rows, its COMMIT and SQLite's WAL
checkpoint timed apart (issue 16; the window's stepping is benchmarks/team_gui_block.py).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/first_load_commits.py \
        --full-families 1000 [--mode auto|apart|off]

auto: the app as it is (before branch s27-window-load: SQLite's automatic checkpoint, which a
COMMIT runs once the WAL holds 1,000 pages; after it, the window's own checkpoints by hand,
each a step alone, timed too). apart: automatic checkpoints off and, after each COMMIT that
leaves 1,000 pages or more in the WAL, the same checkpoint run by hand in the same step,
timed apart from the COMMIT (what auto did, made visible; the WAL is truncated by it, so its
size counts its pages). off: no checkpoint at all during the load (the WAL grows; to see the
steps without one). Prints the longest step and the slowest writes split into rows, COMMIT
and checkpoint.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import team_gui_block
from PySide6.QtWidgets import QApplication

from adviser_app.store import anchoring, sync_pull
from adviser_app.sync import admin, first_load

WAL_PAGES = 1000
_writes: list[tuple[float, float, float, int, float]] = []
"""(rows, commit, checkpoint, records written, of rows the search words and case headers)"""
_words = [0.0]  # time in sync_pull._index during the write being timed
_primed: set[int] = set()
_steps_alone: list[float] = []  # checkpoints the app ran by hand, each a step of its own


def _wal_pages(db: Any) -> int:
    path = anchoring.path_of(db)
    wal = Path(f"{path}-wal")
    page = int(db.execute("PRAGMA page_size").fetchone()[0])
    return wal.stat().st_size // (page + 24) if wal.exists() else 0


def _patch(mode: str) -> None:
    original = sync_pull._writing
    index = sync_pull._index

    def timed_index(page: Any) -> None:
        started = time.perf_counter()
        index(page)
        _words[0] += time.perf_counter() - started

    sync_pull._index = timed_index

    @contextmanager
    def timed(db: Any, result: Any, clock: Any) -> Iterator[Any]:
        if clock is None:  # (the office's own sync, not the window's)
            with original(db, result, clock) as page:
                yield page
            return
        if mode != "auto" and id(db) not in _primed:
            _primed.add(id(db))
            db.execute("PRAGMA wal_autocheckpoint = 0")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        started = time.perf_counter()
        _words[0] = 0.0
        marks: dict[str, float] = {}
        real_atomic = db.atomic

        @contextmanager
        def atomic() -> Iterator[None]:
            with real_atomic():
                yield
                marks["rows"] = time.perf_counter()

        db.atomic = atomic
        try:
            with original(db, result, clock) as page:
                yield page
        finally:
            del db.atomic
        committed = time.perf_counter()
        checkpoint = 0.0
        if mode == "apart" and _wal_pages(db) >= WAL_PAGES:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            checkpoint = time.perf_counter() - committed
        rows_at = marks.get("rows", committed)
        _writes.append((rows_at - started, committed - rows_at, checkpoint, result.applied,
                        _words[0]))

    sync_pull._writing = timed
    by_hand = getattr(first_load, "checkpoint_now", None)
    if by_hand is not None and mode != "auto":  # the probe's own checkpoints instead
        first_load.checkpoint_now = lambda db: False
    elif by_hand is not None:  # this app's window checkpoints by hand, in steps of their own
        def checkpoint(db: Any) -> bool:
            started = time.perf_counter()
            try:
                return bool(by_hand(db))
            finally:
                _steps_alone.append(time.perf_counter() - started)
        first_load.checkpoint_now = checkpoint


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full-families", type=int, default=1000)
    parser.add_argument("--mode", choices=("auto", "apart", "off"), default="auto")
    args = parser.parse_args()
    _patch(args.mode)
    app = QApplication([])
    cluster = team_gui_block.PgCluster()
    folder = Path(tempfile.mkdtemp(prefix="first-load-commits-"))
    try:
        assert admin.main(cluster.admin_args("adviser_hub", "init", "--public-host",
                                             "127.0.0.1", "--public-port",
                                             str(cluster.port))) == 0
        team_gui_block._full(app, folder, cluster, args.full_families)
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
    total = [r + c + k for r, c, k, _, _ in _writes]
    print(f"mode {args.mode}: {len(_writes)} writes; over 100 ms (rows+commit+checkpoint): "
          f"{sum(1 for t in total if t > 0.1)}")
    checkpoints = sorted(k for _, _, k, _, _ in _writes if k)
    if checkpoints:
        print(f"checkpoints by hand: {len(checkpoints)}, median "
              f"{checkpoints[len(checkpoints) // 2] * 1000:.0f} ms, longest "
              f"{checkpoints[-1] * 1000:.0f} ms, total {sum(checkpoints):.1f} s")
    alone = sorted(_steps_alone)
    if alone:
        print(f"the app's checkpoints, each a step alone: {len(alone)}, median "
              f"{alone[len(alone) // 2] * 1000:.0f} ms, longest {alone[-1] * 1000:.0f} ms")
    commits = sorted(c for _, c, _, _, _ in _writes)
    print(f"commits: median {commits[len(commits) // 2] * 1000:.1f} ms, p99 "
          f"{commits[int(len(commits) * 0.99)] * 1000:.0f} ms, longest "
          f"{commits[-1] * 1000:.0f} ms, total {sum(commits):.1f} s")
    print("slowest writes (rows, of which search words / commit / checkpoint ms, records):")
    for r, c, k, n, w in sorted(_writes, key=lambda w: -(w[0] + w[1] + w[2]))[:10]:
        print(f"  {r * 1000:6.0f} {w * 1000:6.0f} {c * 1000:6.0f} {k * 1000:6.0f}  {n}")


if __name__ == "__main__":
    main()
