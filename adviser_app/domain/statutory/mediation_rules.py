"""Mediation and after-mediation time limits (SEND Regs 2014 Part 2, regs 33-45)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from enum import StrEnum

from adviser_app.domain.statutory.working_days import ENGLAND, WorkingDayCalendar
from adviser_app.domain.statutory.deadline import Confidence, Deadline, long
from adviser_app.domain.statutory.periods import add_days, add_months, add_weeks, month_clamped
from adviser_app.domain.validation import plural

__all__ = ["AgreedAction", "mediation_adviser_contact_limit", "mediation_arranged_by",
           "health_body_told_by", "after_agreement", "after_order", "agreed_timescale",
           "health_body_tells_la_by", "unopposed_appeal_deadlines", "UnopposedAppeal"]

_NO_ROLL = "Regulation deadlines do not move off weekends or bank holidays."


def mediation_adviser_contact_limit(decision_letter_sent: date) -> Deadline:
    """Parent or young person must contact the mediation adviser within 2 months (reg 33)."""
    due = add_months(decision_letter_sent, 2)
    text = (f"2 months after the decision letter was sent on {long(decision_letter_sent)} is "
            f"{long(due)}")
    if month_clamped(decision_letter_sent, 2):
        text += " (that month has no such day, so its last day is used)"
    return Deadline(
        key="contact_mediation_adviser", label="Contact the mediation adviser by", due=due,
        source="SEND Regs 2014 reg 33", confidence=Confidence.CONFIRMED,
        explanation=text + ". This limit does not move off weekends or bank holidays.",
        inputs=(("Decision letter sent", decision_letter_sent),),
        note="Say that you wish to appeal and whether you want mediation.")


def mediation_arranged_by(la_told: date) -> Deadline:
    """Mediation the LA arranges (with the health body or not) must be arranged within 30
    calendar days of the LA being told the parent wants it. Health-only mediation: see
    deadlines.health_mediation_deadlines."""
    due = add_days(la_told, 30)
    return Deadline(
        key="mediation_arranged", label="Mediation must be arranged by",
        due=due, source="SEND Regs 2014 (30-day duty; regulation number unconfirmed, "
                        "believed regs 35-37); IPSEA",
        confidence=Confidence.SECONDARY,
        explanation=(f"30 calendar days after the local authority was told you want mediation "
                     f"on {long(la_told)} is {long(due)}."),
        inputs=(("Local authority told", la_told),),
        note=("Sources differ on whether mediation must take place or only be arranged by this "
              "date; if it has not happened by then, ask for a certificate. " + _NO_ROLL))


def health_body_told_by(la_told: date, calendar: WorkingDayCalendar = ENGLAND) -> Deadline:
    """Where health provision is in issue, the LA tells the health body within 3 working days."""
    due = calendar.add_working_days(la_told, 3)
    return Deadline(
        key="health_body_told", label="LA must tell the health body (ICB) by", due=due,
        source="SEND Regs 2014 (regulation number unconfirmed); IPSEA",
        confidence=Confidence.SECONDARY,
        explanation=(f"3 working days after the local authority was told on {long(la_told)} is "
                     f"{long(due)}."),
        inputs=(("Local authority told", la_told),), note=_NO_ROLL)


class AgreedAction(StrEnum):
    """What a mediation agreement (or Tribunal order) requires, for the reg 44 limits."""

    ASSESS = "assess"  # carry out an EHC needs assessment or re-assessment
    MAKE_PLAN = "make_plan"
    AMEND_SEN_OR_PROVISION = "amend_b_f"  # Sections B and/or F
    CHANGE_SCHOOL = "change_school"  # Section I
    CONTINUE_PLAN = "continue_plan"
    CEASE_PLAN = "cease_plan"
    NOT_APPEALABLE = "not_appealable"  # e.g. an EP visit, health or social care provision

    @property
    def label(self) -> str:
        return {
            "assess": "Carry out an EHC needs assessment or re-assessment",
            "make_plan": "Make and maintain an EHC plan",
            "amend_b_f": "Amend the needs or provision in the plan (Sections B and F)",
            "change_school": "Change the school or type of school named (Section I)",
            "continue_plan": "Continue to maintain the plan",
            "cease_plan": "Cease the plan",
            "not_appealable": "Something that could not be appealed (e.g. an assessment visit)",
        }[self.value]


# (key, label, weeks after the agreement, reg 44 limb, confidence)
_REG44: dict[AgreedAction, list[tuple[str, str, int, str, Confidence]]] = {
    AgreedAction.ASSESS: [
        ("will_assess", "LA tells you it will assess", 2, "reg 44(2)(b)", Confidence.CONFIRMED),
        ("no_plan_reasons", "If no plan: LA gives its reasons", 10, "reg 44(2)(b)(i)",
         Confidence.CONFIRMED),
        ("final_plan", "If a plan: final plan issued", 14, "reg 44(2)(b)(ii)",
         Confidence.CONFIRMED)],
    AgreedAction.MAKE_PLAN: [
        ("draft_plan", "Draft EHC plan issued", 5, "reg 44(2)(c)(i)", Confidence.CONFIRMED),
        ("final_plan", "Final EHC plan issued", 11, "reg 44(2)(c)(ii)", Confidence.CONFIRMED)],
    AgreedAction.AMEND_SEN_OR_PROVISION: [
        ("amended_plan", "Amended final plan issued", 5, "reg 44(2)(e)",
         Confidence.SECONDARY)],
    AgreedAction.CHANGE_SCHOOL: [
        ("amended_plan_school", "Amended plan naming the school issued", 2, "reg 44(2)(f)",
         Confidence.SECONDARY)],
    AgreedAction.CONTINUE_PLAN: [
        ("continue_plan", "Plan continues (immediately)", 0, "reg 44 (gov.uk SEND18)",
         Confidence.CONFIRMED)],
    AgreedAction.CEASE_PLAN: [
        ("cease_plan", "Plan ceases (immediately)", 0, "reg 44(2)(a)", Confidence.CONFIRMED)],
}


def after_agreement(agreement: date, action: AgreedAction) -> list[Deadline]:
    """Due dates for one agreed action (reg 42(2) applies reg 44 as if it were an order;
    reg 42(3) gives 2 weeks for anything that could not have been appealed)."""
    if action is AgreedAction.NOT_APPEALABLE:
        due = add_weeks(agreement, 2)
        return [Deadline(
            key="agreed_not_appealable", label="Agreed action done by", due=due,
            source="SEND Regs 2014 reg 42(3)", confidence=Confidence.CONFIRMED,
            explanation=(f"2 weeks after the mediation agreement of {long(agreement)} is "
                         f"{long(due)}."),
            inputs=(("Mediation agreement", agreement),), note=_NO_ROLL)]
    return _reg44(agreement, action, "the mediation agreement", "Mediation agreement",
                  "SEND Regs 2014 reg 42(2) with ",
                  "The agreement is treated like a Tribunal order, so the limit is ")


def after_order(order_date: date, action: AgreedAction, sent: date | None = None
                ) -> list[Deadline]:
    """Due dates after a SEND Tribunal order: reg 44 counts from the date of the order. The
    day it was sent is recorded too, and the explanation says when the two differ."""
    if action is AgreedAction.NOT_APPEALABLE:
        raise ValueError("a Tribunal order is always about an appealable matter")
    out = _reg44(order_date, action, "the Tribunal's order", "Tribunal order",
                 "SEND Regs 2014 ", "The limit is ")
    if sent is None or sent == order_date:
        return out
    gap = (sent - order_date).days
    extra = (f"The order is dated {long(order_date)} but was sent on {long(sent)} "
             f"({plural(abs(gap), 'day')} "
             f"{'later' if gap > 0 else 'earlier'}). Regulation 44 counts from the date of the "
             "order; gov.uk guidance counts from the day it was sent, so the local authority "
             "may argue for the later date.")
    return [replace(d, note=f"{extra} {d.note}", inputs=d.inputs + (("Order sent", sent),))
            for d in out]


def _reg44(start: date, action: AgreedAction, start_phrase: str, input_name: str,
           source_prefix: str, lead: str) -> list[Deadline]:
    out = []
    for key, label, weeks, limb, confidence in _REG44[action]:
        due = add_weeks(start, weeks)
        when = (f"immediately, from {start_phrase} of {long(start)}" if weeks == 0
                else f"{weeks} weeks after {start_phrase} of {long(start)}")
        out.append(Deadline(
            key=key, label=label, due=due, source=source_prefix + limb, confidence=confidence,
            explanation=f"{lead}{when}: {long(due)}.",
            inputs=((input_name, start),), note=_NO_ROLL))
    return out


def agreed_timescale(agreement: date, agreed_due: date, what: str) -> Deadline:
    """A different timescale agreed in writing replaces the default (reg 42(5))."""
    return Deadline(
        key="agreed_in_writing", label=what or "Agreed action done by", due=agreed_due,
        source="SEND Regs 2014 reg 42(5)", confidence=Confidence.CONFIRMED,
        explanation=(f"The parties agreed in writing on {long(agreement)} that this would be "
                     f"done by {long(agreed_due)}; that date replaces the default limit."),
        inputs=(("Mediation agreement", agreement), ("Agreed date", agreed_due)))


def health_body_tells_la_by(agreement: date) -> Deadline:
    """Where the LA was not a party, the health body tells it within 1 week (reg 42(4))."""
    due = add_weeks(agreement, 1)
    return Deadline(
        key="health_body_tells_la", label="Health body tells the LA about the agreement by",
        due=due, source="SEND Regs 2014 reg 42(4)", confidence=Confidence.CONFIRMED,
        explanation=(f"1 week after the mediation agreement of {long(agreement)} is "
                     f"{long(due)}."),
        inputs=(("Mediation agreement", agreement),), note=_NO_ROLL)


class UnopposedAppeal(StrEnum):
    """Which decision the appeal the LA no longer opposes was about (reg 45 limbs)."""

    ASSESS = "assess"  # refusal to assess or re-assess
    MAKE_PLAN = "make_plan"  # refusal to issue a plan after assessment
    CONTENTS = "contents"  # contents of the plan, or a refusal to amend it
    SECTION_I = "section_i"  # only the school or setting named
    SECTION_I_AND_CONTENTS = "section_i_contents"  # Section I, and the contents change too
    CEASE = "cease"
    CEASE_AND_AMEND = "cease_amend"  # ceasing, and the LA agreed to amend the plan

    @property
    def label(self) -> str:
        return {
            "assess": "A refusal to assess or re-assess",
            "make_plan": "A refusal to issue an EHC plan",
            "contents": "What the plan says, or a refusal to amend it",
            "section_i": "Only the school or setting named (Section I)",
            "section_i_contents": "Section I, and other contents are to be changed too",
            "cease": "A decision to cease the plan",
            "cease_amend": "A decision to cease the plan; the LA agreed to amend it",
        }[self.value]


# what the appeal was about, to follow "the appeal about" in an explanation
_REG45_ABOUT = {
    UnopposedAppeal.ASSESS: "a refusal to assess or re-assess",
    UnopposedAppeal.MAKE_PLAN: "a refusal to issue an EHC plan",
    UnopposedAppeal.CONTENTS: "what the plan says, or a refusal to amend it",
    UnopposedAppeal.SECTION_I: "only the school or setting named in Section I",
    UnopposedAppeal.SECTION_I_AND_CONTENTS: "the school or setting named in Section I, with "
                                            "other contents of the plan to change too",
    UnopposedAppeal.CEASE: "a decision to cease the plan",
    UnopposedAppeal.CEASE_AND_AMEND: "a decision to cease the plan, which the local "
                                     "authority agreed to amend instead",
}
_REG45_C = "SEND Regs 2014 reg 45 (as substituted by SI 2015/359)"
_REG45_C2 = "SEND Regs 2014 reg 45 (from a SENDIASS summary; limb not read in SI 2015/359)"
# (key, label, weeks after the LA told the Tribunal, source, confidence)
_REG45: dict[UnopposedAppeal, list[tuple[str, str, int, str, Confidence]]] = {
    UnopposedAppeal.ASSESS: [
        ("will_assess", "LA tells you it will assess", 2, _REG45_C, Confidence.CONFIRMED),
        ("no_plan_reasons", "If no plan: LA gives its reasons", 10, _REG45_C,
         Confidence.CONFIRMED),
        ("final_plan", "If a plan: final plan issued", 14, _REG45_C, Confidence.CONFIRMED)],
    UnopposedAppeal.MAKE_PLAN: [
        ("draft_plan", "Draft EHC plan issued", 5, _REG45_C2, Confidence.SECONDARY),
        ("final_plan", "Final EHC plan issued", 11, _REG45_C2, Confidence.SECONDARY)],
    UnopposedAppeal.CONTENTS: [
        ("amended_plan", "Amended plan issued", 5, _REG45_C, Confidence.CONFIRMED)],
    UnopposedAppeal.SECTION_I: [
        ("amended_plan_school", "Amended plan naming the school issued", 2, _REG45_C2,
         Confidence.SECONDARY)],
    UnopposedAppeal.SECTION_I_AND_CONTENTS: [
        ("amended_plan", "Amended plan (school and other contents) issued", 5, _REG45_C2,
         Confidence.SECONDARY)],
    UnopposedAppeal.CEASE: [
        ("continue_plan", "Plan continues to be maintained (from now)", 0, _REG45_C2,
         Confidence.SECONDARY)],
    UnopposedAppeal.CEASE_AND_AMEND: [
        ("continue_plan", "Plan continues to be maintained (from now)", 0, _REG45_C2,
         Confidence.SECONDARY),
        ("amended_plan", "Amended plan issued (as agreed)", 5, _REG45_C2,
         Confidence.SECONDARY)],
}


def unopposed_appeal_deadlines(la_told_tribunal: date,
                               appealed: UnopposedAppeal | None = None, *,
                               contents_appeal: bool | None = None) -> list[Deadline]:
    """The LA does not oppose an appeal (reg 45 as substituted in 2015): each decision that
    can be appealed has its own limb. (*contents_appeal* is the older yes/no form.)"""
    if appealed is None:
        if contents_appeal is None:
            raise ValueError("say which decision was appealed")
        appealed = UnopposedAppeal.CONTENTS if contents_appeal else UnopposedAppeal.ASSESS
    out = []
    for key, label, weeks, source, confidence in _REG45[appealed]:
        due = add_weeks(la_told_tribunal, weeks)
        when = ("From the day" if weeks == 0
                else f"{plural(weeks, 'week')} after the day")
        out.append(Deadline(
            key=f"unopposed_{key}", label=label, due=due, source=source,
            confidence=confidence,
            explanation=(f"{when} the local authority told the Tribunal, on "
                         f"{long(la_told_tribunal)}, that it would not oppose the appeal about "
                         f"{_REG45_ABOUT[appealed]}: {long(due)}."),
            inputs=(("LA told the Tribunal", la_told_tribunal),), note=_NO_ROLL))
    return out
