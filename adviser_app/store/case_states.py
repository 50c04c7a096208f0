"""The case list's Open or Closed filter with typed words (see case_search.find_cases): a
case is open or closed, and the open ones are few, so the closed ones are counted and kept as
the rest of every match rather than each closed case being read (reading every closed case
took 300-500 ms at 50,000 families)."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from adviser_app.domain.vocab import CaseState


def open_matches(db: Database, condition: str, params: dict[str, Any]) -> int:
    """How many open cases *condition* holds for (open cases are few: each is read)."""
    return int(db.execute(
        "SELECT count(*) FROM case_file cf INDEXED BY case_file_listing WHERE "
        "cf.state = :open AND " + condition,
        {**params, "open": CaseState.OPEN.value}).fetchone()[0])


def in_state(db: Database, count: int, condition: str, params: dict[str, Any],
             limit: int | None, offset: int) -> tuple[list[str], int]:
    """Short words matching *count* cases in all, with the case list's Open or Closed filter
    alone: the page by walking the cases in that state in order of activity until it is
    full (case_file_listing), and the number from the open cases alone, which are few (a
    case is open or closed: the closed ones are the rest of *count*). Counting the closed
    ones themselves read every closed case (300-500 ms for "zo" at 50,000 families)."""
    open_ones = open_matches(db, condition, params)
    total = open_ones if params["state"] == CaseState.OPEN.value else count - open_ones
    if limit == 0:
        return [], total
    return [case for (case,) in db.execute(
        "SELECT cf.id FROM case_file cf INDEXED BY case_file_listing WHERE "
        "cf.state = :state AND " + condition + " ORDER BY cf.updated_at DESC, cf.id "
        "LIMIT :limit OFFSET :offset",
        {**params, "limit": -1 if limit is None else limit, "offset": offset})], total


def most_in_state(db: Database, count: int, where: list[str], condition: str,
                  params: dict[str, Any], most: int) -> int:
    """How many cases in the chosen state *where* and *condition* hold for, up to *most*;
    *count*: at least how many cases in all *condition* holds for. With the Closed filter
    alone, at least *count* less the open ones (few) are closed: the closed ones are read
    only when that is short of *most* (counted from the oldest, they were nearly all read
    for "sa-2026": 370 ms at 50,000 families)."""
    if len(where) == 1 and params["state"] == CaseState.CLOSED.value:
        open_cases = db.execute("SELECT count(*) FROM case_file WHERE state = ?",
                                [CaseState.OPEN.value]).fetchone()[0]  # from an index
        if count - open_cases >= most or \
                count - open_matches(db, condition, params) >= most:
            return most
    return int(db.execute(
        "SELECT count(*) FROM (SELECT 1 FROM case_file cf INDEXED BY case_file_listing WHERE "
        + " AND ".join([*where, condition]) + " LIMIT :most)",
        {**params, "most": most}).fetchone()[0])


def kept_in_state(db: Database, ids: list[str], where: list[str],
                  params: dict[str, Any]) -> set[str]:
    """Of the matched cases *ids*, those the filters *where* keep. The Closed filter alone:
    all but the open cases (few, listed from an index); the Closed filter with others: the
    matched cases read by their ids (SQLite read every closed case: 30 to 40 ms for 4,000
    matches at 50,000 families); otherwise as SQLite chooses (the open cases are few)."""
    closed = params.get("state") == CaseState.CLOSED.value
    if closed and len(where) == 1:
        return set(ids) - {case for (case,) in db.execute(
            "SELECT id FROM case_file INDEXED BY case_file_listing WHERE state = ?",
            [CaseState.OPEN.value])}
    sql = (" FROM json_each(:hits) i CROSS JOIN case_file cf ON cf.id = i.value WHERE "
           + " AND ".join(where) if closed else " FROM case_file cf WHERE " + " AND ".join(
               [*where, "cf.id IN (SELECT value FROM json_each(:hits))"]))
    return {case for (case,) in db.execute("SELECT cf.id" + sql,
                                           {**params, "hits": json.dumps(ids)})}
