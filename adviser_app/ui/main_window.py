"""The main window: the menus, the page stack (welcome, unlock, the open case book) and the
status bar. The case book's life (unlocking, locking, backups…) is the controller's
(ui/case_book/controller.py); what the Case, Tools and Help menus open is in ui/case_actions."""

from __future__ import annotations

import getpass
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget, QToolTip, QWidget

from adviser_app.services.places import real_place
from adviser_app.ui import theme
from adviser_app.ui.access import Access
from adviser_app.ui.case_actions import CaseActions
from adviser_app.ui.case_book.controller import DEFAULT_IDLE_MINUTES, CaseBookController
from adviser_app.ui.case_book.idle_lock import unwatched
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.case_book.training_titles import TrainingTitles
from adviser_app.ui.case_book.unlock_page import UnlockPage
from adviser_app.ui.case_book.warm_up import WarmUp
from adviser_app.ui.case_book.welcome import WelcomePage
from adviser_app.ui.layout_memory import LayoutMemory
from adviser_app.ui.menus import Menus
from adviser_app.ui.team.actions import TeamActions
from adviser_app.ui.team import where_made
from adviser_app.ui.team.sync_driver import TeamSync

# The first screen (welcome or unlock) needs none of the storage or case-view code: it loads
# on first use, so the window appears sooner (benchmarks/README.md, "start").
if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent  # (naming it at start builds QEvent's 180 types)

    from adviser_app.services import preferences
    from adviser_app.store.keyfile import KdfParams
    from adviser_app.ui import workspace
    from adviser_app.ui.workspace import Workspace
    from adviser_app.ui.case_book.lock_countdown import LockCountdown
    from adviser_app.ui.help_dialog import HelpDialog
else:
    from adviser_app.lazy_import import lazy_module

    preferences = lazy_module("adviser_app.services.preferences")
    workspace = lazy_module("adviser_app.ui.workspace")

log = logging.getLogger(__name__)
APP_TITLE = "Adviser Toolkit"
ARRIVING_EVERY_MS = 3000
"""While a new laptop loads the office register, the case list shows what has arrived at
most this often (each refresh is one search: median 4.6 ms, longest 15.8 ms, at 20,000
families; benchmarks/README.md)."""


