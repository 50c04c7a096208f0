"""What the Case, Tools and Help menus do: each opens its dialog over the open case book (or
the case on screen) and refreshes what the dialog may have changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

# Each dialog loads when first asked for: the unlock screen needs none of them.
if TYPE_CHECKING:
    from adviser_app.services.drafts import WaitingDraft
    from adviser_app.ui.case_book.session import Session
    from adviser_app.ui.main_window import MainWindow
    from adviser_app.ui.workspace import Workspace


class CaseActions:
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    @property
    def session(self) -> Session | None:
        return self.window.book.session

    @property
    def workspace(self) -> Workspace | None:
        return self.window.workspace

    def _case_id(self) -> str | None:
        """The case on screen; None (and a hint in the status bar) when there is none."""
        if self.workspace is None or self.session is None:
            return None
        case = self.workspace.detail.case
        if case is None:
            self.window.statusBar().showMessage(
                "Open a case first: search with Ctrl+F, then Enter.", 6000)
            return None
        return case.id

    def _changeable_case_id(self) -> str | None:
        """The case on screen, if it may be changed (an anonymised case may not)."""
        from adviser_app.ui.case_view.anonymised_band import ANONYMISED_NOTE

        case_id = self._case_id()
        if case_id is not None and self.workspace is not None and \
                self.workspace.detail.anonymised:
            self.window.statusBar().showMessage(ANONYMISED_NOTE, 8000)
            return None
        return case_id

    def _show_case_again(self, case_id: str) -> None:
        """After a dialog: the case as saved (unless the case book locked meanwhile)."""
        if self.workspace is not None and self.workspace.detail.case is not None:
            self.workspace.detail.show_case(case_id)

    # ----- the Case menu ----------------------------------------------------------------------
    def focus_search(self) -> None:
        if self.workspace is not None:
            self.workspace.show_cases()
            self.workspace.case_list.focus_search()

    def new_family_case(self) -> None:
        from adviser_app.ui.case_view.new_case_dialog import NewCaseDialog

        if self.session is None or self.workspace is None:
            return
        dialog = NewCaseDialog(self.session, self.window)
        if not dialog.exec() or self.workspace is None:
            return
        if dialog.created_case_id:
            self.workspace.refresh_after_new(dialog.created_case_id)
        elif dialog.open_family_id:
            self.workspace.open_family(dialog.open_family_id)

    def add_visit_note(self) -> None:
        if self._changeable_case_id() is not None and self.workspace is not None:
            self.workspace.detail.add_visit_note()

    def add_entry(self) -> None:
        if self._changeable_case_id() is not None and self.workspace is not None:
            self.workspace.detail.add_entry()

    def resume_draft(self, waiting: WaitingDraft) -> None:
        """Finish the note kept when the case book locked, on its case."""
        from adviser_app.ui.case_view.entry_dialog import EntryDialog

        if self.session is None or self.workspace is None:
            return
        case_id = waiting.case.id
        self.workspace.show_cases()
        self.workspace.open_case(case_id)
        detail = self.workspace.detail
        dialog = EntryDialog(self.session, case_id, waiting.entry, parent=self.window)
        dialog.fill_from_draft(waiting.typed)
        if dialog.exec():
            detail.show_case(case_id)
            self.window.book.saved(case_id)

    def produce_document(self) -> None:
        from adviser_app.ui.documents.document_dialog import DocumentDialog

        case_id = self._changeable_case_id()
        if case_id is not None and self.session is not None:
            DocumentDialog(self.session, case_id, parent=self.window).exec()
            self._show_case_again(case_id)

    def show_documents(self) -> None:
        from adviser_app.ui.documents.documents_list import DocumentsList

        case_id = self._case_id()
        if case_id is not None and self.session is not None:
            DocumentsList(self.session, case_id, self.window).exec()

    def open_mediation(self) -> None:
        """The mediation wizard on the open case: a new disagreement, or one to carry on."""
        from adviser_app.services import mediation
        from adviser_app.ui.mediation.mediation_wizard import MediationWizard

        case_id = self._changeable_case_id()
        if case_id is None or self.session is None or self.workspace is None:
            return
        family = self.workspace.detail.family
        assert family is not None
        existing = mediation.on_case(self.session.db, case_id)
        chosen = self.window.access.choose_disagreement(
            [mediation.describe(d) for _, d in existing])
        if chosen is None:
            return
        disagreement_id = existing[chosen][0] if chosen >= 0 else None
        MediationWizard(self.session, case_id, family, disagreement_id, self.window).exec()
        if self.workspace is not None and self.workspace.detail.case is not None:
            self.workspace.detail.show_case(case_id)
            self.workspace.deadlines.refresh()

    def batch_documents(self) -> None:
        from adviser_app.ui.documents.batch_dialog import BatchDialog

        if self.session is not None:
            BatchDialog(self.session, self.window).exec()

    def show_cases(self) -> None:
        if self.workspace is not None:
            self.workspace.show_cases()

    def show_deadlines(self) -> None:
        if self.workspace is not None:
            self.workspace.show_deadlines()

    # ----- the Tools menu ---------------------------------------------------------------------
    def open_calculator(self) -> None:
        from adviser_app.domain.statutory.working_days import ENGLAND
        from adviser_app.services.statutory import calendar_for
        from adviser_app.ui.deadlines.calculator_dialog import CalculatorDialog

        calendar = calendar_for(self.session.db) if self.session else ENGLAND
        CalculatorDialog(calendar, self.window).exec()

    def edit_holidays(self) -> None:
        from adviser_app.ui.deadlines.holidays_dialog import HolidaysDialog

        if self.session is None:
            return
        HolidaysDialog(self.session, self.window).exec()
        if self.workspace is not None:  # the case book may have locked meanwhile
            self.workspace.deadlines.refresh()
            if self.workspace.detail.case is not None:
                self.workspace.detail.show_case(self.workspace.detail.case.id)

    def show_audit_log(self) -> None:
        from adviser_app.ui.service.audit_dialog import AuditDialog

        if self.session is not None:
            AuditDialog(self.session, self.window).exec()

    def show_retention_review(self) -> None:
        from adviser_app.ui.service.retention_dialog import RetentionDialog

        if self.session is not None:
            RetentionDialog(self.session, self.window).exec()
            if self.workspace is not None:
                self.workspace.after_records_changed()

    def show_subject_access(self) -> None:
        from adviser_app.ui.service.subject_access_dialog import SubjectAccessDialog

        if self.session is not None:
            SubjectAccessDialog(self.session, self.window).exec()

    def edit_letterhead(self) -> None:
        from adviser_app.ui.documents.letterhead_dialog import LetterheadDialog

        if self.session is not None:
            LetterheadDialog(self.session, self.window).exec()

    def show_report(self) -> None:
        from adviser_app.ui.service.report_window import open_report

        if self.session is not None:
            open_report(self.session, self.window,
                        self.workspace.open_case_from_deadlines if self.workspace is not None
                        else None)

    def edit_report_lists(self) -> None:
        from adviser_app.ui.service.report_lists_dialog import ReportListsDialog

        if self.session is not None:
            ReportListsDialog(self.session, self.window).exec()

    # ----- the Help menu ----------------------------------------------------------------------
    def show_data_folder(self) -> None:
        QMessageBox.information(self.window, "Where is my data?",
                                f"Case books are kept, encrypted, in:\n{self.window.data_dir}"
                                "\n\nKeep this folder on this laptop: not in OneDrive, "
                                "Dropbox or a network folder.")

    def show_guide(self, page: int = 0) -> None:
        from adviser_app.ui.help_dialog import HelpDialog

        self.window.help_dialog = HelpDialog(page, self.window)
        self.window.help_dialog.show()  # not modal: read it while doing what it says

    def show_about(self) -> None:
        from adviser_app.ui.help_dialog import HelpDialog

        self.show_guide(HelpDialog.ABOUT)
