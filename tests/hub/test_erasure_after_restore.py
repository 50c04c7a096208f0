"""A hub restored from an older backup has forgotten the erasures made since, and the records
erased are on it again. The laptops still hold those erasures: the first sync after the
restore reports them, the sync result names the cases, and adviser-hub check lists them
(exit 1) until they are erased again. Against a real PostgreSQL, restored with pg_restore."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import psycopg
import pytest
from hub.laptops import Laptop
from hub.pg import HubDb

from adviser_app.services import data_protection as dp
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
    assert result.erasures_not_on_hub == []
    b.sync()
    assert gone not in b.rows("case_file") and kept in b.rows("case_file")
    erasure = next(iter(b.rows("erasure").values()))
    reference = erasure["case_reference"]
    day = datetime.fromisoformat(erasure["erased_at"]).strftime("%d/%m/%Y")
    code, said = _check(hub_db, capsys)
    assert code == 0 and "Every erasure the laptops have reported (1) is on the hub" in said

    _restore(hub_db, dump)
    with hub_db.admin() as conn:  # the erased case is back on the hub
        assert conn.execute("SELECT count(*) FROM hub.record WHERE tbl = 'case_file' AND "
                            "row_key = %s AND NOT deleted", [f'["{gone}"]']).fetchone()[0] == 1
    code, said = _check(hub_db, capsys)
    assert code == 0  # no laptop has synced since the restore: nothing reported yet
    assert b.sync().erasures_not_on_hub == [reference]
    code, said = _check(hub_db, capsys)
    assert code == 1
    assert f"{reference}: erased on {day} (held by 1 laptop(s))" in said
    assert "restored from a backup older than them" in said
    assert "Retention period over" not in said  # the reason never leaves the laptops
    assert a.sync().erasures_not_on_hub == [reference]
    code, said = _check(hub_db, capsys)
    assert code == 1 and "(held by 2 laptop(s))" in said
