"""The content of the graduated-approach summary and the pupil passport as structured values
(headings and lines), ready for a screen or a PDF layer to lay out; no layout here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from adviser_app.domain.graduated.cycles import Cycle, Meeting, Stage, Support, stage_of
from adviser_app.domain.graduated.checks import checklist, gaps
from adviser_app.domain.graduated.expectations import ChecklistRow, CheckMark, CheckStatus, Gap
from adviser_app.domain.graduated.passport import (NEEDS_FIELDS, TEXT_SECTIONS, PassportDetails,
                                                   Target)
from adviser_app.domain.graduated.school_years import MEETINGS_EXPECTED, meetings_by_year
from adviser_app.domain.records import ChildDetails
from adviser_app.domain.validation import format_date


@dataclass(frozen=True)
class Section:
    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class EvidenceLine:
    """One entry of the evidence list for an EHC needs assessment request."""

    given_on: date | None
    description: str
    kind: str
    author: str
    cycle: int


@dataclass(frozen=True)
class CheckLine:
    expectation: str
    source: str
    confidence: str
    status: CheckStatus
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class GraduatedSummary:
    child_name: str
    date_of_birth: date
    school: str
    prepared_on: date
    position: str
    cycles: tuple[tuple[str, tuple[Section, ...]], ...]  # (title, sections) per cycle
    evidence: tuple[EvidenceLine, ...]
    meetings: tuple[str, ...]
    checks: tuple[CheckLine, ...]
    gaps: tuple[Gap, ...]
    passport: tuple[Section, ...]


def _support_line(s: Support) -> str:
    bits = [s.what] + [x for x in (s.who, s.how_often) if x]
    return ", ".join(bits) + (f" (from {format_date(s.starts_on)})" if s.starts_on else "")


def cycle_title(cycle: Cycle) -> str:
    d = cycle.details
    end = f" to {format_date(d.reviewed_on)}" if d.reviewed_on else ""
    return f"Cycle {cycle.number}: {format_date(d.starts_on) or 'date not known'}{end}"


def stage_text(cycle: Cycle) -> str:
    """Where a cycle is now, e.g. "Do (review due 15/01/2027)"."""
    d, stage = cycle.details, stage_of(cycle.details)
    if stage is Stage.REVIEW:
        step = f"; next: {d.next_step.label.lower()}" if d.next_step else ""
        return f"Reviewed {format_date(d.reviewed_on)}{step}"
    due = f" (review due {format_date(d.review_due)})" if d.review_due else ""
    return stage.label + (due if stage is not Stage.ASSESS else "")


def current_position(cycles: Sequence[Cycle]) -> str:
    if not cycles:
        return "No SEN support cycles recorded yet."
    last = max(cycles, key=lambda c: c.number)
    return f"Cycle {last.number} of {len(cycles)}: {stage_text(last)}"


def cycle_sections(cycle: Cycle) -> tuple[Section, ...]:
    d = cycle.details
    if d.assessed_on is None and not d.evidence:
        assess = ["No assessment recorded for this cycle"]
    else:
        assess = [f"Assessed {format_date(d.assessed_on) or '(date not recorded)'}"
                  + (f" by {d.assessed_by}" if d.assessed_by else "")
                  + ("; SENCO involved" if d.senco_involved else "; no record of the SENCO")]
    if d.areas:
        assess.append("Areas of need: " + "; ".join(a.label for a in sorted(d.areas)))
    assess += [f"Evidence: {e.kind.label}: {e.description} ({e.author}, "
               f"{format_date(e.given_on)})" for e in d.evidence]
    plan = [f"Plan dated {format_date(d.planned_on) or '(not recorded)'}",
            "Parents told SEN support is being provided: "
            + (format_date(d.parents_told_on) or "no record"),
            "Agreed with the parents" if d.agreed_with_parents
            else "No record it was agreed with the parents"]
    plan += [f"Outcome: {o.description}" for o in d.outcomes]
    plan += [f"Support: {_support_line(s)}" for s in d.support]
    plan.append(f"Review date agreed: {format_date(d.review_due) or 'none'}")
    recorded = [n for flag, n in ((d.on_passport, "pupil passport"),
                                  (d.on_provision_map, "provision map")) if flag]
    plan.append("Recorded on: " + (" and ".join(recorded) if recorded else "neither a pupil "
                                   "passport nor a provision map"))
    do = [f"Delivered: {_support_line(s)}" for s in d.provision]
    do.append(f"SENCO support to the teacher: {d.senco_support or 'not recorded'}")
    review = []
    if d.reviewed_on:
        review.append(f"Reviewed {format_date(d.reviewed_on)}")
        review += [f"Progress on \u201c{o.description}\u201d: "
                   + (o.progress.label if o.progress else "not recorded")
                   + (f" ({o.progress_note})" if o.progress_note else "") for o in d.outcomes]
        review.append(f"Parents' views: {d.parent_views or 'not recorded'}")
        review.append(f"Pupil's views: {d.pupil_views or 'not recorded'}")
        review.append(f"Next step: {d.next_step.label if d.next_step else 'not recorded'}")
        if d.review_notes:
            review.append(f"Notes: {d.review_notes}")
    else:
        review.append("Not reviewed yet" + (f"; due {format_date(d.review_due)}"
                                            if d.review_due else ""))
    return (Section("Assess", tuple(assess)), Section("Plan", tuple(plan)),
            Section("Do", tuple(do)), Section("Review", tuple(review)))


def passport_sections(passport: PassportDetails | None,
                      targets: Iterable[Target] = ()) -> tuple[Section, ...]:
    """The passport's headings and text, in reading order; empty headings left out."""
    if passport is None:
        return ()
    out = [Section("Passport", (f"Dated {format_date(passport.made_on) or '(no date)'}; "
                                f"review {format_date(passport.review_on) or '(no date)'}",
                                "Consent to share: " + ("yes" if passport.consent_to_share
                                                        else "not given")))]
    texts = dict(TEXT_SECTIONS)
    order = ["strengths"] + [name for name, _ in NEEDS_FIELDS] + [
        name for name, _ in TEXT_SECTIONS if name != "strengths"]
    areas = dict(NEEDS_FIELDS)
    for name in order:
        value = getattr(passport, name)
        if value:
            heading = texts.get(name) or f"My needs: {areas[name].label.lower()}"
            out.append(Section(heading, tuple(value.splitlines())))
    target_lines = tuple(f"{t.description}: {t.status.label}"
                         + (f" (set {format_date(t.set_on)})" if t.set_on else "")
                         + (f"; reviews: {t.history}" if t.checks else "") for t in targets)
    if target_lines:
        out.append(Section("My targets", target_lines))
    return tuple(out)


