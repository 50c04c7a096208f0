"""The values a letter is filled from, taken from one case, with a plain name for each so a
missing one can be asked for by name."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from adviser_app.domain import deadlines as rules
from adviser_app.domain.calendar import ENGLAND, WorkingDayCalendar
from adviser_app.domain.children import describe_age
from adviser_app.domain.clock import DueItem
from adviser_app.domain.events import EventKind, StatutoryEvent
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
    "certificate_due": "the certificate due date", "appeal_deadline": "the appeal deadline",
    "visit_date": "a home visit note (add one to the timeline)",
    "visit_author": "who made the home visit", "visit_notes": "the home visit notes",
    "mediation_issues": "the issues for mediation", "health_provision": "the health provision",
    "evidence": "the evidence list", "send_support_history": "the SEN support so far",
    "agreement_date": "a mediation agreement (record it in the mediation wizard)",
}

_DECISIONS = {
    EventKind.DECISION_NOT_TO_ISSUE: "the decision not to issue an EHC plan",
    EventKind.FINAL_PLAN_ISSUED: "the contents of the EHC plan",
    EventKind.FINAL_AMENDED_PLAN_ISSUED: "the contents of the amended EHC plan",
}


def decision_text(event: StatutoryEvent) -> str | None:
    """What the parent would appeal against, if this event is an appealable decision."""
    outcome = event.details.params.get("outcome")
    if event.kind is EventKind.ASSESSMENT_DECISION and outcome == "refuse":
        return "the refusal to carry out an EHC needs assessment"
    if event.kind is EventKind.REASSESSMENT_DECISION and outcome == "refuse":
        return "the refusal to carry out a re-assessment"
    if event.kind is EventKind.REVIEW_DECISION and outcome in ("keep", "cease"):
        return ("the decision not to amend the EHC plan" if outcome == "keep"
                else "the decision to cease the EHC plan")
    return _DECISIONS.get(event.kind)


@dataclass(frozen=True)
class LetterContext:
    values: dict[str, str]
    tables: dict[str, list[tuple[str, ...]]]

    def missing_labels(self, names: Sequence[str]) -> list[str]:
        return [LABELS.get(n, n.replace("_", " ")) for n in names]


def build_context(*, case: Case, family: Family, tasks: Sequence[Task],
                  deadlines: Sequence[DueItem], events: Sequence[StatutoryEvent],
                  timeline: Sequence[TimelineEntry], letterhead: dict[str, str],
                  today: date, calendar: WorkingDayCalendar = ENGLAND) -> LetterContext:
    v: dict[str, str] = {"today": long(today), "adviser": case.details.adviser,
                         "case_reference": case.reference, "case_summary": case.details.summary,
                         "case_issues": ", ".join(i.label.lower() for i in
                                                  sorted(case.details.issues))}
    v.update({f"service_{k}": letterhead.get(k, "") for k in ("name", "phone", "email")})
    parents = [p for p in family.people if p.details.parental_responsibility] or \
        list(family.people)
    if parents:
        p = parents[0].details
        v.update(parent_name=p.full_name, parent_phone=p.phone, parent_email=p.email,
                 parent_address=", ".join(x for x in p.address.splitlines() + [p.postcode]
                                          if x.strip()))
    children = [c for c in family.children if c.id in case.details.child_ids] or \
        list(family.children)
    if children:
        c = children[0].details
        v.update(child_name=c.full_name, child_first_name=c.given_name,
                 child_dob=long(c.date_of_birth), child_age=describe_age(c.date_of_birth, today),
                 child_school=c.school, child_year=c.year_group, child_la=c.local_authority,
                 child_status=c.status.label,
                 child_needs="; ".join(a.label.lower() for a in sorted(c.areas_of_need)))
    appealable = [(e, decision_text(e)) for e in sorted(events, key=lambda e: e.event_date)]
    appealable = [(e, t) for e, t in appealable if t]
    if appealable:
        event, text = appealable[-1]
        v.update(decision=text or "", decision_date=long(event.event_date),
                 appeal_deadline=long(rules.appeal_deadline(event.event_date,
                                                            calendar=calendar).due))
    v["certificate_due"] = long(rules.certificate_due(today, calendar=calendar).due)
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
                 {"open": "Open", "met": "Met", "not_applicable": "Not applicable"}
                 [i.state.value], i.deadline.source) for i in deadlines]
    return LetterContext(v, {"next_dates": next_dates, "overdue": overdue,
                             "deadline_table": schedule})
