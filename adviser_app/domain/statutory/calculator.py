"""The deadline calculator's menu: each rule, the inputs it needs, and how to compute it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from adviser_app.domain import deadlines as rules
from adviser_app.domain.statutory.working_days import WorkingDayCalendar
from adviser_app.domain.statutory.deadline import Confidence, Deadline, long
from adviser_app.domain.statutory.ehc_plan_rules import TransferKind
from adviser_app.domain.statutory.mediation_rules import AgreedAction, UnopposedAppeal


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str  # "date", "optional_date", "choice", "number", "flag"
    choices: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Calculation:
    key: str
    label: str
    fields: tuple[Field, ...]
    compute: Callable[[Mapping[str, Any], WorkingDayCalendar], list[Deadline]]


def _working_days(v: Mapping[str, Any], cal: WorkingDayCalendar) -> list[Deadline]:
    start, n = v["start"], int(v["days"])
    due = cal.add_working_days(start, n)
    return [Deadline(key="working_days", label=f"{n} working days after", due=due,
                     source="Working days in England: Monday to Friday less bank holidays",
                     confidence=Confidence.CONFIRMED,
                     explanation=f"{n} working days after {long(start)} is {long(due)}.",
                     inputs=(("Start", start),))]


_CERT_REASONS = (("The parent or young person does not want mediation", "no_mediation"),
                 ("Mediation has concluded", "mediation_concluded"),
                 ("The LA cannot arrange mediation within 30 days", "la_cannot_arrange"))
_ACTIONS = tuple((a.label, a) for a in AgreedAction)
_TRANSFERS = tuple((t.label, t) for t in TransferKind)


def _transfer(v: Mapping[str, Any], _cal: WorkingDayCalendar) -> list[Deadline]:
    kind: TransferKind = v["kind"]
    if kind is TransferKind.POST16_TO_POST16:
        if v.get("move") is None:
            raise ValueError("Enter the date of the move.")
        return [rules.phase_transfer_deadline(kind, move_date=v["move"])]
    if v.get("move") is None:
        raise ValueError("Enter any date in the year of the move (e.g. 01/09/2027).")
    return [rules.phase_transfer_deadline(kind, transfer_year=v["move"].year)]


def _agreement(v: Mapping[str, Any], _cal: WorkingDayCalendar) -> list[Deadline]:
    out = rules.after_agreement(v["date"], v["action"])
    if v.get("la_not_party"):
        out.append(rules.health_body_tells_la_by(v["date"]))
    return out


CALCULATIONS: tuple[Calculation, ...] = (
    Calculation("appeal", "Appeal to the SEND Tribunal", (
        Field("letter", "Decision letter sent", "date"),
        Field("certificate", "Mediation certificate issued (if any)", "optional_date")),
        lambda v, cal: [rules.mediation_adviser_contact_limit(v["letter"]),
                        rules.appeal_deadline(v["letter"], v.get("certificate"), cal)]),
    Calculation("certificate", "Mediation certificate (3 working days)", (
        Field("date", "Date of the trigger", "date"),
        Field("reason", "What happened", "choice", _CERT_REASONS)),
        lambda v, cal: [rules.certificate_due(v["date"], v["reason"], cal)]),
    Calculation("mediation", "Mediation arranged (30 days) and the health body told", (
        Field("date", "Date the LA was told you want mediation", "date"),
        Field("health", "Health provision is one of the issues", "flag")),
        lambda v, cal: [rules.mediation_arranged_by(v["date"])]
        + ([rules.health_body_told_by(v["date"], cal)] if v.get("health") else [])),
    Calculation("health_mediation", "Health-only mediation (the health body arranges it)", (
        Field("date", "Date the LA was told you want mediation", "date"),
        Field("health_told", "Date the LA told the health body (if known)", "optional_date")),
        lambda v, cal: list(rules.health_mediation_deadlines(
            v["date"], v.get("health_told"), cal).values())),
    Calculation("agreement", "After a mediation agreement", (
        Field("date", "Date of the agreement", "date"),
        Field("action", "What was agreed", "choice", _ACTIONS),
        Field("la_not_party", "The LA was not a party (health only)", "flag")), _agreement),
    Calculation("order", "After a SEND Tribunal order", (
        Field("date", "Date of the order", "date"),
        Field("action", "What the order says", "choice",
              tuple(c for c in _ACTIONS if c[1] is not AgreedAction.NOT_APPEALABLE)),
        Field("sent", "Date the order was sent (if different)", "optional_date")),
        lambda v, _cal: rules.after_order(v["date"], v["action"], v.get("sent"))),
    Calculation("unopposed", "The LA will not oppose an appeal (reg 45)", (
        Field("date", "Date the LA told the Tribunal", "date"),
        Field("appealed", "The appeal was about", "choice",
              tuple((u.label, u) for u in UnopposedAppeal))),
        lambda v, _cal: rules.unopposed_appeal_deadlines(v["date"], v["appealed"])),
    Calculation("tribunal_act", "Other Tribunal time limits (working days, no August or "
                "Christmas)", (
        Field("start", "Start date (e.g. the appeal was registered)", "date"),
        Field("days", "Number of working days", "number")),
        lambda v, cal: [rules.tribunal_act_due(v["start"], int(v["days"]), cal)]),
    Calculation("discrimination", "Disability discrimination claim (6 months)", (
        Field("date", "Date of the conduct complained of", "date"),),
        lambda v, _cal: [rules.discrimination_claim_deadline(v["date"])]),
    Calculation("assessment", "EHC needs assessment (6, 16 and 20 weeks)", (
        Field("date", "Request received by the LA", "date"),),
        lambda v, _cal: list(rules.ehc_assessment_deadlines(v["date"]).values())),
    Calculation("advice", "Professional advice (6 weeks)", (
        Field("date", "Advice requested", "date"),),
        lambda v, _cal: [rules.advice_due(v["date"])]),
    Calculation("draft", "Comments on a draft plan (15 days)", (
        Field("date", "Draft plan served", "date"),),
        lambda v, _cal: rules.draft_plan_window(v["date"])),
    Calculation("review_due", "Next annual review (12 months)", (
        Field("date", "Plan made or last reviewed", "date"),),
        lambda v, _cal: [rules.annual_review_due(v["date"])]),
    Calculation("review", "Annual review meeting dates", (
        Field("date", "Date of the review meeting", "date"),),
        lambda v, _cal: rules.annual_review_deadlines(v["date"])),
    Calculation("amend", "Proposed amendments (15 days, 8 weeks)", (
        Field("date", "Notice of proposed amendments sent", "date"),),
        lambda v, _cal: rules.amendment_deadlines(v["date"])),
    Calculation("transfer", "Phase transfer", (
        Field("kind", "Kind of move", "choice", _TRANSFERS),
        Field("move", "Date of the move (or any date in its year)", "date")), _transfer),
    Calculation("reassessment", "Re-assessment", (
        Field("request", "Re-assessment requested", "date"),
        Field("decision", "Decision to re-assess notified (if any)", "optional_date")),
        lambda v, _cal: rules.reassessment_deadlines(v["request"], v.get("decision"))),
    Calculation("working_days", "Add working days", (
        Field("start", "Start date", "date"), Field("days", "Number of working days", "number")),
        _working_days),
)
