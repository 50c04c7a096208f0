"""The mediation wizard's rules: which decisions can be appealed, when a certificate is needed,
who arranges mediation, which step comes next, and what is missing at each step.
(SEND Regs 2014 Part 2; CFA 2014 ss.51-57; send-rules.md section 1.)"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import IntEnum, StrEnum

from adviser_app.domain.statutory.events import DeadlineMark
from adviser_app.domain.statutory.mediation_rules import AgreedAction
from adviser_app.domain.validation import Problem


class Decision(StrEnum):
    REFUSE_ASSESS = "refuse_assess"
    REFUSE_PLAN = "refuse_plan"
    PLAN_CONTENTS = "plan_contents"
    REFUSE_REASSESS = "refuse_reassess"
    REFUSE_AMEND = "refuse_amend"
    CEASE = "cease"
    HEALTH_CARE = "health_care"
    DISCRIMINATION = "discrimination"

    @property
    def label(self) -> str:
        return _DECISIONS[self][0]


_DECISIONS: dict[Decision, tuple[str, str]] = {
    Decision.REFUSE_ASSESS: ("Refusal to carry out an EHC needs assessment", "s.51(2)(a)"),
    Decision.REFUSE_PLAN: ("Refusal to issue an EHC plan after assessment", "s.51(2)(b)"),
    Decision.PLAN_CONTENTS: ("What the EHC plan says (Sections B, F or I)", "s.51(2)(c)"),
    Decision.REFUSE_REASSESS: ("Refusal to carry out a re-assessment", "s.51(2)(d)"),
    Decision.REFUSE_AMEND: ("Refusal to amend the plan after a review or re-assessment",
                            "s.51(2)(e)"),
    Decision.CEASE: ("Decision to stop maintaining the EHC plan", "s.51(2)(f)"),
    Decision.HEALTH_CARE: ("Health or social care provision in the plan", "CoP 11.31"),
    Decision.DISCRIMINATION: ("Disability discrimination by a school", "Equality Act 2010"),
}


_PHRASES: dict[Decision, str] = {
    Decision.REFUSE_ASSESS: "decision not to carry out an EHC needs assessment",
    Decision.REFUSE_PLAN: "decision not to issue an EHC plan after the assessment",
    Decision.PLAN_CONTENTS: "decision about what the EHC plan says",
    Decision.REFUSE_REASSESS: "decision not to carry out a re-assessment",
    Decision.REFUSE_AMEND: "decision not to amend the EHC plan",
    Decision.CEASE: "decision to stop maintaining the EHC plan",
    Decision.HEALTH_CARE: "decision about the health or social care provision in the EHC plan",
}


def decision_phrase(decision: Decision, sections: frozenset[str] = frozenset()) -> str | None:
    """How a letter names the decision after "your" or "the local authority's": "decision
    not to carry out an EHC needs assessment". None for a discrimination claim (no letters)."""
    phrase = _PHRASES.get(decision)
    if phrase and decision is Decision.PLAN_CONTENTS and sections:
        names = sorted(sections)
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        phrase += f" in Section{'s' if len(names) > 1 else ''} {joined}"
    return phrase


@dataclass(frozen=True)
class Rights:
    appeal: bool
    certificate_needed: bool
    mediation_possible: bool
    explanation: str
    source: str
    claim: bool = False  # a discrimination claim to the Tribunal: not an appeal


def rights(decision: Decision, sections: frozenset[str] = frozenset()) -> Rights:
    """Can the parent appeal, is a certificate needed first, and can mediation help?"""
    head = _DECISIONS[decision][1]
    if decision is Decision.DISCRIMINATION:
        return Rights(False, False, False,
                      "A disability discrimination claim is not an appeal: it is a claim made "
                      "to the SEND Tribunal under the Equality Act 2010. It must reach the "
                      "Tribunal within 6 months starting with the conduct complained of (the "
                      "Tribunal can accept a late claim, but do not rely on that). No "
                      "mediation certificate is needed, and mediation under the Children and "
                      "Families Act does not apply.",
                      "Equality Act 2010 Sch 17 para 4; IPSEA", claim=True)
    if decision is Decision.HEALTH_CARE:
        return Rights(False, False, True,
                      "Health and social care provision cannot be appealed on its own, but it "
                      "can be mediated. (The Tribunal can make recommendations about it only "
                      "inside an appeal about education.)", "CoP 11.31; CFA 2014 s.53-54")
    if decision is Decision.PLAN_CONTENTS and sections and sections <= {"I"}:
        return Rights(True, False, True,
                      "An appeal only about the school or setting named in Section I does not "
                      "need a mediation certificate: you can appeal straight to the Tribunal. "
                      "Mediation is still possible if you want it.",
                      f"CFA 2014 {head}(iii)-(iv); SEND Regs 2014 reg 33; IPSEA")
    return Rights(True, True, True,
                  "You can appeal to the SEND Tribunal, but first you must contact a mediation "
                  "adviser and get a mediation certificate, whether or not you then choose "
                  "mediation.", f"CFA 2014 {head}; s.55; SEND Regs 2014 regs 32-33")


