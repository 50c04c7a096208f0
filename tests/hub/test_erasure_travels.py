"""An erasure or anonymising on one laptop reaches the hub and the other laptops, and leaves
no old value in the laptop's change log (issue 18 with the team register)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hub.laptops import Laptop
from hub.pg import HubDb

from adviser_app.services import data_protection as dp
from adviser_app.store import erasure_ledger
from adviser_app.store.db import data_key
from planting import plant
from sqlcipher_pages import file_contains

TODAY = date(2033, 1, 10)


def test_erased_on_one_laptop_is_erased_on_the_other(hub_db: HubDb, tmp_path: Path) -> None:
    a = Laptop(tmp_path, hub_db.add_user(), "a")
    b = Laptop(tmp_path, hub_db.add_user(), "b")
    gone = plant(a.db, "ee")
    anonymous = plant(a.db, "nn")
    a.sync()
    b.sync()
    assert gone in b.rows("case_file") and anonymous in b.rows("case_file")
    # an edit not yet sent: its value must not linger in the log either
    a.db.execute("UPDATE family SET notes = 'Qxeelatenote' WHERE family_name = 'Qxeesur'")
    dp.erase_case(a.db, gone, "Retention period over", TODAY, "Rhiannon")
    dp.anonymise_case(a.db, anonymous, "Retention period over", TODAY, "Rhiannon")
    logged = " ".join(r[0] for r in a.db.execute("SELECT fields FROM sync_change"))
    assert "Qxee" not in logged and "Qxnn" not in logged and "qxnn" not in logged
    a.sync()
    b.sync()
    assert gone not in b.rows("case_file")
    assert not [r for r in b.rows("family").values() if r["family_name"] == "Qxeesur"]
    assert b.rows("case_file")[anonymous]["summary"] == ""
    names = {r["family_name"] for r in b.rows("family").values()}
    assert "Qxnnsur" not in names and "Anonymised" in names
    assert [r["case_reference"] for r in b.rows("erasure").values()] != []
    path = Path(str(b.db.conn.execute("PRAGMA database_list").fetchone()[2]))
    b.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    key = bytes(data_key(b.db))
    assert len(erasure_ledger.read(erasure_ledger.ledger_path(b.db))) == 2  # kept for restores
    assert not file_contains(path, key, "Qxeevisitsecond")
    assert not file_contains(path, key, "qxeevisitsecond")  # the search index
