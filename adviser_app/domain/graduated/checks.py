"""What a child's cycles and parent meetings show for each of the Code's expectations, and
the gaps derived from them in plain English (CoP 6.44-6.65, CFA 2014 s.68)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from adviser_app.domain.graduated.cycles import Cycle, EvidenceKind, Meeting, NextStep, Progress
from adviser_app.domain.graduated.expectations import (BY_KEY, EXPECTATIONS, CheckMark,
                                                       ChecklistRow, CheckStatus, Finding, Gap,
                                                       join_words)
from adviser_app.domain.graduated.school_years import MEETINGS_EXPECTED, meetings_by_year
from adviser_app.domain.validation import format_date, plural


def little_progress(cycle: Cycle) -> bool:
    """None of the reviewed outcomes met, and at least half showed little or no progress."""
    rated = [o.progress for o in cycle.details.outcomes if o.progress]
    return bool(rated) and Progress.GOOD not in rated and \
        2 * rated.count(Progress.LITTLE) >= len(rated)


def review_missing(cycle: Cycle) -> list[str]:
    """What a recorded review leaves out of what it must contain (CoP 6.52-6.54)."""
    d = cycle.details
    missing = []
    unrated = sum(1 for o in d.outcomes if o.progress is None)
    if unrated:
        missing.append(f"progress on {unrated} of {plural(len(d.outcomes), 'outcome')}")
    if not d.parent_views:
        missing.append("the parents' views")
    if not d.pupil_views:
        missing.append("the pupil's views")
    if d.next_step is None:
        missing.append("a next step")
    return missing


def _finding(applies: bool, gaps: list[str], evidence: list[str]) -> Finding:
    if gaps:
        return Finding(CheckStatus.NOT_MET, tuple(evidence), tuple(gaps))
    return Finding(CheckStatus.MET if applies else CheckStatus.NOT_KNOWN, tuple(evidence))


def _in_place(cycles: list[Cycle], meetings: list[Meeting], today: date) -> Finding:
    planned = [c for c in cycles if c.details.has_plan]
    return _finding(bool(planned), [], [
        f"Cycle {c.number}: plan dated {format_date(c.details.planned_on) or 'not known'}"
        for c in planned])


def _assessed(cycles: list[Cycle], meetings: list[Meeting], today: date) -> Finding:
    gaps, evidence = [], []
    for c in cycles:
        d, n = c.details, c.number
        if not d.assessed_on:
            gaps.append(f"Cycle {n}: no record of an assessment before the plan")
            continue
        evidence.append(f"Cycle {n}: assessed {format_date(d.assessed_on)}"
                        + (f" by {d.assessed_by}" if d.assessed_by else "")
                        + f"; {plural(len(d.evidence), 'piece')}"
                          " of evidence")
        if not d.senco_involved:
            gaps.append(f"Cycle {n}: no record that the SENCO was involved in the assessment")
        kinds = {e.kind for e in d.evidence}
        if not kinds & {EvidenceKind.TEACHER_ASSESSMENT, EvidenceKind.DATA}:
            gaps.append(f"Cycle {n}: the assessment records no teacher assessment or data")
    return _finding(bool(cycles), gaps, evidence)


def _views(cycles: list[Cycle], meetings: list[Meeting], today: date) -> Finding:
    gaps, evidence = [], []
    for c in cycles:
        if not c.details.assessed_on:
            continue
        kinds = {e.kind for e in c.details.evidence}
        lacking = [who for kind, who in ((EvidenceKind.PARENT_VIEWS, "the parents' views"),
                                         (EvidenceKind.PUPIL_VIEWS, "the pupil's views"))
                   if kind not in kinds]
        if len(lacking) == 2:
            gaps.append(f"Cycle {c.number}: the assessment includes neither the parents' "
                        "views nor the pupil's views")
        elif lacking:
            gaps.append(f"Cycle {c.number}: the assessment doesn't include {lacking[0]}")
        else:
            evidence.append(f"Cycle {c.number}: parents' and pupil's views recorded")
    return _finding(any(c.details.assessed_on for c in cycles), gaps, evidence)


def _parents_told(cycles: list[Cycle], meetings: list[Meeting], today: date) -> Finding:
    planned = [c for c in cycles if c.details.has_plan]
    told = [c for c in cycles if c.details.parents_told_on]
    if not planned:
        return Finding(CheckStatus.NOT_KNOWN)
    if not told:
        return Finding(CheckStatus.NOT_MET, (), (BY_KEY["parents_told"].gap,))
    return Finding(CheckStatus.MET, tuple(
        f"Cycle {c.number}: parents told {format_date(c.details.parents_told_on)}"
        for c in told))


def _plan_agreed(cycles: list[Cycle], meetings: list[Meeting], today: date) -> Finding:
    gaps, evidence = [], []
    for c in (c for c in cycles if c.details.has_plan):
        d = c.details
        lacking = [what for ok, what in ((d.outcomes, "agreed outcomes"),
                                         (d.support, "the support and who gives it"),
                                         (d.review_due, "a review date"),
                                         (d.agreed_with_parents,
                                          "that it was agreed with the parents"))
                   if not ok]
        when = f" ({format_date(d.planned_on)})" if d.planned_on else ""
        if lacking:
            gaps.append(f"Cycle {c.number}'s plan{when} doesn't record {join_words(lacking)}")
        else:
            evidence.append(f"Cycle {c.number}: plan{when} agreed with the parents")
    return _finding(any(c.details.has_plan for c in cycles), gaps, evidence)


def _delivered(cycles: list[Cycle], meetings: list[Meeting], today: date) -> Finding:
    gaps, evidence = [], []
    for c in (c for c in cycles if c.details.has_plan):
        d = c.details
        under_way = d.reviewed_on is not None or (d.review_due is not None
                                                  and d.review_due < today)
        if d.provision:
            evidence.append(f"Cycle {c.number}: {plural(len(d.provision), 'kind')} of "
                            "support delivered")
            if not d.senco_support:
                gaps.append(f"Cycle {c.number}: no record of the SENCO supporting the teacher")
        elif under_way:
            gaps.append(f"Cycle {c.number}: no record of the support actually delivered")
    return _finding(bool(evidence), gaps, evidence)


def _reviewed(cycles: list[Cycle], meetings: list[Meeting], today: date) -> Finding:
    gaps, evidence = [], []
    for c in (c for c in cycles if c.details.has_plan):
        d = c.details
        if d.reviewed_on:
            evidence.append(f"Cycle {c.number}: reviewed {format_date(d.reviewed_on)}"
                            + (f" (agreed date {format_date(d.review_due)})"
                               if d.review_due else ""))
        elif any(later.number > c.number for later in cycles):
            gaps.append(f"Cycle {c.number} was not reviewed before cycle {c.number + 1} began")
        elif d.review_due and d.review_due < today:
            gaps.append(f"Review date passed with no review (cycle {c.number}: due "
                        f"{format_date(d.review_due)})")
        elif d.review_due:
            evidence.append(f"Cycle {c.number}: review due {format_date(d.review_due)}")
    return _finding(any(c.details.reviewed_on for c in cycles), gaps, evidence)


def _review_content(cycles: list[Cycle], meetings: list[Meeting], today: date) -> Finding:
    gaps, evidence = [], []
    for c in (c for c in cycles if c.details.reviewed_on):
        missing = review_missing(c)
        when = format_date(c.details.reviewed_on)
        if missing:
            gaps.append(f"The review on {when} (cycle {c.number}) doesn't record "
                        f"{join_words(missing)}")
        else:
            evidence.append(f"Cycle {c.number}: review on {when} is complete")
    return _finding(any(c.details.reviewed_on for c in cycles), gaps, evidence)


def _specialists(cycles: list[Cycle], meetings: list[Meeting], today: date) -> Finding:
    reports = [(c, e) for c in cycles for e in c.details.specialist_evidence]
    evidence = [f"Cycle {c.number}: {e.description or e.kind.label}"
                + (f" ({e.author})" if e.author else "") for c, e in reports]
    gaps = []
    slow = [c for c in cycles if c.details.reviewed_on and little_progress(c)]
    if len(slow) >= 2 and not reports:
        count = {2: "Two", 3: "Three"}.get(len(slow), str(len(slow)))
        gaps.append(f"{count} cycles with little progress and no specialist involved "
                    f"(cycles {join_words([str(c.number) for c in slow])})")
    for c in cycles:
        d = c.details
        if d.next_step is not NextStep.SPECIALIST or d.reviewed_on is None:
            continue
        since = [e for later, e in reports if later.number > c.number
                 or (e.given_on is not None and e.given_on >= d.reviewed_on)]
        if not since:
            gaps.append(f"The review on {format_date(d.reviewed_on)} (cycle {c.number}) decided "
                        "to involve a specialist, but no specialist involvement is recorded "
                        "since")
    return _finding(bool(reports), gaps, evidence)


def _meetings(cycles: list[Cycle], meetings: list[Meeting], today: date) -> Finding:
    starts = [c.details.starts_on for c in cycles if c.details.starts_on]
    years = meetings_by_year(meetings, min(starts) if starts else None, today)
    gaps, evidence = [], []
    for year in years:
        evidence.append(f"{year.label}{'' if year.complete else ' so far'}: "
                        f"{plural(year.count, 'meeting')}")
        if not year.short_of_expectation:
            continue
        if not year.complete:
            gaps.append(f"Fewer than three parent meetings this school year ({year.count} so "
                        f"far in {year.label})")
        elif year.count == 0:
            gaps.append(f"No parent meetings recorded in school year {year.label} (the Code "
                        f"expects at least {MEETINGS_EXPECTED})")
        else:
            gaps.append(f"Only {plural(year.count, 'parent meeting')} in school year "
                        f"{year.label} (the Code expects at least {MEETINGS_EXPECTED})")
    return _finding(bool(years), gaps, evidence)


def _records(cycles: list[Cycle], meetings: list[Meeting], today: date) -> Finding:
    planned = [c for c in cycles if c.details.has_plan]
    if not planned:
        return Finding(CheckStatus.NOT_KNOWN)
    last = planned[-1]
    where = [name for flag, name in ((last.details.on_passport, "a pupil passport"),
                                     (last.details.on_provision_map, "a provision map"))
             if flag]
    if not where:
        return Finding(CheckStatus.NOT_MET, (), (
            f"Cycle {last.number}'s support isn't recorded on a pupil passport or provision "
            "map (good practice, not a legal duty)",))
    return Finding(CheckStatus.MET, (f"Cycle {last.number}: on {join_words(where)}",))


def _not_derived(cycles: list[Cycle], meetings: list[Meeting], today: date) -> Finding:
    return Finding(CheckStatus.NOT_KNOWN, ("The records here can't show this: ask the "
                                           "parents and look at what the school sent.",))


_RULES: dict[str, Callable[[list[Cycle], list[Meeting], date], Finding]] = {
    "in_place": _in_place, "assessed": _assessed, "views": _views,
    "parents_told": _parents_told, "plan_agreed": _plan_agreed, "delivered": _delivered,
    "reviewed": _reviewed, "review_content": _review_content, "specialists": _specialists,
    "concerns": _not_derived, "reports": _not_derived, "meetings": _meetings,
    "records": _records,
}


def checklist(cycles: Iterable[Cycle], meetings: Iterable[Meeting],
              marks: Iterable[CheckMark], today: date) -> list[ChecklistRow]:
    """Every expectation, with what the records show and the adviser's own mark if any."""
    ordered = sorted(cycles, key=lambda c: c.number)
    met = list(meetings)
    by_key = {m.key: m for m in marks}
    return [ChecklistRow(e, _RULES[e.key](ordered, met, today), by_key.get(e.key))
            for e in EXPECTATIONS]


def gaps(rows: Iterable[ChecklistRow]) -> list[Gap]:
    """The gaps, in checklist order."""
    return [gap for row in rows for gap in row.gaps]
