"""Push, pull, conflicts and deletes between real case books through a real hub."""

from __future__ import annotations

from pathlib import Path

from hub.laptops import Laptop
from hub.pg import HubDb

from adviser_app.store import families


def _two(hub_db: HubDb, tmp_path: Path) -> tuple[Laptop, Laptop]:
    return (Laptop(tmp_path, hub_db.add_user(), "a"), Laptop(tmp_path, hub_db.add_user(), "b"))


def test_a_family_made_on_one_laptop_reaches_another(hub_db: HubDb, tmp_path: Path) -> None:
    a, b = _two(hub_db, tmp_path)
    with a.db.atomic():
        fid = families.insert_family(a.db, "Kowalski", "ann", notes="first visit")
    first = a.sync()
    assert first.pushed == 1 and first.applied == 1
    got = b.sync()
    assert got.pulled == 1 and got.written == 1
    assert b.value("family", fid, "notes") == "first visit"
    assert b.db.execute("SELECT count(*) FROM sync_change").fetchone()[0] == 0
    # the pulled row was not logged as a local edit, so nothing goes back
    assert b.sync().pushed == 0


def test_two_edits_to_one_field_make_a_conflict_and_the_hub_value_stays(
        hub_db: HubDb, tmp_path: Path) -> None:
    a, b = _two(hub_db, tmp_path)
    with a.db.atomic():
        fid = families.insert_family(a.db, "Kowalski", "ann")
    a.sync()
    b.sync()
    with a.db.atomic():
        families.update_family(a.db, fid, "Kowalski", "from a", "ann")
    with b.db.atomic():
        families.update_family(b.db, fid, "Kowalski", "from b", "bob")
    assert a.sync().conflicts_raised == 0
    result = b.sync()
    assert result.conflicts_raised == 1
    assert b.value("family", fid, "notes") == "from a"  # the agreed value is kept
    a.sync()
    for laptop in (a, b):
        [conflict] = laptop.conflicts()
        assert (conflict["field"], conflict["hub_value"], conflict["incoming"]) == \
            ("notes", "from a", "from b")


def test_different_fields_of_one_record_both_stay(hub_db: HubDb, tmp_path: Path) -> None:
    a, b = _two(hub_db, tmp_path)
    with a.db.atomic():
        fid = families.insert_family(a.db, "Kowalski", "ann")
    a.sync()
    b.sync()
    with a.db.atomic():
        families.update_family(a.db, fid, "Kowalska", "", "ann")
    with b.db.atomic():
        families.update_family(b.db, fid, "Kowalski", "notes from b", "bob")
    a.sync()
    assert b.sync().conflicts_raised == 0
    a.sync()
    for laptop in (a, b):
        assert laptop.value("family", fid, "family_name") == "Kowalska"
        assert laptop.value("family", fid, "notes") == "notes from b"
        assert laptop.conflicts() == []
