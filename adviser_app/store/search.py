"""Full-text search over each case and everything about it, folded for case and accents.

Each searchable record has one row in search_doc (source "case" for the case with its family,
people and children; "entry:<id>" for a timeline entry; "task:<id>" for a task), so saving a
note re-indexes that note alone. A search matches a case when every typed word starts a word
somewhere in the case, not necessarily in the same record.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlite_utils import Database

from adviser_app.domain.search_text import index_tokens, typed_tokens
from adviser_app.store.settings import get_setting, set_setting

_CASE_WORDS_SQL = """
SELECT cf.reference || ' ' || cf.adviser || ' ' || cf.summary || ' ' || f.family_name
    || ' ' || f.notes AS words, f.family_name AS name
    FROM case_file cf JOIN family f ON f.id = cf.family_id WHERE cf.id = :case
UNION ALL
SELECT p.given_name || ' ' || p.family_name || ' ' || p.postcode || ' ' || p.email || ' '
    || p.phone || ' ' || p.address, '' FROM person p
    JOIN case_file cf ON cf.family_id = p.family_id WHERE cf.id = :case
UNION ALL
SELECT c.given_name || ' ' || c.family_name || ' ' || c.school || ' ' || c.local_authority
    || ' ' || c.notes, ''
    FROM child c JOIN case_file cf ON cf.family_id = c.family_id WHERE cf.id = :case
"""


def _folded(texts: list[str]) -> str:
    words: list[str] = []
    for text in texts:
        words.extend(index_tokens(text or ""))
    return " ".join(words)


def folded_words(text: str | None) -> str:
    """*text* as the search words it is indexed by."""
    return _folded([text or ""])


_PUT = ("INSERT INTO search_doc (case_id, source, words) VALUES (?, ?, ?) "
        "ON CONFLICT(case_id, source) DO UPDATE SET words = excluded.words "
        "WHERE words != excluded.words")


def _put(db: Database, case_id: str, source: str, words: str) -> None:
    db.execute(_PUT, [case_id, source, words])


_PUT_MANY = ("INSERT INTO search_doc (case_id, source, words) "
             "SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?) WHERE true "
             "ON CONFLICT(case_id, source) DO UPDATE SET words = excluded.words "
             "WHERE words != excluded.words")


def index_records(db: Database, records: list[tuple[str, str, str]]) -> None:
    """Many notes or tasks at once (a page pulled from the hub): (case, source, text) each,
    indexed as index_entry and index_task do, in ONE statement. (The full-text index writes
    its pending words out at every statement that touches it: an executemany of 2,000 rows
    wrote 2,000 tiny segments to merge, about three times the work of one statement.)"""
    if records:
        db.execute(_PUT_MANY, [json.dumps([(case_id, source,
                                            " ".join(index_tokens(text or "")))
                                           for case_id, source, text in records],
                                          ensure_ascii=False)])


_PUT_HEADER = ("INSERT INTO search_doc (case_id, source, words, name_words) "
               "VALUES (?, 'case', ?, ?) ON CONFLICT(case_id, source) DO UPDATE SET "
               "words = excluded.words, name_words = excluded.name_words "
               "WHERE words != excluded.words OR name_words != excluded.name_words")


def index_case_header(db: Database, case_id: str) -> None:
    """The case itself with its family, people and children; and, apart, the words of the
    family's name (name_words, indexed by case_search_name: migration 0013)."""
    rows = db.execute(_CASE_WORDS_SQL, {"case": case_id}).fetchall()
    db.execute(_PUT_HEADER, [case_id, _folded([words for words, _ in rows]),
                             _folded([name for _, name in rows])])


def index_entry(db: Database, case_id: str, entry_id: str, body: str) -> None:
    _put(db, case_id, f"entry:{entry_id}", _folded([body]))


def index_task(db: Database, case_id: str, task_id: str, title: str) -> None:
    _put(db, case_id, f"task:{task_id}", _folded([title]))


def reindex_case(db: Database, case_id: str) -> None:
    """Every record of one case (used when a case is made, and to repair the index)."""
    index_case_header(db, case_id)
    for row in db.query("SELECT id, body FROM timeline_entry WHERE case_id = ?", [case_id]):
        index_entry(db, case_id, row["id"], row["body"])
    for row in db.query("SELECT id, title FROM task WHERE case_id = ?", [case_id]):
        index_task(db, case_id, row["id"], row["title"])


def reindex_family(db: Database, family_id: str) -> None:
    """A family, person or child changed: only the case header rows need new words."""
    for row in db.query("SELECT id FROM case_file WHERE family_id = ?", [family_id]):
        index_case_header(db, row["id"])


