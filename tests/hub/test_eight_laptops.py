"""Eight laptops syncing at once, each on its own thread: 0 lost, 0 diverged, 0 deadlocks."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from hub.laptops import Laptop
from hub.pg import HubDb

from adviser_app.store import families
from adviser_app.sync.errors import HubError

LAPTOPS = 8
ROUNDS = 6


def test_eight_laptops_at_once(hub_db: HubDb, tmp_path: Path) -> None:
    seed = Laptop(tmp_path, hub_db.add_user(), "seed")
    with seed.db.atomic():
        hot = [families.insert_family(seed.db, f"Hot {i}", "seed") for i in range(3)]
    seed.sync()
    seed.close()
    users = [hub_db.add_user() for _ in range(LAPTOPS)]
    barrier = threading.Barrier(LAPTOPS)
    saves: list[tuple[str, str, str]] = []  # (key, field, value)
    made: list[str] = []
    errors: list[str] = []
    finals: dict[int, tuple[dict[str, Any], list[int]]] = {}
    lock = threading.Lock()

    def run(number: int) -> None:
        laptop = Laptop(tmp_path, users[number], f"t{number}")
        try:
            laptop.sync()
            for step in range(ROUNDS):
                key = hot[(number + step) % len(hot)]
                value = f"t{number}-{step}"
                current = laptop.db.execute("SELECT family_name FROM family WHERE id = ?",
                                            [key]).fetchone()[0]
                with laptop.db.atomic():
                    families.update_family(laptop.db, key, current, value, f"t{number}")
                    new = families.insert_family(laptop.db, f"New {number}-{step}",
                                                 f"t{number}")
                with lock:
                    saves.append((key, "notes", value))
                    made.append(new)
                barrier.wait()  # everyone pushes at the same moment
                laptop.sync()
            for _ in range(2):
                barrier.wait()
                laptop.sync()
            barrier.wait()
            finals[number] = (laptop.rows("family"),
                              sorted(c["id"] for c in laptop.conflicts()))
        except HubError as exc:
            errors.append(f"t{number}: {exc}")
            barrier.abort()
        except threading.BrokenBarrierError:
            pass
        finally:
            laptop.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(LAPTOPS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a laptop never finished (deadlock?)"
    assert not errors, errors  # a deadlock would be reported by PostgreSQL as an error
    with hub_db.admin() as conn:
        records = {json.loads(k)[0]: f for k, f in conn.execute(
            "SELECT row_key, fields FROM hub.record WHERE tbl = 'family' AND NOT deleted")}
        bases = {(json.loads(k)[0], f, json.dumps(b)) for k, f, b in conn.execute(
            "SELECT row_key, field, base FROM hub.field_history WHERE field <> '*'")}
        held = {(json.loads(k)[0], f, json.dumps(v)) for k, f, v in conn.execute(
            "SELECT row_key, field, incoming FROM hub.conflict WHERE status = 'open'")}
        conflict_ids = sorted(r[0] for r in conn.execute(
            "SELECT id FROM hub.conflict WHERE status = 'open'"))
    lost = [s for s in saves if records[s[0]][s[1]] != s[2]
            and (s[0], s[1], json.dumps(s[2])) not in bases | held]
    assert not lost
    assert all(key in records for key in made)  # every new record reached the hub
    assert len(finals) == LAPTOPS
    for number, (rows, conflicts) in finals.items():
        assert rows == records, f"t{number} diverged"
        assert conflicts == conflict_ids, f"t{number}: different open conflicts"
    assert conflict_ids  # the hot records did clash, and the clashes are held
