"""The window's side of the team register: how long one step of a sync holds the GUI thread.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/team_gui_block.py \
        [--changes 1000] [--families 20000] [--full-families 2000]   (0 skips a part)

Starts its own PostgreSQL hub (as the tests do). push: a window whose case book holds --changes
unsent changes (new families) joins and syncs them. load: an office laptop sends a register of
--families bare families, then a new, empty window joins and loads it. full: an office case book
of --full-families whole families made by benchmarks/generate.py (people, children, cases, about
25 timeline entries a family with a long tail of big cases, tasks, statutory steps, SEN support
cycles) is sent to the hub, then a new, empty window loads it (0 skips it; --office-book DIR
sends a copy of a case book generate.py made before instead, e.g. 20,000 families, whose making
takes 20 minutes). Sending 20,000 families to the hub takes 15 minutes more: --keep-hub FILE
leaves that hub running after the run and notes it in FILE, and --hub FILE then only loads it
into a new window (about 5 minutes, as often as wanted; stop the hub afterwards with the pg_ctl
line the first run prints). For each, the window's TeamSync drives the sync (the hub called on
its worker thread) and reports its longest GUI-thread step (TeamSync.longest_step), the whole
time, and the first-load bar's last text. Target: under 100 ms.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
import checkout  # noqa: E402,F401  (the app from this checkout)

from hub.laptops import Laptop  # noqa: E402
from hub.pg import HubDb, PgCluster  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from support import CHEAP, PASSPHRASE, create_book  # noqa: E402

from adviser_app.services import case_books  # noqa: E402
from adviser_app.store import families  # noqa: E402
from adviser_app.store.db import close_case_book  # noqa: E402
from adviser_app.sync import admin, joining  # noqa: E402
from adviser_app.sync.engine import sync  # noqa: E402
from adviser_app.sync.hub import Hub  # noqa: E402
from adviser_app.ui.main_window import MainWindow  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402


def _wait(app: QApplication, done: list[object]) -> None:
    while not done:
        loop = QEventLoop()
        QTimer.singleShot(20, loop.quit)
        loop.exec()


def _window_sync(app: QApplication, folder: Path, hub: HubDb, name: str,
                 make: int) -> tuple[float, float, object, str]:
    folder.mkdir(parents=True)
    db = create_book(folder)
    with db.atomic():
        for n in range(make):
            families.insert_family(db, f"Family {name} {n}", "bench")
    close_case_book(db)
    win = MainWindow(folder, actor="Bench", kdf=CHEAP)
    assert win.book.unlock(PASSPHRASE)
    win.book.idle.stop()  # no one touches this window: it must not lock part way
    session = win.book.session
    assert session is not None
    done: list[object] = []
    win.team.synced.connect(done.append)
    win.team.failed.connect(done.append)
    bar: list[str] = []
    win.team.first_load.valueChanged.connect(lambda _v: bar.append(win.team.first_load.format()))
    joining.join(session.db, hub.add_user(), "Bench")
    started = time.perf_counter()
    win.team.joined()
    _wait(app, done)
    took = time.perf_counter() - started
    longest = win.team.longest_step
    win.team.wait()
    win.book.close_case_book(show_start=False)
    slow = ", ".join(f"{t * 1000:.0f} ms {what}" for t, what in
                     sorted(win.team.slow_steps, reverse=True)[:3])
    over_100 = sum(1 for t, _ in win.team.slow_steps if t > 0.1)
    return longest, took, done[0], (bar[-1] if bar else "no first-load bar") + \
        f"; steps over 50 ms: {len(win.team.slow_steps)}, over 100 ms: {over_100} " \
        f"({slow or 'none'})"


def _full(app: QApplication, folder: Path, cluster: PgCluster, count: int,
          book: Path | None = None, keep: Path | None = None) -> None:
    """Whole families: an office case book made by generate.py (or a copy of *book*, one
    made by it before) is sent to a fresh hub, then a new window loads it."""
    if count < 200 and book is None:  # generate.py's 2,000-entry cases need 4,000 of them
        raise SystemExit("--full-families: 0, or at least 200")
    hub = HubDb(cluster, folder / "full-hub")
    office_dir = folder / "full-office"
    started = time.perf_counter()
    if book is None:
        made = generate.generate(office_dir, count, count * generate.ENTRIES_PER_FAMILY,
                                 generate.CHEAP_KDF, 2026, date.today())
        print(f"office case book of {count:,} whole families made in "
              f"{time.perf_counter() - started:.0f} s: {made}")
    else:  # (its key file is re-wrapped with the cheap settings: the copy's, not *book*'s)
        office_dir.mkdir()
        for name in ("casebook.db", "casebook.key"):
            shutil.copyfile(book / name, office_dir / name)
        print(f"office case book copied from {book} in {time.perf_counter() - started:.0f} s")
    office = case_books.open_existing(case_books.real_place(office_dir), generate.PASSPHRASE,
                                      kdf=generate.CHEAP_KDF)
    count = int(office.execute("SELECT count(*) FROM family").fetchone()[0])
    started = time.perf_counter()
    with Hub(hub.add_user()) as link:
        sent = sync(office, link)
    print(f"office sent {sent.pushed:,} records in {time.perf_counter() - started:.0f} s "
          "(no window)")
    close_case_book(office)
    if keep is not None:
        keep.write_text(json.dumps({"folder": str(cluster.folder), "port": cluster.port,
                                    "bin": str(cluster.bin), "as_postgres": cluster.as_postgres,
                                    "hub": hub.name, "users": str(hub.folder),
                                    "families": count}))
        print(f"hub kept running, noted in {keep}; to stop it: {cluster.bin}/pg_ctl -D "
              f"{cluster.data} -m immediate stop (as postgres), then remove {cluster.folder}")
    _load_full(app, folder, hub, count)


def _load_full(app: QApplication, folder: Path, hub: HubDb, count: int) -> None:
    longest, took, result, bar = _window_sync(app, folder / "full-load", hub, "full", 0)
    print(f"first load of {count:,} whole families ({getattr(result, 'pulled', 0):,} records):"
          f" longest GUI step {longest * 1000:.0f} ms, whole load {took:.1f} s ({result}); "
          f"bar: {bar}")


def _kept_hub(note: Path) -> tuple[HubDb, int]:
    """The hub a run with --keep-hub left running (see the module's docstring)."""
    kept = json.loads(note.read_text())
    cluster = PgCluster.__new__(PgCluster)  # (already made and started: not again)
    cluster.folder, cluster.port = Path(kept["folder"]), int(kept["port"])
    cluster.bin, cluster.as_postgres = Path(kept["bin"]), bool(kept["as_postgres"])
    cluster.data = cluster.folder / "data"
    return HubDb(cluster, Path(kept["users"]), name=kept["hub"]), int(kept["families"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=1000)
    parser.add_argument("--families", type=int, default=20000)
    parser.add_argument("--full-families", type=int, default=2000)
    parser.add_argument("--office-book", type=Path, default=None,
                        help="a case book folder made by generate.py, copied as the office's "
                             "(instead of making --full-families; read-only)")
    parser.add_argument("--keep-hub", type=Path, default=None,
                        help="leave the whole-families hub running and note it in this file")
    parser.add_argument("--hub", type=Path, default=None,
                        help="only load the hub a --keep-hub run noted in this file")
    args = parser.parse_args()
    app = QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="team-gui-bench-"))
    if args.hub is not None:
        try:
            _load_full(app, folder, *_kept_hub(args.hub))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    cluster = PgCluster()
    try:
        assert admin.main(cluster.admin_args("adviser_hub", "init", "--public-host",
                                             "127.0.0.1", "--public-port",
                                             str(cluster.port))) == 0
        hub = HubDb(cluster, folder / "hub")
        if args.changes:
            longest, took, result, notes = _window_sync(app, folder / "push", hub, "push",
                                                        args.changes)
            print(f"push {args.changes} changes: longest GUI step {longest * 1000:.0f} ms, "
                  f"whole sync {took:.1f} s ({result}); {notes}")
        if args.families:
            office = Laptop(folder, hub.add_user(), "office")
            with office.db.atomic():
                for n in range(args.families):
                    families.insert_family(office.db, f"Family {n}", "office")
            office.sync()
            office.close()
            longest, took, result, bar = _window_sync(app, folder / "load", hub, "load", 0)
            print(f"first load of {args.families + args.changes} families: longest GUI step "
                  f"{longest * 1000:.0f} ms, whole load {took:.1f} s ({result}); bar: {bar}")
        if args.full_families or args.office_book:
            _full(app, folder, cluster, args.full_families, args.office_book, args.keep_hub)
    finally:
        if args.keep_hub is None:
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
