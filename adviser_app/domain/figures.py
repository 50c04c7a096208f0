"""The service's activity report: every figure for a period (and its quarters), each with the
cases behind it. Pure: the facts and the period come in, nothing is read from the clock.

How each figure is counted is written in the section notes, which the report shows."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from adviser_app.domain.children import age_on
from adviser_app.domain.validation import format_date
from adviser_app.domain.statutory.mediation_rules import AgreedAction
from adviser_app.domain.figures_facts import (CaseFacts, Period, is_financial_year, quarters,
                                              so_far)
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
    by_date: bool = False
    """It counts things dated in the period (contacts, new cases, ...), so the quarters add
    up to the year (which matters when hiding small numbers)."""


@dataclass(frozen=True)
class Sum:
    """In every column, the figures *parts* add up to the figures *whole*; *whole* may be
    another breakdown of the same total (children by age and by school phase)."""

    parts: tuple[str, ...]
    whole: tuple[str, ...]
    why: str


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
    sums: tuple[Sum, ...] = ()
    """How the figures add up (to hide small numbers so they cannot be worked out)."""

    @property
    def quarters_add_up(self) -> bool:
        """The columns are the four quarters then the year (each perhaps only so far)."""
        return len(self.columns) == 5 and is_financial_year(self.period)

    @property
    def counted_to(self) -> date | None:
        """The last day counted when the period has not ended yet (None: all of it)."""
        last = self.columns[-1].end
        return last if last < self.period.end else None

    def how_much_counted(self, *, in_a_file: bool) -> str:
        """A sentence saying how much of the period is counted ("" for all of it). In a file
        (the PDF) it is read later, so it says how things stood when the report was made."""
        last = self.counted_to
        if last is None:
            return ""
        if last < self.period.start:
            return ("The period had not started when this report was made: nothing is "
                    "counted yet." if in_a_file else
                    "The period has not started yet: nothing is counted.")
        return (f"Counted to {format_date(last)}: the period had not ended when this report "
                "was made." if in_a_file else
                f"Counted to {format_date(last)}: the period has not ended.")

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


_AGE_KEYS = [age_group(a) for a in range(0, 26)]


def _age_key(age: int) -> str:
    """The age group's row key (a table lookup: called once per child and column)."""
    return _AGE_KEYS[age] if 0 <= age <= 25 else "26+" if age > 25 else "0-4"


PHASES = ("Early years", "Primary", "Secondary", "Post-16", "Not in education", "Other",
          NOT_RECORDED)
_LEVEL_KEY: dict[SupportLevel | None, str] = {None: "none",
                                             **{v: str(int(v)) for v in SupportLevel}}
_WAY_KEY = {w: w.value for w in ContactWay}
ORDER_LABELS = {a.value: a.label for a in AgreedAction if a is not AgreedAction.NOT_APPEALABLE}
MEDIATION_OUTCOMES = {"agreement": "Mediation ended in agreement",
                      "no_agreement": "Mediation ended without agreement",
                      "la_cannot_arrange": "The LA could not arrange mediation"}

# (key, label) rows of one section, and for one case and column what the case adds where.
_Rows = list[tuple[str, str]]
_Tally = dict[str, tuple[list[int], list[set[str]]]]


class _Counter:
    """Counts (or sums) per row and column, with the cases behind each. A counter of cases
    (*of_cases*) is only marked: each value is the number of cases behind it."""

    def __init__(self, rows: _Rows, columns: int, *, of_cases: bool = False) -> None:
        self.rows = list(rows)
        self.tally: _Tally = {k: ([0] * columns, [set() for _ in range(columns)])
                              for k, _ in rows}
        self.columns = columns
        self.of_cases = of_cases

    def mark(self, key: str, column: int, case_id: str) -> None:
        """One case under a row known from the start (the fast path: most of the report)."""
        self.tally[key][1][column].add(case_id)

    def add(self, key: str, label: str, column: int, case_id: str, amount: int = 1) -> None:
        if key not in self.tally:
            self.rows.append((key, label))
            self.tally[key] = ([0] * self.columns, [set() for _ in range(self.columns)])
        values, cases = self.tally[key]
        values[column] += amount
        cases[column].add(case_id)

    def figures(self, prefix: str, keep_empty: bool = True,
                by_date: bool | frozenset[str] = False) -> tuple[Figure, ...]:
        """*by_date*: every figure counts things dated in the period, or the keys of those
        that do."""
        out = []
        for key, label in self.rows:
            values, cases = self.tally[key]
            if self.of_cases:
                values = [len(c) for c in cases]
            if keep_empty or any(values):
                dated = by_date if isinstance(by_date, bool) else key in by_date
                out.append(Figure(f"{prefix}.{key}", label, tuple(values),
                                  tuple(frozenset(c) for c in cases), dated))
        return tuple(out)


