"""Full-text search over each case and everything about it, folded for case and accents.

Each searchable record has one row in search_doc (source "case" for the case with its family,
people and children; "entry:<id>" for a timeline entry; "task:<id>" for a task), so saving a
note re-indexes that note alone. A search matches a case when every typed word starts a word
somewhere in the case, not necessarily in the same record.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from adviser_app.domain.search_text import search_tokens

_CASE_WORDS_SQL = """
SELECT cf.reference || ' ' || cf.adviser || ' ' || cf.summary || ' ' || f.family_name
    || ' ' || f.notes AS words FROM case_file cf JOIN family f ON f.id = cf.family_id
    WHERE cf.id = :case
UNION ALL
SELECT p.given_name || ' ' || p.family_name || ' ' || p.postcode || ' ' || p.email || ' '
    || p.phone || ' ' || p.address FROM person p
    JOIN case_file cf ON cf.family_id = p.family_id WHERE cf.id = :case
UNION ALL
SELECT c.given_name || ' ' || c.family_name || ' ' || c.school || ' ' || c.local_authority
    || ' ' || c.notes
    FROM child c JOIN case_file cf ON cf.family_id = c.family_id WHERE cf.id = :case
"""


def _folded(texts: list[str]) -> str:
    words: list[str] = []
    for text in texts:
        words.extend(search_tokens(text or ""))
    return " ".join(words)


def _put(db: Database, case_id: str, source: str, words: str) -> None:
    db.execute("INSERT INTO search_doc (case_id, source, words) VALUES (?, ?, ?) "
               "ON CONFLICT(case_id, source) DO UPDATE SET words = excluded.words "
               "WHERE words != excluded.words", [case_id, source, words])


def index_case_header(db: Database, case_id: str) -> None:
    """The case itself with its family, people and children."""
    rows = db.query(_CASE_WORDS_SQL, {"case": case_id})
    _put(db, case_id, "case", _folded([r["words"] for r in rows]))


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
    for row in db.query("SELECT id FROM case_file"):
        reindex_case(db, row["id"])


def match_expression(text: str) -> str | None:
    """An FTS5 query where every typed word must start a word; None for no words."""
    tokens = list(dict.fromkeys(search_tokens(text)))
    if not tokens:
        return None
    # Folded tokens are letters and digits only, so quoting them is safe.
    return " ".join(f'"{token}"*' for token in tokens)


def hits_subquery(text: str) -> tuple[str, dict[str, Any]] | None:
    """SQL giving (case_id, score) for cases where every typed word matches somewhere in the
    case; None when nothing searchable was typed."""
    tokens = list(dict.fromkeys(search_tokens(text)))
    if not tokens:
        return None
    params: dict[str, Any] = {}
    per_token = []
    for number, token in enumerate(tokens):
        params[f"t{number}"] = f'"{token}"*'
        # bm25() only works while FTS5 drives the scan, so the match runs in its own
        # subquery (LIMIT -1 stops SQLite folding it into the join).
        per_token.append(f"SELECT d.case_id, s.score FROM (SELECT rowid AS r, "
                         f"bm25(case_search) AS score FROM case_search "
                         f"WHERE case_search MATCH :t{number} LIMIT -1) s "
                         f"JOIN search_doc d ON d.rowid = s.r")
    sql = f"SELECT case_id, min(score) AS score FROM ({per_token[0]})"
    if len(per_token) > 1:
        sql += " WHERE " + " AND ".join(
            f"case_id IN (SELECT case_id FROM ({q}))" for q in per_token[1:])
    return sql + " GROUP BY case_id", params
