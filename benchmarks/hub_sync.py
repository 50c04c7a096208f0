"""Team-register benchmark: a real PostgreSQL hub on loopback and real encrypted case books.

    .venv/bin/python benchmarks/hub_sync.py team [--laptops 25] [--edits 1000] [--families 2000]
    .venv/bin/python benchmarks/hub_sync.py join [--entries 500000]

team: one office laptop makes the register (families) and sends it; every laptop joins;
each makes its edits (unique values; --shared 1.0: on any family, so most clash; 0.05: on its
own caseload of families but for 5% on any), then two rounds of
syncs, each laptop in turn. Prints each laptop's sync time (p50, p95) per round, the team's
time per round, and checks convergence. join: the hub is filled directly (families, cases,
timeline entries) and a new laptop pulls it in pages; prints the time as the register grows.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
import checkout  # noqa: E402,F401  (the app from this checkout)

from hub.laptops import Laptop  # noqa: E402
from hub.pg import HubDb, PgCluster  # noqa: E402

from adviser_app.store import families  # noqa: E402
from adviser_app.sync import admin, engine  # noqa: E402


def _cluster() -> PgCluster:
    cluster = PgCluster()
    assert admin.main(cluster.admin_args("adviser_hub", "init", "--public-host", "127.0.0.1",
                                         "--public-port", str(cluster.port))) == 0
    return cluster


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def team(args: argparse.Namespace) -> None:
    cluster = _cluster()
    folder = Path(tempfile.mkdtemp(prefix="hub-bench-"))
    try:
        hub = HubDb(cluster, folder)
        office = Laptop(folder, hub.add_user(), "office")
        with office.db.atomic():
            keys = [families.insert_family(office.db, f"Family {n}", "office")
                    for n in range(args.families)]
        t = time.perf_counter()
        office.sync()
        print(f"office sent {args.families} families in {time.perf_counter() - t:.2f} s")
        laptops = [Laptop(folder, hub.add_user(), f"l{n}") for n in range(args.laptops)]
        joins = []
        for laptop in laptops:
            t = time.perf_counter()
            laptop.sync()
            joins.append(time.perf_counter() - t)
        print(f"{args.laptops} laptops joined: p50 {statistics.median(joins):.2f} s, "
              f"max {max(joins):.2f} s each")
        rng = random.Random(1)
        share = len(keys) // len(laptops)
        for number, laptop in enumerate(laptops):
            own = keys[number * share:(number + 1) * share]  # this adviser's caseload
            with laptop.db.atomic():
                for n in range(args.edits):
                    key = rng.choice(keys if rng.random() < args.shared else own)
                    name = laptop.db.execute("SELECT family_name FROM family WHERE id = ?",
                                             [key]).fetchone()[0]
                    families.update_family(laptop.db, key, name, f"{laptop.name}-{n}",
                                           laptop.name)
        for number in (1, 2):
            times, conflicts, pushes, pulls = [], 0, [], []
            start = time.perf_counter()
            for laptop in laptops:
                t = time.perf_counter()
                result = laptop.sync()
                times.append(time.perf_counter() - t)
                conflicts += result.conflicts_raised
                pushes.append(result.push_seconds)
                pulls.append(result.pull_seconds)
            total = time.perf_counter() - start
            print(f"round {number}: each laptop's sync p50 {statistics.median(times):.2f} s, "
                  f"p95 {_pct(times, 0.95):.2f} s, max {max(times):.2f} s; the team "
                  f"{total:.1f} s; conflicts raised {conflicts}; push p50 "
                  f"{statistics.median(pushes):.2f} s, pull p50 {statistics.median(pulls):.2f} s")
        with hub.admin() as conn:
            records = {json.loads(k)[0]: f for k, f in conn.execute(
                "SELECT row_key, fields FROM hub.record WHERE tbl = 'family'")}
            open_conflicts = conn.execute("SELECT count(*) FROM hub.conflict WHERE "
                                          "status = 'open'").fetchone()[0]
        same = sum(laptop.rows("family") == records for laptop in laptops)
        print(f"converged after 2 rounds: {same} of {len(laptops)} laptops hold exactly the "
              f"hub's {len(records)} families; {open_conflicts} open conflicts")
        for laptop in (office, *laptops):
            laptop.close()
    finally:
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
            t = time.perf_counter()
            result = laptop.sync(page_size=args.page)
            took = time.perf_counter() - t
            found = laptop.db.execute("SELECT count(*) FROM timeline_entry").fetchone()[0]
            print(f"{entries:>8,} entries ({result.pulled:,} records, {result.pages} pages of "
                  f"{args.page}): new laptop loaded in {took:.1f} s "
                  f"({result.pulled / took:,.0f} records/s); {found:,} entries here; "
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
    j = sub.add_parser("join")
    j.add_argument("--sizes", type=int, nargs="+", default=[50_000, 200_000, 500_000])
    j.add_argument("--per-case", type=int, default=200)
    j.add_argument("--page", type=int, default=engine.PAGE_SIZE)
    args = p.parse_args()
    {"team": team, "join": join}[args.command](args)


if __name__ == "__main__":
    main()
