"""The service's activity report: every figure for a period (and its quarters), each with the
cases behind it. Pure: the facts and the period come in, nothing is read from the clock.

How each figure is counted is written in the section notes, which the report shows."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from adviser_app.domain.children import age_on
from adviser_app.domain.rules_mediation import AgreedAction
from adviser_app.domain.figures_facts import (CaseFacts, Period, is_financial_year, quarters)
from adviser_app.domain.vocab import (AreaOfNeed, CaseIssue, ContactWay, EvaluationAnswer,
                                      HeardFrom, ServiceUser, SupportLevel)

NOT_RECORDED = "Not recorded"
PROGRESS_EVERY = 200  # cases between calls of the progress callback
SMALL = "fewer than 5"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    values: tuple[int, ...]
    """One value per column of the report."""
    cases: tuple[frozenset[str], ...]
    """The ids of the cases behind each value."""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    note: str
    figures: tuple[Figure, ...]
    minutes: bool = False
    """The values are minutes of time, not counts (never suppressed)."""


@dataclass(frozen=True)
class Report:
    period: Period
    columns: tuple[Period, ...]
    sections: tuple[Section, ...]
    training: bool = False

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def figure(self, key: str) -> Figure:
        return next(f for s in self.sections for f in s.figures if f.key == key)


def shown(value: int, *, suppress: bool, minutes: bool = False) -> str:
    """A figure as shown: counts of 1 to 4 as "fewer than 5" when *suppress* is on, so no
    family can be recognised in a small group; minutes as hours and minutes."""
    if minutes:
        return f"{value // 60}:{value % 60:02d}"
    if suppress and 1 <= value <= 4:
        return SMALL
    return str(value)


AGE_GROUPS = ((0, 4, "0-4"), (5, 10, "5-10"), (11, 15, "11-15"), (16, 18, "16-18"),
              (19, 25, "19-25"))


def age_group(age: int) -> str:
    for low, high, label in AGE_GROUPS:
        if low <= age <= high:
            return label
    return "26 or over" if age > 25 else "0-4"


def school_phase(year_group: str) -> str:
    """The phase of the year group recorded on the child (the child form's choices)."""
    text = year_group.strip().lower()
    if not text:
        return NOT_RECORDED
    if text in ("not yet at school", "nursery"):
        return "Early years"
    if text == "reception":
        return "Primary"
    if text.startswith("year ") and text[5:].isdigit():
        n = int(text[5:])
        return "Primary" if n <= 6 else "Secondary" if n <= 11 else "Post-16"
    if text in ("further education", "apprenticeship"):
        return "Post-16"
    if text == "not in education":
        return "Not in education"
    return "Other"


PHASES = ("Early years", "Primary", "Secondary", "Post-16", "Not in education", "Other",
          NOT_RECORDED)
ORDER_LABELS = {a.value: a.label for a in AgreedAction if a is not AgreedAction.NOT_APPEALABLE}
MEDIATION_OUTCOMES = {"agreement": "Mediation ended in agreement",
                      "no_agreement": "Mediation ended without agreement",
                      "la_cannot_arrange": "The LA could not arrange mediation"}

# (key, label) rows of one section, and for one case and column what the case adds where.
_Rows = list[tuple[str, str]]
_Tally = dict[str, tuple[list[int], list[set[str]]]]


class _Counter:
    """Counts (or sums) per row and column, with the cases behind each."""

    def __init__(self, rows: _Rows, columns: int) -> None:
        self.rows = list(rows)
        self.tally: _Tally = {k: ([0] * columns, [set() for _ in range(columns)])
                              for k, _ in rows}
        self.columns = columns

    def add(self, key: str, label: str, column: int, case_id: str, amount: int = 1) -> None:
        if key not in self.tally:
            self.rows.append((key, label))
            self.tally[key] = ([0] * self.columns, [set() for _ in range(self.columns)])
        values, cases = self.tally[key]
        values[column] += amount
        cases[column].add(case_id)

    def figures(self, prefix: str, keep_empty: bool = True) -> tuple[Figure, ...]:
        out = []
        for key, label in self.rows:
            values, cases = self.tally[key]
            if keep_empty or any(values):
                out.append(Figure(f"{prefix}.{key}", label, tuple(values),
                                  tuple(frozenset(c) for c in cases)))
        return tuple(out)


def activity_report(cases: Sequence[CaseFacts], period: Period, *, outcomes: Iterable[str] = (),
                    questions: Iterable[str] = (), training: bool = False,
                    progress: Callable[[int], None] | None = None) -> Report:
    """Every figure of the activity report for *period*: a column for each quarter when the
    period is a financial year, then one for the whole period."""
    columns = tuple(quarters(period)) + (period,) if is_financial_year(period) else (period,)
    n = len(columns)
    activity = _Counter([("contacts", "Contacts"), ("new", "New cases"),
                         ("worked", "Cases worked on"), ("closed", "Cases closed"),
                         ("open_end", "Open at the end of the period"),
                         ("inactive_end", "Inactive at the end of the period")], n)
    ways = _Counter([(w.value, w.label) for w in ContactWay], n)
    level = _Counter([(str(int(v)), v.label) for v in SupportLevel]
                     + [("none", NOT_RECORDED)], n)
    issue = _Counter([(i.value, i.label) for i in CaseIssue], n)
    need = _Counter([(a.value, a.label) for a in AreaOfNeed] + [("none", "None recorded")], n)
    ages = _Counter([(label, label) for _, _, label in AGE_GROUPS] + [("26+", "26 or over")], n)
    phase = _Counter([(p, p) for p in PHASES], n)
    la = _Counter([], n)
    user = _Counter([(u.value, u.label) for u in ServiceUser] + [("none", NOT_RECORDED)], n)
    heard = _Counter([(h.value, h.label) for h in HeardFrom] + [("none", NOT_RECORDED)], n)
    appeals = _Counter([("certificates", "Mediation certificates issued"),
                        ("mediations", "Mediations held")]
                       + list(MEDIATION_OUTCOMES.items())
                       + [("orders", "Tribunal orders received")]
                       + [(f"order.{k}", f"Ordered: {v}") for k, v in ORDER_LABELS.items()]
                       + [("unopposed", "Appeals the LA did not oppose")], n)
    time = _Counter([(str(int(v)), v.label) for v in SupportLevel]
                    + [("none", "Level not recorded")], n)
    untimed = _Counter([("untimed", "Contacts with no time recorded")], n)
    outcome = _Counter([(o, o) for o in outcomes] + [("none", NOT_RECORDED)], n)
    answers = _Counter([(f"{q}|{a.value}", f"{q}: {a.label}") for q in questions
                        for a in EvaluationAnswer], n)
    children_seen: list[set[str]] = [set() for _ in range(n)]
    known: dict[date | None, tuple[int, ...]] = {None: ()}

    def columns_of(day: date | None) -> tuple[int, ...]:
        """The columns a date falls in (remembered: the same dates come again and again)."""
        found = known.get(day)
        if found is None:
            found = known[day] = tuple(c for c, col in enumerate(columns) if day in col)
        return found

    for done, case in enumerate(cases):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
        cid = case.id
        # a case's contacts are summed here first, then added once per figure
        summed: dict[tuple[_Counter, str, int], int] = {}
        for e in case.entries:
            if e.contact is None:
                continue
            cols = columns_of(e.on)
            if not cols:
                continue
            if e.minutes is None:
                spent: tuple[_Counter, str, int] = (untimed, "untimed", 1)
            else:
                lvl = case.level_on(e.on)
                spent = (time, str(int(lvl)) if lvl else "none", e.minutes)
            for c in cols:
                for counter, key, amount in ((activity, "contacts", 1),
                                             (ways, e.contact.value, 1), spent):
                    summed[counter, key, c] = summed.get((counter, key, c), 0) + amount
        for (counter, key, c), amount in summed.items():
            counter.add(key, "", c, cid, amount)
        for m in case.mediations:
            for c in columns_of(m.certificate_issued):
                appeals.add("certificates", "", c, cid)
            for c in columns_of(m.mediation_date):
                appeals.add("mediations", "", c, cid)
            if m.outcome in MEDIATION_OUTCOMES:
                for c in columns_of(m.concluded):
                    appeals.add(m.outcome, "", c, cid)
        for a in case.appeals:
            for c in columns_of(a.on):
                if a.kind != "tribunal_order":
                    appeals.add("unopposed", "", c, cid)
                    continue
                appeals.add("orders", "", c, cid)
                if a.detail in ORDER_LABELS:
                    appeals.add(f"order.{a.detail}", "", c, cid)
        for c, col in enumerate(columns):
            if not case.worked_in(col):
                continue
            day = case.as_of(col)
            activity.add("worked", "", c, cid)
            if case.opened_on in col:
                activity.add("new", "", c, cid)
                heard.add(case.heard_from.value if case.heard_from else "none", "", c, cid)
            if case.closed_on in col:
                activity.add("closed", "", c, cid)
                outcome.add(case.outcome or "none", case.outcome or "", c, cid)
                for question, answer in case.answers:
                    answers.add(f"{question}|{answer.value}", f"{question}: {answer.label}",
                                c, cid)
            elif case.closed_on is None or case.closed_on > col.end:
                activity.add("inactive_end" if case.inactive_on(col.end) else "open_end", "",
                             c, cid)
            lvl = case.level_on(day)
            level.add(str(int(lvl)) if lvl else "none", "", c, cid)
            for i in case.issues:
                issue.add(i.value, "", c, cid)
            areas = {a for child in case.children for a in child.areas}
            for area in areas or ("none",):
                need.add(str(area), "", c, cid)
            user.add(case.service_user.value if case.service_user else "none", "", c, cid)
            for child in case.children:
                first_time = child.id not in children_seen[c]
                children_seen[c].add(child.id)
                group = age_group(age_on(child.date_of_birth, day))
                ages.add("26+" if group == "26 or over" else group, "", c, cid,
                         1 if first_time else 0)
                phase.add(school_phase(child.year_group), "", c, cid, 1 if first_time else 0)
                name = child.local_authority.strip()
                la.add(name.casefold() or "~none", name or NOT_RECORDED, c, cid,
                       1 if first_time else 0)

    la.rows.sort(key=lambda row: (row[0] == "~none", row[1].casefold()))
    sections = (
        Section("activity", "Contacts and cases",
                "A contact is a timeline entry with a way of contact (notes are not "
                "contacts). A case is worked on in a period if it was open on any day of it. "
                "Open and inactive are counted on the period's last day.",
                activity.figures("activity")),
        Section("contact_ways", "Contacts by how they happened", "", ways.figures("way")),
        Section("level", "Cases worked on by level of support",
                "The level the case had on the period's last day, or on the day it closed.",
                level.figures("level")),
        Section("issue", "Cases worked on by issue",
                "A case about several issues counts under each.", issue.figures("issue")),
        Section("need", "Cases worked on by area of need",
                "A case counts under each area of need any child on it has.",
                need.figures("need")),
        Section("age", "Children by age group",
                "Each child on a case worked on, counted once, by age on the period's last "
                "day (or on the day the case closed).", ages.figures("age")),
        Section("phase", "Children by school phase",
                "From the year group recorded on the child.", phase.figures("phase")),
        Section("la", "Children by local authority",
                "The local authority recorded on the child.", la.figures("la")),
        Section("service_user", "Cases worked on by who the service user is", "",
                user.figures("user")),
        Section("heard_from", "New cases by how they heard of the service", "",
                heard.figures("heard")),
        Section("appeals", "Mediation and appeals",
                "From the mediation wizard's records and the statutory events, by the date "
                "of each.", appeals.figures("appeals")),
        Section("time", "Time spent by level of support",
                "Hours and minutes recorded on contacts, by the case's level on the day.",
                time.figures("time"), minutes=True),
        Section("untimed", "Contacts with no time recorded", "", untimed.figures("untimed")),
        Section("outcome", "Cases closed by outcome", "", outcome.figures("outcome")),
        Section("evaluation", "Evaluation answers (cases closed in the period)",
                "Each answer is counted under the question's wording when it was asked.",
                answers.figures("evaluation", keep_empty=False)),
    )
    return Report(period, columns, sections, training)


def ordered_case_ids(report: Report, key: str, column: int) -> list[str]:
    """The cases behind one figure, in a steady order."""
    return sorted(report.figure(key).cases[column])
