"""The fixed vocabularies of the case book: areas of need, statuses, relationships, kinds."""

from __future__ import annotations

from enum import IntEnum, StrEnum


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


class SupportLevel(IntEnum):
    """The IASS Network's casework intervention levels."""

    INFORMATION = 1
    ADVICE = 2
    CASEWORK = 3
    TRIBUNAL = 4

    @property
    def label(self) -> str:
        return _LEVEL_LABELS[self]


_LEVEL_LABELS = {
    SupportLevel.INFORMATION: "Level 1: information and signposting",
    SupportLevel.ADVICE: "Level 2: advice",
    SupportLevel.CASEWORK: "Level 3: casework and individual support",
    SupportLevel.TRIBUNAL: "Level 4: Tribunal and complex casework",
}


class CaseStatus(StrEnum):
    """Where a case stands: an open case may be inactive while the service waits on the
    family."""

    OPEN = "open"
    INACTIVE = "inactive"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class ServiceUser(StrEnum):
    """Who the service is working with on the case."""

    PARENT_CARER = "parent_carer"
    YOUNG_PERSON = "young_person"
    CHILD = "child"
    PROFESSIONAL = "professional"

    @property
    def label(self) -> str:
        return {"parent_carer": "Parent or carer", "young_person": "Young person (16-25)",
                "child": "Child", "professional": "Professional on their behalf"}[self.value]


class HeardFrom(StrEnum):
    """How the service user heard of the service."""

    SCHOOL = "school"
    LOCAL_AUTHORITY = "local_authority"
    HEALTH = "health"
    SOCIAL_CARE = "social_care"
    VOLUNTARY_SECTOR = "voluntary_sector"
    LOCAL_OFFER = "local_offer"
    INTERNET = "internet"
    FAMILY_FRIEND = "family_friend"
    USED_BEFORE = "used_before"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"school": "School or setting", "local_authority": "Local authority",
                "health": "Health service", "social_care": "Social care",
                "voluntary_sector": "Voluntary or parent group", "local_offer": "Local Offer",
                "internet": "Internet or social media", "family_friend": "Family or friend",
                "used_before": "Used the service before", "other": "Other"}[self.value]


class ContactWay(StrEnum):
    """How a contact on the timeline happened."""

    PHONE = "phone"
    EMAIL = "email"
    HOME_VISIT = "home_visit"
    MEETING = "meeting"
    ONLINE = "online"
    LETTER = "letter"

    @property
    def label(self) -> str:
        return {"phone": "Phone", "email": "Email", "home_visit": "Home visit",
                "meeting": "Meeting in person", "online": "Online (video call)",
                "letter": "Letter"}[self.value]


# The way of contact an entry of each kind suggests (a note is not a contact).
CONTACT_FOR_KIND: dict[EntryKind, ContactWay | None] = {
    EntryKind.HOME_VISIT: ContactWay.HOME_VISIT, EntryKind.PHONE_CALL: ContactWay.PHONE,
    EntryKind.EMAIL: ContactWay.EMAIL, EntryKind.MEETING: ContactWay.MEETING,
    EntryKind.LETTER: ContactWay.LETTER, EntryKind.NOTE: None,
}


class EvaluationAnswer(StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"
    NOT_ANSWERED = "not_answered"

    @property
    def label(self) -> str:
        return {"yes": "Yes", "partly": "Partly", "no": "No",
                "not_answered": "Not answered"}[self.value]
