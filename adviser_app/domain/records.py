"""The case book's records as plain values: families, people, children, cases, timeline, tasks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from adviser_app.domain.vocab import (AreaOfNeed, CaseIssue, CaseState, ChildStatus,
                                      ContactMethod, ContactWay, EntryKind, HeardFrom,
                                      Relationship, ServiceUser, SupportLevel)


@dataclass(frozen=True)
class PersonDetails:
    """A parent, carer or other adult connected with the family (or the young person)."""

    given_name: str
    family_name: str
    relationship: Relationship
    parental_responsibility: bool = False
    address: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""
    preferred_contact: ContactMethod | None = None
    access_needs: str = ""
    interpreter_language: str = ""
    consent_to_share: bool = False
    consent_date: date | None = None

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def postal_lines(self) -> tuple[str, ...]:
        """The address as it goes on an envelope: its lines, then the postcode."""
        return tuple(x.strip() for x in self.address.splitlines() + [self.postcode]
                     if x.strip())


@dataclass(frozen=True)
class ChildDetails:
    """A child or young person the service is helping."""

    given_name: str
    family_name: str
    date_of_birth: date
    school: str = ""
    year_group: str = ""
    local_authority: str = ""
    areas_of_need: frozenset[AreaOfNeed] = frozenset()
    status: ChildStatus = ChildStatus.NO_SEN_SUPPORT
    ehc_plan_issued: date | None = None
    ehc_plan_last_reviewed: date | None = None
    notes: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


@dataclass(frozen=True)
class Person:
    id: str
    family_id: str
    details: PersonDetails
    updated_at: str = ""
    updated_by: str = ""


@dataclass(frozen=True)
class Child:
    id: str
    family_id: str
    details: ChildDetails
    updated_at: str = ""
    updated_by: str = ""


@dataclass(frozen=True)
class Family:
    id: str
    family_name: str
    notes: str = ""
    people: tuple[Person, ...] = ()
    children: tuple[Child, ...] = ()


@dataclass(frozen=True)
class CaseDetails:
    adviser: str
    opened_on: date
    issues: frozenset[CaseIssue] = frozenset()
    child_ids: frozenset[str] = frozenset()
    summary: str = ""
    level: SupportLevel | None = None
    """The level of support now (None: not recorded); its changes are kept with their dates."""
    service_user: ServiceUser | None = None
    heard_from: HeardFrom | None = None


@dataclass(frozen=True)
class Case:
    id: str
    reference: str
    family_id: str
    details: CaseDetails
    state: CaseState = CaseState.OPEN
    closed_on: date | None = None
    closing_note: str = ""
    updated_at: str = ""
    updated_by: str = ""
    inactive: bool = False
    """An open case waiting on the family."""
    outcome: str | None = None
    """The outcome chosen on closing (None: not recorded)."""


@dataclass(frozen=True)
class EntryDetails:
    kind: EntryKind
    entry_date: date
    author: str
    body: str
    minutes: int | None = None
    """Time spent (None: not recorded)."""
    contact: ContactWay | None = None
    """How the contact happened (None: not a contact, such as a note)."""


def minutes_text(minutes: int) -> str:
    """25 -> "25 min", 90 -> "1 h 30 min", 120 -> "2 h"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")


def contact_text(entry: EntryDetails) -> str:
    """How the contact happened and the time it took, as the timeline shows it ("Phone,
    25 min"); empty for a note with neither."""
    parts = [entry.contact.label] if entry.contact is not None else []
    if entry.minutes is not None:
        parts.append(minutes_text(entry.minutes))
    return ", ".join(parts)


@dataclass(frozen=True)
class TimelineEntry:
    id: str
    case_id: str
    details: EntryDetails
    version: int = 1
    created_at: str = ""
    updated_at: str = ""
    updated_by: str = ""


@dataclass(frozen=True)
class EntryVersion:
    """One saved wording of a timeline entry; edits add versions, never replace them."""

    entry_id: str
    version: int
    details: EntryDetails
    saved_at: str
    saved_by: str


@dataclass(frozen=True)
class TaskDetails:
    title: str
    due_on: date | None = None


@dataclass(frozen=True)
class Task:
    id: str
    case_id: str
    details: TaskDetails
    done_on: date | None = None

    @property
    def done(self) -> bool:
        return self.done_on is not None


@dataclass(frozen=True)
class CaseSummary:
    """One row of the case list."""

    id: str
    reference: str
    family_name: str
    children: str
    adviser: str
    state: CaseState
    opened_on: date
    statuses: frozenset[ChildStatus] = field(default_factory=frozenset)
    areas: frozenset[AreaOfNeed] = field(default_factory=frozenset)
    next_task_due: date | None = None
    updated_at: str = ""
    inactive: bool = False
    """Open but waiting on the family (its latest status change)."""
