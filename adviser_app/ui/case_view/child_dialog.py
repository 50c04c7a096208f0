"""Adding or editing a child or young person."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from adviser_app.domain.children import describe_age
from adviser_app.domain.forms import child_from_form
from adviser_app.domain.records import Child, ChildDetails
from adviser_app.domain.validation import Problem, parse_date
from adviser_app.domain.vocab import AreaOfNeed, ChildStatus
from adviser_app.services import casework
from adviser_app.ui.form_support import (ValidatingForm, check_list, checked_data, combo,
                                         date_field, text_area, text_field)
from adviser_app.ui.case_book.session import Session

YEAR_GROUPS = ["", "Not yet at school", "Nursery", "Reception"] + [
    f"Year {n}" for n in range(1, 14)] + ["Further education", "Apprenticeship",
                                          "Not in education"]


class ChildFields:
    """The child fields, reusable inside the new-case dialog."""

    def __init__(self, form: ValidatingForm, session: Session,
                 details: ChildDetails | None = None, prefix: str = "", *,
                 compact: bool = False) -> None:
        d = details
        self.session, self.prefix = session, prefix
        self.given_name = form.add_row("First name:", prefix + "given_name",
                                       text_field("Child's first name",
                                                  d.given_name if d else ""))
        self.family_name = form.add_row("Surname:", prefix + "family_name",
                                        text_field("Child's surname",
                                                   d.family_name if d else ""))
        self.date_of_birth = form.add_row("Date of birth:", prefix + "date_of_birth",
                                          date_field("Date of birth",
                                                     d.date_of_birth if d else None))
        self.age = QLabel()
        self.age.setAccessibleName("Age")
        form.add_row("Age:", prefix + "age", self.age)
        self.date_of_birth.textChanged.connect(self._show_age)
        self.school = form.add_row("School or setting:", prefix + "school",
                                   text_field("School or setting", d.school if d else ""))
        self.year_group = form.add_row("Year group:", prefix + "year_group",
                                       combo("Year group", [(y or "Not known", y)
                                                            for y in YEAR_GROUPS]))
        if d and d.year_group and not self.year_group.select(d.year_group):
            self.year_group.add_choice(d.year_group, d.year_group)
            self.year_group.select(d.year_group)
        self.local_authority = form.add_row("Local authority:", prefix + "local_authority",
                                            text_field("Local authority",
                                                       d.local_authority if d else ""))
        self.status = form.add_row("SEN status:", prefix + "status",
                                   combo("SEN status", [(s.label, s) for s in ChildStatus],
                                         d.status if d else None))
        self.areas = form.add_row("Areas of need:", prefix + "areas_of_need",
                                  check_list("Areas of need",
                                             [(a.label, a) for a in AreaOfNeed],
                                             sorted(d.areas_of_need) if d else ()))
        self.ehc_issued = date_field("Date the EHC plan was issued",
                                     d.ehc_plan_issued if d else None)
        self.ehc_reviewed = date_field("Date of the last annual review",
                                       d.ehc_plan_last_reviewed if d else None)
        self.notes = text_area("Notes about the child", d.notes if d else "")
        if not compact:
            form.add_row("EHC plan issued:", prefix + "ehc_plan_issued", self.ehc_issued)
            form.add_row("Last annual review:", prefix + "ehc_plan_last_reviewed",
                         self.ehc_reviewed)
            form.add_row("Notes:", prefix + "notes", self.notes)
        self._show_age()

    def _show_age(self) -> None:
        try:
            dob = parse_date(self.date_of_birth.text())
        except ValueError:
            self.age.setText("")
            return
        self.age.setText(describe_age(dob, self.session.today()))

    def read(self) -> tuple[ChildDetails | None, list[Problem]]:
        details, problems = child_from_form(
            given_name=self.given_name.text(), family_name=self.family_name.text(),
            date_of_birth=self.date_of_birth.text(), school=self.school.text(),
            year_group=self.year_group.choice() or "",
            local_authority=self.local_authority.text(),
            areas_of_need=[AreaOfNeed(a) for a in checked_data(self.areas)],
            status=self.status.choice(), ehc_plan_issued=self.ehc_issued.text(),
            ehc_plan_last_reviewed=self.ehc_reviewed.text(), notes=self.notes.toPlainText(),
            today=self.session.today())
        return details, [Problem(self.prefix + p.field, p.message) for p in problems]


class ChildDialog(ValidatingForm):
    def __init__(self, session: Session, family_id: str, child: Child | None = None,
                 add_to_case: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Edit child or young person" if child
                         else "Add a child or young person", parent, scroll=True)
        self.session, self.family_id, self.child = session, family_id, child
        self.add_to_case = add_to_case
        self.fields = ChildFields(self, session, child.details if child else None)
        self.resize(600, 640)
        self.saved_id: str | None = None

    def save(self) -> list[Problem]:
        details, problems = self.fields.read()
        if details is None:
            return problems
        if self.child:
            casework.update_child(self.session.db, self.child.id, details, self.session.actor)
            self.saved_id = self.child.id
        else:
            self.saved_id = casework.add_child(self.session.db, self.family_id, details,
                                               self.session.actor, self.add_to_case)
        return []
