"""Opening a new case for a family already known, or editing a case's details."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from adviser_app.domain.forms import case_from_form
from adviser_app.domain.records import Case, CaseDetails, Family
from adviser_app.domain.validation import Problem
from adviser_app.domain.vocab import CaseIssue
from adviser_app.services import casework
from adviser_app.ui.form_support import (ValidatingForm, check_list, checked_data, date_field,
                                         text_area, text_field)
from adviser_app.ui.session import Session


class CaseFields:
    """Adviser, date opened, issues, children and summary."""

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

    def read(self, child_ids: list[str] | None = None) -> tuple[CaseDetails | None,
                                                                 list[Problem]]:
        if child_ids is None:
            child_ids = [str(c) for c in checked_data(self.children)] if self.children else []
        details, problems = case_from_form(
            adviser=self.adviser.text(), opened_on=self.opened_on.text(),
            issues=[CaseIssue(i) for i in checked_data(self.issues)], child_ids=child_ids,
            summary=self.summary.toPlainText(), today=self.session.today())
        return details, [Problem(self.prefix + p.field, p.message) for p in problems]


class CaseDialog(ValidatingForm):
    def __init__(self, session: Session, family: Family, case: Case | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(f"Edit case {case.reference}" if case
                         else f"New case for the {family.family_name} family", parent,
                         scroll=True)
        self.session, self.family, self.case = session, family, case
        self.fields = CaseFields(self, session, case.details if case else None, family)
        self.resize(560, 600)
        self.saved_id: str | None = None

    def save(self) -> list[Problem]:
        details, problems = self.fields.read()
        if details is None:
            return problems
        if self.case:
            casework.update_case(self.session.db, self.case.id, details, self.session.actor)
            self.saved_id = self.case.id
        else:
            self.saved_id = casework.open_case_for_family(self.session.db, self.family.id,
                                                          details, self.session.actor)
        return []
