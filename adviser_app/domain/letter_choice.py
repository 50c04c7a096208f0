"""Which letter or summary a case most likely needs next, from where the case stands, with the
reason in words (the letters dialog opens on it; the adviser can always choose another)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from adviser_app.domain.mediation import Choice
from adviser_app.domain.validation import format_date
from adviser_app.domain.vocab import CaseIssue, ChildStatus


@dataclass(frozen=True)
class CaseStage:
    """What the choice is made from: all of it recorded on the case."""

    decision: str = ""
    """The latest appealable decision, as words after "the local authority's"; empty if none."""
    decision_sent: date | None = None
    choice: Choice | None = None
    """What the family chose in the mediation wizard (None: no wizard record for it)."""
    adviser_told: date | None = None
    certificate_issued: date | None = None
    la_told: date | None = None
    """The day the local authority was asked for mediation."""
    agreement: date | None = None
    open_actions: int = 0
    """Actions agreed at mediation still to be done."""
    issues: frozenset[CaseIssue] = frozenset()
    child_status: ChildStatus | None = None
    kept: Mapping[str, date] = field(default_factory=dict)
    """Template id -> the last day a document from it was kept on the case."""

    def kept_since(self, template_id: str, day: date | None) -> bool:
        last = self.kept.get(template_id)
        return last is not None and (day is None or last >= day)


@dataclass(frozen=True)
class Suggestion:
    template_id: str
    reason: str


def likely_document(stage: CaseStage) -> Suggestion:
    """The latest stage first: an agreement to follow up, then a decision to challenge, then
    an assessment to ask for; otherwise the family's summary. A letter already kept since
    the fact that calls for it is not suggested again."""
    if stage.agreement and stage.open_actions and not stage.kept_since(
            "mediation_follow_up", stage.agreement):
        things = "1 agreed action is" if stage.open_actions == 1 else \
            f"{stage.open_actions} agreed actions are"
        return Suggestion("mediation_follow_up", f"Mediation reached an agreement on "
                          f"{format_date(stage.agreement)} and {things} still to be done.")
    if stage.decision:
        about = (f"the local authority's {stage.decision} (sent "
                 f"{format_date(stage.decision_sent)})")
        if stage.choice is Choice.CERTIFICATE_ONLY and stage.certificate_issued is None \
                and not stage.kept_since("certificate_request",
                                         stage.adviser_told or stage.decision_sent):
            return Suggestion("certificate_request", f"The family does not want mediation "
                              f"about {about}, and no certificate is recorded yet.")
        if stage.choice is Choice.MEDIATION and stage.la_told is None \
                and not stage.kept_since("mediation_request", stage.decision_sent):
            return Suggestion("mediation_request", f"The family wants mediation about "
                              f"{about}, and the request is not recorded as sent.")
        if stage.choice in (None, Choice.UNDECIDED) and not stage.kept_since(
                "case_summary", stage.decision_sent):
            return Suggestion("case_summary", f"The family has still to decide about "
                              f"{about}: the summary gives them the dates.")
    if CaseIssue.EHC_ASSESSMENT in stage.issues and stage.child_status in (
            None, ChildStatus.NO_SEN_SUPPORT, ChildStatus.SEN_SUPPORT) \
            and not stage.kept_since("ehc_assessment_request", None):
        return Suggestion("ehc_assessment_request", "The case is about an EHC needs "
                          "assessment, and no request is recorded yet.")
    return Suggestion("case_summary", "A summary for the family of what is happening and "
                      "the dates coming up.")
