"""Statutory events on a child: the dated facts (letters, meetings, plans) deadlines come from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    EHC_REQUEST_RECEIVED = "ehc_request_received"
    ADVICE_REQUESTED = "advice_requested"
    ASSESSMENT_DECISION = "assessment_decision"  # outcome: assess | refuse
    DECISION_NOT_TO_ISSUE = "decision_not_to_issue"
    DRAFT_PLAN_SERVED = "draft_plan_served"
    FINAL_PLAN_ISSUED = "final_plan_issued"
    ANNUAL_REVIEW_MEETING = "annual_review_meeting"
    REVIEW_DECISION = "review_decision"  # outcome: keep | amend | cease |
    # not_amend_after_notice (reg 22(4): decided not to amend after proposing amendments)
    AMENDMENT_NOTICE_SENT = "amendment_notice_sent"
    FINAL_AMENDED_PLAN_ISSUED = "final_amended_plan_issued"
    PHASE_TRANSFER = "phase_transfer"  # transfer_kind, transfer_year | move_date
    REASSESSMENT_REQUESTED = "reassessment_requested"
    REASSESSMENT_DECISION = "reassessment_decision"  # outcome: reassess | refuse
    TRIBUNAL_ORDER = "tribunal_order"  # action: an AgreedAction value; sent: iso date
    UNOPPOSED_APPEAL = "unopposed_appeal"  # appealed: an UnopposedAppeal value (older
    # records: contents: bool)
    DISAGREEMENT = "disagreement"  # not stored here: stands for a mediation wizard record

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def group(self) -> str:
        return _GROUPS[self]


_LABELS = {
    EventKind.EHC_REQUEST_RECEIVED: "EHC needs assessment request received by the LA",
    EventKind.ADVICE_REQUESTED: "LA asked a professional for advice",
    EventKind.ASSESSMENT_DECISION: "LA decided whether to assess (letter sent)",
    EventKind.DECISION_NOT_TO_ISSUE: "LA decided not to issue a plan (letter sent)",
    EventKind.DRAFT_PLAN_SERVED: "Draft EHC plan served",
    EventKind.FINAL_PLAN_ISSUED: "Final EHC plan issued",
    EventKind.ANNUAL_REVIEW_MEETING: "Annual review meeting",
    EventKind.REVIEW_DECISION: "LA decision after the annual review (letter sent)",
    EventKind.AMENDMENT_NOTICE_SENT: "Notice of proposed amendments sent",
    EventKind.FINAL_AMENDED_PLAN_ISSUED: "Final amended plan issued",
    EventKind.PHASE_TRANSFER: "Phase transfer coming up",
    EventKind.REASSESSMENT_REQUESTED: "Re-assessment requested",
    EventKind.REASSESSMENT_DECISION: "LA decided whether to re-assess (letter sent)",
    EventKind.TRIBUNAL_ORDER: "SEND Tribunal order (date of the order)",
    EventKind.UNOPPOSED_APPEAL: "LA told the Tribunal it will not oppose the appeal",
    EventKind.DISAGREEMENT: "Disagreement recorded in the mediation wizard",
}

ASSESSMENT, PLAN, REVIEW, TRANSFER, TRIBUNAL = ("EHC needs assessment", "EHC plan",
                                                "Annual review", "Phase transfer",
                                                "Appeals and orders")
_GROUPS = {
    EventKind.EHC_REQUEST_RECEIVED: ASSESSMENT, EventKind.ADVICE_REQUESTED: ASSESSMENT,
    EventKind.ASSESSMENT_DECISION: ASSESSMENT, EventKind.DECISION_NOT_TO_ISSUE: ASSESSMENT,
    EventKind.DRAFT_PLAN_SERVED: PLAN, EventKind.FINAL_PLAN_ISSUED: PLAN,
    EventKind.ANNUAL_REVIEW_MEETING: REVIEW, EventKind.REVIEW_DECISION: REVIEW,
    EventKind.AMENDMENT_NOTICE_SENT: REVIEW, EventKind.FINAL_AMENDED_PLAN_ISSUED: REVIEW,
    EventKind.PHASE_TRANSFER: TRANSFER, EventKind.REASSESSMENT_REQUESTED: ASSESSMENT,
    EventKind.REASSESSMENT_DECISION: ASSESSMENT, EventKind.TRIBUNAL_ORDER: TRIBUNAL,
    EventKind.UNOPPOSED_APPEAL: TRIBUNAL, EventKind.DISAGREEMENT: "Mediation and appeals",
}
GROUPS = (ASSESSMENT, PLAN, REVIEW, TRANSFER, TRIBUNAL, "Mediation and appeals")
RECORDABLE = tuple(k for k in EventKind if k is not EventKind.DISAGREEMENT)

# Which choices each kind needs, with their allowed values.
OUTCOMES: dict[EventKind, dict[str, str]] = {
    EventKind.ASSESSMENT_DECISION: {"assess": "Will assess", "refuse": "Refused to assess"},
    EventKind.REVIEW_DECISION: {"keep": "Keep the plan as it is", "amend": "Amend the plan",
                                "cease": "Cease the plan",
                                "not_amend_after_notice": "Not to amend after all (after a "
                                                          "notice of proposed amendments)"},
    EventKind.REASSESSMENT_DECISION: {"reassess": "Will re-assess",
                                      "refuse": "Refused to re-assess"},
}


@dataclass(frozen=True)
class EventDetails:
    kind: EventKind
    event_date: date
    child_id: str
    params: dict[str, Any] = field(default_factory=dict)
    document: str = ""
    notes: str = ""


@dataclass(frozen=True)
class StatutoryEvent:
    id: str
    case_id: str
    details: EventDetails
    updated_at: str = ""

    @property
    def kind(self) -> EventKind:
        return self.details.kind

    @property
    def event_date(self) -> date:
        return self.details.event_date


class DeadlineState(StrEnum):
    OPEN = "open"
    MET = "met"
    NOT_APPLICABLE = "not_applicable"
    MISSED = "missed"  # derived only (never stored): done, but after the limit had passed

    @property
    def label(self) -> str:
        return {"open": "Open", "met": "Met", "not_applicable": "Not applicable",
                "missed": "Missed"}[self.value]


@dataclass(frozen=True)
class DeadlineMark:
    """A person's note that a deadline was met (with the date) or does not apply (why)."""

    event_id: str
    deadline_key: str
    state: DeadlineState
    on: date | None = None
    reason: str = ""