class Choice(StrEnum):
    UNDECIDED = "undecided"
    CERTIFICATE_ONLY = "certificate_only"
    MEDIATION = "mediation"


class Issue(StrEnum):
    EDUCATION = "education"
    SOCIAL_CARE = "social_care"
    HEALTH = "health"


class Arranger(StrEnum):
    LA = "la"
    LA_WITH_HEALTH = "la_with_health"
    HEALTH_BODY = "health_body"

    @property
    def label(self) -> str:
        return {"la": "The local authority arranges mediation",
                "la_with_health": "The local authority arranges one mediation with the "
                                  "health body (ICB) taking part",
                "health_body": "The health body (ICB) arranges mediation"}[self.value]


def who_arranges(issues: frozenset[Issue]) -> Arranger | None:
    if not issues:
        return None
    if issues == {Issue.HEALTH}:
        return Arranger.HEALTH_BODY
    return Arranger.LA_WITH_HEALTH if Issue.HEALTH in issues else Arranger.LA


class Outcome(StrEnum):
    PENDING = "pending"
    AGREEMENT = "agreement"
    PARTIAL_AGREEMENT = "partial_agreement"  # agreement on some issues, not others
    NO_AGREEMENT = "no_agreement"
    LA_CANNOT_ARRANGE = "la_cannot_arrange"

    @property
    def agreed(self) -> bool:
        """Something was agreed, so there are agreed actions with due dates."""
        return self in (Outcome.AGREEMENT, Outcome.PARTIAL_AGREEMENT)

    @property
    def held(self) -> bool:
        """Mediation took place (whatever came of it)."""
        return self in (Outcome.AGREEMENT, Outcome.PARTIAL_AGREEMENT, Outcome.NO_AGREEMENT)


@dataclass(frozen=True)
class Action:
    """One thing agreed at mediation, with its kind for the reg 44 limits, or a date agreed
    in writing (reg 42(5))."""

    description: str
    kind: AgreedAction
    agreed_due: date | None = None


class Step(IntEnum):
    DECISION = 0
    DATES = 1
    CHOICE = 2
    OUTCOME = 3
    SUMMARY = 4


@dataclass(frozen=True)
class MediationDraft:
    child_id: str = ""
    decision: Decision | None = None
    sections: frozenset[str] = frozenset()
    letter_dated: date | None = None
    letter_sent: date | None = None
    choice: Choice = Choice.UNDECIDED
    adviser_told: date | None = None
    certificate_issued: date | None = None
    issues: frozenset[Issue] = frozenset()
    health_provision: str = ""
    la_told: date | None = None
    mediation_date: date | None = None
    attendees: str = ""
    supporter: str = ""
    outcome: Outcome = Outcome.PENDING
    concluded: date | None = None  # mediation ended, or the LA said it could not arrange it
    la_party: bool = True
    actions: tuple[Action, ...] = field(default_factory=tuple)
    step: Step = Step.DECISION
    still_open: str = ""  # partial agreement: the issues not resolved (still appealable)
    health_body_told: date | None = None  # health-only: the day the LA told the health body
    conduct_on: date | None = None  # discrimination claim: the conduct complained of
    appeal_registered: date | None = None  # the Tribunal registered the appeal
    marks: tuple[DeadlineMark, ...] = field(default_factory=tuple)  # met / not applicable

    def with_(self, **changes: object) -> MediationDraft:
        return replace(self, **changes)  # type: ignore[arg-type]


