"""The case list: its filters, and finding the cases typed for as you type, ordered and cut
by SQLite (the words themselves are looked up in store/search.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from adviser_app.domain.records import CaseSummary
from adviser_app.domain.search_text import typed_tokens
from adviser_app.domain.vocab import AreaOfNeed, CaseState, ChildStatus
from adviser_app.store.case_states import in_state, kept_in_state, most_in_state
from adviser_app.store.rows import to_date
from adviser_app.store.search import (Hits, header_condition, named_as_typed,
                                       own_details_match, search_hits)


@dataclass(frozen=True)
class CaseFilter:
    """What the case list is narrowed to; empty fields mean "any"."""

    text: str = ""
    state: CaseState | None = None
    adviser: str = ""
    status: ChildStatus | None = None
    area: AreaOfNeed | None = None
    inactive: bool | None = None
    """True: only open cases waiting on the family; False: only those not waiting."""


_INACTIVE = """coalesce((SELECT s.status = 'inactive' FROM case_status_change s
     WHERE s.case_id = cf.id ORDER BY s.changed_on DESC, s.created_at DESC LIMIT 1), 0)"""
"""Whether the case's latest status change made it inactive (as case_progress.is_inactive)."""
_LIST_SQL = """
SELECT cf.id, cf.reference, f.family_name, cf.adviser, cf.state, cf.opened_on, cf.updated_at,
  (SELECT group_concat(c.given_name || ' ' || c.family_name, ', ') FROM case_child cc
     JOIN child c ON c.id = cc.child_id WHERE cc.case_id = cf.id) AS children,
  (SELECT group_concat(DISTINCT c.status) FROM case_child cc
     JOIN child c ON c.id = cc.child_id WHERE cc.case_id = cf.id) AS statuses,
  (SELECT group_concat(DISTINCT n.area) FROM case_child cc
     JOIN child_need n ON n.child_id = cc.child_id WHERE cc.case_id = cf.id) AS areas,
  (SELECT min(t.due_on) FROM task t WHERE t.case_id = cf.id AND t.done_on IS NULL
     AND t.due_on IS NOT NULL) AS next_due,
  """ + _INACTIVE + """ AS inactive
FROM case_file cf JOIN family f ON f.id = cf.family_id
"""


@dataclass(frozen=True)
class CasePage:
    rows: list[CaseSummary]
    """The first cases, in order."""
    total: int
    """How many cases matched in all (at least this many, when not complete)."""
    complete: bool = True
    """False when a typed word was too common to look through every record as you type."""


def find_cases(db: Database, flt: CaseFilter = CaseFilter(),
               limit: int | None = None, offset: int = 0) -> CasePage:
    """The case list, newest activity first, or best match first when searching: the rows
    from *offset* on (at most *limit* of them), with the number that matched. The list asks
    for the next rows with a larger *offset* as it is scrolled, and gets exactly what one
    unlimited call would have listed there.

    SQLite orders and cuts the list, so a keystroke reads the cases it shows rather than
    every case that matched: with no words typed, in one statement; one or two letters
    matching many cases, by walking the cases in order of activity until the page is full
    (_first_in_order); otherwise the families named as typed are looked up in the index of
    family names (search.named_as_typed) and each rank of match is put in order by SQLite
    (_by_rank)."""
    state = flt.state.value if flt.state else None
    hits = search_hits(db, flt.text, state)
    where: list[str] = []
    params: dict[str, Any] = {}
    if state:
        where.append("cf.state = :state")
        params["state"] = state
    if flt.adviser:
        where.append("cf.adviser = :adviser")
        params["adviser"] = flt.adviser
    if flt.status:
        where.append("EXISTS (SELECT 1 FROM case_child cc JOIN child c ON c.id = cc.child_id "
                     "WHERE cc.case_id = cf.id AND c.status = :status)")
        params["status"] = flt.status.value
    if flt.area:
        where.append("EXISTS (SELECT 1 FROM case_child cc JOIN child_need n "
                     "ON n.child_id = cc.child_id WHERE cc.case_id = cf.id AND n.area = :area)")
        params["area"] = flt.area.value
    if flt.inactive is not None:
        where.append(f"{_INACTIVE} = {int(flt.inactive)}")
    if hits is not None and hits.short_words:
        return _first_in_order(db, hits, where, params, limit, offset)
    if hits is not None and not hits.scores:
        return CasePage([], 0, hits.complete)  # nothing matched: no case is read
    if hits is None:
        return _in_order(db, where, params, limit, offset)
    named: set[str] = set()
    if len(hits.scores) <= _NAME_CHECK_LIMIT and _may_name_a_family(flt.text):
        named = named_as_typed(db, typed_tokens(flt.text), list(hits.scores))
    # best match first: the family's own name, then words in the case's own details
    by_rank: dict[tuple[bool, int], list[str]] = {}
    for case, score in hits.scores.items():
        by_rank.setdefault((case not in named, score), []).append(case)
    return _by_rank(db, by_rank, where, params, limit, offset, hits.complete)