class MainWindow(QMainWindow):
    def __init__(self, data_dir: Path, actor: str | None = None,
                 today: Callable[[], date] = date.today, *, kdf: KdfParams | None = None,
                 idle_minutes: float = DEFAULT_IDLE_MINUTES,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self._workspace: Workspace | None = None
        self._coming: tuple[Workspace, str | None] | None = None  # see _show_book
        self._coming_step = QTimer(self)
        self._coming_step.setSingleShot(True)
        self._coming_step.timeout.connect(self._next_coming_step)
        self.help_dialog: HelpDialog | None = None
        self.presenting = False
        self.access = Access(self)
        self.book = CaseBookController(data_dir, self.access, self._show_book,
                                       login_name=actor or getpass.getuser(), today=today,
                                       kdf=kdf, idle_minutes=idle_minutes, parent=self)
        self.case_actions = CaseActions(self)
        self.setWindowTitle(APP_TITLE)  # never a family's name: titles leak into task bars
        self.layout_memory = LayoutMemory(data_dir)
        self._maximise = self.layout_memory.fit_window(self)  # on a small screen
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self._welcome: WelcomePage | None = None  # made when first shown
        self.unlock_page = UnlockPage(data_dir)
        self.stack.addWidget(self.unlock_page)
        book = self.book
        self.unlock_page.unlock_requested.connect(book.unlock_soon)
        self.unlock_page.recovery_requested.connect(book.unlock_with_recovery)
        self.unlock_page.training_requested.connect(book.open_training_case_book)
        book.closing.connect(self._take_book_away)
        book.passphrase_needed.connect(self._show_unlock)
        book.welcome_needed.connect(self._show_welcome)
        book.passphrase_refused.connect(self.unlock_page.wrong_passphrase)
        book.unlock_failed.connect(self.unlock_page.show_problem)
        book.draft_resumed.connect(self.case_actions.resume_draft)
        book.said.connect(self.statusBar().showMessage)
        book.noticed.connect(self.say)
        self._countdown: LockCountdown | None = None  # made for the first warning
        book.idle.warning.connect(lambda seconds: self.countdown.show_left(seconds))
        book.idle.warning_over.connect(self._hide_countdown)
        self.training_titles = TrainingTitles(self)  # watches the app while training only
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app)
        self.team = TeamSync(self.statusBar(), self)
        book.opened.connect(self.team.opened)
        book.closing.connect(self.team.stop)
        book.closing.connect(where_made.let_hub_go)  # the who-did-what connection too
        self.team.synced.connect(where_made.hub_reachable)
        book.changed.connect(self.team.saved)
        self.team.synced.connect(self._synced)
        self.team.failed.connect(self._synced)
        self._arriving = QTimer(self)  # (the case list filled as the register arrives)
        self._arriving.setSingleShot(True)
        self._arriving.setInterval(ARRIVING_EVERY_MS)
        self._arriving.timeout.connect(self._show_arrivals)
        self.team.register_arriving.connect(self._note_arrivals)
        self.team_actions = TeamActions(self, book, self.team, self.access)
        self.menus = Menus(self, book, self.case_actions, self.team_actions)
        book.show_start()
        # while the adviser types the passphrase (not before the window is on screen)
        self.warm_up = WarmUp(self)
        self.warm_up.start(delay_ms=300)

    @property
    def welcome(self) -> WelcomePage:
        """The first-run page (made when first needed: with a case book on this laptop, the
        unlock page comes first)."""
        if self._welcome is None:
            page = self._welcome = WelcomePage(self.data_dir)
            self.stack.addWidget(page)
            page.create_requested.connect(self.book.create_case_book)
            page.open_requested.connect(self.book.ask_passphrase)
            page.training_requested.connect(self.book.open_training_case_book)
        return self._welcome

    @property
    def countdown(self) -> LockCountdown:
        """The notice shown before the idle lock."""
        if self._countdown is None:
            from adviser_app.ui.case_book.lock_countdown import LockCountdown

            self._countdown = LockCountdown(self)
        return self._countdown

    def show(self) -> None:
        """Shown maximised the first time if the screen is small (LayoutMemory.fit_window)."""
        if self._maximise:
            self._maximise = False
            self.showMaximized()
        else:
            super().show()

    def _hide_countdown(self) -> None:
        if self._countdown is not None:
            self._countdown.hide()

    @property
    def session(self) -> Session | None:
        return self.book.session

    @property
    def workspace(self) -> Workspace | None:
        """The open case book's working screen (None: none is open). One still being made
        in turns (see _show_book) is finished and put on screen at once if wanted sooner."""
        if self._coming is not None:
            self._put_coming_on_screen()
        return self._workspace

    def _update_actions(self) -> None:
        self.menus.update(book_open=self.session is not None, real_open=self.book.real_open,
                          real_exists=real_place(self.data_dir).exists())

    # ----- pages ------------------------------------------------------------------------
    def _show_welcome(self, message: str = "") -> None:
        self.welcome.set_state(self.data_dir,
                               has_case_book=real_place(self.data_dir).exists())
        self.welcome.show_error(message)
        self.stack.setCurrentWidget(self.welcome)
        self._after_page_change()

    def _show_unlock(self, message: str = "") -> None:
        self.unlock_page.reset(message)
        self.stack.setCurrentWidget(self.unlock_page)
        self._after_page_change()

    def _after_page_change(self) -> None:
        self.setWindowTitle(APP_TITLE)
        self.training_titles.active = False
        self.statusBar().clearMessage()
        self._update_actions()

    def _show_book(self, session: Session, case_id: str | None,
                   in_turns: bool = False) -> None:
        """Put the case book on screen, with *case_id* open once the list is painted. With
        *in_turns* (unlocking from the unlock page) the workspace is made over three turns of
        the event loop, each a few tens of milliseconds on a big case book rather than one
        of about a hundred: its case list filled (here), the screen around it, then on
        screen and painted. The unlock page ("Unlocking…") stays until then, so nothing
        half-made is seen; the menus wake with it."""
        if not session.training:
            self.unlock_page.failures = 0
            self.unlock_page.passphrase.clear()  # never left in the box behind the case book
        made = workspace.Workspace(session, str(self.data_dir), shell_later=in_turns)
        if in_turns:
            self._coming = made, case_id
            self._coming_step.start(0)
        else:
            self._put_on_screen(made, case_id)

    def _next_coming_step(self) -> None:
        if self._coming is None:
            return  # put on screen sooner, or locked meanwhile (see _take_book_away)
        made = self._coming[0]
        with unwatched():  # (opens no dialog)
            if made.has_shell:
                self._put_coming_on_screen()
            else:
                made.make_shell()
                self._coming_step.start(0)

    def _put_coming_on_screen(self) -> None:
        coming, self._coming = self._coming, None
        self._coming_step.stop()
        if coming is not None:
            made, case_id = coming
            made.make_shell()
            self._put_on_screen(made, case_id)

    def _put_on_screen(self, shown: Workspace, case_id: str | None) -> None:
        training = shown.session.training
        self._workspace = shown
        shown.saved.connect(self.book.saved)
        # (not through shown.detail: that would make the case view before the list's paint)
        shown.decisions_requested.connect(self.team_actions.show_decisions)
        bar = shown.training_bar
        if bar is not None:
            bar.today_changed.connect(self.move_training_today)
            bar.reset_requested.connect(self.book.reset_training)
            bar.presenting_changed.connect(self.set_presenting)
            bar.notes_toggled.connect(shown.notes_panel.setVisible)
        self.stack.addWidget(shown)
        self.stack.setCurrentWidget(shown)
        # once the case view is made too (a turn after the list's first paint): the dividers
        # are named by their place among all of them
        shown.complete.connect(lambda: self.layout_memory.restore_splitters(
            shown, training=training))
        if case_id is not None:
            shown.open_after_paint(case_id)
        self.setWindowTitle(f"{APP_TITLE} \u2014 TRAINING (fictional families)" if training
                            else APP_TITLE)
        self.training_titles.active = training
        if self._welcome is not None:
            self._welcome.show_error("")
        self._update_actions()

    def _take_book_away(self, session: Session) -> None:
        """The case book is closing or locking: off screen, remembering the case shown."""
        if self.presenting:
            self.set_presenting(False)
        coming, self._coming = self._coming, None
        if coming is not None:  # never on screen: the case remembered stays as it was
            self._coming_step.stop()
            coming[0].deleteLater()
        shown, self._workspace = self._workspace, None
        if shown is None:
            return
        if not session.training:
            try:
                preferences.remember_case(session.db, shown.shown_case_id)
            except Exception as exc:  # closing or locking must happen whatever
                log.error("could not keep the open case: %s", type(exc).__name__)
        if shown.is_complete:  # else its dividers were neither put back nor moved
            self.layout_memory.keep_splitters(shown, training=session.training)
        self.stack.removeWidget(shown)
        shown.deleteLater()

    def _note_arrivals(self) -> None:
        if not self._arriving.isActive():
            self._arriving.start()

    def _show_arrivals(self) -> None:
        """During a first load of the office register: the case list as it is now."""
        if self.workspace is not None and self.team.first_load.total:
            self.workspace.show_arrivals()

    def _synced(self, result: object) -> None:
        """A sync ended (or stopped): show what came in from the office (letting go of a
        case erased there), or at least which cases still have changes waiting."""
        if self.workspace is None:
            return
        shown = self.workspace.shown_case_id  # (not making the case view if not yet made)
        if shown is not None and self.team.session is not None:
            self.workspace.detail.team_band.show_for(self.team.session.db, shown)  # clash?
        came = int(getattr(result, "written", 0)) + int(getattr(result, "deleted", 0))
        if came:
            self.workspace.after_records_changed()
        else:
            self.workspace.case_list.refresh()

    # ----- training ---------------------------------------------------------------------------
    def move_training_today(self, day: date | None) -> None:
        if self.book.move_training_today(day) and self.workspace is not None:
            self.workspace.refresh_all()

    def set_presenting(self, on: bool) -> None:
        """Presenting mode for a projector: every text at 150 % (menus, lists, tables, tabs,
        the status bar and dialogs too) and high contrast."""
        app = QApplication.instance()
        if not isinstance(app, QApplication) or on == self.presenting:
            return
        if on:
            self._normal_font = app.font()
            big = app.font()
            big.setPointSizeF(self._normal_font.pointSizeF() * theme.PRESENTING_SCALE)
            app.setFont(big)
            theme.apply(app, presenting=True, base_font=self._normal_font)
        else:
            app.setFont(self._normal_font)
            theme.apply(app)
        self.presenting = on

    # ----- messages and quitting ----------------------------------------------------------
    def say(self, message: str, ms: int = 10000) -> None:
        """A short message in the status bar, and beside an open dialog (which may hide the
        status bar)."""
        self.statusBar().showMessage(message, ms)
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            QToolTip.showText(dialog.mapToGlobal(dialog.rect().center()), message, dialog,
                              dialog.rect(), ms)

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        self.layout_memory.keep_window(self)
        self.book.close_case_book(show_start=False)
        self.team.wait()
        if self.book.file_jobs_busy:
            self.hide()  # nothing to type into while the backup made on closing finishes
            self.book.file_jobs.wait()
        super().closeEvent(event)
