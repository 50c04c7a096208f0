"""The main window: menus, shortcuts, and switching between welcome screen and case book."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QStackedWidget, QWidget

from adviser_app.services import case_books
from adviser_app.store.db import Database, close_case_book
from adviser_app.store.errors import CaseBookError
from adviser_app.store.settings import is_training
from adviser_app.ui.new_case_dialog import NewCaseDialog
from adviser_app.ui.session import Session
from adviser_app.ui.welcome import WelcomePage
from adviser_app.ui.workspace import Workspace

log = logging.getLogger(__name__)
APP_TITLE = "Adviser Toolkit"


class MainWindow(QMainWindow):
    def __init__(self, data_dir: Path, actor: str,
                 today: Callable[[], date] = date.today, *, open_existing: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir, self.actor, self.today = data_dir, actor, today
        self.session: Session | None = None
        self.workspace: Workspace | None = None
        self.setWindowTitle(APP_TITLE)  # never a family's name: titles leak into task bars
        self.resize(1280, 800)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.welcome = WelcomePage(data_dir)
        self.stack.addWidget(self.welcome)
        self.welcome.create_requested.connect(self.create_case_book)
        self.welcome.open_requested.connect(self.open_real_case_book)
        self.welcome.training_requested.connect(self.open_training_case_book)
        self._build_menus()
        self._show_welcome()
        if open_existing and case_books.real_place(data_dir).exists():
            self.open_real_case_book()

    # ----- menus ------------------------------------------------------------------------
    def _action(self, menu_name: str, text: str, slot: Callable[[], object],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None
                ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self._menus[menu_name].addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._menus = {name: bar.addMenu(name) for name in ("&File", "&Case", "&Tools",
                                                            "&Help")}
        self.open_real_action = self._action("&File", "Open &my case book",
                                             self.open_real_case_book)
        self.training_action = self._action("&File", "Open the &training case book",
                                            self.open_training_case_book)
        self.close_book_action = self._action("&File", "&Close case book",
                                              self.close_case_book, "Ctrl+Shift+W")
        self._menus["&File"].addSeparator()
        self._action("&File", "&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.new_case_action = self._action("&Case", "&New family and case…",
                                            self.new_family_case, QKeySequence.StandardKey.New)
        self.find_action = self._action("&Case", "&Find a case", self.focus_search,
                                        QKeySequence.StandardKey.Find)
        self.visit_note_action = self._action("&Case", "Add a &visit note…",
                                              self.add_visit_note, "Ctrl+Shift+N")
        self.entry_action = self._action("&Case", "Add a timeline &entry…",
                                         self.add_entry, "Ctrl+Shift+E")
        self._menus["&Case"].addSeparator()
        self.cases_action = self._action("&Case", "Show the &case list", self.show_cases,
                                         "Ctrl+1")
        self.deadlines_action = self._action("&Case", "Show &deadlines across all cases",
                                             self.show_deadlines, "Ctrl+D")
        self.calculator_action = self._action("&Tools", "Deadline &calculator…",
                                              self.open_calculator, "Ctrl+K")
        self.holidays_action = self._action("&Tools", "Extra &bank holidays…",
                                            self.edit_holidays)
        self._action("&Help", "&Where is my data?", self.show_data_folder)
        self._action("&Help", "&About Adviser Toolkit", self.show_about)

    def _update_actions(self) -> None:
        has_book = self.session is not None
        for action in (self.close_book_action, self.new_case_action, self.find_action,
                       self.visit_note_action, self.entry_action, self.cases_action,
                       self.deadlines_action, self.holidays_action):
            action.setEnabled(has_book)
        self.open_real_action.setEnabled(case_books.real_place(self.data_dir).exists())

    # ----- switching case books -----------------------------------------------------------
    def _show_welcome(self) -> None:
        self.welcome.set_state(self.data_dir,
                               has_case_book=case_books.real_place(self.data_dir).exists())
        self.stack.setCurrentWidget(self.welcome)
        self.setWindowTitle(APP_TITLE)
        self._update_actions()

    def _show_book(self, db: Database) -> None:
        self.close_case_book()
        training = is_training(db)
        self.session = Session(db=db, actor=self.actor, training=training, today=self.today)
        self.workspace = Workspace(self.session, str(self.data_dir))
        self.workspace.saved.connect(self._saved)
        self.stack.addWidget(self.workspace)
        self.stack.setCurrentWidget(self.workspace)
        self.setWindowTitle(f"{APP_TITLE} \u2014 TRAINING (fictional families)" if training
                            else APP_TITLE)
        self.welcome.show_error("")
        self._update_actions()
        self.statusBar().showMessage("Training case book open" if training
                                     else "Case book open")

    def _open_with(self, opener: Callable[[], Database]) -> bool:
        try:
            db = opener()
        except CaseBookError as exc:
            self._show_welcome()
            self.welcome.show_error(str(exc))
            return False
        self._show_book(db)
        return True

    def create_case_book(self) -> bool:
        return self._open_with(lambda: case_books.create_real(self.data_dir))

    def open_real_case_book(self) -> bool:
        return self._open_with(lambda: case_books.open_existing(
            case_books.real_place(self.data_dir)))

    def open_training_case_book(self) -> bool:
        return self._open_with(lambda: case_books.open_training(self.data_dir, self.today()))

    def close_case_book(self) -> None:
        if self.session is None:
            return
        session, workspace = self.session, self.workspace
        self.session = self.workspace = None
        if workspace is not None:
            self.stack.removeWidget(workspace)
            workspace.deleteLater()
        try:
            close_case_book(session.db)
        except Exception as exc:  # closing must never lose the window; data is committed
            log.error("closing the case book failed: %s", type(exc).__name__)
        self._show_welcome()

    # ----- case actions -------------------------------------------------------------------
    def focus_search(self) -> None:
        if self.workspace is not None:
            self.workspace.case_list.focus_search()

    def new_family_case(self) -> None:
        if self.session is None or self.workspace is None:
            return
        dialog = NewCaseDialog(self.session, self)
        if not dialog.exec():
            return
        if dialog.created_case_id:
            self.workspace.refresh_after_new(dialog.created_case_id)
        elif dialog.open_family_id:
            self.workspace.open_family(dialog.open_family_id)

    def add_visit_note(self) -> None:
        if self.workspace is not None and self._need_case():
            self.workspace.detail.add_visit_note()

    def add_entry(self) -> None:
        if self.workspace is not None and self._need_case():
            self.workspace.detail.add_entry()

    def show_cases(self) -> None:
        if self.workspace is not None:
            self.workspace.show_cases()

    def show_deadlines(self) -> None:
        if self.workspace is not None:
            self.workspace.show_deadlines()

    def open_calculator(self) -> None:
        from adviser_app.domain.calendar import ENGLAND
        from adviser_app.services.statutory import calendar_for
        from adviser_app.ui.calculator_dialog import CalculatorDialog

        calendar = calendar_for(self.session.db) if self.session else ENGLAND
        CalculatorDialog(calendar, self).exec()

    def edit_holidays(self) -> None:
        from adviser_app.ui.holidays_dialog import HolidaysDialog

        if self.session is not None and self.workspace is not None:
            HolidaysDialog(self.session, self).exec()
            self.workspace.deadlines.refresh()
            if self.workspace.detail.case is not None:
                self.workspace.detail.show_case(self.workspace.detail.case.id)

    def _need_case(self) -> bool:
        assert self.workspace is not None
        if self.workspace.detail.case is None:
            self.statusBar().showMessage("Open a case first: search with Ctrl+F, then Enter.",
                                         6000)
            return False
        return True

    def _saved(self, _case_id: str) -> None:
        self.statusBar().showMessage(f"Saved at {datetime.now().strftime('%H:%M:%S')}")

    # ----- help ---------------------------------------------------------------------------
    def show_data_folder(self) -> None:
        QMessageBox.information(self, "Where is my data?",
                                f"Case books are kept, encrypted, in:\n{self.data_dir}\n\n"
                                "Keep this folder on this laptop: not in OneDrive, Dropbox "
                                "or a network folder.")

    def show_about(self) -> None:
        from adviser_app import __version__

        QMessageBox.about(self, "About Adviser Toolkit",
                          f"Adviser Toolkit {__version__}\nAn offline case book for SENDIASS "
                          "advisers in England.")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.close_case_book()
        super().closeEvent(event)
