"""The Code's expectations of SEN support (CoP 6.44-6.65, CFA 2014 s.68) as checklist items,
an adviser's own marks on them, and the row that combines a mark with what the records show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class CheckStatus(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_KNOWN = "not_known"

    @property
    def label(self) -> str:
        return {"met": "Met", "not_met": "Not met", "not_known": "Not known"}[self.value]


@dataclass(frozen=True)
class Expectation:
    """One thing the Code expects of a school; *confidence* is send-rules.md's mark."""

    key: str
    title: str
    gap: str  # the plain-English gap when an adviser marks it not met
    source: str
    confidence: str
    derived: bool = True  # False: the records here can't show it, only the adviser can


EXPECTATIONS: tuple[Expectation, ...] = (
    Expectation("in_place", "SEN support is put in place to remove barriers to learning",
                "No SEN support plan in place", "CoP 6.44", "C"),
    Expectation("assessed", "Needs assessed by the class or subject teacher with the SENCO, "
                "using teacher assessment and data", "Needs not properly assessed",
                "CoP 6.45", "C2"),
    Expectation("views", "Parents' and pupil's views are part of the assessment",
                "Parents' and pupil's views not sought", "CoP 6.45", "C2"),
    Expectation("parents_told", "Parents formally told that SEN support is being provided",
                "No record that parents were told SEN support started",
                "CFA 2014 s.68; CoP 6.48", "C"),
    Expectation("plan_agreed", "Outcomes, support and a review date agreed with the parents "
                "and pupil", "Plan not agreed with the parents", "CoP 6.48", "C2"),
    Expectation("delivered", "Support delivered as planned, the teacher responsible day to "
                "day with the SENCO's support", "Support not delivered as planned",
                "CoP 6.50\u20136.51", "M"),
    Expectation("reviewed", "Support reviewed on the agreed date",
                "Review date passed with no review", "CoP 6.52\u20136.54", "C2/M"),
    Expectation("review_content", "Each review looks at progress on every outcome, with the "
                "parents' and pupil's views, and decides the next step",
                "Reviews incomplete", "CoP 6.52\u20136.54", "C2/M"),
    Expectation("specialists", "Specialists involved when there is little progress despite "
                "support", "No specialist involved despite little progress",
                "CoP 6.58\u20136.62", "M"),
    Expectation("concerns", "Parents' concerns taken seriously",
                "Parents' concerns not taken seriously", "CoP 6.46", "C2", derived=False),
    Expectation("reports", "Regular reports to parents on progress",
                "No regular reports to parents", "CoP 6.64", "C2", derived=False),
    Expectation("meetings", "Meets the parents at least three times a year",
                "Fewer than three parent meetings a year", "CoP 6.65", "C2"),
    Expectation("records", "Support recorded on a pupil passport or provision map (good "
                "practice, not a legal duty)", "Support not recorded on a passport or "
                "provision map", "CoP 6.72\u20136.76", "M"),
)
BY_KEY = {e.key: e for e in EXPECTATIONS}


@dataclass(frozen=True)
class CheckMark:
    """An adviser's own status for an expectation, with the evidence behind it."""

    key: str
    status: CheckStatus
    evidence: str = ""
    updated_at: str = ""
    updated_by: str = ""


@dataclass(frozen=True)
class Finding:
    """What the cycles and meetings show for one expectation."""

    status: CheckStatus
    evidence: tuple[str, ...] = ()
    gaps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Gap:
    key: str
    text: str
    source: str


@dataclass(frozen=True)
class ChecklistRow:
    expectation: Expectation
    found: Finding
    mark: CheckMark | None = None

    @property
    def status(self) -> CheckStatus:
        return self.mark.status if self.mark else self.found.status

    @property
    def evidence(self) -> tuple[str, ...]:
        mine = (f"Adviser: {self.mark.evidence}",) if self.mark and self.mark.evidence else ()
        return mine + self.found.evidence

    @property
    def gaps(self) -> tuple[Gap, ...]:
        if self.status is not CheckStatus.NOT_MET:
            return ()
        e = self.expectation
        if self.found.gaps:
            return tuple(Gap(e.key, text, e.source) for text in self.found.gaps)
        note = f" ({self.mark.evidence.rstrip('.')})" if self.mark and self.mark.evidence \
            else ""
        return (Gap(e.key, e.gap + note, e.source),)


def join_words(items: Sequence[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