def _where(where: list[str]) -> str:
    return " WHERE " + " AND ".join(where) if where else ""


def _page(limit: int | None, offset: int, params: dict[str, Any]) -> str:
    """LIMIT and OFFSET for a listing (SQLite needs a LIMIT before an OFFSET)."""
    params["limit"] = -1 if limit is None else limit
    params["offset"] = offset
    return " LIMIT :limit OFFSET :offset"


def _in_order(db: Database, where: list[str], params: dict[str, Any], limit: int | None,
              offset: int) -> CasePage:
    """Nothing typed: the filtered cases by newest activity, ordered and cut by SQLite (the
    whole list in activity order is an index, case_file_activity)."""
    total = db.execute("SELECT count(*) FROM case_file cf" + _where(where),
                       params).fetchone()[0]
    if limit == 0:
        return CasePage([], total)
    params = dict(params)
    listing = ("SELECT cf.id FROM case_file cf" + _where(where)
               + " ORDER BY cf.updated_at DESC, cf.id" + _page(limit, offset, params))
    return CasePage(_summaries(db, [row[0] for row in db.execute(listing, params)]), total)


_WALK_PAST = 1000
"""More matches of one rank than this are found by walking the list in order of activity;
fewer are read directly (see _in_activity_order)."""


def _may_name_a_family(text: str) -> bool:
    """Whether a typed word could start a word of a family's name (names have letters)."""
    return any(not token.isdigit() for token in typed_tokens(text))


def _by_rank(db: Database, by_rank: dict[tuple[bool, int], list[str]], where: list[str],
             params: dict[str, Any], limit: int | None, offset: int,
             complete: bool) -> CasePage:
    """The matched cases (by their rank) best rank first, then newest activity, then id,
    cut by SQLite: the cases of each rank are put in order by SQLite (_in_activity_order)
    and only the ranks the page reaches are asked for, so a keystroke reads the cases it
    shows rather than every case that matched. Filters are applied first, in one
    statement."""
    if where:
        kept = kept_in_state(db, [case for cases in by_rank.values() for case in cases],
                             where, params)
        by_rank = {rank: [case for case in cases if case in kept]
                   for rank, cases in by_rank.items()}
    shown: list[str] = []
    skip = offset
    for rank in sorted(by_rank):
        cases = by_rank[rank]
        if limit is not None and len(shown) >= limit:
            break
        if skip >= len(cases):
            skip -= len(cases)
            continue
        take = len(cases) - skip if limit is None else min(limit - len(shown),
                                                            len(cases) - skip)
        shown.extend(_in_activity_order(db, cases, take, skip))
        skip = 0
    total = sum(len(cases) for cases in by_rank.values())
    return CasePage(_summaries(db, shown), total, complete)


def _in_activity_order(db: Database, ids: list[str], take: int, skip: int) -> list[str]:
    """*take* of *ids* after the first *skip*, newest activity first (then id). Many are
    looked for first among the newest cases, walking the list in order of activity (an
    index, case_file_activity) no further than their number of steps: enough when they are
    a good part of the list, and the walk stops as soon as it has them. Otherwise (few, or
    bunched among older cases, like the references of one year) each one's activity is read
    by its id from case_file_id_activity (migration 0014), not from the case's row, and
    SQLite sorts them. (A step of the walk costs less than reading a case by its id, so a
    walk that finds too few at most doubles the work.)"""
    if len(ids) > _WALK_PAST:
        wanted, found = set(ids), []
        for (case,) in db.execute("SELECT cf.id FROM case_file cf INDEXED BY "
                                  "case_file_activity ORDER BY cf.updated_at DESC, cf.id "
                                  "LIMIT ?", [len(ids)]):
            if case in wanted:
                found.append(case)
                if len(found) == skip + take:
                    return found[skip:]
    return [case for (case,) in db.execute(
        "SELECT cf.id FROM json_each(:ids) i CROSS JOIN case_file cf "
        "INDEXED BY case_file_id_activity ON cf.id = i.value "
        "ORDER BY cf.updated_at DESC, cf.id LIMIT :take OFFSET :skip",
        {"ids": json.dumps(ids), "take": take, "skip": skip})]


