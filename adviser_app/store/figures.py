"""Reading the plain facts the service's figures are worked out from: dates, levels, issues,
ages and areas of need, never a name or a note.

The rows are read in short steps (a few thousand rows each), so the thread that holds the case
book can read a big one without freezing the window; turning the rows into CaseFacts is pure
work that can then run on a worker thread."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlite_utils import Database

from adviser_app.domain.figures_facts import (AppealFacts, CaseFacts, ChildFacts, EntryFacts,
                                              MediationFacts, Period)
from adviser_app.domain.statutory.periods import add_months
from adviser_app.domain.vocab import (AreaOfNeed, CaseIssue, ContactWay, EvaluationAnswer,
                                      HeardFrom, ServiceUser, SupportLevel)
from adviser_app.store.rows import to_date

STEP_ROWS = 1000
_AREAS = {a.value: a for a in AreaOfNeed}
_ISSUES = {i.value: i for i in CaseIssue}
_WAYS = {w.value: w for w in ContactWay}

_Rows = list[tuple[Any, ...]]


@dataclass
class FactRows:
    """The rows as read (plain tuples, safe to hand to another thread)."""

    period: Period
    entries: _Rows = field(default_factory=list)
    mediations: _Rows = field(default_factory=list)
    appeals: _Rows = field(default_factory=list)
    cases: _Rows = field(default_factory=list)
    issues: _Rows = field(default_factory=list)
    levels: _Rows = field(default_factory=list)
    statuses: _Rows = field(default_factory=list)
    answers: _Rows = field(default_factory=list)
    links: _Rows = field(default_factory=list)
    children: _Rows = field(default_factory=list)
    needs: _Rows = field(default_factory=list)


def _by_rowid(db: Database, columns: str, table: str, where: str = "",
              params: tuple[Any, ...] = ()) -> Iterator[_Rows]:
    """Each step's rows of *table*, in rowid order."""
    last = 0
    extra = f" AND {where}" if where else ""
    while True:
        rows = db.execute(f"SELECT rowid, {columns} FROM {table} WHERE rowid > ?{extra} "
                          f"ORDER BY rowid LIMIT {STEP_ROWS}", (last, *params)).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield [tuple(r[1:]) for r in rows]
        if len(rows) < STEP_ROWS:
            return


def read_steps(db: Database, period: Period, rows: FactRows) -> Iterator[int]:
    """Fill *rows* step by step; yields how many rows are read so far after each step."""
    start, end = period.start.isoformat(), period.end.isoformat()
    done = 0
    month = period.start
    while month <= period.end:  # contacts a month at a time, from the covering index
        upto = min(add_months(month, 1), date.fromordinal(period.end.toordinal() + 1))
        rows.entries += db.execute(
            "SELECT case_id, entry_date, contact, minutes FROM timeline_entry "
            "WHERE contact IS NOT NULL AND entry_date >= ? AND entry_date < ?",
            [month.isoformat(), upto.isoformat()]).fetchall()
        month = upto
        done = len(rows.entries)
        yield done
    # every disagreement's dates, a step at a time (a book's first report reads them from
    # disk: in one go that held the window up for most of a tenth of a second)
    for chunk in _by_rowid(db, "case_id, json_extract(answers, '$.certificate_issued'), "
                           "json_extract(answers, '$.mediation_date'), "
                           "json_extract(answers, '$.outcome'), "
                           "json_extract(answers, '$.concluded'), "
                           "json_extract(answers, '$.appeal_registered')", "disagreement"):
        rows.mediations += chunk
        done += len(chunk)
        yield done
    rows.appeals = [tuple(r) for r in db.execute(
        "SELECT case_id, event_date, kind, coalesce(json_extract(params, '$.action'), '') "
        "FROM statutory_event WHERE kind IN ('tribunal_order', 'unopposed_appeal') "
        "AND event_date BETWEEN ? AND ?", [start, end])]
    done += len(rows.appeals)
    yield done
    # the cases open on some day of the period, then those closed before it with a contact,
    # mediation or appeal dated in it
    for chunk in _by_rowid(db, _CASE_COLUMNS, "case_file",
                           "opened_on <= ? AND (closed_on IS NULL OR closed_on >= ?)",
                           (end, start)):
        rows.cases += chunk
        done += len(chunk)
        yield done
    have = {r[0] for r in rows.cases}
    dated = ({r[0] for r in rows.entries} | {r[0] for r in rows.appeals}
             | {r[0] for r in rows.mediations if _mediation_in([r[1:]], start, end)})
    for ids in _in_steps(sorted(dated - have)):
        rows.cases += _each(db, f"SELECT {_CASE_COLUMNS} FROM case_file WHERE opened_on <= ? "
                                "AND id IN (SELECT value FROM json_each(?))", [end, ids])
        yield done
    for ids in _in_steps([r[0] for r in rows.cases]):
        for target, sql in (
                (rows.issues, "SELECT case_id, issue FROM case_issue"),
                (rows.levels, "SELECT case_id, changed_on, level, created_at "
                              "FROM case_level_change"),
                (rows.statuses, "SELECT case_id, changed_on, status, created_at "
                                "FROM case_status_change"),
                (rows.answers, "SELECT case_id, position, question, answer "
                               "FROM case_evaluation_answer"),
                (rows.links, "SELECT case_id, child_id FROM case_child")):
            found = _each(db, sql + " WHERE case_id IN (SELECT value FROM json_each(?))",
                          [ids])
            target += found
            done += len(found)
            yield done
    for ids in _in_steps(sorted({r[1] for r in rows.links})):
        for target, sql in (
                (rows.children, "SELECT id, date_of_birth, year_group, local_authority "
                                "FROM child WHERE id"),
                (rows.needs, "SELECT child_id, area FROM child_need WHERE child_id")):
            found = _each(db, sql + " IN (SELECT value FROM json_each(?))", [ids])
            target += found
            done += len(found)
            yield done


