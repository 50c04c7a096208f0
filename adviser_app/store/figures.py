"""Reading the plain facts the service's figures are worked out from: dates, levels, issues,
ages and areas of need, never a name or a note. A few whole-table queries, not one per case."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import Any

from sqlite_utils import Database

from adviser_app.domain.figures_facts import (AppealFacts, CaseFacts, ChildFacts, EntryFacts,
                                              MediationFacts, Period)
from adviser_app.domain.vocab import (AreaOfNeed, CaseIssue, ContactWay, EvaluationAnswer,
                                      HeardFrom, ServiceUser, SupportLevel)
from adviser_app.store.rows import to_date

_MEDIATION_SQL = """
SELECT case_id, json_extract(answers, '$.certificate_issued'),
       json_extract(answers, '$.mediation_date'), json_extract(answers, '$.outcome'),
       json_extract(answers, '$.concluded')
FROM disagreement"""


def _grouped(db: Database, sql: str, params: Any = ()) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in db.execute(sql, params):
        out[row[0]].append(tuple(row[1:]))
    return out


def case_facts(db: Database, period: Period) -> list[CaseFacts]:
    """The facts of every case that matters to *period*: opened by its end, and open on some
    day of it or with a contact, mediation or appeal dated in it."""
    start, end = period.start.isoformat(), period.end.isoformat()
    entries = _grouped(db, "SELECT case_id, entry_date, contact, minutes FROM timeline_entry "
                           "WHERE entry_date BETWEEN ? AND ? AND contact IS NOT NULL "
                           "ORDER BY entry_date", [start, end])
    mediations = _grouped(db, _MEDIATION_SQL)
    appeals = _grouped(db, "SELECT case_id, event_date, kind, "
                           "coalesce(json_extract(params, '$.action'), '') FROM statutory_event "
                           "WHERE kind IN ('tribunal_order', 'unopposed_appeal') "
                           "AND event_date BETWEEN ? AND ?", [start, end])
    wanted = []
    for row in db.execute("SELECT id, reference, opened_on, closed_on, service_user, "
                          "heard_from, outcome FROM case_file WHERE opened_on <= ? "
                          "ORDER BY reference", [end]):
        closed = row[3]
        if (closed is None or closed >= start or row[0] in entries or row[0] in appeals
                or _mediation_in(mediations.get(row[0], ()), start, end)):
            wanted.append(row)
    issues = _grouped(db, "SELECT case_id, issue FROM case_issue")
    levels = _grouped(db, "SELECT case_id, changed_on, level FROM case_level_change "
                          "ORDER BY changed_on, created_at")
    statuses = _grouped(db, "SELECT case_id, changed_on, status FROM case_status_change "
                            "ORDER BY changed_on, created_at")
    answers = _grouped(db, "SELECT case_id, question, answer FROM case_evaluation_answer "
                           "ORDER BY position")
    children = _children(db)
    on_case = _grouped(db, "SELECT case_id, child_id FROM case_child ORDER BY child_id")
    out = []
    for cid, reference, opened, closed, user, heard, outcome in wanted:
        out.append(CaseFacts(
            id=cid, reference=reference, opened_on=date.fromisoformat(opened),
            closed_on=to_date(closed),
            issues=frozenset(CaseIssue(i) for (i,) in issues.get(cid, ())),
            children=tuple(children[c] for (c,) in on_case.get(cid, ()) if c in children),
            service_user=ServiceUser(user) if user else None,
            heard_from=HeardFrom(heard) if heard else None, outcome=outcome,
            levels=tuple((date.fromisoformat(d), SupportLevel(v))
                         for d, v in levels.get(cid, ())),
            statuses=tuple((date.fromisoformat(d), s == "inactive")
                           for d, s in statuses.get(cid, ())),
            entries=tuple(EntryFacts(date.fromisoformat(d), ContactWay(w), m)
                          for d, w, m in entries.get(cid, ())),
            answers=tuple((q, EvaluationAnswer(a)) for q, a in answers.get(cid, ())),
            mediations=tuple(MediationFacts(to_date(c), to_date(m), o or "pending", to_date(e))
                             for c, m, o, e in mediations.get(cid, ())),
            appeals=tuple(AppealFacts(date.fromisoformat(d), k, a)
                          for d, k, a in appeals.get(cid, ()))))
    return out


def _mediation_in(rows: Any, start: str, end: str) -> bool:
    return any(d is not None and start <= d <= end for row in rows for d in (row[0], row[1],
                                                                               row[3]))


def _children(db: Database) -> dict[str, ChildFacts]:
    needs = _grouped(db, "SELECT child_id, area FROM child_need")
    return {r[0]: ChildFacts(r[0], date.fromisoformat(r[1]), r[2], r[3],
                             frozenset(AreaOfNeed(a) for (a,) in needs.get(r[0], ())))
            for r in db.execute("SELECT id, date_of_birth, year_group, local_authority "
                                "FROM child")}


def case_labels(db: Database, case_ids: list[str]) -> list[tuple[str, str, str, str]]:
    """(id, reference, family name, state) of each case, by reference."""
    return [(r[0], r[1], r[2], r[3]) for r in db.execute(
        "SELECT cf.id, cf.reference, f.family_name, cf.state FROM case_file cf "
        "JOIN family f ON f.id = cf.family_id WHERE cf.id IN (SELECT value FROM json_each(?)) "
        "ORDER BY cf.reference", [json.dumps(case_ids)])]