def _check_line(row: ChecklistRow) -> CheckLine:
    e = row.expectation
    return CheckLine(e.title, e.source, e.confidence, row.status, row.evidence)


def graduated_summary(child: ChildDetails, cycles: Sequence[Cycle], meetings: Sequence[Meeting],
                      marks: Iterable[CheckMark], passport: PassportDetails | None,
                      targets: Iterable[Target], today: date) -> GraduatedSummary:
    """Everything an EHC needs assessment request wants from the graduated approach."""
    ordered = sorted(cycles, key=lambda c: c.number)
    rows = checklist(ordered, meetings, marks, today)
    starts = [c.details.starts_on for c in ordered if c.details.starts_on]
    years = meetings_by_year(meetings, min(starts) if starts else None, today)
    evidence = sorted((EvidenceLine(e.given_on, e.description, e.kind.label, e.author,
                                    c.number) for c in ordered for e in c.details.evidence),
                      key=lambda e: (e.given_on or date.min, e.cycle))
    return GraduatedSummary(
        child_name=child.full_name, date_of_birth=child.date_of_birth, school=child.school,
        prepared_on=today, position=current_position(ordered),
        cycles=tuple((cycle_title(c), cycle_sections(c)) for c in ordered),
        evidence=tuple(evidence),
        meetings=tuple(f"{y.label}{'' if y.complete else ' (so far)'}: {y.count} of the "
                       f"{MEETINGS_EXPECTED} expected" for y in years),
        checks=tuple(_check_line(r) for r in rows), gaps=tuple(gaps(rows)),
        passport=passport_sections(passport, targets))
