"""The mediation wizard: from the LA's decision to agreement or appeal, saved at every step
so it can be left and resumed; going back never erases an answer. Its state (the draft,
saving, the dates) is plain Python in wizard_state.py; this window adds the pages and the
questions."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget, QWizard

from adviser_app.domain.mediation import Step
from adviser_app.domain.records import Family
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.form_support import confirm
from adviser_app.ui.mediation.decision_pages import ChoicePage, DatesPage, DecisionPage
from adviser_app.ui.mediation.outcome_pages import OutcomePage, SummaryPage
from adviser_app.ui.mediation.page import Page
from adviser_app.ui.mediation.wizard_state import WizardState


class MediationWizard(QWizard):
    def __init__(self, session: Session, case_id: str, family: Family,
                 disagreement_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.state = WizardState(session, case_id, family, disagreement_id)
        self.setWindowTitle("Mediation and appeal")
        self.setAccessibleName("Mediation and appeal wizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        summary = SummaryPage(self.state)
        summary.letter_wanted.connect(self.open_letter)
        self.pages: list[Page] = [DecisionPage(self.state), DatesPage(self.state),
                                  ChoicePage(self.state), OutcomePage(self.state), summary]
        for page in self.pages:
            self.setPage(int(page.step), page)
        self._walking = False
        self.resize(820, 680)
        self.resume_at(self.state.draft.step)

    def resume_at(self, step: Step) -> None:
        """Open on *step* with every earlier step of the route behind it, so Back reaches
        them with their saved answers: walk forward through the route without checking or
        saving (nothing is typed on the way)."""
        route = self.state.route()
        self.setStartId(int(route[0]))
        self.restart()
        self._walking = True
        try:
            for _ in route:
                if step not in route or self.currentId() == int(step):
                    break
                self.next()
        finally:
            self._walking = False

    def validateCurrentPage(self) -> bool:  # Next and Finish
        """The page checks its answers; then, unless a cleared date would take deadlines
        away and the adviser says no, the wizard moves on and saves."""
        if not super().validateCurrentPage():
            return False
        page = self.currentPage()
        if not isinstance(page, Page):
            return True
        if page.step is Step.SUMMARY:
            self.state.save()
            return True
        lost = self.state.cleared_deadlines()
        if lost and not self.confirm_cleared(lost):
            return False
        self.state.move_on(page.step)
        return True

    def reject(self) -> None:
        """Closing half-way keeps what was typed on this step too (WizardState.keep_on_close
        says what is left out)."""
        page = self.currentPage()
        if isinstance(page, Page) and page.step is not Step.SUMMARY:
            self.state.keep_on_close(page.step, page.read().problems)
        super().reject()

    def confirm_cleared(self, lost: list[str]) -> bool:
        """Ask before a cleared date takes deadlines away. Tests replace this."""
        return confirm(self, "Clear this date?",
                       "Clearing the date removes these deadlines from the case:\n"
                       + "\n".join(f"\u2022 {label}" for label in lost)
                       + "\n\nClear it anyway?")

    def open_letter(self, template_id: str) -> None:
        from adviser_app.ui.documents.document_dialog import DocumentDialog

        self.state.save()
        DocumentDialog(self.session, self.state.case_id, template_id, self).exec()
