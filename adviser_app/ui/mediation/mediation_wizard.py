"""The mediation wizard: from the LA's decision to agreement or appeal, saved at every step
so it can be left and resumed; going back never erases an answer."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget, QWizard

from adviser_app.domain.mediation import MediationDraft, Step, next_step, problems
from adviser_app.domain.statutory.disagreement_dates import Dated
from adviser_app.domain.records import Child, Family
from adviser_app.services import mediation
from adviser_app.store.db import is_open
from adviser_app.ui.form_support import confirm
from adviser_app.ui.mediation.mediation_pages import (
    ChoicePage, DatesPage, DecisionPage, OutcomePage,
                                            Page, SummaryPage)
from adviser_app.ui.case_book.session import Session

DATE_FIELDS = ("letter_dated", "letter_sent", "adviser_told", "certificate_issued", "la_told",
               "mediation_date", "concluded", "health_body_told", "conduct_on",
               "appeal_registered")


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
        self.saved_draft = self.draft
        self.setStartId(int(self.draft.step))  # resume where it was left
        self.resize(820, 680)

    def next_after(self, step: Step) -> Step | None:
        return next_step(self.draft, step)

    def current_dates(self) -> list[Dated]:
        return mediation.dates(self.session.db, self.draft)

    def save_draft(self) -> None:
        self.disagreement_id = mediation.save(self.session.db, self.case_id, self.draft,
                                              self.session.actor, self.disagreement_id)
        self.saved_draft = self.draft

    def reject(self) -> None:
        """Closing half-way keeps what was typed on this step too, except a date the page
        rejects (that keeps its saved value) and a cleared date that would take deadlines
        away (kept as it was)."""
        page = self.currentPage()
        if isinstance(page, Page) and page.step is not Step.SUMMARY and \
                is_open(self.session.db):
            found = page.read().problems + problems(self.draft, page.step, self.today())
            rejected = {p.field for p in found} & set(DATE_FIELDS)
            if rejected:
                self.draft = self.draft.with_(**{name: getattr(self.saved_draft, name)
                                                 for name in rejected})
                # a rule between two dates (sent before dated, say) still fails: keep every
                # date as it was saved rather than half of the pair
                if {p.field for p in problems(self.draft, page.step, self.today())} & \
                        set(DATE_FIELDS):
                    self.draft = self.draft.with_(**{name: getattr(self.saved_draft, name)
                                                     for name in DATE_FIELDS})
            if not self.cleared_deadlines():
                self.draft = self.draft.with_(step=page.step)
                self.save_draft()
        super().reject()

    def cleared_deadlines(self) -> list[str]:
        """Deadlines that would disappear because a date saved before has been cleared."""
        old, new = self.saved_draft, self.draft
        cleared = [name for name in DATE_FIELDS
                   if getattr(old, name) is not None and getattr(new, name) is None]
        if not cleared:
            return []
        before = {d.deadline.label for d in mediation.dates(self.session.db, old)}
        after = {d.deadline.label for d in mediation.dates(self.session.db, new)}
        return sorted(before - after)

    def confirm_cleared(self, lost: list[str]) -> bool:
        """Ask before a cleared date takes deadlines away. Tests replace this."""
        return confirm(self, "Clear this date?",
                       "Clearing the date removes these deadlines from the case:\n"
                       + "\n".join(f"\u2022 {label}" for label in lost)
                       + "\n\nClear it anyway?")

    def open_letter(self, template_id: str) -> None:
        from adviser_app.ui.documents.document_dialog import DocumentDialog

        self.save_draft()
        DocumentDialog(self.session, self.case_id, template_id, self).exec()
