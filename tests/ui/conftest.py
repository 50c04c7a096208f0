"""UI fixtures: a real encrypted case book with a few families, and the main window over it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from adviser_app.domain.forms import case_from_form, child_from_form, entry_from_form, \
    person_from_form
from adviser_app.domain.vocab import AreaOfNeed, CaseIssue, ChildStatus, EntryKind, \
    Relationship
from adviser_app.services import casework
from adviser_app.store.db import close_case_book
from adviser_app.ui.main_window import MainWindow
from support import CHEAP, PASSPHRASE, create_book
TODAY = date(2026, 11, 28)


def add_family(db, *, surname: str, parent: str, child: str, dob: str, status: ChildStatus,
               areas: list[AreaOfNeed], adviser: str = "Sam Patel", school: str = "",
               postcode: str = "", note: str = "") -> str:
    person, problems = person_from_form(given_name=parent, family_name=surname,
                                        relationship=Relationship.MOTHER, postcode=postcode,
                                        phone="07700 900123", today=TODAY)
    assert not problems, problems
    kid, problems = child_from_form(given_name=child, family_name=surname, date_of_birth=dob,
                                    school=school, year_group="Year 5",
                                    local_authority="Southwark", areas_of_need=areas,
                                    status=status, today=TODAY)
    assert not problems, problems
    case, problems = case_from_form(adviser=adviser, opened_on="01/10/2026",
                                    issues=[CaseIssue.SEN_SUPPORT], child_ids=[], today=TODAY)
    assert not problems, problems
    assert person and kid and case
    case_id = casework.open_new_family_case(db, family_name=surname, person=person,
                                            children=[kid], case=case, actor="test")
    if note:
        entry, _ = entry_from_form(kind=EntryKind.HOME_VISIT, entry_date="20/11/2026",
                                   author=adviser, body=note, today=TODAY)
        assert entry
        casework.add_timeline_entry(db, case_id, entry, "test")
    return case_id


@pytest.fixture
def populated_dir(data_dir: Path) -> Path:
    """A closed case book file on disk holding four families."""
    db = create_book(data_dir)
    add_family(db, surname="Okafor", parent="Grace", child="Tobi", dob="14/03/2017",
               status=ChildStatus.SEN_SUPPORT,
               areas=[AreaOfNeed.COMMUNICATION, AreaOfNeed.SEMH], school="Rye Lane Primary",
               postcode="SE15 4AB", note="Visited Grace at home; Tobi's reading support.")
    add_family(db, surname="O'Brien", parent="Siobhán", child="Zoë", dob="02/09/2012",
               status=ChildStatus.EHC_PLAN, areas=[AreaOfNeed.COGNITION],
               adviser="Priya Shah", school="Harbour Academy")
    add_family(db, surname="Wiśniewska", parent="Anna", child="Łucja", dob="11/01/2015",
               status=ChildStatus.ASSESSMENT_REQUESTED, areas=[AreaOfNeed.SENSORY_PHYSICAL])
    add_family(db, surname="Petrović", parent="Mila", child="Đorđe", dob="30/06/2009",
               status=ChildStatus.NO_SEN_SUPPORT, areas=[AreaOfNeed.SEMH],
               adviser="Priya Shah")
    close_case_book(db)
    return data_dir


@pytest.fixture
def window(qtbot, populated_dir: Path) -> Iterator[MainWindow]:
    win = MainWindow(populated_dir, actor="Sam Patel", today=lambda: TODAY, kdf=CHEAP)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.stack.currentWidget() is win.unlock_page
    assert win.book.unlock(PASSPHRASE)
    yield win
    win.book.close_case_book()


@pytest.fixture
def family_maker():
    """The add_family helper, for tests that need one more family."""
    return add_family


@pytest.fixture(autouse=True)
def no_real_discard_question(monkeypatch):
    """Closing test dialogs at teardown must not pop up the real "discard?" question; tests
    that check the question set it on their own dialog."""
    from adviser_app.ui.form_support import ValidatingForm

    monkeypatch.setattr(ValidatingForm, "confirm_discard", lambda self: True)
