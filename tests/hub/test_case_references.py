"""Case references made on different laptops never clash once they have joined the team
register: the hub numbers each laptop once, and its new references carry that number."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hub.laptops import Laptop
from hub.pg import HubDb

from adviser_app.domain.records import CaseDetails
from adviser_app.domain.vocab import CaseIssue
from adviser_app.services import casework
from adviser_app.sync.hub import Hub


def _new_case(laptop: Laptop, name: str) -> str:
    case_id = casework.open_new_family_case(
        laptop.db, family_name=name, person=None, children=[],
        case=CaseDetails("Sam", date(2026, 11, 1), frozenset({CaseIssue.OTHER})), actor="sam")
    return str(laptop.db.execute("SELECT reference FROM case_file WHERE id = ?",
                                 [case_id]).fetchone()[0])


def test_two_laptops_that_joined_never_make_the_same_reference(hub_db: HubDb,
                                                               tmp_path: Path) -> None:
    a = Laptop(tmp_path, hub_db.add_user(), "a")
    b = Laptop(tmp_path, hub_db.add_user(), "b")
    assert _new_case(a, "Before") == "SA-2026-0001"  # not joined yet: as before
    a.sync()
    b.sync()
    made = [_new_case(a, "Adams"), _new_case(b, "Brown"), _new_case(a, "Clark"),
            _new_case(b, "Davis")]
    assert len(set(made)) == 4
    assert made[0].endswith("-2026-0001") and made[2].endswith("-2026-0002")
    assert made[0].split("-")[0] != made[1].split("-")[0]  # each laptop its own number
    a.sync()
    result = b.sync()
    a.sync()
    assert result.parked == 0
    for laptop in (a, b):
        refs = {r[0] for r in laptop.db.execute("SELECT reference FROM case_file")}
        assert set(made) | {"SA-2026-0001"} == refs


def test_the_hub_gives_a_laptop_its_number_once(hub_db: HubDb, tmp_path: Path) -> None:
    settings = hub_db.add_user()
    with Hub(settings) as hub:
        first = hub.device_number("laptop-one")
        again = hub.device_number("laptop-one")
        other = hub.device_number("laptop-two")
    assert first == again and other not in (None, first)
