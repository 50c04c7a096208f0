"""SEN support's graduated approach as plain values: assess-plan-do-review cycles, parent
meetings and the stage a cycle has reached (CFA 2014 ss.66-69; CoP 6.44-6.65)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from adviser_app.domain.vocab import AreaOfNeed


class Stage(StrEnum):
    ASSESS = "assess"
    PLAN = "plan"
    DO = "do"
    REVIEW = "review"

    @property
    def label(self) -> str:
        return self.value.title()


CYCLE = (Stage.ASSESS, Stage.PLAN, Stage.DO, Stage.REVIEW)


class EvidenceKind(StrEnum):
    """What the assessment drew on (CoP 6.45)."""

    TEACHER_ASSESSMENT = "teacher_assessment"
    DATA = "data"
    PARENT_VIEWS = "parent_views"
    PUPIL_VIEWS = "pupil_views"
    SPECIALIST_REPORT = "specialist_report"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _EVIDENCE_LABELS[self]


_EVIDENCE_LABELS = {
    EvidenceKind.TEACHER_ASSESSMENT: "Teacher assessment or observation",
    EvidenceKind.DATA: "Attainment or progress data",
    EvidenceKind.PARENT_VIEWS: "Parents' views",
    EvidenceKind.PUPIL_VIEWS: "Pupil's views",
    EvidenceKind.SPECIALIST_REPORT: "Specialist report or advice",
    EvidenceKind.OTHER: "Other",
}


class Progress(StrEnum):
    """Progress against one outcome, as the review found it."""

    GOOD = "good"
    SOME = "some"
    LITTLE = "little"

    @property
    def label(self) -> str:
        return {"good": "Met, or good progress", "some": "Some progress (partly met)",
                "little": "Little or no progress"}[self.value]


class NextStep(StrEnum):
    """What the review decided (CoP 6.52-6.62)."""

    CONTINUE = "continue"
    ADJUST = "adjust"
    SPECIALIST = "specialist"
    EHC_REQUEST = "ehc_request"

    @property
    def label(self) -> str:
        return {"continue": "Continue the support as it is", "adjust": "Adjust the support",
                "specialist": "Involve a specialist",
                "ehc_request": "Request an EHC needs assessment"}[self.value]


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence behind the assessment, with who gave it and when."""

    kind: EvidenceKind
    description: str
    author: str
    given_on: date | None = None


@dataclass(frozen=True)
class Outcome:
    """An outcome agreed in the plan, with the progress the review found (None: not yet)."""

    description: str
    progress: Progress | None = None
    progress_note: str = ""


@dataclass(frozen=True)
class Support:
    """Support planned or delivered: what, who gives it, how often, from when."""

    what: str
    who: str = ""
    how_often: str = ""
    starts_on: date | None = None


@dataclass(frozen=True)
class CycleDetails:
    """One assess-plan-do-review cycle for one child; later stages may still be empty."""

    child_id: str
    # assess (CoP 6.45)
    assessed_on: date | None = None
    assessed_by: str = ""
    senco_involved: bool = False
    evidence: tuple[Evidence, ...] = ()
    areas: frozenset[AreaOfNeed] = frozenset()
    # plan (CoP 6.48; CFA 2014 s.68)
    planned_on: date | None = None
    parents_told_on: date | None = None
    agreed_with_parents: bool = False
    outcomes: tuple[Outcome, ...] = ()
    support: tuple[Support, ...] = ()
    review_due: date | None = None
    on_passport: bool = False
    on_provision_map: bool = False
    # do (CoP 6.50-6.51)
    provision: tuple[Support, ...] = ()
    senco_support: str = ""
    # review (CoP 6.52-6.54)
    reviewed_on: date | None = None
    parent_views: str = ""
    pupil_views: str = ""
    next_step: NextStep | None = None
    review_notes: str = ""

    @property
    def starts_on(self) -> date | None:
        """When the cycle began: the assessment, or the plan if no assessment is recorded."""
        return self.assessed_on or self.planned_on

    @property
    def has_plan(self) -> bool:
        return bool(self.planned_on or self.outcomes or self.support)

    @property
    def has_do(self) -> bool:
        return bool(self.provision or self.senco_support)

    @property
    def specialist_evidence(self) -> tuple[Evidence, ...]:
        return tuple(e for e in self.evidence if e.kind is EvidenceKind.SPECIALIST_REPORT)


@dataclass(frozen=True)
class Cycle:
    id: str
    number: int  # 1, 2, ... in date order for the child
    details: CycleDetails
    updated_at: str = ""
    updated_by: str = ""


def stage_of(details: CycleDetails) -> Stage:
    """The furthest stage the cycle has reached."""
    if details.reviewed_on:
        return Stage.REVIEW
    if details.has_do:
        return Stage.DO
    if details.has_plan:
        return Stage.PLAN
    return Stage.ASSESS


def number_cycles(found: list[tuple[str, CycleDetails, str, str]]) -> list[Cycle]:
    """Cycles numbered 1, 2, ... by start date (rows as (id, details, updated_at, by))."""
    ordered = sorted(found, key=lambda r: (r[1].starts_on or date.max, r[2], r[0]))
    return [Cycle(i, n, d, at, by) for n, (i, d, at, by) in enumerate(ordered, start=1)]


@dataclass(frozen=True)
class MeetingDetails:
    """A meeting with the parents about SEN support (CoP 6.65)."""

    child_id: str
    met_on: date
    led_by: str = ""
    senco_present: bool = False
    notes: str = ""


@dataclass(frozen=True)
class Meeting:
    id: str
    details: MeetingDetails
    updated_at: str = ""
