"""Closing a case: the date, a short closing note, the outcome (from the service's list) and
the answers to the service's evaluation questions."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from adviser_app.domain.validation import Checker, Problem
from adviser_app.domain.records import Case
from adviser_app.domain.vocab import EvaluationAnswer
from adviser_app.services import case_progress, casework
from adviser_app.ui.form_support import ValidatingForm, combo, date_field, text_area
from adviser_app.ui.case_book.session import Session


class CloseCaseDialog(ValidatingForm):
    def __init__(self, session: Session, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(f"Close case {case.reference}", parent)
        self.session, self.case = session, case
        self.closed_on = self.add_row("Date closed:", "closed_on",
                                      date_field("Date closed", session.today()))
        self.note = self.add_row("Closing note:", "closing_note",
                                 text_area("Closing note"))
        self.note.setMaximumHeight(100)
        db = session.db
        self.outcome = self.add_row("Outcome:", "outcome", combo(
            "Outcome", [("Not recorded", None)] + [(o, o) for o in case_progress.outcomes(db)]))
        self.questions = case_progress.questions(db)
        if self.questions:
            self.add_heading("The family's answers to our evaluation questions")
        self.answers = []
        for n, question in enumerate(self.questions):
            label = QLabel(question)
            label.setWordWrap(True)
            box = combo(question, [(a.label, a) for a in EvaluationAnswer],
                        EvaluationAnswer.NOT_ANSWERED)
            self.form.addRow(label)
            self.answers.append(self.add_row("", f"answer{n}", box))
        from adviser_app.store.tasks import list_tasks

        still_open = [t for t in list_tasks(session.db, case.id) if not t.done]
        if still_open:
            warning = QLabel(f"{len(still_open)} task{'s are' if len(still_open) != 1 else ' is'}"
                             " still not done. They stay on the case, but a closed case "
                             "shows nothing as due.")
            warning.setWordWrap(True)
            self.form.addRow(warning)
        self.resize(520, 420)

    def save(self) -> list[Problem]:
        c = Checker()
        closed_on = c.date("closed_on", "Date closed", self.closed_on.text(), required=True,
                           not_after=self.session.today(),
                           not_before=self.case.details.opened_on)
        note = c.text("closing_note", "Closing note", self.note.toPlainText(), multiline=True,
                      max_len=5000)
        if not c.ok or closed_on is None:
            return c.problems
        casework.close_case(self.session.db, self.case.id, closed_on, note, self.session.actor,
                            outcome=self.outcome.choice(),
                            answers=[(q, box.choice()) for q, box in
                                     zip(self.questions, self.answers, strict=True)])
        return []
