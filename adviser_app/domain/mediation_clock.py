"""Every date a disagreement record produces, each with its state (open or met by a later
fact recorded in the wizard)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from adviser_app.domain import deadlines as rules
from adviser_app.domain.calendar import ENGLAND, WorkingDayCalendar
from adviser_app.domain.deadline import Deadline
from adviser_app.domain.events import DeadlineState
from adviser_app.domain.mediation import (Arranger, Choice, MediationDraft, Outcome, rights,
                                          who_arranges)
from adviser_app.domain.validation import format_date


@dataclass(frozen=True)
class Dated:
    deadline: Deadline
    state: DeadlineState = DeadlineState.OPEN
    on: date | None = None
    reason: str = ""


def _met(deadline: Deadline, on: date | None, what: str) -> Dated:
    if on is None:
        return Dated(deadline)
    return Dated(deadline, DeadlineState.MET, on, f"Met: {what} on {format_date(on)}.")


def mediation_dates(d: MediationDraft, calendar: WorkingDayCalendar = ENGLAND) -> list[Dated]:
    """Contact limit, certificate, 30-day arrangement, health notice, appeal deadline and the
    after-agreement limits, as far as the record goes."""
    if d.decision is None or d.letter_sent is None:
        return []
    right = rights(d.decision, d.sections)
    out: list[Dated] = []
    if right.certificate_needed:
        contact = rules.mediation_adviser_contact_limit(d.letter_sent)
        told = d.adviser_told or d.la_told
        out.append(_met(contact, told, "the mediation adviser or LA was contacted"))
    certificate_from: date | None = None
    reason = ""
    if d.choice is Choice.CERTIFICATE_ONLY and d.adviser_told:
        certificate_from, reason = d.adviser_told, "no_mediation"
    elif d.choice is Choice.MEDIATION and d.outcome in (Outcome.AGREEMENT,
                                                        Outcome.NO_AGREEMENT) and d.concluded:
        certificate_from, reason = d.concluded, "mediation_concluded"
    elif d.choice is Choice.MEDIATION and d.outcome is Outcome.LA_CANNOT_ARRANGE and d.concluded:
        certificate_from, reason = d.concluded, "la_cannot_arrange"
    if certificate_from is not None and right.certificate_needed:
        out.append(_met(rules.certificate_due(certificate_from, reason, calendar),
                        d.certificate_issued, "the certificate was issued"))
    if d.choice is Choice.MEDIATION and d.la_told:
        arranger = who_arranges(d.issues)
        out.append(_met(rules.mediation_arranged_by(
            d.la_told, health_only=arranger is Arranger.HEALTH_BODY), d.mediation_date or (
            d.concluded if d.outcome in (Outcome.AGREEMENT, Outcome.NO_AGREEMENT) else None),
            "mediation took place"))
        if arranger is Arranger.LA_WITH_HEALTH:
            out.append(Dated(rules.health_body_told_by(d.la_told, calendar)))
    if right.appeal and d.outcome is not Outcome.AGREEMENT:
        out.append(Dated(rules.appeal_deadline(d.letter_sent, d.certificate_issued, calendar)))
    if d.outcome is Outcome.AGREEMENT and d.concluded:
        for action in d.actions:
            if action.agreed_due is not None:
                items = [rules.agreed_timescale(d.concluded, action.agreed_due,
                                                action.description)]
            else:
                items = rules.after_agreement(d.concluded, action.kind)
            out += [Dated(_named(item, action.description)) for item in items]
        if not d.la_party:
            out.append(Dated(rules.health_body_tells_la_by(d.concluded)))
    return out


def _named(deadline: Deadline, description: str) -> Deadline:
    if not description:
        return deadline
    from dataclasses import replace

    return replace(deadline, label=f"{deadline.label}: {description}")