_CASE_COLUMNS = "id, reference, opened_on, closed_on, service_user, heard_from, outcome"
IDS_PER_STEP = 600


def _in_steps(ids: list[str]) -> Iterator[str]:
    """The ids as JSON arrays of at most IDS_PER_STEP (for json_each)."""
    for at in range(0, len(ids), IDS_PER_STEP):
        yield json.dumps(ids[at:at + IDS_PER_STEP])


def _each(db: Database, sql: str, params: list[Any]) -> _Rows:
    return [tuple(r) for r in db.execute(sql, params)]


def _grouped(rows: _Rows) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        out[row[0]].append(row[1:])
    return out


def assemble(rows: FactRows, pause: Callable[[], None] | None = None) -> list[CaseFacts]:
    """The facts of every case that matters to the period: opened by its end, and open on
    some day of it or with a contact, mediation or appeal dated in it. Pure: any thread;
    *pause* is called every few hundred cases (a worker lets the GUI thread run there)."""
    start, end = rows.period.start.isoformat(), rows.period.end.isoformat()
    breathe = pause or (lambda: None)
    entries = _grouped(sorted(rows.entries, key=lambda r: r[1]))
    breathe()
    mediations = _grouped(rows.mediations)
    appeals = _grouped(rows.appeals)
    wanted = sorted((r for r in rows.cases
                     if r[3] is None or r[3] >= start or r[0] in entries or r[0] in appeals
                     or _mediation_in(mediations.get(r[0], ()), start, end)),
                    key=lambda r: r[1])
    breathe()
    issues = _grouped(rows.issues)
    levels = _grouped(sorted(rows.levels, key=lambda r: (r[1], r[3])))
    breathe()
    statuses = _grouped(sorted(rows.statuses, key=lambda r: (r[1], r[3])))
    answers = _grouped(sorted(rows.answers, key=lambda r: r[1]))
    breathe()
    wanted_ids = {r[0] for r in wanted}
    on_case = _grouped(sorted((r for r in rows.links if r[0] in wanted_ids),
                              key=lambda r: r[1]))
    child_ids = {c for links in on_case.values() for (c,) in links}
    needs = _grouped([r for r in rows.needs if r[0] in child_ids])
    breathe()
    children = {r[0]: ChildFacts(r[0], date.fromisoformat(r[1]), r[2], r[3],
                                 frozenset(_AREAS[a] for (a,) in needs.get(r[0], ())))
                for r in rows.children if r[0] in child_ids}
    days: dict[str, date] = {}

    def day(text: str) -> date:
        """The same few hundred dates come again and again: each is parsed once."""
        found = days.get(text)
        if found is None:
            found = days[text] = date.fromisoformat(text)
        return found

    new_entry = tuple.__new__  # a NamedTuple made without its Python-level __new__
    out = []
    for n, (cid, reference, opened, closed, user, heard, outcome) in enumerate(wanted):
        if pause is not None and n % 200 == 0:
            pause()
        out.append(CaseFacts(
            id=cid, reference=reference, opened_on=date.fromisoformat(opened),
            closed_on=to_date(closed),
            issues=frozenset(_ISSUES[i] for (i,) in issues.get(cid, ())),
            children=tuple(children[c] for (c,) in on_case.get(cid, ()) if c in children),
            service_user=ServiceUser(user) if user else None,
            heard_from=HeardFrom(heard) if heard else None, outcome=outcome,
            levels=tuple((date.fromisoformat(d), SupportLevel(v))
                         for d, v, _ in levels.get(cid, ()) if d <= end),
            statuses=tuple((date.fromisoformat(d), s == "inactive")
                           for d, s, _ in statuses.get(cid, ()) if d <= end),
            entries=tuple(new_entry(EntryFacts, (day(d), _WAYS[w], m))
                          for d, w, m in entries.get(cid, ())),
            answers=tuple((q, EvaluationAnswer(a)) for _, q, a in answers.get(cid, ())),
            mediations=tuple(MediationFacts(to_date(c), to_date(m), o or "pending", to_date(e),
                                            to_date(r))
                             for c, m, o, e, r in mediations.get(cid, ())),
            appeals=tuple(AppealFacts(date.fromisoformat(d), k, a)
                          for d, k, a in appeals.get(cid, ()))))
    return out


def read_rows(db: Database, period: Period) -> FactRows:
    rows = FactRows(period)
    for _ in read_steps(db, period, rows):
        pass
    return rows


def case_facts(db: Database, period: Period) -> list[CaseFacts]:
    return assemble(read_rows(db, period))


def _mediation_in(rows: Any, start: str, end: str) -> bool:
    return any(d is not None and start <= d <= end for row in rows
               for d in (row[0], row[1], row[3], row[4]))


def case_labels(db: Database, case_ids: list[str]) -> list[tuple[str, str, str, str]]:
    """(id, reference, family name, state) of each case, by reference."""
    return [(r[0], r[1], r[2], r[3]) for r in db.execute(
        "SELECT cf.id, cf.reference, f.family_name, cf.state FROM case_file cf "
        "JOIN family f ON f.id = cf.family_id WHERE cf.id IN (SELECT value FROM json_each(?)) "
        "ORDER BY cf.reference", [json.dumps(case_ids)])]
