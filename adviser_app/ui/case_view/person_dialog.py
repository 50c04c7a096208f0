"""Adding or editing a parent, carer or other person in a family."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from adviser_app.domain.forms import person_from_form
from adviser_app.domain.records import Person, PersonDetails
from adviser_app.domain.validation import Problem
from adviser_app.domain.vocab import ContactMethod, Relationship
from adviser_app.services import casework
from adviser_app.ui.form_support import (ValidatingForm, check_box, combo, date_field,
                                         text_area, text_field)
from adviser_app.ui.case_book.session import Session


class PersonFields:
    """The person fields, reusable inside the new-case dialog."""

    def __init__(self, form: ValidatingForm, details: PersonDetails | None = None,
                 prefix: str = "", *, compact: bool = False) -> None:
        d = details
        self.prefix = prefix
        self.compact = compact
        self.given_name = form.add_row("First name:", prefix + "given_name",
                                       text_field("First name", d.given_name if d else ""))
        self.family_name = form.add_row("Surname:", prefix + "family_name",
                                        text_field("Surname", d.family_name if d else ""))
        self.relationship = form.add_row("Relationship to the child:", prefix + "relationship",
                                         combo("Relationship",
                                               [(r.label, r) for r in Relationship],
                                               d.relationship if d else None))
        self.parental_responsibility = form.add_row(
            "", prefix + "parental_responsibility",
            check_box("Has parental responsibility", d.parental_responsibility if d else True))
        # on the new-family form too: without it, letters went to a name and a postcode
        self.address = form.add_row("Address:", prefix + "address",
                                    text_area("Address", d.address if d else ""))
        self.address.setPlaceholderText("One line each: house and street, then area and "
                                        "town (the postcode has its own box)")
        self.address.setMaximumHeight(80)
        self.postcode = form.add_row("Postcode:", prefix + "postcode",
                                     text_field("Postcode", d.postcode if d else "", max_len=10))
        self.phone = form.add_row("Phone:", prefix + "phone",
                                  text_field("Phone", d.phone if d else "", max_len=30))
        self.email = form.add_row("Email:", prefix + "email",
                                  text_field("Email", d.email if d else "", max_len=254))
        self.preferred = combo("Preferred contact",
                                            [("Not said", None)]
                                            + [(m.label, m) for m in ContactMethod],
                                            d.preferred_contact if d else None)
        self.access_needs = text_field("Access needs", d.access_needs if d else "")
        self.interpreter = text_field("Interpreter language",
                                      d.interpreter_language if d else "")
        self.consent = check_box("Consents to us sharing information",
                                 d.consent_to_share if d else False)
        self.consent_date = date_field("Date consent given", d.consent_date if d else None)
        if compact:
            return
        form.add_row("Preferred contact:", prefix + "preferred_contact", self.preferred)
        form.add_row("Access needs:", prefix + "access_needs", self.access_needs)
        form.add_row("Interpreter (language):", prefix + "interpreter_language",
                     self.interpreter)
        form.add_row("", prefix + "consent_to_share", self.consent)
        form.add_row("Date consent given:", prefix + "consent_date", self.consent_date)

    def read(self, session: Session) -> tuple[PersonDetails | None, list[Problem]]:
        details, problems = person_from_form(
            given_name=self.given_name.text(), family_name=self.family_name.text(),
            relationship=self.relationship.choice(),
            parental_responsibility=self.parental_responsibility.isChecked(),
            address=self.address.toPlainText(), postcode=self.postcode.text(),
            phone=self.phone.text(), email=self.email.text(),
            preferred_contact=self.preferred.choice(),
            access_needs=self.access_needs.text(), interpreter_language=self.interpreter.text(),
            consent_to_share=self.consent.isChecked(), consent_date=self.consent_date.text(),
            today=session.today())
        return details, [Problem(self.prefix + p.field, p.message) for p in problems]


class PersonDialog(ValidatingForm):
    def __init__(self, session: Session, family_id: str, person: Person | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Edit person" if person else "Add a person to the family", parent)
        self.session, self.family_id, self.person = session, family_id, person
        self.fields = PersonFields(self, person.details if person else None)
        self.saved_id: str | None = None

    def save(self) -> list[Problem]:
        details, problems = self.fields.read(self.session)
        if details is None:
            return problems
        if self.person:
            casework.update_person(self.session.db, self.person.id, details, self.session.actor)
            self.saved_id = self.person.id
        else:
            self.saved_id = casework.add_person(self.session.db, self.family_id, details,
                                                self.session.actor)
        return []