def reindex_all(db: Database) -> None:
    """Rebuild the whole index (for repair): first make FTS agree with search_doc, so the
    delete triggers can remove rows cleanly, then fold every record again."""
    db.execute("INSERT INTO case_search (case_search) VALUES ('rebuild')")
    db.execute("DELETE FROM search_doc")
    db.execute("INSERT INTO case_search_header (case_search_header) VALUES ('delete-all')")
    db.execute("INSERT INTO case_search_name (case_search_name) VALUES ('delete-all')")
    for row in db.query("SELECT id FROM case_file"):
        reindex_case(db, row["id"])


INDEX_VERSION = "2"
"""Which words the index holds; "2": other spellings (Đ as dj, ü as ue) and phone numbers
as digits. A case book indexed before is indexed again once, when it is opened."""
INDEX_VERSION_SETTING = "search_index_version"


def bring_index_up_to_date(db: Database) -> bool:
    """Re-index a case book indexed by an older version (once); True if it was. The caller
    holds the transaction."""
    if get_setting(db, INDEX_VERSION_SETTING) == INDEX_VERSION:
        return False
    reindex_all(db)
    set_setting(db, INDEX_VERSION_SETTING, INDEX_VERSION)
    return True


def _prefix(token: str) -> str:
    """FTS5 for "a word starting with *token*" (folded tokens are letters and digits only,
    so quoting them is safe)."""
    return f'"{token}"*'


SHORT_WORD = 3
"""Words shorter than this are too common to look up across every note (a one-letter prefix
matches nearly the whole index); alone, they match names, references and contact details."""


@dataclass(frozen=True)
class Hits:
    scores: dict[str, int]
    """Case id -> score, lower is better: how many typed words were found only in notes and
    tasks, not in the case's own names and details."""
    complete: bool = True
    """False when a word was in so many records that only the newest of them were looked
    through (MOST_RECORDS): the cases found are real matches, but there may be more."""
    short_words: tuple[str, ...] = ()
    """Set when so many cases match that the caller lists them in its own order rather than
    by score: the cases whose own details have a word starting with each of these
    (header_condition), *count* of them in all. Every typed word short and more than
    MANY_CASES cases matching; or (not *complete*: notes were not looked through, and
    *count* is at least MOST_OWN + 1) the words in the own details of more than MOST_OWN
    cases."""
    count: int = 0


MANY_CASES = 1000
"""Past this many cases found by short words alone, they are not listed one by one: the
caller walks the case list in its own order and stops when it has enough (see Hits). One or
two letters say little about which family is meant, so these are listed by newest activity
alone, without putting families named so first (reading and ordering a few thousand cases on
every keystroke cost ten times the walk on a book of 20,000 families)."""

MOST_RECORDS = 2000
"""Searching as you type looks through at most this many records for a word, newest first
(was 5,000: the cases' own details are now looked through in full apart, so this bounds only
which cases are found by a very common word in their notes). The cases' own details (names,
references, contact details) are always looked through in full, in their own index
(own_details_rows), so a reference or a phone number typed is always found, however common
its words are in notes."""

MOST_OWN = 5000
"""Words in the own details of more cases than this are too common to put the families named
so first, or to look for in notes as well: those cases are listed by newest activity (the
caller walks its list), and notes are not looked through."""


def search_hits(db: Database, text: str, state: str | None = None) -> Hits | None:
    """Cases where every typed word starts a word somewhere in the case; None when nothing
    searchable was typed. *state* limits the look-up of short words to cases in that state.

    The cases whose own details have every word are looked up first, in full, in the index
    of the cases' own details (over MOST_OWN of them: listed by the caller's walk).
    Words of SHORT_WORD letters or more are then looked up in the full-text index (each in
    at most MOST_RECORDS records, newest first), and the rarest one leads: the others are
    looked for within its cases. Shorter words are then looked for within the cases found:
    in everything about them when there are few, otherwise (and when every word is short)
    in the cases' own names and details only."""
    tokens = list(dict.fromkeys(typed_tokens(text)))
    if not tokens:
        return None
    long_words = [t for t in tokens if len(t) >= SHORT_WORD]
    short_words = [t for t in tokens if len(t) < SHORT_WORD]
    if not long_words:
        return _short_word_hits(db, short_words, state)
    rows = own_details_rows(db, tokens, MOST_OWN + 1)
    if len(rows) > MOST_OWN:  # the caller lists them in its own order; notes not read
        return Hits({}, False, tuple(tokens), len(rows))

    @cache
    def own() -> frozenset[str]:
        """The cases whose own details have every word (read once, when first needed)."""
        return frozenset(case for (case,) in db.execute(
            "SELECT d.case_id FROM json_each(?) i CROSS JOIN search_doc d "
            "INDEXED BY search_doc_row_case ON d.rowid = i.value", [json.dumps(rows)]))

    hits = _long_word_hits(db, long_words, short_words, state, own)
    if hits.complete:
        return hits
    # A word was in too many notes to look through them all: the cases whose own details
    # have every word are added (a case whose header row was older than the newest records
    # looked through was missed, or scored as found in notes only).
    return Hits({**hits.scores, **dict.fromkeys(own(), 0)}, False)


