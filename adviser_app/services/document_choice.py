"""The document a case most likely needs next (the letters dialog opens on it), from what is
recorded on the case: its latest decision and the family's choice, a mediation agreement,
what the case is about, and the documents already kept."""

from __future__ import annotations

from datetime import date, datetime

from adviser_app.domain.letter_choice import CaseStage, Suggestion, likely_document
from adviser_app.domain.letter_context import latest_decision
from adviser_app.domain.statutory.disagreement_dates import is_agreement_item
from adviser_app.services import statutory
from adviser_app.store import cases, disagreements, documents, events, families
from adviser_app.store.db import Database


def likely(db: Database, case_id: str) -> Suggestion:
    case = cases.get_case(db, case_id)
    family = families.get_family(db, case.family_id)
    children = [c for c in family.children if c.id in case.details.child_ids] or \
        list(family.children)
    drafts = disagreements.for_case(db, case_id)
    decision = latest_decision(events.events_for_case(db, case_id), drafts)
    draft = decision.draft if decision else None
    agreed = [(record_id, d) for record_id, d in drafts
              if d.outcome.agreed and d.concluded is not None]
    agreement, open_actions = None, 0
    if agreed:
        record_id, last = max(agreed, key=lambda pair: pair[1].concluded or date.min)
        agreement = last.concluded
        open_actions = sum(1 for i in statutory.case_deadlines(db, case_id)
                           if i.event.id == f"disagreement:{record_id}"
                           and is_agreement_item(i.deadline.key) and i.is_open)
    kept: dict[str, date] = {}
    for doc in documents.documents_for_case(db, case_id):  # newest first
        kept.setdefault(doc.template_id,
                        datetime.fromisoformat(doc.created_at).astimezone().date())
    return likely_document(CaseStage(
        decision=decision.phrase if decision else "",
        decision_sent=decision.letter_sent if decision else None,
        choice=draft.choice if draft else None,
        adviser_told=draft.adviser_told if draft else None,
        certificate_issued=draft.certificate_issued if draft else None,
        la_told=draft.la_told if draft else None,
        agreement=agreement, open_actions=open_actions, issues=case.details.issues,
        child_status=children[0].details.status if children else None, kept=kept))
