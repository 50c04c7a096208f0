"""Reading who has given consent to share, for the renewals list in the Deadlines view."""

from __future__ import annotations

from typing import Any

from adviser_app.store.db import Database


def consents_on_open_cases(db: Database) -> list[dict[str, Any]]:
    """Every person whose consent to share is recorded with its date, in a family with an
    open case: the person's name and consent date, and the family's most recently updated
    open case (its id, reference and adviser) and family name."""
    return list(db.query(
        "WITH latest AS (SELECT id, family_id, reference, adviser, row_number() OVER ("
        "    PARTITION BY family_id ORDER BY updated_at DESC, id) AS n "
        "    FROM case_file WHERE state = 'open') "
        "SELECT p.id AS person_id, p.given_name, p.family_name AS person_family_name, "
        "p.consent_date, c.id AS case_id, c.reference, c.adviser, f.family_name "
        "FROM person p JOIN latest c ON c.family_id = p.family_id AND c.n = 1 "
        "JOIN family f ON f.id = p.family_id "
        "WHERE p.consent_to_share = 1 AND p.consent_date IS NOT NULL "
        "ORDER BY p.consent_date, f.family_name"))