def own_details_match(tokens: list[str] | tuple[str, ...]) -> str:
    """The case_search_header query for the cases whose own details have a word starting
    with each of *tokens*."""
    return _header_expression(tokens)


def own_details_rows(db: Database, tokens: list[str] | tuple[str, ...],
                     most: int = -1) -> list[int]:
    """The cases whose own details (not their notes or tasks) have a word starting with each
    of *tokens*, as the rowids of their own search_doc rows, through case_search_header: at
    most *most* of them (-1: all)."""
    return [row for (row,) in db.execute(
        "SELECT rowid FROM case_search_header WHERE case_search_header MATCH ? LIMIT ?",
        [own_details_match(tokens), most])]


def _long_word_hits(db: Database, long_words: list[str], short_words: list[str],
                    state: str | None, own: Callable[[], frozenset[str]]) -> Hits:
    """search_hits for typed words of which some are long (see there); *own* gives the
    cases whose own details have every typed word."""
    looked_up = {token: _index_matches(db, token) for token in long_words}
    # The lead: a word whose every record was looked through, with the fewest cases.
    lead = min(long_words, key=lambda t: (not looked_up[t][1], len(looked_up[t][0])))
    found, complete = looked_up[lead]
    scores = {case: 0 if header else 1 for case, header in found.items()}
    for token in long_words:
        if token == lead or not scores:
            continue
        matched, all_of_them = looked_up[token]
        if not all_of_them and len(scores) <= _FEW_CASES:
            matched = _matches_within(db, token, list(scores))  # exact, and few to read
        elif not all_of_them:
            complete = False
        scores = _narrow(scores, matched)
    if short_words and len(scores) > _FEW_CASES and state is None:
        # A case scored 0 has every long word in its own details, so it has the short words
        # there too exactly when it is one of *own*: only the others are read word by word
        # ("sa-2021-4": 6 cases of 1,686, where each was read before).
        others = [case for case, score in scores.items() if score]
        kept = own() | (_header_matches(db, short_words, None, within=others)
                        if others else set())
        return Hits({case: score for case, score in scores.items() if case in kept},
                    complete)
    if short_words and len(scores) > _FEW_CASES:
        if len(scores) > MANY_CASES:
            # A word that starts a word in every case's details (the service's prefix of the
            # references, "sa" in "sa-2021-") rules none out: counted in the index rather
            # than looked for in each of thousands of cases.
            short_words = [t for t in short_words if not _in_every_case(db, t)]
            if not short_words:
                return Hits(scores, complete)
        in_details = _header_matches(db, short_words, state, within=list(scores))
        return Hits({case: score for case, score in scores.items() if case in in_details},
                    complete)
    for token in short_words:
        if not scores:
            break
        matched = _matches_within(db, token, list(scores))
        scores = _narrow(scores, matched)
    return Hits(scores, complete)


_FEW_CASES = 300


def _narrow(scores: dict[str, int], matched: dict[str, bool]) -> dict[str, int]:
    """The cases in both; a word found only outside the case's own details adds 1."""
    return {case: score + (0 if matched[case] else 1)
            for case, score in scores.items() if case in matched}


def _index_matches(db: Database, token: str) -> tuple[dict[str, bool], bool]:
    """Case id -> whether the match is in the case's own details, through the FTS index,
    from the newest MOST_RECORDS matching records; and whether that was all of them."""
    # Plain tuples, not sqlite-utils' dicts: a common word can match thousands of cases.
    rows = db.execute(
        "SELECT d.case_id, d.source = 'case' FROM (SELECT rowid AS r FROM case_search "
        "WHERE case_search MATCH :match ORDER BY rowid DESC LIMIT :most) newest "
        "JOIN search_doc d INDEXED BY search_doc_row_case ON d.rowid = newest.r",
        {"match": _prefix(token), "most": MOST_RECORDS + 1}).fetchall()
    complete = len(rows) <= MOST_RECORDS
    found: dict[str, bool] = {}
    for case, header in rows[:MOST_RECORDS]:
        found[case] = found.get(case, False) or bool(header)
    return found, complete


def _in_every_case(db: Database, token: str) -> bool:
    """Whether every case's own details have a word starting with *token* (each case has
    one row in case_search_header, so the count of rows matching equals the count of cases
    only if all of them match)."""
    return bool(db.execute(
        "SELECT (SELECT count(*) FROM case_search_header WHERE case_search_header MATCH ?) "
        ">= (SELECT count(*) FROM case_file)", [_prefix(token)]).fetchone()[0])


