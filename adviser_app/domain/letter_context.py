"""The values a letter is filled from, taken from one case, with a plain name for each so a
missing one can be asked for by name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from adviser_app.domain.children import describe_age
from adviser_app.domain.statutory.child_clock import DueItem
from adviser_app.domain.statutory.events import DeadlineState, EventKind, StatutoryEvent
from adviser_app.domain.mediation import Arranger, MediationDraft, decision_phrase, who_arranges
from adviser_app.domain.statutory.disagreement_dates import APPEAL_KEY, is_agreement_item
from adviser_app.domain.records import Case, Family, Task, TimelineEntry
from adviser_app.domain.validation import format_long_date as long
from adviser_app.domain.vocab import EntryKind

LABELS = {
    "today": "today's date", "service_name": "the service's name (letterhead settings)",
    "service_phone": "the service's phone number (letterhead settings)",
    "service_email": "the service's email (letterhead settings)", "adviser": "the adviser",
    "parent_name": "the parent's or carer's name", "parent_address": "their address",
    "parent_phone": "their phone number", "parent_email": "their email address",
    "child_name": "the child's name", "child_first_name": "the child's first name",
    "child_dob": "the child's date of birth", "child_age": "the child's age",
    "child_school": "the child's school or setting", "child_year": "the child's year group",
    "child_la": "the local authority", "child_status": "the child's SEN status",
    "child_needs": "the child's areas of need", "case_reference": "the case reference",
    "case_summary": "the case summary", "case_issues": "what the case is about",
    "decision": "the local authority decision (record it under Statutory dates)",
    "decision_date": "the date the decision letter was sent (Statutory dates)",
    "certificate_due": "the date the parent told the mediation adviser they do not want "
                       "mediation (record it in the mediation wizard)",
    "adviser_told": "the date the parent told the mediation adviser (mediation wizard)",
    "appeal_deadline": "the appeal deadline (record the decision letter's date)",
    "appeal_deadline_basis": "the appeal deadline (record the decision letter's date)",
    "decision_yours": "the local authority decision (record it under Statutory dates)",
    "visit_date": "a home visit note (add one to the timeline)",
    "visit_author": "who made the home visit", "visit_notes": "the home visit notes",
    "mediation_issues": "the issues for mediation", "health_provision": "the health provision",
    "evidence": "the evidence list", "send_support_history": "the SEN support so far",
    "agreement_date": "a mediation agreement (record it in the mediation wizard)",
    "mediation_timing": "who arranges mediation (the mediation wizard)",
}

def _appeal_basis(draft: MediationDraft | None) -> str:
    """Why the appeal date is what it is, in the parent's words: it can still move until the
    certificate is issued (HESC Rules r.20(1)(c)), and is settled once the wizard records that
    day."""
    rule = ("2 months after the decision letter was sent, or 1 month after the mediation "
            "certificate is issued if that is later")
    if draft is not None and draft.certificate_issued is not None:
        return (f"That is {rule}; the certificate was issued on "
                f"{long(draft.certificate_issued)}.")
    return f"That is {rule}, so the date may move once the certificate is issued."


_TIMING_LA = ("Where health care is one of the issues, please tell the health body (integrated "
              "care board) within 3 working days, as the regulations require. Mediation should "
              "be arranged within 30 days of you receiving this request.")
_TIMING_HEALTH_ONLY = ("As mediation is about health provision only, please tell the health "
                       "body (integrated care board) within 3 working days of receiving this "
                       "request, as the regulations require; the health body must then arrange "
                       "mediation within 30 days of hearing from you.")

_DECISIONS = {
    EventKind.DECISION_NOT_TO_ISSUE: "decision not to issue an EHC plan",
    EventKind.FINAL_PLAN_ISSUED: "decision about what the EHC plan says",
    EventKind.FINAL_AMENDED_PLAN_ISSUED: "decision about what the amended EHC plan says",
}


def decision_text(event: StatutoryEvent) -> str | None:
    """What the parent would appeal against, if this event is an appealable decision, as
    words that follow "your" or "the local authority's"."""
    outcome = event.details.params.get("outcome")
    if event.kind is EventKind.ASSESSMENT_DECISION and outcome == "refuse":
        return "decision not to carry out an EHC needs assessment"
    if event.kind is EventKind.REASSESSMENT_DECISION and outcome == "refuse":
        return "decision not to carry out a re-assessment"
    if event.kind is EventKind.REVIEW_DECISION and outcome == "not_amend_after_notice":
        return "decision not to amend the EHC plan after proposing amendments"
    if event.kind is EventKind.REVIEW_DECISION and outcome in ("keep", "cease"):
        return ("decision not to amend the EHC plan" if outcome == "keep"
                else "decision to stop maintaining the EHC plan")
    return _DECISIONS.get(event.kind)


@dataclass(frozen=True)
class RecordedDecision:
    """The decision a letter is about: where it was recorded, for which child, and when."""

    source_id: str  # the statutory event's id, or "disagreement:<id>"
    child_id: str
    letter_sent: date
    phrase: str
    draft: MediationDraft | None = None


def latest_decision(events: Sequence[StatutoryEvent],
                    disagreements: Sequence[tuple[str, MediationDraft]]
                    ) -> RecordedDecision | None:
    found: list[tuple[date, int, RecordedDecision]] = []
    for event in events:
        phrase = decision_text(event)
        if phrase:
            found.append((event.event_date, 0, RecordedDecision(
                event.id, event.details.child_id, event.event_date, phrase)))
    for record_id, draft in disagreements:
        phrase = decision_phrase(draft.decision, draft.sections) if draft.decision else None
        if phrase and draft.letter_sent is not None:
            found.append((draft.letter_sent, 1, RecordedDecision(
                f"disagreement:{record_id}", draft.child_id, draft.letter_sent, phrase, draft)))
    return max(found, key=lambda f: (f[0], f[1]))[2] if found else None


def _decision_item(deadlines: Sequence[DueItem], decision: RecordedDecision,
                   wanted: Callable[[str], bool]) -> DueItem | None:
    """The case's own date (as on Statutory dates and in the Deadlines view) for this
    decision: from its record, or the record that stands for it (one decision, one set)."""
    mine = [i for i in deadlines if wanted(i.deadline.key)
            and i.event.details.child_id == decision.child_id
            and (i.event.id == decision.source_id
                 or ("Decision letter sent", decision.letter_sent) in i.deadline.inputs)]
    mine.sort(key=lambda i: i.event.id != decision.source_id)
    return mine[0] if mine else None


NO_MEDIATION_CERTIFICATE = "certificate_no_mediation"
_STATE_WORDS = {DeadlineState.MET: "Done", DeadlineState.NOT_APPLICABLE: "Not needed",
                DeadlineState.MISSED: "Done late"}


@dataclass(frozen=True)
class LetterContext:
    values: dict[str, str]
    tables: dict[str, list[tuple[str, ...]]]
    parent_lines: tuple[str, ...] = ()
    """The parent's name and address, a line each, for an address block."""

    def missing_labels(self, names: Sequence[str]) -> list[str]:
        return [LABELS.get(n, n.replace("_", " ")) for n in names]


