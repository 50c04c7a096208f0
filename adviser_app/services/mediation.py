"""Saving and reading disagreement records (the mediation wizard's answers)."""

from __future__ import annotations


from adviser_app.domain.mediation import Decision, MediationDraft
from adviser_app.domain.statutory.disagreement_dates import Dated, mediation_dates
from adviser_app.domain.validation import format_date
from adviser_app.services.statutory import calendar_for
from adviser_app.store import audit, cases, disagreements, families
from adviser_app.store.db import Database
from adviser_app.store.errors import CaseBookError


def save(db: Database, case_id: str, draft: MediationDraft, actor: str,
         disagreement_id: str | None = None) -> str:
    """Save the wizard's answers so far (each step saves: leaving half-way keeps them)."""
    if draft.child_id:
        family_id = cases.get_case(db, case_id).family_id
        if families.family_ids_of_children(db, [draft.child_id]) != {family_id}:
            raise CaseBookError("That child is not in this case's family.")
    with db.atomic():
        saved = disagreements.save(db, case_id, draft, actor, disagreement_id)
        audit.record(db, actor, "changed" if disagreement_id else "created", "disagreement",
                     saved, f"step {int(draft.step)}")
    return saved


def load(db: Database, disagreement_id: str) -> tuple[str, MediationDraft]:
    return disagreements.get(db, disagreement_id)


def on_case(db: Database, case_id: str) -> list[tuple[str, MediationDraft]]:
    return disagreements.for_case(db, case_id)


def dates(db: Database, draft: MediationDraft) -> list[Dated]:
    return mediation_dates(draft, calendar_for(db))


def describe(draft: MediationDraft) -> str:
    label = draft.decision.label if draft.decision else "Decision not chosen yet"
    if draft.decision is Decision.DISCRIMINATION:
        when = (f", conduct on {format_date(draft.conduct_on)}" if draft.conduct_on
                else "")
    else:
        when = (f", letter sent {format_date(draft.letter_sent)}" if draft.letter_sent
                else "")
    return f"{label}{when}"
