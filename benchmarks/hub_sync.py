"""Team-register benchmark: a real PostgreSQL hub on loopback and real encrypted case books.

    .venv/bin/python benchmarks/hub_sync.py team [--laptops 25] [--edits 1000] [--families 2000]
                                                 [--together 1] [--shared 1.0]
    .venv/bin/python benchmarks/hub_sync.py join [--entries 500000]

team: one office laptop makes the register (families) and sends it; every laptop (a process
of its own, as on its own machine) joins; each makes its edits (unique values; --shared 1.0:
on any family, so most clash; 0.05: on its own caseload of families but for 5% on any), then
two rounds of syncs, --together N laptops syncing at any moment (1: each in turn; 25: all at
once). Prints each laptop's sync time (p50, p95) and CPU time per round, the team's time per
round, the hub's own time in its push and pull functions, and checks convergence.
join: the hub is filled directly (families, cases, timeline entries) and a new laptop pulls
it in pages; prints the time as the register grows.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as mp_wait
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
import checkout  # noqa: E402,F401  (the app from this checkout)

from hub.laptops import Laptop  # noqa: E402
from hub.pg import HubDb, PgCluster  # noqa: E402

from adviser_app.store import families  # noqa: E402
from adviser_app.sync import admin, engine  # noqa: E402
from adviser_app.sync.connection_file import HubSettings  # noqa: E402


def _cluster() -> PgCluster:
    cluster = PgCluster()
    assert admin.main(cluster.admin_args("adviser_hub", "init", "--public-host", "127.0.0.1",
                                         "--public-port", str(cluster.port))) == 0
    return cluster


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def _laptop_process(pipe: Connection, folder: str, settings: dict[str, Any], name: str,
                    keys: list[str], own: list[str], edits: int, shared: float,
                    seed: int) -> None:
    """One laptop, in a process of its own (as on its own machine, but for the CPU): joins,
    makes its edits, then syncs each time the parent says so and sends back the timings."""
    laptop = Laptop(Path(folder), HubSettings.from_dict(settings), name)
    try:
        while True:
            command = pipe.recv()
            if command == "stop":
                return
            if command == "edit":
                rng = random.Random(seed)
                with laptop.db.atomic():
                    for n in range(edits):
                        key = rng.choice(keys if rng.random() < shared else own)
                        name_now = laptop.db.execute(
                            "SELECT family_name FROM family WHERE id = ?", [key]).fetchone()[0]
                        families.update_family(laptop.db, key, name_now, f"{name}-{n}", name)
                pipe.send(None)
            elif command == "sync":
                wall, cpu = time.perf_counter(), time.process_time()
                result = laptop.sync()
                pipe.send({"seconds": time.perf_counter() - wall,
                           "cpu": time.process_time() - cpu,
                           "push": result.push_seconds, "pull": result.pull_seconds,
                           "conflicts": result.conflicts_raised, "pulled": result.pulled})
            elif command == "rows":
                pipe.send(laptop.rows("family"))
    finally:
        laptop.close()


def _round(pipes: list[Connection], together: int) -> tuple[list[dict[str, float]], float]:
    """Every laptop syncs once, *together* of them at any moment (a new one starts as soon as
    one finishes); each laptop's timings, and the whole round's seconds."""
    waiting, running, out = list(pipes), [], []
    start = time.perf_counter()
    while waiting or running:
        while waiting and len(running) < together:
            pipe = waiting.pop(0)
            pipe.send("sync")
            running.append(pipe)
        for pipe in mp_wait(running):
            out.append(pipe.recv())  # type: ignore[union-attr]
            running.remove(pipe)  # type: ignore[arg-type]
    return out, time.perf_counter() - start


def _hub_seconds(hub: HubDb) -> dict[str, float]:
    """The hub's own time in each function so far (track_functions), in seconds."""
    with hub.admin() as conn:
        return {name: float(total) / 1000 for name, total in conn.execute(
            "SELECT funcname, total_time FROM pg_stat_user_functions")}


