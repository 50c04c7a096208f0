"""Turning the cycle, meeting and checklist forms into records, or plain-English problems;
the stage-order rules (assess, then plan, then do, then review) live here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from adviser_app.domain.graduated.cycles import (
    CycleDetails, Evidence, EvidenceKind, MeetingDetails,
                                          NextStep, Outcome, Progress, Support)
from adviser_app.domain.graduated.expectations import BY_KEY, CheckMark, CheckStatus
from adviser_app.domain.validation import MAX_NOTE, Checker, Problem, format_date
from adviser_app.domain.vocab import AreaOfNeed


@dataclass(frozen=True)
class EvidenceRow:
    kind: EvidenceKind | None
    description: str = ""
    author: str = ""
    given_on: str = ""


@dataclass(frozen=True)
class OutcomeRow:
    description: str
    progress: Progress | None = None
    note: str = ""


@dataclass(frozen=True)
class SupportRow:
    what: str
    who: str = ""
    how_often: str = ""
    starts_on: str = ""


@dataclass(frozen=True)
class CycleForm:
    """What the cycle dialog (or a training file) holds, as typed."""

    child_id: str
    assessed_on: str = ""
    assessed_by: str = ""
    senco_involved: bool = False
    evidence: tuple[EvidenceRow, ...] = ()
    areas: frozenset[AreaOfNeed] = frozenset()
    planned_on: str = ""
    parents_told_on: str = ""
    agreed_with_parents: bool = False
    outcomes: tuple[OutcomeRow, ...] = ()
    support: tuple[SupportRow, ...] = ()
    review_due: str = ""
    on_passport: bool = False
    on_provision_map: bool = False
    provision: tuple[SupportRow, ...] = ()
    senco_support: str = ""
    reviewed_on: str = ""
    parent_views: str = ""
    pupil_views: str = ""
    next_step: NextStep | None = None
    review_notes: str = ""


def _blank(*values: object) -> bool:
    return all(not (v.strip() if isinstance(v, str) else v) for v in values)


def _evidence(c: Checker, rows: tuple[EvidenceRow, ...], today: date) -> tuple[Evidence, ...]:
    out = []
    for n, row in enumerate(rows, start=1):
        if _blank(row.description, row.author, row.given_on):
            continue
        where = f"Evidence row {n}"
        description = c.text("evidence", f"{where}: what it is", row.description, required=True)
        author = c.name("evidence", f"{where}: who it is from", row.author)
        given_on = c.date("evidence", f"{where}: date", row.given_on, required=True,
                          not_after=today)
        if row.kind is None:
            c.fail("evidence", f"{where}: choose what kind of evidence it is.")
        out.append(Evidence(row.kind or EvidenceKind.OTHER, description, author, given_on))
    return tuple(out)


def _outcomes(c: Checker, rows: tuple[OutcomeRow, ...]) -> tuple[Outcome, ...]:
    out = []
    for n, row in enumerate(rows, start=1):
        if _blank(row.description, row.progress, row.note):
            continue
        description = c.text("outcomes", f"Outcome {n}", row.description, required=True,
                             max_len=1000)
        note = c.text("outcomes", f"Outcome {n}: progress note", row.note, max_len=2000)
        out.append(Outcome(description, row.progress, note))
    return tuple(out)


def _support(c: Checker, field_name: str, label: str, rows: tuple[SupportRow, ...],
             not_after: date | None) -> tuple[Support, ...]:
    out = []
    for n, row in enumerate(rows, start=1):
        if _blank(row.what, row.who, row.how_often, row.starts_on):
            continue
        where = f"{label} row {n}"
        out.append(Support(
            what=c.text(field_name, f"{where}: what", row.what, required=True, max_len=1000),
            who=c.text(field_name, f"{where}: who gives it", row.who),
            how_often=c.text(field_name, f"{where}: how often", row.how_often),
            starts_on=c.date(field_name, f"{where}: from", row.starts_on,
                             not_after=not_after)))
    return tuple(out)


def cycle_from_form(form: CycleForm, today: date) -> tuple[CycleDetails | None, list[Problem]]:
    c = Checker()
    assessed = c.date("assessed_on", "Date of the assessment", form.assessed_on,
                      not_after=today)
    planned = c.date("planned_on", "Date of the plan", form.planned_on, not_after=today)
    told = c.date("parents_told_on", "Date parents were told", form.parents_told_on,
                  not_after=today)
    review_due = c.date("review_due", "Review date agreed", form.review_due)
    reviewed = c.date("reviewed_on", "Date of the review", form.reviewed_on, not_after=today)
    details = CycleDetails(
        child_id=form.child_id, assessed_on=assessed,
        assessed_by=c.text("assessed_by", "Who assessed", form.assessed_by),
        senco_involved=form.senco_involved, evidence=_evidence(c, form.evidence, today),
        areas=frozenset(AreaOfNeed(a) for a in form.areas), planned_on=planned,
        parents_told_on=told,
        agreed_with_parents=form.agreed_with_parents, outcomes=_outcomes(c, form.outcomes),
        support=_support(c, "support", "Support", form.support, None),
        review_due=review_due, on_passport=form.on_passport,
        on_provision_map=form.on_provision_map,
        provision=_support(c, "provision", "Provision", form.provision, today),
        senco_support=c.text("senco_support", "SENCO support to the teacher",
                             form.senco_support, multiline=True, max_len=5000),
        reviewed_on=reviewed,
        parent_views=c.text("parent_views", "Parents' views", form.parent_views,
                            multiline=True, max_len=MAX_NOTE),
        pupil_views=c.text("pupil_views", "Pupil's views", form.pupil_views, multiline=True,
                           max_len=MAX_NOTE),
        next_step=form.next_step,
        review_notes=c.text("review_notes", "Review notes", form.review_notes, multiline=True,
                            max_len=MAX_NOTE))
    for problem in stage_order_problems(details, form):
        c.fail(problem.field, problem.message)
    return (details if c.ok else None), c.problems


def stage_order_problems(d: CycleDetails, form: CycleForm | None = None) -> list[Problem]:
    """Assess, then plan, then do, then review: dates in that order, no later stage without
    the one it depends on."""
    out: list[Problem] = []
    typed_start = form is None or form.assessed_on.strip() or form.planned_on.strip()
    if d.starts_on is None and not typed_start:
        out.append(Problem("assessed_on", "Give the date of the assessment or of the plan, "
                                          "so the cycle can be put in order."))
    if d.assessed_on and d.planned_on and d.planned_on < d.assessed_on:
        out.append(Problem("planned_on", "The plan can't be before the assessment "
                                         f"({format_date(d.assessed_on)})."))
    if d.assessed_on and d.parents_told_on and d.parents_told_on < d.assessed_on:
        out.append(Problem("parents_told_on", "Parents can't have been told about SEN support "
                                              "before the assessment "
                                              f"({format_date(d.assessed_on)})."))
    if d.planned_on and d.review_due and d.review_due <= d.planned_on:
        out.append(Problem("review_due", "The review date must be after the plan "
                                         f"({format_date(d.planned_on)})."))
    if d.has_do and not d.has_plan:
        out.append(Problem("provision", "Support is delivered under a plan: fill in the plan "
                                        "first (at least its date or the support agreed)."))
    reviewed_things = (any(o.progress for o in d.outcomes) or d.parent_views or d.pupil_views
                       or d.next_step is not None or d.review_notes)
    if reviewed_things and d.reviewed_on is None and not (form and form.reviewed_on.strip()):
        out.append(Problem("reviewed_on", "Give the date of the review: progress, views and "
                                          "the next step are recorded at the review."))
    if d.reviewed_on and not d.planned_on and not (form and form.planned_on.strip()):
        out.append(Problem("planned_on", "A review looks at a plan: give the date of the plan "
                                         "it reviewed."))
    if d.reviewed_on and d.planned_on and d.reviewed_on < d.planned_on:
        out.append(Problem("reviewed_on", "The review can't be before the plan "
                                          f"({format_date(d.planned_on)})."))
    return out


def meeting_from_form(*, child_id: str, met_on: str, led_by: str = "",
                      senco_present: bool = False, notes: str = "", today: date
                      ) -> tuple[MeetingDetails | None, list[Problem]]:
    c = Checker()
    when = c.date("met_on", "Date of the meeting", met_on, required=True, not_after=today)
    details = MeetingDetails(
        child_id=child_id, met_on=when or today,
        led_by=c.text("led_by", "Led by", led_by),
        senco_present=senco_present,
        notes=c.text("notes", "Notes", notes, multiline=True, max_len=MAX_NOTE))
    return (details if c.ok else None), c.problems


def check_mark_from_form(*, key: str, status: CheckStatus | None, evidence: str
                         ) -> tuple[CheckMark | None, list[Problem]]:
    """An adviser's status for one expectation; None status means "use the records"."""
    c = Checker()
    if key not in BY_KEY:
        c.fail("status", "That is not one of the Code's expectations in the checklist.")
    text = c.text("evidence", "Evidence", evidence, multiline=True, max_len=5000)
    if status in (CheckStatus.MET, CheckStatus.NOT_MET) and not text:
        c.fail("evidence", "Say what the evidence is, e.g. \u201cletter to parents dated "
                           "05/02/2026\u201d.")
    if status is None or not c.ok:
        return None, c.problems
    return CheckMark(key, status, text), c.problems
