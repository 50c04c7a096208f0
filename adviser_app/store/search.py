"""Full-text search over a case and everything about it, folded for case and accents."""

from __future__ import annotations

from sqlite_utils import Database

from adviser_app.domain.search_text import search_tokens

_WORDS_SQL = """
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
UNION ALL
SELECT t.body FROM timeline_entry t WHERE t.case_id = :case
UNION ALL
SELECT k.title FROM task k WHERE k.case_id = :case
"""


def reindex_case(db: Database, case_id: str) -> None:
    words: list[str] = []
    for row in db.query(_WORDS_SQL, {"case": case_id}):
        words.extend(search_tokens(row["words"] or ""))
    db.execute("DELETE FROM case_search WHERE case_id = ?", [case_id])
    db.execute("INSERT INTO case_search (case_id, words) VALUES (?, ?)",
               [case_id, " ".join(words)])


def reindex_family(db: Database, family_id: str) -> None:
    for row in db.query("SELECT id FROM case_file WHERE family_id = ?", [family_id]):
        reindex_case(db, row["id"])


def reindex_all(db: Database) -> None:
    for row in db.query("SELECT id FROM case_file"):
        reindex_case(db, row["id"])


def match_expression(text: str) -> str | None:
    """An FTS5 query where every typed word must start a word in the case; None for no words."""
    tokens = search_tokens(text)
    if not tokens:
        return None
    # Folded tokens are letters and digits only, so quoting them is safe.
    return " ".join(f'"{token}"*' for token in dict.fromkeys(tokens))