def team(args: argparse.Namespace) -> None:
    cluster = _cluster()
    folder = Path(tempfile.mkdtemp(prefix="hub-bench-"))
    context = multiprocessing.get_context("spawn")
    processes: list[Any] = []
    try:
        hub = HubDb(cluster, folder)
        with hub.admin() as conn:  # the hub's own time per function, for the report
            conn.execute("ALTER SYSTEM SET track_functions = 'pl'")
            conn.execute("SELECT pg_reload_conf()")
        office = Laptop(folder, hub.add_user(), "office")
        with office.db.atomic():
            keys = [families.insert_family(office.db, f"Family {n}", "office")
                    for n in range(args.families)]
        t = time.perf_counter()
        office.sync()
        print(f"office sent {args.families} families in {time.perf_counter() - t:.2f} s")
        office.close()
        share = len(keys) // args.laptops
        pipes: list[Connection] = []
        for number in range(args.laptops):
            parent, child = context.Pipe()
            own = keys[number * share:(number + 1) * share]  # this adviser's caseload
            process = context.Process(target=_laptop_process, daemon=True, args=(
                child, str(folder), hub.add_user().as_dict(), f"l{number}", keys, own,
                args.edits, args.shared, number))
            process.start()
            processes.append(process)
            pipes.append(parent)
        joins, _ = _round(pipes, 1)
        print(f"{args.laptops} laptops joined one after another: p50 "
              f"{statistics.median(j['seconds'] for j in joins):.2f} s, max "
              f"{max(j['seconds'] for j in joins):.2f} s each")
        for pipe in pipes:
            pipe.send("edit")
        for pipe in pipes:
            pipe.recv()
        print(f"each laptop made {args.edits} edits (--shared {args.shared}); syncing "
              f"{args.together} at a time; load average {os.getloadavg()[0]:.1f}")
        team_total = 0.0
        for number in (1, 2):
            before = _hub_seconds(hub)
            runs, total = _round(pipes, args.together)
            hub_time = {k: v - before.get(k, 0.0) for k, v in _hub_seconds(hub).items()}
            team_total += total
            times = [r["seconds"] for r in runs]
            print(f"round {number}: each laptop's sync p50 {statistics.median(times):.2f} s, "
                  f"p95 {_pct(times, 0.95):.2f} s, max {max(times):.2f} s; the team "
                  f"{total:.1f} s; conflicts raised {sum(int(r['conflicts']) for r in runs)}; "
                  f"push p50 {statistics.median(r['push'] for r in runs):.2f} s, pull p50 "
                  f"{statistics.median(r['pull'] for r in runs):.2f} s (records pulled p50 "
                  f"{statistics.median(r['pulled'] for r in runs):,.0f}); laptop CPU p50 "
                  f"{statistics.median(r['cpu'] for r in runs):.2f} s; hub: push "
                  f"{hub_time.get('sync_push', 0.0):.1f} s in all, pull "
                  f"{hub_time.get('sync_pull', 0.0):.1f} s in all; load average "
                  f"{os.getloadavg()[0]:.1f}", flush=True)
        with hub.admin() as conn:
            records = {json.loads(k)[0]: f for k, f in conn.execute(
                "SELECT row_key, fields FROM hub.record WHERE tbl = 'family'")}
            open_conflicts = conn.execute("SELECT count(*) FROM hub.conflict WHERE "
                                          "status = 'open'").fetchone()[0]
        same = 0
        for pipe in pipes:
            pipe.send("rows")
            same += pipe.recv() == records
        print(f"converged after 2 rounds ({team_total:.1f} s): {same} of {len(pipes)} laptops "
              f"hold exactly the hub's {len(records)} families; {open_conflicts} open conflicts")
        for pipe in pipes:
            pipe.send("stop")
        for process in processes:
            process.join(60)
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _fill(conn: object, entries: int, per_case: int) -> None:
    """Families, cases and timeline entries straight into the hub, as records."""
    cases = max(1, entries // per_case)
    now = "2026-12-01T09:00:00+00:00"
    rows = []
    for c in range(cases):
        fid, cid = str(uuid.uuid4()), str(uuid.uuid4())
        rows.append(("family", [fid], {"id": fid, "family_name": f"Family {c}", "notes": "",
                                       "created_at": now, "updated_at": now,
                                       "updated_by": "bench"}))
        rows.append(("case_file", [cid], {
            "id": cid, "reference": f"B{c:07d}", "family_id": fid, "adviser": "Sam",
            "state": "open", "opened_on": "2026-01-01", "closed_on": None,
            "closing_note": "", "summary": f"case {c}", "created_at": now, "updated_at": now,
            "updated_by": "bench"}))
        for e in range(per_case):
            eid = str(uuid.uuid4())
            rows.append(("timeline_entry", [eid], {
                "id": eid, "case_id": cid, "kind": "note", "entry_date": "2026-02-01",
                "author": "Sam", "body": f"visit {c} note {e} about transport and school",
                "version": 1, "created_at": now, "updated_at": now, "updated_by": "bench"}))
    with conn.cursor() as cur:  # type: ignore[attr-defined]
        with cur.copy("COPY hub.record (tbl, row_key, fields, deleted, version, seq, "
                      "changed_by) FROM STDIN") as copy:
            for seq, (table, key, fields) in enumerate(rows, start=1):
                copy.write_row((table, json.dumps(key, separators=(",", ":")),
                                json.dumps(fields), False, 1, seq, "bench"))
        cur.execute("SELECT setval('hub.record_seq', %s)", [len(rows)])


def join(args: argparse.Namespace) -> None:
    cluster = _cluster()
    folder = Path(tempfile.mkdtemp(prefix="hub-bench-"))
    try:
        for entries in args.sizes:
            hub = HubDb(cluster, folder / str(entries))
            with hub.admin() as conn:
                conn.execute("SET ROLE adviser_hub_owner")
                t = time.perf_counter()
                _fill(conn, entries, args.per_case)
                fill = time.perf_counter() - t
            laptop = Laptop(folder / str(entries), hub.add_user(), "new")
            t, cpu = time.perf_counter(), time.process_time()
            result = laptop.sync(page_size=args.page)
            took, cpu = time.perf_counter() - t, time.process_time() - cpu
            found = laptop.db.execute("SELECT count(*) FROM timeline_entry").fetchone()[0]
            print(f"{entries:>8,} entries ({result.pulled:,} records, {result.pages} pages of "
                  f"{args.page}): new laptop loaded in {took:.1f} s "
                  f"({result.pulled / took:,.0f} records/s; the laptop's CPU {cpu:.1f} s); "
                  f"{found:,} entries here; "
                  f"{result.parked} parked; hub filled in {fill:.1f} s; load average "
                  f"{os.getloadavg()[0]:.1f}", flush=True)
            laptop.close()
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("team")
    t.add_argument("--laptops", type=int, default=25)
    t.add_argument("--edits", type=int, default=1000)
    t.add_argument("--families", type=int, default=2000)
    t.add_argument("--shared", type=float, default=1.0,
                   help="share of edits to any family (the rest: the laptop's own caseload)")
    t.add_argument("--together", type=int, default=1,
                   help="laptops syncing at the same moment (1: one after another)")
    j = sub.add_parser("join")
    j.add_argument("--sizes", type=int, nargs="+", default=[50_000, 200_000, 500_000])
    j.add_argument("--per-case", type=int, default=200)
    j.add_argument("--page", type=int, default=engine.PAGE_SIZE)
    args = p.parse_args()
    {"team": team, "join": join}[args.command](args)


if __name__ == "__main__":
    main()