def activity_report(cases: Sequence[CaseFacts], period: Period, *, outcomes: Iterable[str] = (),
                    questions: Iterable[str] = (), training: bool = False,
                    progress: Callable[[int], None] | None = None,
                    today: date | None = None) -> Report:
    """Every figure of the activity report for *period*: a column for each quarter when the
    period is a financial year, then one for the whole period. Given *today*, a column not
    yet ended is counted to today and one not yet started counts nothing (see `so_far`)."""
    columns = tuple(quarters(period)) + (period,) if is_financial_year(period) else (period,)
    if today is not None:
        columns = tuple(so_far(column, today) for column in columns)
    n = len(columns)
    contact_count = _Counter([("contacts", "Contacts")], n)
    activity = _Counter([("new", "New cases"),
                         ("worked", "Cases worked on"), ("closed", "Cases closed"),
                         ("open_end", "Open at the end of the period"),
                         ("inactive_end", "Inactive at the end of the period")], n,
                        of_cases=True)
    ways = _Counter([(w.value, w.label) for w in ContactWay], n)
    level = _Counter([(str(int(v)), v.label) for v in SupportLevel]
                     + [("none", NOT_RECORDED)], n, of_cases=True)
    issue = _Counter([(i.value, i.label) for i in CaseIssue], n, of_cases=True)
    need = _Counter([(a.value, a.label) for a in AreaOfNeed] + [("none", "None recorded")], n,
                    of_cases=True)
    ages = _Counter([(label, label) for _, _, label in AGE_GROUPS] + [("26+", "26 or over")], n)
    phase = _Counter([(p, p) for p in PHASES], n)
    la = _Counter([], n)
    user = _Counter([(u.value, u.label) for u in ServiceUser] + [("none", NOT_RECORDED)], n,
                    of_cases=True)
    heard = _Counter([(h.value, h.label) for h in HeardFrom] + [("none", NOT_RECORDED)], n,
                     of_cases=True)
    appeals = _Counter([("certificates", "Mediation certificates issued"),
                        ("mediations", "Mediations held")]
                       + list(MEDIATION_OUTCOMES.items())
                       + [("registered", "Appeals registered by the Tribunal")]
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
        # a case's contacts are summed by the columns they fall in first, then added once
        # per figure and column
        by_way: dict[tuple[tuple[int, ...], str], int] = {}
        spent: dict[tuple[tuple[int, ...], str], int] = {}  # minutes by level, or a count
        for e in case.entries:
            if e.contact is None:
                continue
            cols = columns_of(e.on)
            if not cols:
                continue
            k = (cols, _WAY_KEY[e.contact])
            by_way[k] = by_way.get(k, 0) + 1
            if e.minutes is None:
                k = (cols, "untimed")
                spent[k] = spent.get(k, 0) + 1
            else:
                k = (cols, _LEVEL_KEY[case.level_on(e.on)])
                spent[k] = spent.get(k, 0) + e.minutes
        contacts: dict[int, int] = {}
        for (cols, way), count in by_way.items():
            for c in cols:
                ways.add(way, "", c, cid, count)
                contacts[c] = contacts.get(c, 0) + count
        for c, count in contacts.items():
            contact_count.add("contacts", "", c, cid, count)
        for (cols, key), amount in spent.items():
            for c in cols:
                (untimed if key == "untimed" else time).add(key, "", c, cid, amount)
        for m in case.mediations:
            for c in columns_of(m.certificate_issued):
                appeals.add("certificates", "", c, cid)
            for c in columns_of(m.mediation_date):
                appeals.add("mediations", "", c, cid)
            if m.outcome in MEDIATION_OUTCOMES:
                for c in columns_of(m.concluded):
                    appeals.add(m.outcome, "", c, cid)
            for c in columns_of(m.appeal_registered):
                appeals.add("registered", "", c, cid)
        for a in case.appeals:
            for c in columns_of(a.on):
                if a.kind != "tribunal_order":
                    appeals.add("unopposed", "", c, cid)
                    continue
                appeals.add("orders", "", c, cid)
                if a.detail in ORDER_LABELS:
                    appeals.add(f"order.{a.detail}", "", c, cid)
        worked = [c for c, col in enumerate(columns) if case.worked_in(col)]
        if not worked:
            continue
        # what does not change from one column to the next, worked out once
        issue_keys = [i.value for i in case.issues]
        area_keys = sorted({a.value for child in case.children for a in child.areas}) or [
            "none"]
        user_key = case.service_user.value if case.service_user else "none"
        heard_key = case.heard_from.value if case.heard_from else "none"
        kids = [(child.id, child.date_of_birth, school_phase(child.year_group),
                 child.local_authority.strip()) for child in case.children]
        for c in worked:
            col = columns[c]
            day = case.as_of(col)
            activity.mark("worked", c, cid)
            if case.opened_on in col:
                activity.mark("new", c, cid)
                heard.mark(heard_key, c, cid)
            if case.closed_on in col:
                activity.mark("closed", c, cid)
                outcome.add(case.outcome or "none", case.outcome or "", c, cid)
                for question, answer in case.answers:
                    answers.add(f"{question}|{answer.value}", f"{question}: {answer.label}",
                                c, cid)
            elif case.closed_on is None or case.closed_on > col.end:
                activity.mark("inactive_end" if case.inactive_on(col.end) else "open_end", c,
                              cid)
            level.mark(_LEVEL_KEY[case.level_on(day)], c, cid)
            for key in issue_keys:
                issue.mark(key, c, cid)
            for key in area_keys:
                need.mark(key, c, cid)
            user.mark(user_key, c, cid)
            seen = children_seen[c]
            for child_id, born, child_phase, name in kids:
                first = 0 if child_id in seen else 1
                seen.add(child_id)
                ages.add(_age_key(age_on(born, day)), "", c, cid, first)
                phase.add(child_phase, "", c, cid, first)
                la.add(name.casefold() or "~none", name or NOT_RECORDED, c, cid, first)

    la.rows.sort(key=lambda row: (row[0] == "~none", row[1].casefold()))
    sections = (
        Section("activity", "Contacts and cases",
                "A contact is a timeline entry with a way of contact (notes are not "
                "contacts). A case is worked on in a period if it was open on any day of it. "
                "Open and inactive are counted on the period's last day.",
                contact_count.figures("activity", by_date=True)
                + activity.figures("activity", by_date=frozenset({"new", "closed"}))),
        Section("contact_ways", "Contacts by how they happened", "",
                ways.figures("way", by_date=True)),
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
                heard.figures("heard", by_date=True)),
        Section("appeals", "Mediation and appeals",
                "From the mediation wizard's records and the statutory events, by the date "
                "of each.", appeals.figures("appeals", by_date=True)),
        Section("time", "Time spent by level of support",
                "Hours and minutes recorded on contacts, by the case's level on the day.",
                time.figures("time"), minutes=True),
        Section("untimed", "Contacts with no time recorded", "",
                untimed.figures("untimed", by_date=True)),
        Section("outcome", "Cases closed by outcome", "", outcome.figures("outcome", by_date=True)),
        Section("evaluation", "Evaluation answers (cases closed in the period)",
                "Each answer is counted under the question's wording when it was asked.",
                answers.figures("evaluation", keep_empty=False, by_date=True)),
    )
    return Report(period, columns, sections, training, _sums(sections))


