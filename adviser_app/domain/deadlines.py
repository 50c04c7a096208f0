"""The statutory clock's stable public API: every SEND deadline rule under one import.

Other code, scripts and checks import these names from here; the rules themselves live in
`adviser_app.domain.statutory` (appeal_and_assessment_rules, ehc_plan_rules, mediation_rules).
    add_working_days(start, n) -> date
    appeal_deadline(decision_letter_sent, certificate_issued=None) -> Deadline
    certificate_due(trigger) -> Deadline
    ehc_assessment_deadlines(request_received) -> dict[str, Deadline]
    annual_review_due(plan_made_or_review_completed) -> Deadline
    tribunal_act_due(start, working_days) -> Deadline
    discrimination_claim_deadline(conduct) -> Deadline
    health_mediation_deadlines(parent_told_la, health_body_told=None) -> dict[str, Deadline]
Regulation deadlines never roll forward; only the Tribunal's appeal deadline does.
"""

from __future__ import annotations

from adviser_app.domain.statutory import appeal_and_assessment_rules as _core
from adviser_app.domain.statutory import ehc_plan_rules as _ehc
from adviser_app.domain.statutory import mediation_rules as _mediation
from adviser_app.domain.statutory.appeal_and_assessment_rules import *  # noqa: F403
from adviser_app.domain.statutory.ehc_plan_rules import *  # noqa: F403
from adviser_app.domain.statutory.mediation_rules import *  # noqa: F403

__all__ = _core.__all__ + _ehc.__all__ + _mediation.__all__