def problems(draft: MediationDraft, step: Step, today: date) -> list[Problem]:
    """What must be put right before leaving *step* (Next is allowed when this is empty)."""
    out: list[Problem] = []

    def future(name: str, value: date | None, label: str) -> None:
        if value is not None and value > today:
            out.append(Problem(name, f"{label} can't be in the future."))

    if step is Step.DECISION:
        if not draft.child_id:
            out.append(Problem("child", "Choose the child or young person."))
        if draft.decision is None:
            out.append(Problem("decision", "Choose the decision the parent disagrees with."))
        elif draft.decision is Decision.PLAN_CONTENTS and not draft.sections:
            out.append(Problem("sections", "Tick the sections of the plan in dispute."))
    elif step is Step.DATES and draft.decision is Decision.DISCRIMINATION:
        if draft.conduct_on is None:
            out.append(Problem("conduct_on", "The date of the conduct complained of is needed: "
                                             "the 6-month limit runs from it."))
        future("conduct_on", draft.conduct_on, "The date of the conduct")
    elif step is Step.DATES:
        if draft.letter_sent is None:
            out.append(Problem("letter_sent", "The date the decision letter was sent is "
                                              "needed: the time limits run from it."))
        future("letter_sent", draft.letter_sent, "The date the letter was sent")
        future("letter_dated", draft.letter_dated, "The date on the letter")
        if draft.letter_dated and draft.letter_sent and draft.letter_sent < draft.letter_dated:
            out.append(Problem("letter_sent", "The letter can't be sent before its date."))
    elif step is Step.CHOICE:
        if draft.choice is Choice.MEDIATION and not draft.issues:
            out.append(Problem("issues", "Tick what mediation is about (education, social "
                                         "care, health)."))
        for name, value in (("adviser_told", draft.adviser_told),
                            ("certificate_issued", draft.certificate_issued),
                            ("la_told", draft.la_told), ("mediation_date", draft.mediation_date),
                            ("health_body_told", draft.health_body_told)):
            future(name, value, "That date")
        if draft.la_told and draft.health_body_told and draft.health_body_told < draft.la_told:
            out.append(Problem("health_body_told", "The health body can't be told before the "
                                                   "local authority heard from the parent."))
        if draft.letter_sent:
            for name, value in (("adviser_told", draft.adviser_told),
                                ("la_told", draft.la_told)):
                if value is not None and value < draft.letter_sent:
                    out.append(Problem(name, "That date is before the decision letter was "
                                             "sent."))
    elif step is Step.OUTCOME:
        future("concluded", draft.concluded, "That date")
        if draft.outcome is not Outcome.PENDING and draft.concluded is None:
            out.append(Problem("concluded", "Give the date: when mediation ended, or when the "
                                            "LA said it could not arrange it."))
        if draft.outcome.agreed and not draft.actions:
            out.append(Problem("actions", "Add each thing that was agreed."))
        if draft.outcome is Outcome.PARTIAL_AGREEMENT and not draft.still_open.strip():
            out.append(Problem("still_open", "Say which issues were not agreed: the appeal "
                                             "right stays for them."))
    return out


def steps_for(draft: MediationDraft) -> list[Step]:
    """The steps this disagreement goes through (no outcome step without mediation)."""
    if draft.decision is not None and not rights(draft.decision, draft.sections).mediation_possible:
        return [Step.DECISION, Step.DATES, Step.SUMMARY]
    if draft.choice is Choice.MEDIATION:
        return list(Step)
    return [Step.DECISION, Step.DATES, Step.CHOICE, Step.SUMMARY]


def next_step(draft: MediationDraft, step: Step) -> Step | None:
    route = steps_for(draft)
    if step not in route:
        return route[0]
    at = route.index(step)
    return route[at + 1] if at + 1 < len(route) else None


_ACTIONS_FOR: dict[Decision, tuple[AgreedAction, ...]] = {
    Decision.REFUSE_ASSESS: (AgreedAction.ASSESS,),
    Decision.REFUSE_REASSESS: (AgreedAction.ASSESS,),
    Decision.REFUSE_PLAN: (AgreedAction.MAKE_PLAN,),
    Decision.PLAN_CONTENTS: (AgreedAction.AMEND_SEN_OR_PROVISION, AgreedAction.CHANGE_SCHOOL),
    Decision.REFUSE_AMEND: (AgreedAction.AMEND_SEN_OR_PROVISION, AgreedAction.CHANGE_SCHOOL),
    Decision.CEASE: (AgreedAction.CONTINUE_PLAN, AgreedAction.AMEND_SEN_OR_PROVISION,
                     AgreedAction.CEASE_PLAN),
    Decision.HEALTH_CARE: (),
    Decision.DISCRIMINATION: (),
}


def actions_for(decision: Decision | None, sections: frozenset[str] = frozenset()
                ) -> list[AgreedAction]:
    """The kinds of agreed action that fit the decision disputed (reg 44 limbs), then the
    things that could not have been appealed (reg 42(3))."""
    if decision is None:
        return list(AgreedAction)
    kinds = list(_ACTIONS_FOR[decision])
    if decision is Decision.PLAN_CONTENTS and sections and "I" not in sections:
        kinds.remove(AgreedAction.CHANGE_SCHOOL)
    if decision is Decision.PLAN_CONTENTS and sections == {"I"}:
        kinds.remove(AgreedAction.AMEND_SEN_OR_PROVISION)
    return kinds + [AgreedAction.NOT_APPEALABLE]
