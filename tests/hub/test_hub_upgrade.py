"""A hub made before erasure and laptop numbers (schema 2) is upgraded in place by
`adviser-hub upgrade`: what it holds stays, and erasure and laptop numbers then work."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hub.laptops import Laptop
from hub.pg import HubDb, PgCluster

from adviser_app.services import data_protection as dp
from adviser_app.store.settings import LAPTOP_NUMBER, get_setting
from adviser_app.sync import admin, schema
from adviser_app.sync.errors import HubError
from adviser_app.sync.hub import Hub
from planting import plant


def test_a_schema_2_hub_is_upgraded_with_its_register(pg: PgCluster, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    if not pg.is_running():
        pg.restart_after_crash()
    every = schema.hub_migrations()
    monkeypatch.setattr(schema, "hub_migrations", lambda *a: every[:2])
    hub_db = HubDb(pg, tmp_path)
    a = Laptop(tmp_path, hub_db.add_user(), "a")
    monkeypatch.undo()
    with hub_db.admin() as conn:
        assert schema.hub_version(conn) == 2
    gone = plant(a.db, "uu")
    kept = plant(a.db, "vv")
    a.sync()  # a hub without laptop numbers: references keep their form
    assert get_setting(a.db, LAPTOP_NUMBER) == ""
    with Hub(a.settings) as old_hub:  # nor the team views: it says what IT must do
        assert old_hub.register_size("x", 0) is None
        with pytest.raises(HubError, match="ask IT to run adviser-hub upgrade"):
            old_hub.record_changes("x", [("family", '["a"]')])
    assert admin.main(pg.admin_args(hub_db.name, "upgrade")) == 0
    with hub_db.admin() as conn:
        assert schema.hub_version(conn) == len(every)
        assert conn.execute("SELECT count(*) FROM hub.record WHERE NOT erased").fetchone()[0]
    dp.erase_case(a.db, gone, "Retention period over", date(2033, 1, 10), "Rhiannon")
    a.sync()
    assert get_setting(a.db, LAPTOP_NUMBER) != ""
    b = Laptop(tmp_path, hub_db.add_user(), "b")
    b.sync()
    assert kept in b.rows("case_file") and gone not in b.rows("case_file")
    with hub_db.admin() as conn:
        held = conn.execute("SELECT count(*) FROM hub.field_history x "
                            "WHERE x::text ILIKE '%qxuu%'").fetchone()[0]
    assert held == 0
