"""Recording where each passport target stands at a review, so its status is tracked across
reviews."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QWidget

from adviser_app.domain.graduated.passport import Target, TargetStatus, target_review_from_form
from adviser_app.domain.validation import Problem
from adviser_app.services import graduated
from adviser_app.ui.form_support import ChoiceBox, ValidatingForm, combo, date_field
from adviser_app.ui.case_book.session import Session


class TargetReviewDialog(ValidatingForm):
    def __init__(self, session: Session, targets: list[Target],
                 parent: QWidget | None = None) -> None:
        super().__init__("Record progress on the targets", parent)
        self.session, self.targets = session, targets
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # labels above
        self.checked_on = self.add_row("Date of the review:", "checked_on",
                                       date_field("Date of the review", session.today()))
        self.statuses: list[tuple[ChoiceBox, QLineEdit]] = []
        for n, target in enumerate(targets, start=1):
            holder = QWidget()
            row = QHBoxLayout(holder)
            row.setContentsMargins(0, 0, 0, 0)
            status = combo(f"Status of target {n}", [("No change recorded", None)]
                           + [(s.label, s) for s in TargetStatus])
            note = QLineEdit()
            note.setAccessibleName(f"Note on target {n}")
            note.setPlaceholderText(f"Note (status now: {target.status.label.lower()})")
            row.addWidget(status)
            row.addWidget(note, 1)
            self.form.addRow(f"{n}. {target.description}:", holder)
            self.statuses.append((status, note))
        self.add_row("", "statuses", QWidget())  # where problems about the targets show
        self.resize(640, 150 + 56 * len(targets))

    def save(self) -> list[Problem]:
        checks, problems = target_review_from_form(
            checked_on=self.checked_on.text(),
            statuses=[(t, box.choice(), note.text())
                      for t, (box, note) in zip(self.targets, self.statuses, strict=True)],
            today=self.session.today())
        if problems:
            return problems
        graduated.record_target_review(self.session.db, checks, self.session.actor)
        return []