def _sums(sections: tuple[Section, ...]) -> tuple[Sum, ...]:
    """How the figures of *sections* add up (each breakdown counts every case or child of
    its total exactly once)."""
    keys = {s.key: tuple(f.key for f in s.figures) for s in sections}
    return (
        Sum(("activity.closed", "activity.open_end", "activity.inactive_end"),
            ("activity.worked",), "cases closed, open and inactive add up to the cases "
            "worked on"),
        Sum(keys["contact_ways"], ("activity.contacts",),
            "the ways of contact add up to the contacts"),
        Sum(keys["level"], ("activity.worked",),
            "the levels of support add up to the cases worked on"),
        Sum(keys["service_user"], ("activity.worked",),
            "the service users add up to the cases worked on"),
        Sum(keys["heard_from"], ("activity.new",),
            "how they heard adds up to the new cases"),
        Sum(keys["outcome"], ("activity.closed",), "the outcomes add up to the cases closed"),
        Sum(keys["phase"], keys["age"],
            "the children by school phase and by age group are the same children"),
        Sum(keys["la"], keys["age"],
            "the children by local authority and by age group are the same children"),
    )


def ordered_case_ids(report: Report, key: str, column: int) -> list[str]:
    """The cases behind one figure, in a steady order."""
    return sorted(report.figure(key).cases[column])
