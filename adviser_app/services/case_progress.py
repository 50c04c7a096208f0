"""The service's lists for its figures (outcomes, evaluation questions), and marking a case
inactive while the service waits on the family, or active again."""

from __future__ import annotations

import json
from datetime import date

from adviser_app.domain.service_lists import DEFAULT_OUTCOMES, DEFAULT_QUESTIONS
from adviser_app.store import audit, case_progress, cases
from adviser_app.store.db import Database
from adviser_app.store.errors import CaseBookError
from adviser_app.store.settings import get_setting, set_setting
from adviser_app.domain.validation import format_date

OUTCOMES_KEY = "report_outcomes"
QUESTIONS_KEY = "evaluation_questions"


def _read_list(db: Database, key: str, default: tuple[str, ...]) -> list[str]:
    text = get_setting(db, key)
    if not text:
        return list(default)
    value = json.loads(text)
    return [str(v) for v in value] if isinstance(value, list) and value else list(default)


def outcomes(db: Database) -> list[str]:
    return _read_list(db, OUTCOMES_KEY, DEFAULT_OUTCOMES)


def questions(db: Database) -> list[str]:
    return _read_list(db, QUESTIONS_KEY, DEFAULT_QUESTIONS)


def save_lists(db: Database, outcome_list: list[str], question_list: list[str],
               actor: str) -> None:
    """The lists as the service edited them (checked with domain.service_lists.clean_list).
    Answers already given keep the wording they were asked with."""
    with db.atomic():
        set_setting(db, OUTCOMES_KEY, json.dumps(outcome_list))
        set_setting(db, QUESTIONS_KEY, json.dumps(question_list))
        audit.record(db, actor, "changed", "settings", "report_lists")


def set_inactive(db: Database, case_id: str, inactive: bool, on: date, actor: str) -> None:
    """Mark an open case inactive (waiting on the family) from *on*, or active again."""
    case = cases.get_case(db, case_id)
    if case.closed_on is not None:
        raise CaseBookError("A closed case can't be marked inactive or active: reopen it first.")
    if on < case.details.opened_on:
        raise CaseBookError("That date is before the case was opened "
                            f"({format_date(case.details.opened_on)}).")
    if case.inactive == inactive:
        return
    with db.atomic():
        case_progress.record_status(db, case_id, inactive, on, actor)
        cases.touch_case(db, case_id, actor)
        audit.record(db, actor, "changed", "case", case_id,
                     "inactive" if inactive else "active again")
