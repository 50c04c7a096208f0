"""Spotting a family that may already be in the case book before a second copy is made."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from adviser_app.domain.search_text import fold
from adviser_app.domain.validation import format_date


@dataclass(frozen=True)
class ExistingChild:
    family_id: str
    family_name: str
    given_name: str
    child_family_name: str
    date_of_birth: date


@dataclass(frozen=True)
class ExistingPerson:
    family_id: str
    family_name: str
    person_family_name: str
    postcode: str


@dataclass(frozen=True)
class PossibleDuplicate:
    family_id: str
    family_name: str
    reason: str


def _postcode_key(postcode: str) -> str:
    return postcode.replace(" ", "").upper()


def _name_key(name: str) -> str:
    """O'Brien, OBrien and O Brien compare equal; so do Zoë and Zoe."""
    return re.sub(r"[\W_]", "", fold(name))


def possible_duplicates(*, child_given: str, child_family: str, child_dob: date | None,
                        surname: str, postcode: str,
                        children: Iterable[ExistingChild],
                        people: Iterable[ExistingPerson]) -> list[PossibleDuplicate]:
    """Families with the same child name and date of birth, or the same surname and postcode."""
    found: dict[str, PossibleDuplicate] = {}
    if child_dob is not None and child_given.strip():
        wanted = (_name_key(child_given), _name_key(child_family), child_dob)
        for c in children:
            if (_name_key(c.given_name), _name_key(c.child_family_name), c.date_of_birth) == wanted:
                found.setdefault(c.family_id, PossibleDuplicate(
                    c.family_id, c.family_name,
                    f"a child called {c.given_name} {c.child_family_name} with the same "
                    f"date of birth ({format_date(c.date_of_birth)})"))
    if surname.strip() and postcode.strip():
        key = (_name_key(surname), _postcode_key(postcode))
        for p in people:
            if (_name_key(p.person_family_name), _postcode_key(p.postcode)) == key:
                found.setdefault(p.family_id, PossibleDuplicate(
                    p.family_id, p.family_name,
                    f"someone with the surname {p.person_family_name} at {p.postcode}"))
    return list(found.values())
