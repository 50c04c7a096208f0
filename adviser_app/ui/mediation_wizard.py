"""The mediation wizard: from the LA's decision to agreement or appeal, saved at every step
so it can be left and resumed; going back never erases an answer."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget, QWizard

from adviser_app.domain.mediation import MediationDraft, Step, next_step
from adviser_app.domain.mediation_clock import Dated
from adviser_app.domain.records import Child, Family
from adviser_app.services import mediation
from adviser_app.ui.mediation_pages import (ChoicePage, DatesPage, DecisionPage, OutcomePage,
                                            SummaryPage)
from adviser_app.ui.session import Session


class MediationWizard(QWizard):
    def __init__(self, session: Session, case_id: str, family: Family,
                 disagreement_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.case_id, self.family = session, case_id, family
        self.today = session.today
        self.disagreement_id = disagreement_id
        self.family_children: list[Child] = list(family.children)
        if disagreement_id:
            _, self.draft = mediation.load(session.db, disagreement_id)
        else:
            self.draft = MediationDraft(
                child_id=self.family_children[0].id if self.family_children else "")
        self.setWindowTitle("Mediation and appeal")
        self.setAccessibleName("Mediation and appeal wizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.pages = [DecisionPage(self), DatesPage(self), ChoicePage(self), OutcomePage(self),
                      SummaryPage(self)]
        for page in self.pages:
            self.setPage(int(page.step), page)
        self.setStartId(int(self.draft.step))  # resume where it was left
        self.resize(820, 680)

    def next_after(self, step: Step) -> Step | None:
        return next_step(self.draft, step)

    def current_dates(self) -> list[Dated]:
        return mediation.dates(self.session.db, self.draft)

    def save_draft(self) -> None:
        self.disagreement_id = mediation.save(self.session.db, self.case_id, self.draft,
                                              self.session.actor, self.disagreement_id)

    def open_letter(self, template_id: str) -> None:
        from adviser_app.ui.document_dialog import DocumentDialog

        self.save_draft()
        DocumentDialog(self.session, self.case_id, template_id, self).exec()
