"""Renaming a family (a spelling put right, a name changed) and its notes."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from adviser_app.domain.records import Family
from adviser_app.domain.validation import Problem
from adviser_app.services import casework
from adviser_app.ui.form_support import ValidatingForm, text_area, text_field
from adviser_app.ui.case_book.session import Session


class FamilyDialog(ValidatingForm):
    def __init__(self, session: Session, family: Family,
                 parent: QWidget | None = None) -> None:
        super().__init__("Rename the family", parent)
        self.session, self.family = session, family
        self.family_name = self.add_row("Family name:", "family_name",
                                        text_field("Family name", family.family_name,
                                                   max_len=100))
        self.notes = self.add_row("Notes about the family:", "notes",
                                  text_area("Notes about the family", family.notes))
        self.notes.setMaximumHeight(90)

    def save(self) -> list[Problem] | None:
        name = " ".join(self.family_name.text().split())
        if not name:
            return [Problem("family_name", "Family name can't be left empty.")]
        casework.rename_family(self.session.db, self.family.id, name,
                               self.notes.toPlainText().strip(), self.session.actor)
        return []
