"""Consent to share due for renewal, across every open case, for the Deadlines view: the
same rule and renewal period (the service's own) as the case header uses."""

from __future__ import annotations

from adviser_app.domain.consent import ConsentDue, consent_renewal
from adviser_app.services.data_protection import consent_renewal_months
from adviser_app.services.due_rows import DueRow
from adviser_app.store import consent as rows
from adviser_app.store.db import Database
from adviser_app.store.rows import to_date

CONSENT_GROUP = "Consent to share"


def open_consent_rows(db: Database) -> list[DueRow[ConsentDue]]:
    """Each recorded consent to share, with the day it is due for renewal, for families with
    an open case (the Deadlines view shows those due soon or overdue)."""
    months = consent_renewal_months(db)
    out = []
    for r in rows.consents_on_open_cases(db):
        given_on = to_date(r["consent_date"])
        if given_on is None:
            continue
        name = f"{r['given_name']} {r['person_family_name']}".strip()
        # the "child" column names the person whose consent it is
        out.append(DueRow(consent_renewal(name, given_on, months), r["case_id"],
                          r["reference"], r["family_name"], name, r["adviser"],
                          CONSENT_GROUP))
    return out