def _first_in_order(db: Database, hits: Hits, where: list[str], params: dict[str, Any],
                    limit: int | None, offset: int) -> CasePage:
    """Short words matching many cases: the first *limit* of them by newest activity, found
    by walking the case list in that order (case_file_activity) and checking each case's
    own details, so a one-letter search reads a few hundred cases rather than all of them;
    with a state chosen, one pass over the cases in that state alone gives the page and the
    number. (So many matches by one or two letters are not put in family-name order.)"""
    if not hits.complete:
        return _very_common(db, hits, where, params, limit, offset)
    condition, words = header_condition(hits.short_words)
    params = {**params, **words}
    if "state" in params and len(where) == 1:  # the state alone: Open or Closed cases
        ids, total = in_state(db, hits.count, condition, params, limit, offset)
        return CasePage(_summaries(db, ids), total)
    if "state" in params and limit != 0:  # one pass over the cases in that state
        ids, total = _counted(db, [*where, condition], params, limit, offset)
        return CasePage(_summaries(db, ids), total)
    sql = " WHERE " + " AND ".join([*where, condition])
    total = hits.count if not where else db.execute(
        "SELECT count(*) FROM case_file cf" + sql, params).fetchone()[0]
    if limit == 0:
        return CasePage([], total)
    listing = f"SELECT cf.id FROM case_file cf INDEXED BY {_walked(params)}" + sql + \
        " ORDER BY cf.updated_at DESC, cf.id" + _page(limit, offset, params)
    return CasePage(_summaries(db, [row[0] for row in db.execute(listing, params)]), total)


def _walked(params: dict[str, Any]) -> str:
    """The index to walk the case list by in order of newest activity: with a state chosen
    (the open cases, usually), the cases in that state alone (case_file_listing)."""
    return "case_file_listing" if "state" in params else "case_file_activity"


def _very_common(db: Database, hits: Hits, where: list[str], params: dict[str, Any],
                 limit: int | None, offset: int) -> CasePage:
    """Words in the own details of so many cases that their notes were not looked through
    (search.MOST_OWN): those cases by newest activity, every one of them reached as the
    list is scrolled. Found by walking the newest cases (in the chosen state alone, when
    there is one) until the page is full; when they are mostly older, every one is listed
    from the index and put in order by SQLite. The number is at least what is said: in a
    state, counted up to _MOST_COUNTED; otherwise the walk's, or all of them when sorted."""
    condition, words = header_condition(hits.short_words)
    if limit == 0:  # the number alone (the open cases found none: how many closed ones?)
        return CasePage([], db.execute("SELECT count(*) FROM case_file cf" + _where(
            [*where, condition]), {**params, **words}).fetchone()[0], False)
    walked = _walk(db, hits.short_words, where, params, limit, offset)
    if walked is None:
        ids, total = _in_order_of(db, hits.short_words, where, params, limit, offset)
    elif "state" in params and len(walked) == limit:
        ids, total = walked, offset + most_in_state(db, hits.count, where, condition,
                                                    {**params, **words}, _MOST_COUNTED)
    else:
        ids, total = walked, 0 if where else hits.count
    return CasePage(_summaries(db, ids), max(total, offset + len(ids)), False)


_MOST_COUNTED = 1000
"""The cases in a state that a very common word's number counts up to (see _very_common)."""


def _counted(db: Database, where: list[str], params: dict[str, Any], limit: int | None,
             offset: int) -> tuple[list[str], int]:
    """The page of the cases *where* holds for, by newest activity, and how many there are,
    from one pass over the cases (in the chosen state alone, when there is one)."""
    params = dict(params)
    found = db.execute(
        f"SELECT cf.id, count(*) OVER () FROM case_file cf INDEXED BY {_walked(params)}"
        + _where(where) + " ORDER BY cf.updated_at DESC, cf.id"
        + _page(limit, offset, params), params).fetchall()
    if found:
        return [case for case, _ in found], found[0][1]
    return [], db.execute("SELECT count(*) FROM case_file cf" + _where(where),
                          params).fetchone()[0]


