"""The service's data protection duties, one function per thing a reviewer does: set the
retention policy, list the closed cases due for review, keep, anonymise or erase a case, and
make every erasure again after a restore from an older backup."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from adviser_app.domain.consent import DEFAULT_RENEWAL_MONTHS, ConsentDue, consent_due
from adviser_app.domain.statutory.deadline import Deadline
from adviser_app.domain.records import Family
from adviser_app.domain.retention import (DEFAULT_YEARS_CLOSED, DEFAULT_YOUNGEST_AGE,
                                          RetentionPolicy, review_due)
from adviser_app.domain.validation import format_long_date
from adviser_app.store import audit, erasure_ledger
from adviser_app.store import data_protection as rows
from adviser_app.store.data_protection import ClosedCase, Erasure
from adviser_app.store.db import Database
from adviser_app.store.errors import CaseBookError
from adviser_app.store.settings import get_setting, set_setting

_CONSENT_KEY = "consent_renewal_months"
_YEARS_KEY = "retention_years_closed"
_AGE_KEY = "retention_youngest_age"


def retention_policy(db: Database) -> RetentionPolicy:
    return RetentionPolicy(
        years_closed=int(get_setting(db, _YEARS_KEY, str(DEFAULT_YEARS_CLOSED))),
        youngest_age=int(get_setting(db, _AGE_KEY, str(DEFAULT_YOUNGEST_AGE))))


def set_retention_policy(db: Database, policy: RetentionPolicy, actor: str) -> None:
    problems = policy.problems()
    if problems:
        raise CaseBookError(" ".join(problems.values()))
    with db.atomic():
        set_setting(db, _YEARS_KEY, str(policy.years_closed))
        set_setting(db, _AGE_KEY, str(policy.youngest_age))
        audit.record(db, actor, "changed", "settings", "retention_policy")


def consent_renewal_months(db: Database) -> int:
    return int(get_setting(db, _CONSENT_KEY, str(DEFAULT_RENEWAL_MONTHS)))


def set_consent_renewal_months(db: Database, months: int, actor: str) -> None:
    if not 1 <= months <= 120:
        raise CaseBookError("Enter a number of months from 1 to 120.")
    with db.atomic():
        set_setting(db, _CONSENT_KEY, str(months))
        audit.record(db, actor, "changed", "settings", "consent_renewal")


def consent_questions(db: Database, family: Family, child_ids: Collection[str],
                      today: date) -> list[ConsentDue]:
    return consent_due(family, child_ids, today, consent_renewal_months(db))


@dataclass(frozen=True)
class ReviewItem:
    case: ClosedCase
    due: date
    rule: Deadline | None  # None when the date was set by an earlier "keep" decision

    @property
    def why(self) -> str:
        if self.rule is not None:
            return self.rule.explanation
        return (f"An earlier review kept the case and set the next review for "
                f"{format_long_date(self.due)}.")


def review_list(db: Database) -> list[ReviewItem]:
    """Every closed case that still holds personal details, with its review date."""
    policy = retention_policy(db)
    out = []
    for case in rows.closed_cases(db):
        if case.anonymised:
            continue
        if case.next_review is not None:
            out.append(ReviewItem(case, case.next_review, None))
            continue
        rule = review_due(policy, case.closed_on, case.children_born)
        assert rule is not None  # closed cases always have a date
        out.append(ReviewItem(case, rule.due, rule))
    return sorted(out, key=lambda item: (item.due, item.case.reference))


def case_exists(db: Database, case_id: str) -> bool:
    return rows.case_exists(db, case_id)


def due_for_review(db: Database, today: date) -> list[ReviewItem]:
    return [item for item in review_list(db) if item.due <= today]


def keep_case(db: Database, case_id: str, reason: str, next_review: date, today: date,
              actor: str) -> None:
    if not reason.strip():
        raise CaseBookError("Say why the case is being kept: the reason is part of the record.")
    if next_review <= today:
        raise CaseBookError("The next review must be after today.")
    with db.atomic():
        rows.case_reference(db, case_id)
        rows.record_keep(db, case_id, reason.strip(), next_review, today, actor)
        audit.record(db, actor, "changed", "case", case_id, "retention: kept")


def confirmation_text(db: Database, case_id: str, kind: str) -> str:
    """What the reviewer is asked before anonymising or erasing: names the family."""
    reference, _, name = rows.case_and_family(db, case_id)
    goes = rows.family_goes_too(db, case_id)
    if kind == "erased":
        text = (f"Erase case {reference} of the {name} family? Everything about the case will "
                "be removed for good: its notes, letters, dates and tasks.")
        if goes:
            text += " The family has no other case, so its people and children go too."
    else:
        text = (f"Anonymise case {reference} of the {name} family? Names, contact details, "
                "addresses, dates of birth and every note will be removed; the figures stay.")
        if not goes:
            text += " The family has another case, so its own details stay for that case."
    return text + " This cannot be undone."


def erase_case(db: Database, case_id: str, reason: str, today: date, actor: str) -> Erasure:
    return _remove(db, case_id, reason, today, actor, "erased")


def anonymise_case(db: Database, case_id: str, reason: str, today: date,
                   actor: str) -> Erasure:
    return _remove(db, case_id, reason, today, actor, "anonymised")


def _remove(db: Database, case_id: str, reason: str, today: date, actor: str,
            kind: str) -> Erasure:
    if not reason.strip():
        raise CaseBookError("Give the reason: it is kept with the record of the erasure.")
    ledger = erasure_ledger.ledger_path(db)
    with db.atomic():
        erasure = _apply(db, kind, case_id, reason.strip(), today, actor)
        # On the list beside the case book before the commit, so no restore can undo it.
        erasure_ledger.append(ledger, erasure)
    _scrub(db)
    return erasure


def _apply(db: Database, kind: str, case_id: str, reason: str, today: date, actor: str,
           again: Erasure | None = None) -> Erasure:
    if kind == "erased":
        erasure = rows.erase_case(db, case_id, reason, actor, again)
    else:
        erasure = rows.anonymise_case(db, case_id, reason, today, actor, again)
    audit.record(db, actor, "erased", "case", case_id, kind)
    return erasure


def _scrub(db: Database) -> None:
    """Deleted words out of the search index's pages, and old pages out of the log."""
    with db.atomic():
        rows.compact_search_index(db)
    rows.fold_log_into_file(db)


def reapply_erasures(db: Database, today: date, actor: str) -> int:
    """After a restore: make again every erasure on the list beside the case book that this
    file does not have. Returns how many were made again."""
    done = 0
    for erasure in erasure_ledger.read(erasure_ledger.ledger_path(db)):
        if rows.has_erasure(db, erasure.id):
            continue
        with db.atomic():
            if rows.case_exists(db, erasure.case_id):
                _apply(db, erasure.kind, erasure.case_id, erasure.reason, today, actor, erasure)
            else:
                rows.insert_erasure(db, erasure)
        done += 1
    if done:
        _scrub(db)
    return done
