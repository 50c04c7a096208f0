"""The fixed vocabularies of the case book: areas of need, statuses, relationships, kinds."""

from __future__ import annotations

from enum import StrEnum


class AreaOfNeed(StrEnum):
    """The four broad areas of need in the SEND Code of Practice (6.28-6.35)."""

    COMMUNICATION = "communication_interaction"
    COGNITION = "cognition_learning"
    SEMH = "social_emotional_mental_health"
    SENSORY_PHYSICAL = "sensory_physical"

    @property
    def label(self) -> str:
        return _AREA_LABELS[self]


_AREA_LABELS = {
    AreaOfNeed.COMMUNICATION: "Communication and interaction",
    AreaOfNeed.COGNITION: "Cognition and learning",
    AreaOfNeed.SEMH: "Social, emotional and mental health",
    AreaOfNeed.SENSORY_PHYSICAL: "Sensory and/or physical",
}


class ChildStatus(StrEnum):
    NO_SEN_SUPPORT = "no_sen_support"
    SEN_SUPPORT = "sen_support"
    ASSESSMENT_REQUESTED = "assessment_requested"
    EHC_PLAN = "ehc_plan"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    ChildStatus.NO_SEN_SUPPORT: "No SEN support",
    ChildStatus.SEN_SUPPORT: "SEN support",
    ChildStatus.ASSESSMENT_REQUESTED: "EHC needs assessment requested",
    ChildStatus.EHC_PLAN: "EHC plan",
}


class Relationship(StrEnum):
    MOTHER = "mother"
    FATHER = "father"
    STEP_PARENT = "step_parent"
    GRANDPARENT = "grandparent"
    FOSTER_CARER = "foster_carer"
    KINSHIP_CARER = "kinship_carer"
    SOCIAL_WORKER = "social_worker"
    YOUNG_PERSON = "young_person"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class ContactMethod(StrEnum):
    PHONE = "phone"
    TEXT = "text"
    EMAIL = "email"
    LETTER = "letter"

    @property
    def label(self) -> str:
        return {"phone": "Phone call", "text": "Text message", "email": "Email",
                "letter": "Letter"}[self.value]


class CaseIssue(StrEnum):
    """What a case is about; several may apply."""

    EHC_ASSESSMENT = "ehc_assessment"
    EHC_PLAN_CONTENT = "ehc_plan_content"
    ANNUAL_REVIEW = "annual_review"
    SEN_SUPPORT = "sen_support"
    PHASE_TRANSFER = "phase_transfer"
    MEDIATION = "mediation"
    TRIBUNAL_APPEAL = "tribunal_appeal"
    EXCLUSION = "exclusion"
    TRANSPORT = "transport"
    ATTENDANCE = "attendance"
    DISABILITY_DISCRIMINATION = "disability_discrimination"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _ISSUE_LABELS[self]


_ISSUE_LABELS = {
    CaseIssue.EHC_ASSESSMENT: "EHC needs assessment",
    CaseIssue.EHC_PLAN_CONTENT: "EHC plan content",
    CaseIssue.ANNUAL_REVIEW: "Annual review",
    CaseIssue.SEN_SUPPORT: "SEN support in school",
    CaseIssue.PHASE_TRANSFER: "Phase transfer",
    CaseIssue.MEDIATION: "Mediation",
    CaseIssue.TRIBUNAL_APPEAL: "SEND Tribunal appeal",
    CaseIssue.EXCLUSION: "Exclusion",
    CaseIssue.TRANSPORT: "Home to school transport",
    CaseIssue.ATTENDANCE: "Attendance / part-time timetable",
    CaseIssue.DISABILITY_DISCRIMINATION: "Disability discrimination",
    CaseIssue.OTHER: "Other",
}


class EntryKind(StrEnum):
    """Kinds of timeline entry."""

    HOME_VISIT = "home_visit"
    PHONE_CALL = "phone_call"
    EMAIL = "email"
    MEETING = "meeting"
    LETTER = "letter"
    NOTE = "note"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class CaseState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
