"""An erasure or anonymising purges the erased values on the hub too (issue 13: the hub kept
them in hub.field_history, in the erased record's tombstone and in conflicts), and reaches
every other laptop, even one with its own unsent edits to the erased record. Checked on the
hub's tables, then in the hub database's files (old row versions) and in its write-ahead log
after `adviser-hub purge`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hub.laptops import Laptop
from hub.pg import HubDb

from adviser_app.services import data_protection as dp
from adviser_app.sync import admin
from planting import plant

TODAY = date(2033, 1, 10)
HUB_TABLES = ("record", "field_history", "conflict", "applied_change", "audit_entry",
              "device", "setting")


def hub_rows_holding(hub_db: HubDb, word: str) -> dict[str, int]:
    found = {}
    with hub_db.admin() as conn:
        for table in HUB_TABLES:
            n = conn.execute(f"SELECT count(*) FROM hub.{table} x WHERE x::text ILIKE %s",
                             [f"%{word}%"]).fetchone()[0]
            if n:
                found[table] = n
    return found


def hub_files_holding(hub_db: HubDb, word: bytes) -> list[str]:
    """Files of this hub database (tables, indexes, TOAST: old row versions included) whose
    bytes hold *word*."""
    with hub_db.admin() as conn:
        conn.execute("CHECKPOINT")  # what is in shared memory reaches the files
        oid = conn.execute("SELECT oid FROM pg_database WHERE datname = current_database()"
                           ).fetchone()[0]
    folder = hub_db.cluster.data / "base" / str(oid)
    return sorted(p.name for p in folder.iterdir()
                  if p.is_file() and word.lower() in p.read_bytes().lower())


def wal_files_holding(hub_db: HubDb, word: bytes) -> list[str]:
    """Write-ahead log files of the hub's PostgreSQL (all of them, files renamed for reuse
    included) whose bytes hold *word*."""
    folder = hub_db.cluster.data / "pg_wal"
    return sorted(p.name for p in folder.iterdir()
                  if p.is_file() and word.lower() in p.read_bytes().lower())


def test_erased_values_leave_the_hub_and_every_laptop(hub_db: HubDb, tmp_path: Path) -> None:
    a = Laptop(tmp_path, hub_db.add_user(), "a")
    b = Laptop(tmp_path, hub_db.add_user(), "b")
    gone = plant(a.db, "ee")
    anonymous = plant(a.db, "nn")
    kept = plant(a.db, "kk")  # not erased: must stay whole
    a.sync()
    b.sync()
    # history on the hub: an accepted edit (old value kept) and a conflict (both values)
    a.db.execute("UPDATE family SET notes = 'Qxeehistory' WHERE family_name = 'Qxeesur'")
    a.db.execute("UPDATE family SET notes = 'Qxnnhistory' WHERE family_name = 'Qxnnsur'")
    a.sync()
    b.sync()
    a.db.execute("UPDATE family SET notes = 'Qxeefroma' WHERE family_name = 'Qxeesur'")
    b.db.execute("UPDATE family SET notes = 'Qxeefromb' WHERE family_name = 'Qxeesur'")
    a.sync()
    b.sync()
    assert hub_rows_holding(hub_db, "qxee").get("conflict")  # the test sets up what it says
    assert hub_rows_holding(hub_db, "qxee").get("field_history")

    b.db.execute("UPDATE child SET notes = 'Qxeeunsent' WHERE given_name = 'Qxeekid'")
    b.db.execute("UPDATE family SET notes = 'Qxnnunsent' WHERE family_name = 'Qxnnsur'")
    dp.erase_case(a.db, gone, "Retention period over", TODAY, "Rhiannon")
    dp.anonymise_case(a.db, anonymous, "Retention period over", TODAY, "Rhiannon")
    a.sync()
    b.sync()  # pushes its edit to the erased child, then pulls the erasure
    a.sync()
    b.sync()

    assert hub_rows_holding(hub_db, "qxee") == {}
    assert hub_rows_holding(hub_db, "qxnn") == {}
    assert hub_rows_holding(hub_db, "qxkk")  # what was not erased is still there
    for laptop in (a, b):
        assert gone not in laptop.rows("case_file")
        assert not [r for r in laptop.rows("child").values() if "Qxee" in r["given_name"]]
        logged = " ".join(r[0] for r in laptop.db.execute("SELECT fields FROM sync_change"))
        assert "Qxee" not in logged and "Qxnn" not in logged
        assert not laptop.conflicts()
        assert laptop.rows("case_file")[anonymous]["summary"] == ""
        assert kept in laptop.rows("case_file")

    # old row versions: gone from the hub database's files once IT's purge has run
    assert admin.main(hub_db.cluster.admin_args(hub_db.name, "status")) == 0
    assert wal_files_holding(hub_db, b"qxee")  # the log held the erased words until now
    assert admin.main(hub_db.cluster.admin_args(hub_db.name, "purge")) == 0
    assert hub_files_holding(hub_db, b"qxee") == []
    assert wal_files_holding(hub_db, b"qxee") == []
    assert wal_files_holding(hub_db, b"qxnn") == []
    assert hub_files_holding(hub_db, b"qxnn") == []
    assert hub_files_holding(hub_db, b"qxkk")
