"""The main window's menus and shortcuts, and which of them may be used: with any case book
open, only with the real one, or always."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from adviser_app.ui.case_actions import CaseActions
from adviser_app.ui.case_book.controller import CaseBookController
from adviser_app.ui.team.actions import TeamActions

BOOK, REAL = "book", "real"  # usable while any case book is open / only the real one
Shortcut = QKeySequence | QKeySequence.StandardKey | str | None


class Menus:
    def __init__(self, window: QMainWindow, book: CaseBookController,
                 do: CaseActions, team: TeamActions) -> None:
        self.window = window
        self._needs: dict[QAction, str] = {}
        bar = window.menuBar()
        file, case, tools, help_ = (bar.addMenu(name) for name in ("&File", "&Case", "T&ools",
                                                                   "&Help"))
        add = self._add
        self.open_real_action = add(file, "Open &my case book", book.ask_passphrase)
        self.training_action = add(file, "Open the &training case book",
                                   book.open_training_case_book)
        self.lock_action = add(file, "&Lock now", book.lock, "Ctrl+L", BOOK)
        self.passphrase_action = add(file, "Change the &passphrase…", book.change_passphrase,
                                     None, REAL)
        self.lock_after_action = add(file, "Lock &after… (time without use)",
                                     book.choose_lock_time, None, REAL)
        self.backup_action = add(file, "&Back up now", book.backup_now, None, REAL)
        self.restore_action = add(file, "&Restore from a backup…", book.restore_from_backup,
                                  None, REAL)
        self.backup_folder_action = add(file, "Also back up to a &folder…",
                                        book.choose_backup_folder, None, REAL)
        file.addSeparator()
        self.join_hub_action = add(file, "Connect to the office &hub…", team.connect_to_hub,
                                   None, REAL)
        self.sync_action = add(file, "S&ync with the office now", team.sync_now,
                               "Ctrl+Shift+Y", REAL)
        self.decisions_action = add(file, "Needs a d&ecision\u2026", team.show_decisions, None,
                                    REAL)
        self.leave_hub_action = add(file, "&Disconnect from the office hub…",
                                    team.disconnect, None, REAL)
        file.addSeparator()
        self.close_book_action = add(file, "&Close case book", book.close_case_book,
                                     "Ctrl+Shift+W", BOOK)
        file.addSeparator()
        add(file, "&Quit", window.close, QKeySequence.StandardKey.Quit)
        self.new_case_action = add(case, "&New family and case…", do.new_family_case,
                                   QKeySequence.StandardKey.New, BOOK)
        self.find_action = add(case, "&Find a case", do.focus_search,
                               QKeySequence.StandardKey.Find, BOOK)
        self.visit_note_action = add(case, "Add a &visit note…", do.add_visit_note,
                                     "Ctrl+Shift+N", BOOK)
        self.entry_action = add(case, "Add a timeline &entry…", do.add_entry, "Ctrl+Shift+E",
                                BOOK)
        self.letter_action = add(case, "Letters and &summaries…", do.produce_document,
                                 "Ctrl+P", BOOK)
        self.documents_action = add(case, "Documents &kept on this case…", do.show_documents,
                                    None, BOOK)
        self.batch_action = add(case, "One document for &many cases…", do.batch_documents,
                                None, BOOK)
        self.mediation_action = add(case, "Mediation and &appeal…", do.open_mediation,
                                    "Ctrl+M", BOOK)
        case.addSeparator()
        self.cases_action = add(case, "Show the &case list", do.show_cases, "Ctrl+1", BOOK)
        self.deadlines_action = add(case, "Show &deadlines across all cases",
                                    do.show_deadlines, "Ctrl+D", BOOK)
        self.calculator_action = add(tools, "Deadline &calculator…", do.open_calculator,
                                     "Ctrl+K")
        self.holidays_action = add(tools, "Extra &bank holidays…", do.edit_holidays, None,
                                   BOOK)
        self.audit_action = add(tools, "&Audit log…", do.show_audit_log, None, BOOK)
        self.retention_action = add(tools, "&Retention review…", do.show_retention_review,
                                    None, BOOK)
        self.sar_action = add(tools, "&Subject access requests…", do.show_subject_access,
                              None, BOOK)
        self.letterhead_action = add(tools, "&Letterhead and signature…", do.edit_letterhead,
                                     None, BOOK)
        self.report_action = add(tools, "Activity &report and figures…", do.show_report,
                                 None, BOOK)
        self.report_lists_action = add(tools, "&Outcomes and evaluation questions…",
                                       do.edit_report_lists, None, BOOK)
        self.guide_action = add(help_, "&Guide and keyboard shortcuts", do.show_guide, "F1")
        self.guide_action.setShortcuts([QKeySequence("F1"), QKeySequence("Ctrl+?"),
                                        QKeySequence("Ctrl+Shift+/")])
        add(help_, "&Where is my data?", do.show_data_folder)
        add(help_, "&About Adviser Toolkit (version and licences)", do.show_about)

    def _add(self, menu: QMenu, text: str, slot: Callable[[], object],
             shortcut: Shortcut = None, needs: str | None = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            # what setShortcut does in Qt 6, but setShortcut from Python makes PySide build
            # the whole Qt namespace (some 90 enum types) before the first screen shows
            action.setShortcuts([QKeySequence(shortcut)])
        # never with the "checked" argument (Close case book took it for show_start=False)
        action.triggered.connect(lambda: slot())
        menu.addAction(action)
        if needs is not None:
            self._needs[action] = needs
        return action

    def update(self, *, book_open: bool, real_open: bool, real_exists: bool) -> None:
        """Enable what may be used now."""
        for action, needs in self._needs.items():
            action.setEnabled(book_open if needs == BOOK else real_open)
        self.open_real_action.setEnabled(real_exists and not real_open)
