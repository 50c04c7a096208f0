"""A new family and its first case in one form, with a warning about possible duplicates."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from adviser_app.domain.duplicates import PossibleDuplicate
from adviser_app.domain.forms import family_name_from_form
from adviser_app.domain.validation import Problem
from adviser_app.services import casework
from adviser_app.ui.case_view.case_dialog import CaseFields
from adviser_app.ui.case_view.child_dialog import ChildFields
from adviser_app.ui.form_support import ValidatingForm, text_field
from adviser_app.ui.case_view.person_dialog import PersonFields
from adviser_app.ui.case_book.session import Session

OPEN_EXISTING, CREATE_ANYWAY, GO_BACK = "open", "create", "back"


class NewCaseDialog(ValidatingForm):
    """After accept(): either created_case_id is set, or open_family_id (the adviser chose an
    existing family instead of making a duplicate)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__("New family and case", parent, scroll=True)
        self.session = session
        self.add_heading("Family")
        self.family_name = self.add_row("Family name:", "family_name",
                                        text_field("Family name"))
        self.family_name.setPlaceholderText("Usually the surname, e.g. Okafor")
        self.add_heading("Parent or carer")
        self.person = PersonFields(self, prefix="person.", compact=True)
        self.add_heading("Child or young person")
        self.child = ChildFields(self, session, prefix="child.", compact=True)
        self.add_heading("The case")
        self.case = CaseFields(self, session, prefix="case.")
        self.person.family_name.textEdited.connect(self._suggest_names)
        self.created_case_id: str | None = None
        self.open_family_id: str | None = None

    def _suggest_names(self, surname: str) -> None:
        """Fill the family and child surnames from the parent's, until someone types there."""
        if not self.family_name.isModified():
            self.family_name.setText(surname)
        if not self.child.family_name.isModified():
            self.child.family_name.setText(surname)

    def ask_about_duplicates(self, found: list[PossibleDuplicate]) -> str:
        """Ask whether this is a family already in the case book. Tests replace this."""
        lines = "\n".join(f"\u2022 The {d.family_name} family: {d.reason}" for d in found)
        box = QMessageBox(QMessageBox.Icon.Warning, "This family may already be here",
                          "The case book already has:\n" + lines
                          + "\n\nOpen the existing family instead of creating a second copy?",
                          parent=self)
        open_button = box.addButton("Open the existing family",
                                    QMessageBox.ButtonRole.AcceptRole)
        create_button = box.addButton("Create a new family anyway",
                                      QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Go back", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(open_button)
        box.exec()
        if box.clickedButton() is open_button:
            return OPEN_EXISTING
        if box.clickedButton() is create_button:
            return CREATE_ANYWAY
        return GO_BACK

    def save(self) -> list[Problem] | None:
        family_name, problems = family_name_from_form(self.family_name.text())
        person, person_problems = self.person.read(self.session)
        child, child_problems = self.child.read()
        case, case_problems = self.case.read(child_ids=[])
        problems += person_problems + child_problems + case_problems
        if problems or person is None or child is None or case is None:
            return problems
        found = casework.find_duplicates(self.session.db, child=child, person=person)
        if found:
            choice = self.ask_about_duplicates(found)
            if choice == GO_BACK:
                return None  # stay open, nothing saved, no error shown
            if choice == OPEN_EXISTING:
                self.open_family_id = found[0].family_id
                return []
        self.created_case_id = casework.open_new_family_case(
            self.session.db, family_name=family_name, person=person, children=[child],
            case=case, actor=self.session.actor)
        return []
