"""Editing a child's pupil passport (one-page profile) and its targets."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QPlainTextEdit, QWidget

from adviser_app.domain.graduated.passport import (NEEDS_FIELDS, TEXT_SECTIONS, PassportDetails,
                                                   Target, TargetRow, passport_from_form,
                                                   targets_from_form)
from adviser_app.domain.records import Child
from adviser_app.domain.validation import Problem, format_date
from adviser_app.services import graduated
from adviser_app.ui.form_support import ValidatingForm, check_box, date_field, text_area
from adviser_app.ui.rows_editor import Cell, RowsEditor
from adviser_app.ui.case_book.session import Session

HINTS = {
    "strengths": "What the pupil is good at and enjoys",
    "what_helps": "e.g. a visual timetable, warning before changes, a quiet place to work",
    "what_doesnt": "e.g. being rushed, loud rooms, being asked to read aloud",
    "communication": "How the pupil communicates best, and how adults should talk with them",
    "sensory_medical": "Sensory needs, medical conditions and medication",
    "triggers": "What upsets the pupil, the signs to watch for, and what calms them",
    "key_adults": "Who the pupil trusts and can go to",
    "own_words": "In the pupil's own words, written down as they said them",
    "parent_input": "What the parents want school to know",
}


class PassportEditor(ValidatingForm):
    def __init__(self, session: Session, child: Child, passport: PassportDetails | None,
                 targets: list[Target], parent: QWidget | None = None) -> None:
        super().__init__(f"Pupil passport: {child.details.full_name}", parent, scroll=True)
        self.session, self.child = session, child
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # labels above
        p = passport or PassportDetails()
        self.made_on = self.add_row("Date of the passport:", "made_on",
                                    date_field("Date of the passport",
                                               p.made_on or (None if passport else
                                                             session.today())))
        self.review_on = self.add_row("Review date:", "review_on",
                                      date_field("Review date", p.review_on))
        self.texts: dict[str, QPlainTextEdit] = {}
        labels = dict(TEXT_SECTIONS)
        self.add_heading("About me")
        self._text("strengths", labels["strengths"], p)
        self.add_heading("My needs, by broad area")
        for name, area in NEEDS_FIELDS:
            self._text(name, area.label, p)
        self.add_heading("How to help me")
        for name in ("what_helps", "what_doesnt", "communication", "sensory_medical",
                     "triggers", "key_adults"):
            self._text(name, labels[name], p)
        self.add_heading("In our own words")
        for name in ("own_words", "parent_input"):
            self._text(name, labels[name], p)
        self.consent = self.add_row("", "consent_to_share", check_box(
            "The pupil and parents agree this passport can be shared with staff",
            p.consent_to_share))
        self.add_heading("Targets")
        self.targets = self.add_row("Targets:", "targets", RowsEditor("Targets", [
            Cell("Target"), Cell("Date set (dd/mm/yyyy)", width=150)], "Add a target"))
        self.targets.set_rows([[t.description, format_date(t.set_on)] for t in targets],
                              [t.id for t in targets])
        self.resize(720, 760)

    def _text(self, name: str, label: str, p: PassportDetails) -> None:
        area = self.add_row(f"{label}:", name, text_area(label, getattr(p, name)))
        area.setPlaceholderText(HINTS.get(name, ""))
        area.setMinimumHeight(60)
        area.setMaximumHeight(90)
        self.texts[name] = area

    def save(self) -> list[Problem]:
        today = self.session.today()
        details, problems = passport_from_form(
            made_on=self.made_on.text(), review_on=self.review_on.text(),
            texts={name: edit.toPlainText() for name, edit in self.texts.items()},
            consent_to_share=self.consent.isChecked(), today=today)
        rows = [TargetRow(self.targets.row_id(n), str(values[0]), str(values[1]))
                for n, values in enumerate(self.targets.rows())]
        targets, target_problems = targets_from_form(rows, today)
        problems += target_problems
        if details is None or problems:
            return problems
        graduated.save_passport(self.session.db, self.child.id, details, targets,
                                self.session.actor)
        return []
