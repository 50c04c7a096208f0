"""The mediation wizard's state without Qt: the draft, moving on, saving, closing half-way
and the question about cleared dates, over a real encrypted case book."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from adviser_app.domain.forms import case_from_form, child_from_form
from adviser_app.domain.mediation import Choice, Decision, Step
from adviser_app.domain.validation import Problem
from adviser_app.domain.vocab import AreaOfNeed, CaseIssue, ChildStatus
from adviser_app.services import casework, mediation
from adviser_app.store import cases, families
from adviser_app.store.db import Database, close_case_book
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.mediation.wizard_state import WizardState

TODAY = date(2025, 3, 20)


@pytest.fixture
def state_for(db: Database):
    child, problems = child_from_form(given_name="Tobi", family_name="Okafor",
                                      date_of_birth="14/03/2017", school="",
                                      year_group="Year 5", local_authority="Southwark",
                                      areas_of_need=[AreaOfNeed.SEMH],
                                      status=ChildStatus.SEN_SUPPORT, today=TODAY)
    case, more = case_from_form(adviser="Sam Patel", opened_on="01/03/2025",
                                issues=[CaseIssue.SEN_SUPPORT], child_ids=[], today=TODAY)
    assert child and case and not problems and not more
    case_id = casework.open_new_family_case(db, family_name="Okafor", person=None,
                                            children=[child], case=case, actor="Sam")
    family = families.get_family(db, cases.get_case(db, case_id).family_id)
    session = Session(db=db, actor="Sam", training=False, today=lambda: TODAY)

    def make(disagreement_id: str | None = None) -> WizardState:
        return WizardState(session, case_id, family, disagreement_id)
    return make


def test_the_state_module_needs_no_qt() -> None:
    found = subprocess.run(
        [sys.executable, "-c", "import sys, adviser_app.ui.mediation.wizard_state; "
         "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"],
        capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


def test_a_new_disagreement_starts_on_the_first_child_and_moves_on_saving(state_for) -> None:
    state = state_for()
    assert state.draft.child_id and state.disagreement_id is None
    assert [p.field for p in state.problems(Step.DECISION)] == ["decision"]
    state.draft = state.draft.with_(decision=Decision.REFUSE_ASSESS)
    assert state.problems(Step.DECISION) == []
    state.move_on(Step.DECISION)
    assert state.disagreement_id is not None and state.saved == state.draft
    _, saved = mediation.load(state.session.db, state.disagreement_id)
    assert saved.step is Step.DATES and saved.decision is Decision.REFUSE_ASSESS
    state.draft = state.draft.with_(letter_sent=date(2025, 3, 3))
    assert "Appeal must reach the SEND Tribunal" in {d.deadline.label for d in state.dates()}
    again = state_for(state.disagreement_id)  # resumed where it was left
    assert again.draft.step is Step.DATES and again.draft.letter_sent is None


def _saved_certificate_case(state_for) -> WizardState:
    state = state_for()
    state.draft = state.draft.with_(decision=Decision.REFUSE_ASSESS,
                                    letter_sent=date(2025, 3, 3),
                                    choice=Choice.CERTIFICATE_ONLY,
                                    adviser_told=date(2025, 3, 5), step=Step.CHOICE)
    state.save()
    return state


def test_a_cleared_date_names_the_deadlines_it_takes_away(state_for) -> None:
    state = _saved_certificate_case(state_for)
    assert state.cleared_deadlines() == []
    state.draft = state.draft.with_(adviser_told=None)
    assert state.cleared_deadlines() == ["Mediation certificate due"]
    assert not state.keep_on_close(Step.CHOICE, [])  # closing does not clear it unasked
    _, kept = mediation.load(state.session.db, state.disagreement_id)
    assert kept.adviser_told == date(2025, 3, 5)


def test_closing_keeps_what_was_typed_but_not_a_date_with_a_problem(state_for) -> None:
    state = _saved_certificate_case(state_for)
    state.draft = state.draft.with_(supporter="Aunt", adviser_told=None)
    typed = [Problem("adviser_told", "Give the date as dd/mm/yyyy.")]
    assert state.keep_on_close(Step.CHOICE, typed)
    _, kept = mediation.load(state.session.db, state.disagreement_id)
    assert kept.supporter == "Aunt" and kept.adviser_told == date(2025, 3, 5)


def test_closing_after_the_case_book_closed_saves_nothing(state_for) -> None:
    state = _saved_certificate_case(state_for)
    close_case_book(state.session.db)
    state.draft = state.draft.with_(supporter="Aunt")
    assert not state.keep_on_close(Step.CHOICE, [])
