"""Opening a new case for a family already known, or editing a case's details."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from adviser_app.domain.forms import case_from_form
from adviser_app.domain.records import Case, CaseDetails, Family
from adviser_app.domain.validation import Checker, Problem, format_date
from adviser_app.domain.vocab import CaseIssue, HeardFrom, ServiceUser, SupportLevel
from adviser_app.services import case_progress, casework
from adviser_app.ui.form_support import (ValidatingForm, check_list, checked_data, combo,
                                         date_field, text_area, text_field)
from adviser_app.ui.case_book.session import Session


def _not_recorded(items: list[tuple[str, object]]) -> list[tuple[str, object]]:
    return [("Not recorded", None)] + items


class CaseFields:
    """Adviser, date opened, issues, children, summary, level of support, who the service
    user is and how they heard of the service."""

    def __init__(self, form: ValidatingForm, session: Session,
                 details: CaseDetails | None = None, family: Family | None = None,
                 prefix: str = "") -> None:
        d = details
        self.session, self.prefix = session, prefix
        self.adviser = form.add_row("Adviser:", prefix + "adviser",
                                    text_field("Adviser", d.adviser if d else session.actor))
        self.opened_on = form.add_row("Date opened:", prefix + "opened_on",
                                      date_field("Date opened",
                                                 d.opened_on if d else session.today()))
        self.issues = form.add_row("What it is about:", prefix + "issues",
                                   check_list("Issues", [(i.label, i) for i in CaseIssue],
                                              sorted(d.issues) if d else ()))
        self.children = None
        if family is not None and family.children:
            chosen = d.child_ids if d else {c.id for c in family.children}
            self.children = form.add_row(
                "Children on the case:", prefix + "children",
                check_list("Children on the case",
                           [(c.details.full_name, c.id) for c in family.children],
                           [c.id for c in family.children if c.id in chosen]))
        self.summary = form.add_row("Summary:", prefix + "summary",
                                    text_area("Case summary", d.summary if d else ""))
        self.summary.setMaximumHeight(90)
        self.level = form.add_row("Level of support:", prefix + "level", combo(
            "Level of support", _not_recorded([(v.label, v) for v in SupportLevel]),
            d.level if d else None))
        self.service_user = form.add_row("Service user:", prefix + "service_user", combo(
            "Who the service user is", _not_recorded([(u.label, u) for u in ServiceUser]),
            d.service_user if d else None))
        self.heard_from = form.add_row("Heard of us from:", prefix + "heard_from", combo(
            "How they heard of the service", _not_recorded([(h.label, h) for h in HeardFrom]),
            d.heard_from if d else None))

    def read(self, child_ids: list[str] | None = None) -> tuple[CaseDetails | None,
                                                                 list[Problem]]:
        if child_ids is None:
            child_ids = [str(c) for c in checked_data(self.children)] if self.children else []
        details, problems = case_from_form(
            adviser=self.adviser.text(), opened_on=self.opened_on.text(),
            issues=[CaseIssue(i) for i in checked_data(self.issues)], child_ids=child_ids,
            summary=self.summary.toPlainText(), today=self.session.today(),
            level=self.level.choice(), service_user=self.service_user.choice(),
            heard_from=self.heard_from.choice())
        return details, [Problem(self.prefix + p.field, p.message) for p in problems]


class CaseDialog(ValidatingForm):
    def __init__(self, session: Session, family: Family, case: Case | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(f"Edit case {case.reference}" if case
                         else f"New case for the {family.family_name} family", parent,
                         scroll=True)
        self.session, self.family, self.case = session, family, case
        self.fields = CaseFields(self, session, case.details if case else None, family)
        self.inactive = self.changed_on = None
        if case is not None and case.closed_on is None:
            self.inactive = self.add_row("Status:", "inactive", combo(
                "Status", [("Open", False), ("Inactive: waiting on the family", True)],
                case.inactive))
        if case is not None:
            self.changed_on = self.add_row("Changes made on:", "changed_on", date_field(
                "Date a new level or status starts", case.closed_on or session.today()))
            self.changed_on.setToolTip("The date a new level of support or status starts "
                                       "(the figures count each from its own date).")
        self.resize(560, 640)
        self.saved_id: str | None = None

    def save(self) -> list[Problem]:
        details, problems = self.fields.read()
        if details is None:
            return problems
        if self.case:
            changed_on = None
            if self.changed_on is not None:
                c = Checker()
                changed_on = c.date("changed_on", "That date", self.changed_on.text(),
                                    required=True, not_after=self.session.today(),
                                    not_before=details.opened_on)
                closed = self.case.closed_on
                if changed_on is not None and closed is not None and changed_on > closed:
                    c.fail("changed_on", "A change can't start after the case closed "
                                         f"({format_date(closed)}).")
                if not c.ok:
                    return c.problems
            casework.update_case(self.session.db, self.case.id, details, self.session.actor,
                                 level_changed_on=changed_on)
            if self.inactive is not None and changed_on is not None:
                case_progress.set_inactive(self.session.db, self.case.id,
                                           bool(self.inactive.choice()), changed_on,
                                           self.session.actor)
            self.saved_id = self.case.id
        else:
            self.saved_id = casework.open_case_for_family(self.session.db, self.family.id,
                                                          details, self.session.actor)
        return []
