"""Push, pull, conflicts and deletes between real case books through a real hub."""

from __future__ import annotations

from pathlib import Path

import pytest
from hub.laptops import Laptop
from hub.pg import HubDb

from adviser_app.store import families
from adviser_app.sync.engine import resolve
from adviser_app.sync.errors import HubError
from adviser_app.sync.hub import Hub


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


def test_an_edit_meeting_a_delete_is_a_conflict_never_a_resurrection(
        hub_db: HubDb, tmp_path: Path) -> None:
    a, b = _two(hub_db, tmp_path)
    with a.db.atomic():
        fid = families.insert_family(a.db, "Kowalski", "ann")
    a.sync()
    b.sync()
    with a.db.atomic():
        a.db.execute("DELETE FROM family WHERE id = ?", [fid])
    with b.db.atomic():
        families.update_family(b.db, fid, "Kowalski", "edited after the delete", "bob")
    a.sync()
    assert b.sync().conflicts_raised == 1
    a.sync()
    for laptop in (a, b):
        assert laptop.value("family", fid, "notes") is None  # deleted everywhere...
        [conflict] = laptop.conflicts()  # ...and the edit is held for a decision
        assert conflict["hub_deleted"] and conflict["incoming"] == "edited after the delete"


def test_a_delete_meeting_an_edit_is_a_conflict_and_the_record_stays(
        hub_db: HubDb, tmp_path: Path) -> None:
    a, b = _two(hub_db, tmp_path)
    with a.db.atomic():
        fid = families.insert_family(a.db, "Kowalski", "ann")
    a.sync()
    b.sync()
    with a.db.atomic():
        families.update_family(a.db, fid, "Kowalski", "edited first", "ann")
    with b.db.atomic():
        b.db.execute("DELETE FROM family WHERE id = ?", [fid])
    a.sync()
    assert b.sync().conflicts_raised == 1
    a.sync()
    for laptop in (a, b):
        assert laptop.value("family", fid, "notes") == "edited first"
        [conflict] = laptop.conflicts()
        assert conflict["field"] == "*" and conflict["incoming_delete"]


def test_a_named_person_decides_and_the_choice_is_logged(hub_db: HubDb,
                                                        tmp_path: Path) -> None:
    a, b = _two(hub_db, tmp_path)
    with a.db.atomic():
        fid = families.insert_family(a.db, "Kowalski", "ann")
    a.sync()
    b.sync()
    for laptop, text in ((a, "from a"), (b, "from b")):
        with laptop.db.atomic():
            families.update_family(laptop.db, fid, "Kowalski", text, "x")
        laptop.sync()
    [conflict] = b.conflicts()
    with Hub(b.settings) as hub:
        resolve(b.db, hub, conflict["id"], "take", "Bob's note is the newer one")
    a.sync()
    for laptop in (a, b):
        assert laptop.value("family", fid, "notes") == "from b"
        assert laptop.conflicts() == []
    with hub_db.admin() as conn:
        by, choice = conn.execute("SELECT resolved_by, choice FROM hub.conflict").fetchone()
        detail = conn.execute("SELECT detail FROM hub.audit_entry WHERE device = "
                              "'hub:conflicts'").fetchone()[0]
    assert (by, choice) == (b.settings.user, "take")
    assert "took the incoming change" in detail and "newer one" in detail
    with Hub(a.settings) as hub, pytest.raises(HubError, match="already been decided"):
        hub.resolve("x", conflict["id"], "keep")


def test_an_edit_made_during_a_sync_keeps_what_was_typed(hub_db: HubDb,
                                                          tmp_path: Path) -> None:
    a, b = _two(hub_db, tmp_path)
    with a.db.atomic():
        fid = families.insert_family(a.db, "Kowalski", "ann")
    a.sync()
    b.sync()
    with a.db.atomic():
        families.update_family(a.db, fid, "Kowalska", "", "ann")
    a.sync()

    def typed_meanwhile(point: str) -> None:
        if point == "pull:before":  # after the push, before the pull
            with b.db.atomic():
                families.update_family(b.db, fid, "Kowalski", "typed during the sync", "bob")

    b.sync(fault=typed_meanwhile)
    assert b.value("family", fid, "notes") == "typed during the sync"  # kept on screen
    assert b.value("family", fid, "family_name") == "Kowalska"  # the hub's edit arrived
    assert b.sync().pushed == 1  # sent at the next sync, and accepted
    a.sync()
    assert a.value("family", fid, "notes") == "typed during the sync"