def _header_matches(db: Database, tokens: list[str], state: str | None,
                    within: list[str] | None = None) -> set[str]:
    """Cases (in *state*, and among *within* if given) whose own details, not their notes or
    tasks, have a word starting with each of *tokens*."""
    params: dict[str, Any] = {f"t{n}": token for n, token in enumerate(tokens)}
    # search_doc_header holds every case's own words together: no notes are read.
    sql = ("SELECT d.case_id FROM search_doc d INDEXED BY search_doc_header "
           "WHERE d.source = 'case' AND "
           + " AND ".join(f"instr(' ' || d.words, ' ' || :t{n}) > 0"
                          for n in range(len(tokens))))
    if state is not None:
        # each case's state read by its id, so the cases *within* are read rather than
        # every case in the state (every closed case: 300 ms at 50,000 families)
        sql += " AND (SELECT state FROM case_file WHERE id = d.case_id) = :state"
        params["state"] = state
    if within is not None:
        sql += " AND d.case_id IN (SELECT value FROM json_each(:within))"
        params["within"] = json.dumps(within)
    return {case for (case,) in db.execute(sql, params)}


def _matches_within(db: Database, token: str, case_ids: list[str]) -> dict[str, bool]:
    """Of *case_ids*, those with a word starting with *token* anywhere in the case."""
    return {case: bool(header) for case, header in db.execute(
        "SELECT d.case_id, max(d.source = 'case') FROM search_doc d "
        "WHERE d.case_id IN (SELECT value FROM json_each(:ids)) "
        "AND instr(' ' || d.words, ' ' || :token) > 0 GROUP BY d.case_id",
        {"ids": json.dumps(case_ids), "token": token})}


def _header_expression(tokens: list[str] | tuple[str, ...]) -> str:
    return " ".join(_prefix(token) for token in tokens)


def _short_word_hits(db: Database, tokens: list[str], state: str | None) -> Hits:
    """Cases whose own details have a word starting with each short word. Counted in the
    details index first (case_search_header, with its one- and two-letter prefix indexes):
    when many match, the caller takes the first of them in its own order (Hits.short_words),
    walking the cases in *state* alone when it is given; when few, they are read from the
    index rather than by scanning every case."""
    expression = _header_expression(tokens)
    count = db.execute("SELECT count(*) FROM case_search_header WHERE case_search_header "
                       "MATCH ?", [expression]).fetchone()[0]
    if count > MANY_CASES:  # (in all states: the caller counts those in *state* itself)
        return Hits({}, short_words=tuple(tokens), count=count)
    sql = ("SELECT d.case_id FROM case_search_header h JOIN search_doc d ON d.rowid = h.rowid "
           "WHERE case_search_header MATCH :match")
    params: dict[str, Any] = {"match": expression}
    if state is not None:
        sql += " AND d.case_id IN (SELECT id FROM case_file WHERE state = :state)"
        params["state"] = state
    return Hits({case: 0 for (case,) in db.execute(sql, params)})


def named_as_typed(db: Database, tokens: list[str], among: list[str]) -> set[str]:
    """Of the cases *among*, those whose family's name has a word starting with one of
    *tokens* (the families named as typed, listed first): looked up in case_search_name
    (migration 0013), whose rows are the cases' own search_doc rows, so no case or family
    is read. The smaller side is matched to the other: the families named (a surname) or
    the cases among (a short word naming thousands of families)."""
    if not tokens:
        return set()
    named = [rowid for (rowid,) in db.execute(
        "SELECT rowid FROM case_search_name WHERE case_search_name MATCH ?",
        [" OR ".join(_prefix(token) for token in tokens)])]
    if len(named) <= len(among):
        wanted = set(among)
        return {case for (case,) in db.execute(
            "SELECT d.case_id FROM json_each(?) i CROSS JOIN search_doc d ON d.rowid = i.value",
            [json.dumps(named)]) if case in wanted}
    rowids = set(named)
    return {case for case, rowid in db.execute(
        "SELECT d.case_id, d.rowid FROM json_each(?) i CROSS JOIN search_doc d "
        "ON d.case_id = i.value AND d.source = 'case'", [json.dumps(among)]) if rowid in rowids}


def header_condition(tokens: tuple[str, ...], column: str = "cf.id") -> tuple[str, dict[str, str]]:
    """SQL true for a case (its id in *column*) whose own details have a word starting with
    each of *tokens*, looked up in that case's details alone; and its parameters."""
    params = {f"h{n}": token for n, token in enumerate(tokens)}
    sql = ("EXISTS (SELECT 1 FROM search_doc d INDEXED BY search_doc_header WHERE d.case_id = "
           f"{column} AND d.source = 'case' AND "
           + " AND ".join(f"instr(' ' || d.words, ' ' || :h{n}) > 0" for n in range(len(tokens)))
           + ")")
    return sql, params