def _own_details_count(db: Database, tokens: tuple[str, ...]) -> int:
    """How many cases' own details have a word starting with each of *tokens*: counted in
    case_search_header, which holds one row for each case."""
    return int(db.execute("SELECT count(*) FROM case_search_header WHERE case_search_header "
                          "MATCH ?", [own_details_match(tokens)]).fetchone()[0])


def _in_order_of(db: Database, tokens: tuple[str, ...], where: list[str],
                 params: dict[str, Any], limit: int | None,
                 offset: int) -> tuple[list[str], int]:
    """The page of the cases whose own details have every word in *tokens* (looked up in
    case_search_header), filtered, by newest activity, and how many there are (counted
    apart: in the index alone when nothing is filtered). SQLite orders and cuts the page,
    keeping only its best rows as it reads (a window counting them all made it sort every
    row in full: 6,327 for "sa-2021" at 50,000 families)."""
    params = {**params, "own": own_details_match(tokens)}
    joined = (" FROM case_search_header h CROSS JOIN search_doc d INDEXED BY "
              "search_doc_row_case ON d.rowid = h.rowid CROSS JOIN case_file cf INDEXED BY "
              "case_file_id_activity ON cf.id = d.case_id"
              + _where(["case_search_header MATCH :own", *where]))
    counted = (_own_details_count(db, tokens) if not where else
               db.execute("SELECT count(*)" + joined, params).fetchone()[0])
    if limit == 0 or offset >= counted:
        return [], counted
    found = [case for (case,) in db.execute(
        "SELECT cf.id" + joined + " ORDER BY cf.updated_at DESC, cf.id"
        + _page(limit, offset, params), params)]
    return found, counted


_MOST_STEPS = 1000
"""Very common words' cases are looked for among this many of the newest cases; when the
page is not there (they are mostly older), every one of them is read and sorted."""


def _walk(db: Database, tokens: tuple[str, ...], where: list[str], params: dict[str, Any],
          limit: int | None, offset: int) -> list[str] | None:
    """The page of the cases whose own details have every word in *tokens*, filtered, by
    newest activity, found among the newest _MOST_STEPS cases (in the chosen state alone, if
    any; among every open case, as they are few); None if it is not there."""
    if limit is None or offset + limit > _MOST_STEPS:
        return None
    index = _walked(params)
    in_state = " WHERE state = :state" if index == "case_file_listing" else ""
    floor = None if params.get("state") == CaseState.OPEN.value else db.execute(
        f"SELECT updated_at FROM case_file INDEXED BY {index}{in_state} "
        "ORDER BY updated_at DESC, id LIMIT 1 OFFSET :steps",
        {**params, "steps": _MOST_STEPS - 1}).fetchone()
    condition, words = header_condition(tokens)
    params = {**params, **words, "floor": floor[0] if floor else ""}
    walked = [case for (case,) in db.execute(
        f"SELECT cf.id FROM case_file cf INDEXED BY {index}"
        + _where([*where, condition, "cf.updated_at >= :floor"])
        + " ORDER BY cf.updated_at DESC, cf.id" + _page(limit, offset, params), params)]
    return walked if len(walked) == limit or floor is None else None


_NAME_CHECK_LIMIT = 5000  # more matches than this: a word too short to be a name search


_STATES = {s.value: s for s in CaseState}
_STATUSES = {s.value: s for s in ChildStatus}
_AREAS = {a.value: a for a in AreaOfNeed}


def _summaries(db: Database, ids: list[str]) -> list[CaseSummary]:
    """The list's summary of each case in *ids*, in that order."""
    by_id = {}
    # Plain tuples and dictionary look-ups: this runs for 200 rows on every keystroke.
    for (case_id, reference, family_name, adviser, state, opened_on, updated_at, children,
         statuses, areas, next_due, inactive) in db.execute(
            _LIST_SQL + " WHERE cf.id IN (SELECT value FROM json_each(:ids))",
            {"ids": json.dumps(ids)}):
        opened = to_date(opened_on)
        assert opened is not None
        by_id[case_id] = CaseSummary(
            id=case_id, reference=reference, family_name=family_name,
            children=children or "", adviser=adviser, state=_STATES[state],
            opened_on=opened,
            statuses=frozenset(_STATUSES[s] for s in (statuses or "").split(",") if s),
            areas=frozenset(_AREAS[a] for a in (areas or "").split(",") if a),
            next_task_due=to_date(next_due), updated_at=updated_at,
            inactive=bool(inactive) and state == CaseState.OPEN.value)
    return [by_id[i] for i in ids if i in by_id]
