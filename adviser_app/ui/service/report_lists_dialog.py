"""The service's own lists for its figures: the outcomes a case can close with, and the
evaluation questions asked on closing (one a line)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from adviser_app.domain.service_lists import clean_list
from adviser_app.domain.validation import Problem
from adviser_app.services import case_progress
from adviser_app.ui.form_support import ValidatingForm, text_area
from adviser_app.ui.case_book.session import Session


class ReportListsDialog(ValidatingForm):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__("Outcomes and evaluation questions", parent)
        self.session = session
        db = session.db
        intro = QLabel("One a line. Cases already closed keep the outcome and the question "
                       "wording they were closed with.")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.outcomes = self.add_row("Outcomes:", "outcomes", text_area(
            "Outcomes", "\n".join(case_progress.outcomes(db))))
        self.questions = self.add_row("Evaluation questions:", "questions", text_area(
            "Evaluation questions", "\n".join(case_progress.questions(db))))
        self.outcomes.setMinimumHeight(200)
        self.questions.setMinimumHeight(110)
        self.resize(620, 480)

    def save(self) -> list[Problem]:
        outcomes, problems = clean_list(self.outcomes.toPlainText().splitlines(), "outcome",
                                        "outcomes")
        questions, more = clean_list(self.questions.toPlainText().splitlines(), "question",
                                     "questions")
        if problems or more:
            return problems + more
        case_progress.save_lists(self.session.db, outcomes, questions, self.session.actor)
        return []
