"""The pupil passport (one-page profile): a non-statutory summary of the pupil in their own and
their parents' words, with targets whose status is tracked across reviews (send-rules 6.8)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from adviser_app.domain.validation import MAX_NOTE, Checker, Problem, format_date
from adviser_app.domain.vocab import AreaOfNeed


class TargetStatus(StrEnum):
    WORKING = "working_towards"
    PARTLY = "partly_met"
    MET = "met"
    NOT_MET = "not_met"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return {"working_towards": "Working towards", "partly_met": "Partly met",
                "met": "Met", "not_met": "Not met", "dropped": "No longer a target"}[self.value]


# (attribute, heading) in the order a passport is read
TEXT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("strengths", "About me: strengths and interests"),
    ("what_helps", "What helps me"),
    ("what_doesnt", "What doesn't help"),
    ("communication", "How I communicate and how to talk with me"),
    ("sensory_medical", "Sensory and medical notes"),
    ("triggers", "Triggers and what calms me"),
    ("key_adults", "Key adults"),
    ("own_words", "In my own words"),
    ("parent_input", "From my parents"),
)
NEEDS_FIELDS: tuple[tuple[str, AreaOfNeed], ...] = (
    ("needs_communication", AreaOfNeed.COMMUNICATION),
    ("needs_cognition", AreaOfNeed.COGNITION),
    ("needs_semh", AreaOfNeed.SEMH),
    ("needs_sensory", AreaOfNeed.SENSORY_PHYSICAL),
)


@dataclass(frozen=True)
class PassportDetails:
    made_on: date | None = None
    review_on: date | None = None
    strengths: str = ""
    needs_communication: str = ""
    needs_cognition: str = ""
    needs_semh: str = ""
    needs_sensory: str = ""
    what_helps: str = ""
    what_doesnt: str = ""
    communication: str = ""
    sensory_medical: str = ""
    triggers: str = ""
    key_adults: str = ""
    own_words: str = ""
    parent_input: str = ""
    consent_to_share: bool = False

    def needs_by_area(self) -> list[tuple[AreaOfNeed, str]]:
        """Needs written down, by broad area (areas left empty are left out)."""
        return [(area, getattr(self, name)) for name, area in NEEDS_FIELDS
                if getattr(self, name)]


@dataclass(frozen=True)
class TargetCheck:
    """A target's status at one review."""

    checked_on: date
    status: TargetStatus
    note: str = ""


@dataclass(frozen=True)
class Target:
    id: str
    description: str
    set_on: date | None = None
    checks: tuple[TargetCheck, ...] = ()

    @property
    def status(self) -> TargetStatus:
        return self.checks[-1].status if self.checks else TargetStatus.WORKING

    @property
    def history(self) -> str:
        """e.g. "27/03/2026 Working towards; 10/07/2026 Partly met"."""
        return "; ".join(f"{format_date(c.checked_on)} {c.status.label}" for c in self.checks)


def passport_from_form(*, made_on: str = "", review_on: str = "", texts: dict[str, str],
                       consent_to_share: bool = False, today: date
                       ) -> tuple[PassportDetails | None, list[Problem]]:
    """*texts* maps each text attribute (TEXT_SECTIONS and NEEDS_FIELDS) to what was typed."""
    c = Checker()
    made = c.date("made_on", "Date of the passport", made_on, not_after=today)
    review = c.date("review_on", "Review date", review_on)
    if made and review and review <= made:
        c.fail("review_on", f"The review date must be after the passport's date "
                            f"({format_date(made)}).")
    labels = dict(TEXT_SECTIONS) | {name: area.label for name, area in NEEDS_FIELDS}
    unknown = set(texts) - set(labels)
    if unknown:
        raise ValueError(f"not passport fields: {sorted(unknown)}")
    cleaned = {name: c.text(name, label, texts.get(name, ""), multiline=True, max_len=MAX_NOTE)
               for name, label in labels.items()}
    details = PassportDetails(made_on=made, review_on=review,
                              consent_to_share=consent_to_share, **cleaned)
    return (details if c.ok else None), c.problems


@dataclass(frozen=True)
class TargetRow:
    """A target as typed in the passport editor; *target_id* is None for a new one."""

    target_id: str | None
    description: str
    set_on: str = ""


def targets_from_form(rows: Sequence[TargetRow], today: date
                      ) -> tuple[list[tuple[str | None, str, date | None]], list[Problem]]:
    """(id or None, description, date set) for each non-blank row."""
    c = Checker()
    out = []
    for n, row in enumerate(rows, start=1):
        if not row.description.strip() and not row.set_on.strip():
            continue
        out.append((row.target_id,
                    c.text("targets", f"Target {n}", row.description, required=True,
                           max_len=1000),
                    c.date("targets", f"Target {n}: date set", row.set_on, not_after=today)))
    return (out if c.ok else []), c.problems


def target_review_from_form(*, checked_on: str, statuses: Iterable[tuple[Target,
                                                                         TargetStatus | None,
                                                                         str]],
                            today: date) -> tuple[list[tuple[str, TargetCheck]], list[Problem]]:
    """The status of each target at a review; targets left without a status are skipped."""
    c = Checker()
    when = c.date("checked_on", "Date of the review", checked_on, required=True,
                  not_after=today)
    out = []
    for target, status, note in statuses:
        text = c.text("statuses", "Note", note, max_len=1000)
        if status is None:
            continue
        if when and target.set_on and when < target.set_on:
            c.fail("checked_on", f"\u201c{target.description}\u201d was only set on "
                                 f"{format_date(target.set_on)}, after this review date.")
        if when and target.checks and when < target.checks[-1].checked_on:
            c.fail("checked_on", f"\u201c{target.description}\u201d already has a later "
                                 f"review ({format_date(target.checks[-1].checked_on)}).")
        out.append((target.id, TargetCheck(when or today, status, text)))
    if c.ok and not out:
        c.fail("statuses", "Choose a status for at least one target.")
    return (out if c.ok else []), c.problems
