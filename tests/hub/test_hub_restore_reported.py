"""A hub restored from an older backup has forgotten the erasures made since (the records
erased are on it again) and holds less than the laptops have already fetched from it. The
laptops know: the first sync after the restore reports both, the sync result says so, and
adviser-hub check lists them (exit 1). Against a real PostgreSQL, restored with pg_restore;
a hub never restored never looks restored (also checked after every crash in the fault
schedules)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import psycopg
import pytest
from hub.laptops import Laptop
from hub.pg import HubDb

from adviser_app.services import data_protection as dp
from adviser_app.store import families
from adviser_app.sync import admin
from planting import plant

TODAY = date(2033, 1, 10)


def _backup(hub_db: HubDb) -> Path:
    dump = hub_db.cluster.folder / f"{hub_db.name}.dump"
    hub_db.cluster._run("pg_dump", "-h", str(hub_db.cluster.folder), "-p",
                        str(hub_db.cluster.port), "-U", "postgres", "-Fc", "-C", "-f", str(dump),
                        hub_db.name)
    return dump


def _restore(hub_db: HubDb, dump: Path) -> None:
    """The database dropped and made again from the backup, as it stood then (its owner and
    grants too)."""
    with psycopg.connect(host=str(hub_db.cluster.folder), port=hub_db.cluster.port,
                         user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{hub_db.name}" WITH (FORCE)')
    hub_db.cluster._run("pg_restore", "-h", str(hub_db.cluster.folder), "-p",
                        str(hub_db.cluster.port), "-U", "postgres", "-C", "-d", "postgres",
                        str(dump))


def _check(hub_db: HubDb, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = admin.main(hub_db.cluster.admin_args(hub_db.name, "check"))
    out = capsys.readouterr()
    return code, out.out + out.err


def test_erasures_lost_by_a_restore_are_reported(hub_db: HubDb, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    a = Laptop(tmp_path, hub_db.add_user(), "a")
    b = Laptop(tmp_path, hub_db.add_user(), "b")
    kept = plant(a.db, "kk")
    gone = plant(a.db, "ee")
    a.sync()
    b.sync()
    dump = _backup(hub_db)  # the backup IT restores later
    dp.erase_case(a.db, gone, "Retention period over", TODAY, "Rhiannon")
    result = a.sync()
    assert result.erasures_not_on_hub == [] and not result.hub_behind
    result = b.sync()
    assert result.erasures_not_on_hub == [] and not result.hub_behind
    assert gone not in b.rows("case_file") and kept in b.rows("case_file")
    erasure = next(iter(b.rows("erasure").values()))
    reference = erasure["case_reference"]
    day = datetime.fromisoformat(erasure["erased_at"]).strftime("%d/%m/%Y")
    code, said = _check(hub_db, capsys)
    assert code == 0 and "Every erasure the laptops have reported (1) is on the hub" in said
    assert "no laptop has found the hub holding less" in said

    _restore(hub_db, dump)
    with hub_db.admin() as conn:  # the erased case is back on the hub
        assert conn.execute("SELECT count(*) FROM hub.record WHERE tbl = 'case_file' AND "
                            "row_key = %s AND NOT deleted", [f'["{gone}"]']).fetchone()[0] == 1
    code, said = _check(hub_db, capsys)
    assert code == 0  # no laptop has synced since the restore: nothing reported yet
    result = b.sync()
    assert result.erasures_not_on_hub == [reference] and result.hub_behind
    code, said = _check(hub_db, capsys)
    assert code == 1
    assert "1 laptop(s) found the hub holding less than they had already fetched" in said
    assert f"{reference}: erased on {day} (held by 1 laptop(s))" in said
    assert "restored from a backup older than them" in said
    assert "Retention period over" not in said  # the reason never leaves the laptops
    result = a.sync()
    assert result.erasures_not_on_hub == [reference] and result.hub_behind
    code, said = _check(hub_db, capsys)
    assert code == 1 and "(held by 2 laptop(s))" in said
    assert "2 laptop(s) found the hub holding less" in said


def test_a_laptop_ahead_of_a_restored_hub_says_so(hub_db: HubDb, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """No erasure involved: the hub restored, then new records made on it would have sequence
    numbers this laptop has already passed (it would skip them without a word)."""
    a = Laptop(tmp_path, hub_db.add_user(), "a")
    b = Laptop(tmp_path, hub_db.add_user(), "b")
    with a.db.atomic():
        for n in range(3):
            families.insert_family(a.db, f"Before the backup {n}", "a")
    a.sync()
    b.sync()
    dump = _backup(hub_db)
    with a.db.atomic():
        for n in range(3):
            families.insert_family(a.db, f"After the backup {n}", "a")
    a.sync()
    assert not b.sync().hub_behind
    _restore(hub_db, dump)
    with a.db.atomic():
        for n in range(8):  # more than were lost: the hub's numbers pass b's cursor again
            families.insert_family(a.db, f"After the restore {n}", "a")
    assert a.sync().hub_behind  # a had fetched its own records back after the backup
    assert b.sync().hub_behind
    code, said = _check(hub_db, capsys)
    assert code == 1 and "2 laptop(s) found the hub holding less" in said
    assert "cannot yet mend this by itself" in said