def build_context(*, case: Case, family: Family, tasks: Sequence[Task],
                  deadlines: Sequence[DueItem], events: Sequence[StatutoryEvent],
                  timeline: Sequence[TimelineEntry], letterhead: dict[str, str],
                  today: date, disagreements: Sequence[tuple[str, MediationDraft]] = ()
                  ) -> LetterContext:
    """Every date a letter prints is one of the case's own derived dates (*deadlines*, as on
    Statutory dates and in the Deadlines view) or a date recorded on the case: none is
    worked out again here."""
    v: dict[str, str] = {"today": long(today), "adviser": case.details.adviser,
                         "case_reference": case.reference, "case_summary": case.details.summary,
                         "case_issues": ", ".join(i.label.lower() for i in
                                                  sorted(case.details.issues)),
                         "mediation_timing": _TIMING_LA}
    v.update({f"service_{k}": letterhead.get(k, "") for k in ("name", "phone", "email")})
    parents = [p for p in family.people if p.details.parental_responsibility] or \
        list(family.people)
    parent_lines: tuple[str, ...] = ()
    if parents:
        p = parents[0].details
        v.update(parent_name=p.full_name, parent_phone=p.phone, parent_email=p.email,
                 parent_address=", ".join(p.postal_lines))
        parent_lines = (p.full_name,) + p.postal_lines
    children = [c for c in family.children if c.id in case.details.child_ids] or \
        list(family.children)
    if children:
        c = children[0].details
        v.update(child_name=c.full_name, child_first_name=c.given_name,
                 child_dob=long(c.date_of_birth), child_age=describe_age(c.date_of_birth, today),
                 child_school=c.school, child_year=c.year_group, child_la=c.local_authority,
                 child_status=c.status.label,
                 child_needs="; ".join(a.label.lower() for a in sorted(c.areas_of_need)))
    tables: dict[str, list[tuple[str, ...]]] = {}
    decision = latest_decision(events, disagreements)
    if decision is not None:
        v.update(decision=f"the local authority's {decision.phrase}",
                 decision_yours=f"your {decision.phrase}",
                 decision_date=long(decision.letter_sent))
        appeal = _decision_item(deadlines, decision, lambda key: key == APPEAL_KEY)
        if appeal is not None:
            v["appeal_deadline"] = long(appeal.deadline.due)
            v["appeal_deadline_basis"] = _appeal_basis(decision.draft)
        # the letter's words give this date as 3 working days after the parent said "no
        # mediation" (reg 34(1)): never the date after mediation or after the LA gave up
        certificate = _decision_item(deadlines, decision,
                                     lambda key: key == NO_MEDIATION_CERTIFICATE)
        if certificate is not None:
            v["certificate_due"] = long(certificate.deadline.due)
        if decision.draft is not None:
            if decision.draft.adviser_told is not None:
                v["adviser_told"] = long(decision.draft.adviser_told)
            if decision.draft.health_provision:
                v["health_provision"] = decision.draft.health_provision
            if who_arranges(decision.draft.issues) is Arranger.HEALTH_BODY:
                v["mediation_timing"] = _TIMING_HEALTH_ONLY
    # an agreement only where the case itself shows its dates (not, say, a record whose
    # decision became a discrimination claim after a mediation choice was made)
    with_dates = {i.event.id for i in deadlines if is_agreement_item(i.deadline.key)}
    agreed = [(record_id, d) for record_id, d in disagreements
              if d.outcome.agreed and d.concluded is not None
              and f"disagreement:{record_id}" in with_dates]
    if agreed:
        record_id, last = max(agreed, key=lambda pair: pair[1].concluded or today)
        assert last.concluded is not None
        v["agreement_date"] = long(last.concluded)
        tables["agreed_actions"] = [
            (i.deadline.label, long(i.deadline.due),
             _STATE_WORDS.get(i.state) or ("Overdue" if i.deadline.due < today else "Due"))
            for i in deadlines if i.event.id == f"disagreement:{record_id}"
            and is_agreement_item(i.deadline.key)]
    visits = [e for e in timeline if e.details.kind is EntryKind.HOME_VISIT]
    if visits:
        visit = max(visits, key=lambda e: e.details.entry_date)
        v.update(visit_date=long(visit.details.entry_date), visit_author=visit.details.author,
                 visit_notes=visit.details.body)
    upcoming: list[tuple[date, str, str]] = [
        (i.deadline.due, i.deadline.label, i.deadline.source) for i in deadlines if i.is_open]
    upcoming += [(t.details.due_on, t.details.title, "Task") for t in tasks
                 if not t.done and t.details.due_on]
    soon: list[tuple[str, ...]] = [(long(d), what, why) for d, what, why in
                                   sorted(upcoming) if d >= today]
    next_dates = soon[:8]
    overdue: list[tuple[str, ...]] = [(long(d), what, why) for d, what, why in
                                      sorted(upcoming) if d < today]
    schedule: list[tuple[str, ...]] = [(long(i.deadline.due), i.deadline.label,
                                        i.state.label, i.deadline.source) for i in deadlines]
    tables.update({"next_dates": next_dates, "overdue": overdue, "deadline_table": schedule})
    return LetterContext(v, tables, parent_lines)
