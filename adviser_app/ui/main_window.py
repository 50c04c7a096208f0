"""The main window: menus and shortcuts, and switching between the welcome, unlock and
case book pages; locking and unlocking."""

from __future__ import annotations

import getpass
import logging
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (QApplication, QDialog, QMainWindow, QMessageBox,
                               QStackedWidget, QToolTip, QWidget)

from adviser_app.services.places import real_place
from adviser_app.store.errors import (CaseBookDamaged, CaseBookError, WrongPassphrase,
                                      WrongRecoveryKey)
from adviser_app.ui.access import Access
from adviser_app.ui.case_book.idle_lock import IdleWatcher, LockCountdown, LockKey
from adviser_app.ui.jobs import JobRunner
from adviser_app.ui.layout_memory import LayoutMemory
from adviser_app.ui import theme
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.case_book.training_titles import TrainingTitles
from adviser_app.ui.case_book.unlock_page import UnlockPage
from adviser_app.ui.case_book.warm_up import warm_up_in_background
from adviser_app.ui.case_book.welcome import WelcomePage

# The first screen (welcome or unlock) needs none of the storage or case-view code: it loads
# on first use, so the window appears sooner (benchmarks/README.md, "start").
if TYPE_CHECKING:
    from adviser_app.services import audit_log, backups, case_books, data_protection
    from adviser_app.store import cases, drafts, search, settings
    from adviser_app.store import db as store_db
    from adviser_app.store import keyfile
    from adviser_app.store.db import Database
    from adviser_app.store.keyfile import KdfParams
    from adviser_app.ui import form_support, workspace
    from adviser_app.ui.case_view import entry_dialog
    from adviser_app.ui.case_view import new_case_dialog
    from adviser_app.ui.case_book.file_jobs import FileJobs
else:
    from adviser_app.lazy_import import lazy_module

    audit_log = lazy_module("adviser_app.services.audit_log")
    backups = lazy_module("adviser_app.services.backups")
    case_books = lazy_module("adviser_app.services.case_books")
    data_protection = lazy_module("adviser_app.services.data_protection")
    cases = lazy_module("adviser_app.store.cases")
    drafts = lazy_module("adviser_app.store.drafts")
    settings = lazy_module("adviser_app.store.settings")
    search = lazy_module("adviser_app.store.search")
    store_db = lazy_module("adviser_app.store.db")
    keyfile = lazy_module("adviser_app.store.keyfile")
    entry_dialog = lazy_module("adviser_app.ui.case_view.entry_dialog")
    form_support = lazy_module("adviser_app.ui.form_support")
    new_case_dialog = lazy_module("adviser_app.ui.case_view.new_case_dialog")
    workspace = lazy_module("adviser_app.ui.workspace")

log = logging.getLogger(__name__)
APP_TITLE = "Adviser Toolkit"
NAME_SETTING = "adviser_name"
BACKUP_FOLDER_SETTING = "backup_folder"
BACKUP_EVERY_MINUTES = 30
PREFERRED_SIZE = QSize(1280, 800)
FRAME_ALLOWANCE = QSize(16, 40)  # a title bar and borders, before the window manager says
DEFAULT_IDLE_MINUTES = 5
LOCK_AFTER_SETTING = "lock_after_minutes"
LAST_CASE_SETTING = "last_open_case"
LOCK_AFTER_CHOICES = (1, 2, 5, 10, 15, 30)  # minutes; a service's policy sets the choice
TRAINING_LOCK_MESSAGE = ("Ctrl+L locks your real case book at once. The training case book "
                         "holds only fictional families and has no passphrase, so it stays "
                         "open.")
LOCK_REASONS = {"suspend": "Locked because the laptop was going to sleep.",
                "screen lock": "Locked because the screen was locked."}


class MainWindow(QMainWindow):
    def __init__(self, data_dir: Path, actor: str | None = None,
                 today: Callable[[], date] = date.today, *, kdf: KdfParams | None = None,
                 idle_minutes: float = DEFAULT_IDLE_MINUTES,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir, self.today = data_dir, today
        self._kdf = kdf  # None: the production key stretching (tests pass a cheap one)
        self.login_name = actor or getpass.getuser()
        self.session: Session | None = None
        self.workspace: workspace.Workspace | None = None
        self.access = Access(self)
        self.setWindowTitle(APP_TITLE)  # never a family's name: titles leak into task bars
        self.layout_memory = LayoutMemory(data_dir)
        self.fit_to_screen()
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.welcome = WelcomePage(data_dir)
        self.unlock_page = UnlockPage(data_dir)
        for page in (self.welcome, self.unlock_page):
            self.stack.addWidget(page)
        self.welcome.create_requested.connect(self.create_case_book)
        self.welcome.open_requested.connect(self._show_unlock)
        self.welcome.training_requested.connect(self.open_training_case_book)
        self.unlock_page.unlock_requested.connect(self.unlock)
        self.unlock_page.recovery_requested.connect(self.unlock_with_recovery)
        self.unlock_page.training_requested.connect(self.open_training_case_book)
        self.changed_since_backup = False
        self._file_jobs: FileJobs | None = None
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_EVERY_MINUTES * 60 * 1000)
        self.backup_timer.timeout.connect(lambda: self.backup_now(only_if_changed=True))
        self.idle_minutes = self.default_idle_minutes = idle_minutes
        self.idle = IdleWatcher(idle_minutes * 60, parent=self)
        self.idle.idle.connect(lambda: self.lock(LOCK_REASONS.get(
            getattr(self.idle, "reason", "idle"),
            f"Locked after {self.idle_minutes:g} minutes without use.")))
        self.countdown = LockCountdown(self)
        self.idle.warning.connect(self.countdown.show_left)
        self.idle.warning_over.connect(self.countdown.hide)
        self.lock_key = LockKey(lambda: self.session is not None, parent=self)
        self.lock_key.pressed.connect(lambda: self.lock("Locked."))
        self.key_jobs = JobRunner(self)  # raising an old key file's key stretching
        self.training_titles = TrainingTitles(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.training_titles)
        if isinstance(app, QApplication):
            theme.apply(app)
        self._build_menus()
        self._show_start()
        # while the adviser types the passphrase (not before the window is on screen)
        QTimer.singleShot(300, warm_up_in_background)

    def fit_to_screen(self) -> None:
        """The size it had last time (on this laptop), or what fits the screen it opens on:
        the whole screen on a small laptop screen, so the lists get the room."""
        if self.layout_memory.restore_window(self):
            return
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            self.resize(PREFERRED_SIZE)
            return
        room = screen.availableGeometry()
        frame = FRAME_ALLOWANCE
        self.resize(min(PREFERRED_SIZE.width(), room.width() - frame.width()),
                    min(PREFERRED_SIZE.height(), room.height() - frame.height()))
        self.move(room.topLeft())
        if room.width() < PREFERRED_SIZE.width() + frame.width() or \
                room.height() < PREFERRED_SIZE.height() + frame.height():
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    @property
    def kdf(self) -> KdfParams:
        return self._kdf or keyfile.PRODUCTION_KDF

    @property
    def file_jobs(self) -> FileJobs:
        """The integrity check and backups on a worker thread (made when first needed)."""
        if self._file_jobs is None:
            from adviser_app.ui.case_book.file_jobs import FileJobs

            jobs = self._file_jobs = FileJobs(self)
            jobs.checked.connect(lambda: self.statusBar().showMessage(
                "Case book file checked: no damage found.", 8000))
            jobs.damaged.connect(self.damage_found)
            jobs.backed_up.connect(self._backed_up)
            jobs.backup_failed.connect(lambda why: self.statusBar().showMessage(
                f"The backup could not be made: {why} Your case book itself is fine.", 15000))
        return self._file_jobs

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
        self._menus = {name: bar.addMenu(name) for name in ("&File", "&Case", "T&ools",
                                                            "&Help")}
        self.open_real_action = self._action("&File", "Open &my case book", self._show_unlock)
        self.training_action = self._action("&File", "Open the &training case book",
                                            self.open_training_case_book)
        self.lock_action = self._action("&File", "&Lock now", lambda: self.lock("Locked."),
                                        "Ctrl+L")
        self.passphrase_action = self._action("&File", "Change the &passphrase…",
                                              self.change_passphrase)
        self.lock_after_action = self._action("&File", "Lock &after… (time without use)",
                                              self.choose_lock_time)
        self.backup_action = self._action("&File", "&Back up now", self.backup_now)
        self.restore_action = self._action("&File", "&Restore from a backup…",
                                           self.restore_from_backup)
        self.backup_folder_action = self._action("&File", "Also back up to a &folder…",
                                                 self.choose_backup_folder)
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
        self.letter_action = self._action("&Case", "Letters and &summaries…",
                                          self.produce_document, "Ctrl+P")
        self.documents_action = self._action("&Case", "Documents &kept on this case…",
                                             self.show_documents)
        self.batch_action = self._action("&Case", "One document for &many cases…",
                                         self.batch_documents)
        self.mediation_action = self._action("&Case", "Mediation and &appeal…",
                                             self.open_mediation, "Ctrl+M")
        self._menus["&Case"].addSeparator()
        self.cases_action = self._action("&Case", "Show the &case list", self.show_cases,
                                         "Ctrl+1")
        self.deadlines_action = self._action("&Case", "Show &deadlines across all cases",
                                             self.show_deadlines, "Ctrl+D")
        self.calculator_action = self._action("T&ools", "Deadline &calculator…",
                                              self.open_calculator, "Ctrl+K")
        self.holidays_action = self._action("T&ools", "Extra &bank holidays…",
                                            self.edit_holidays)
        self.audit_action = self._action("T&ools", "&Audit log…", self.show_audit_log)
        self.retention_action = self._action("T&ools", "&Retention review…",
                                             self.show_retention_review)
        self.sar_action = self._action("T&ools", "&Subject access requests…",
                                       self.show_subject_access)
        self.letterhead_action = self._action("T&ools", "&Letterhead and signature…",
                                              self.edit_letterhead)
        self.report_action = self._action("T&ools", "Activity &report and figures…",
                                          self.show_report)
        self.report_lists_action = self._action("T&ools", "&Outcomes and evaluation "
                                                "questions…", self.edit_report_lists)
        self.guide_action = self._action("&Help", "&Guide and keyboard shortcuts",
                                         self.show_guide, "F1")
        self.guide_action.setShortcuts([QKeySequence("F1"), QKeySequence("Ctrl+?"),
                                        QKeySequence("Ctrl+Shift+/")])
        self._action("&Help", "&Where is my data?", self.show_data_folder)
        self._action("&Help", "&About Adviser Toolkit (version and licences)", self.show_about)

    def _update_actions(self) -> None:
        has_book = self.session is not None
        real_open = has_book and self.session is not None and not self.session.training
        for action in (self.close_book_action, self.new_case_action, self.find_action,
                       self.visit_note_action, self.entry_action, self.cases_action,
                       self.deadlines_action, self.holidays_action, self.audit_action,
                       self.letter_action, self.documents_action, self.letterhead_action,
                       self.batch_action, self.mediation_action, self.retention_action,
                       self.sar_action, self.report_action, self.report_lists_action,
                       self.lock_action):
            action.setEnabled(has_book)
        for action in (self.passphrase_action, self.backup_action,
                       self.restore_action, self.backup_folder_action,
                       self.lock_after_action):
            action.setEnabled(real_open)
        self.open_real_action.setEnabled(real_place(self.data_dir).exists()
                                         and not real_open)

    # ----- pages ------------------------------------------------------------------------
    def _show_start(self) -> None:
        if real_place(self.data_dir).exists():
            self._show_unlock()
        else:
            self._show_welcome()

    def _show_welcome(self, message: str = "") -> None:
        self.welcome.set_state(self.data_dir,
                               has_case_book=real_place(self.data_dir).exists())
        self.welcome.show_error(message)
        self.stack.setCurrentWidget(self.welcome)
        self._after_page_change()

    def _show_unlock(self, message: str = "") -> None:
        self.close_case_book(show_start=False)
        self.unlock_page.reset(message)
        self.stack.setCurrentWidget(self.unlock_page)
        self._after_page_change()

    def _after_page_change(self) -> None:
        self.setWindowTitle(APP_TITLE)
        self.training_titles.active = False
        self.statusBar().clearMessage()
        self._update_actions()

    def _show_book(self, db: Database) -> None:
        self.close_case_book(show_start=False)
        training = settings.is_training(db)
        with db.atomic():  # once, for a case book indexed by an older version
            search.bring_index_up_to_date(db)
        actor = settings.get_setting(db, NAME_SETTING) or self.login_name
        self.training_today: date | None = None
        # Only the training case book may move "today"; the real one always uses the clock.
        today = (lambda: self.training_today or self.today()) if training else self.today
        erased_again = 0 if training else data_protection.reapply_erasures(db, today(), actor)
        self.session = Session(db=db, actor=actor, training=training, today=today)
        self.workspace = workspace.Workspace(self.session, str(self.data_dir))
        self.workspace.saved.connect(self._saved)
        bar = self.workspace.training_bar
        if bar is not None:
            bar.today_changed.connect(self.move_training_today)
            bar.reset_requested.connect(self.reset_training)
            bar.presenting_changed.connect(self.set_presenting)
            bar.notes_toggled.connect(self.workspace.notes_panel.setVisible)
        self.stack.addWidget(self.workspace)
        self.stack.setCurrentWidget(self.workspace)
        self.layout_memory.restore_splitters(self.workspace, training=training)
        if not training:
            self._reopen_last_case()
        self.setWindowTitle(f"{APP_TITLE} \u2014 TRAINING (fictional families)" if training
                            else APP_TITLE)
        self.training_titles.active = training
        self.welcome.show_error("")
        self._update_actions()
        self.statusBar().showMessage("Training case book open" if training else
                                     "Case book unlocked. Checking the file for damage in "
                                     "the background; you can carry on working.")
        if erased_again:
            self.access.tell("Erasures made again", (
                f"This copy of the case book was older than {erased_again} erasure"
                f"{'s' if erased_again != 1 else ''} made on this laptop (kept in the list "
                "beside the case book), so they were made again: those families stay erased."))
        if not training:
            self._apply_lock_time(settings.get_setting(db, LOCK_AFTER_SETTING))
            self.file_jobs.check(db, real_place(self.data_dir))
            audit_log.note(db, actor, "unlocked", "case_book", "real")
            self.idle.start()
            self.backup_timer.start()
            self.changed_since_backup = False

    # ----- opening, creating, unlocking -----------------------------------------------------
    def create_case_book(self) -> bool:
        answer = self.access.ask_new_book(self.login_name)
        if answer is None:
            return False
        name, passphrase = answer
        try:
            made = case_books.create_real(self.data_dir, passphrase, kdf=self.kdf)
        except CaseBookError as exc:
            self._show_welcome(str(exc))
            return False
        with made.db.atomic():
            settings.set_setting(made.db, NAME_SETTING, name)
        self.access.show_recovery_key(made.recovery_key)
        self._show_book(made.db)
        return True

    def unlock(self, passphrase: str) -> bool:
        place = real_place(self.data_dir)
        self.file_jobs.settle()  # a backup made on closing may still be copying the file
        try:
            opened = backups.open_or_recover(place, passphrase)
        except WrongPassphrase as exc:
            self.unlock_page.wrong_passphrase(str(exc), exc.wait)
            return False
        except CaseBookError as exc:
            self.unlock_page.show_problem(str(exc))
            return False
        self.unlock_page.failures = 0
        self.unlock_page.passphrase.clear()  # never left in the box behind the case book
        try:
            self._show_book(opened.db)
        except Exception as exc:
            if not store_db.is_damage(exc):
                raise
            self.damage_found(CaseBookDamaged("a damaged page was read while opening"))
            return self.session is not None
        key, floor = store_db.data_key(opened.db), self.kdf
        # Once per old key file: calibrating takes a second or two, so off the GUI thread.
        self.key_jobs.start(lambda: case_books.strengthen_key_file(place, key, passphrase,
                                                                   floor))
        if opened.message:
            self.access.tell("Case book restored from a backup" if opened.restored_from
                             else "Some recent changes may be missing" if opened.behind
                             else "Key file replaced by its copy" if opened.key_replaced
                             else "Restore finished", opened.message)
        self._offer_draft()
        return True

    def unlock_with_recovery(self) -> bool:
        answer = self.access.ask_recovery()
        if answer is None:
            return False
        recovery, new_passphrase = answer
        try:
            db = backups.open_with_recovery(real_place(self.data_dir), recovery, new_passphrase,
                                            kdf=self.kdf).told(self.access.tell)
        except (WrongRecoveryKey, CaseBookError) as exc:
            self.unlock_page.show_problem(str(exc))
            return False
        self._show_book(db)
        self.access.tell("New passphrase set", "The case book is open and your new passphrase "
                         "is set. Use it from now on; the recovery key still works too.")
        self._offer_draft()
        return True

    def change_passphrase(self) -> bool:
        if self.session is None or self.session.training:
            return False
        answer = self.access.ask_passphrase_change()
        if answer is None:
            return False
        old, new = answer
        self.key_jobs.wait()  # never let a re-wrap with the old passphrase land afterwards
        try:
            case_books.change_passphrase(real_place(self.data_dir), old, new,
                                         kdf=self.kdf)
        except CaseBookError as exc:
            self.access.tell("Passphrase not changed", str(exc))
            return False
        self.statusBar().showMessage("Passphrase changed", 8000)
        return True

    def open_training_case_book(self) -> bool:
        try:
            db = case_books.open_training(self.data_dir, self.today())
        except CaseBookError as exc:
            self._show_welcome(str(exc))
            return False
        self._show_book(db)
        return True

    # ----- training ---------------------------------------------------------------------------
    def move_training_today(self, day: date | None) -> None:
        if self.session is None or not self.session.training or self.workspace is None:
            return
        self.training_today = day
        self.workspace.refresh_all()

    def reset_training(self) -> bool:
        if self.session is None or not self.session.training:
            return False
        if not self.access.confirm("Reset the training case book?",
                                   "This throws away every change made in the training case "
                                   "book and builds it again from the scenario files. Real "
                                   "case books are not touched."):
            return False
        self.close_case_book(show_start=False)
        self._show_book(case_books.rebuild_training(self.data_dir, self.today()))
        self.statusBar().showMessage("Training case book reset", 8000)
        return True

    def set_presenting(self, on: bool) -> None:
        """Presenting mode for a projector: every text at 150 % (menus, lists, tables, tabs,
        the status bar and dialogs too) and high contrast."""
        from PySide6.QtGui import QFont

        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return
        if on and not getattr(self, "presenting", False):
            self._normal_font = app.font()
            big = QFont(self._normal_font)
            big.setPointSizeF(self._normal_font.pointSizeF() * theme.PRESENTING_SCALE)
            app.setFont(big)
            theme.apply(app, presenting=True, base_font=self._normal_font)
        elif not on and getattr(self, "presenting", False):
            app.setFont(self._normal_font)
            theme.apply(app)
        self.presenting = on

    # ----- locking and closing ------------------------------------------------------------
    def lock(self, message: str = "Locked.") -> None:
        """Clear the screen, keep any note being typed as an encrypted draft, close the case
        book and drop the key; then ask for the passphrase again. The training case book has
        no passphrase to lock it with: it says so instead."""
        if self.session is None:
            return
        if self.session.training:
            self.say(TRAINING_LOCK_MESSAGE)
            return
        open_dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog)]
        for dialog in open_dialogs + self.findChildren(QDialog):
            if not dialog.isVisible():
                continue
            if isinstance(dialog, entry_dialog.EntryDialog) and dialog.has_unsaved_typing():
                try:
                    drafts.save_draft(self.session.db, dialog.draft_payload())
                except Exception as exc:  # the lock must happen whatever
                    log.error("could not keep the draft: %s", type(exc).__name__)
            if isinstance(dialog, form_support.ValidatingForm):
                dialog.discard()
            else:
                dialog.reject()
        try:
            audit_log.note(self.session.db, self.session.actor, "locked", "case_book", "real")
        except Exception as exc:  # the lock must happen whatever
            log.error("could not note the lock: %s", type(exc).__name__)
        self._show_unlock(message)

    def say(self, message: str, ms: int = 10000) -> None:
        """A short message in the status bar, and beside an open dialog (which may hide the
        status bar)."""
        self.statusBar().showMessage(message, ms)
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            QToolTip.showText(dialog.mapToGlobal(dialog.rect().center()), message, dialog,
                              dialog.rect(), ms)

    def _remember_case(self, session: Session, shown: workspace.Workspace) -> None:
        """The case on screen, kept (in the case book) to open again next time."""
        case = shown.detail.case
        try:
            with session.db.atomic():
                settings.set_setting(session.db, LAST_CASE_SETTING, case.id if case else "")
        except Exception as exc:  # closing or locking must happen whatever
            log.error("could not keep the open case: %s", type(exc).__name__)

    def _reopen_last_case(self) -> None:
        assert self.session is not None and self.workspace is not None
        case_id = settings.get_setting(self.session.db, LAST_CASE_SETTING)
        if not case_id:
            return
        try:
            cases.get_case(self.session.db, case_id)
        except CaseBookError:
            return  # deleted or never there: the list as usual
        self.workspace.open_case(case_id)

    def _offer_draft(self) -> None:
        if self.session is None or self.workspace is None:
            return
        draft = drafts.peek_draft(self.session.db)
        if draft is None:
            return
        try:
            case = cases.get_case(self.session.db, str(draft.get("case_id")))
        except CaseBookError:
            drafts.clear_draft(self.session.db)
            return
        if not self.access.offer_draft(f"a note on case {case.reference}"):
            return  # kept for next time
        self.workspace.show_cases()
        self.workspace.open_case(case.id)
        detail = self.workspace.detail
        entry = None
        if draft.get("entry_id"):
            from adviser_app.store.timeline import get_entry

            entry = get_entry(self.session.db, str(draft["entry_id"]))
        dialog = entry_dialog.EntryDialog(self.session, case.id, entry, parent=self)
        dialog.fill_from_draft(draft)
        drafts.clear_draft(self.session.db)
        if dialog.exec():
            detail.show_case(case.id)
            self._saved(case.id)

    def close_case_book(self, show_start: bool = True) -> None:
        if getattr(self, "presenting", False):
            self.set_presenting(False)
        self.idle.stop()
        self.backup_timer.stop()
        session = self._forget_session()
        if session is not None:
            back_up = None
            if not session.training:
                asked = self.file_jobs.let_go(session.db)
                if self.changed_since_backup or asked:
                    # Backed up once closed, on a worker thread: closing is not held up.
                    back_up = self.file_jobs.back_up_closed(
                        session.db, real_place(self.data_dir),
                        self._backup_folder(session.db))
                    self.changed_since_backup = False
                    try:
                        audit_log.note(session.db, session.actor, "backed_up", "case_book",
                                       "on closing")
                    except Exception as exc:  # closing must happen whatever (a full disk)
                        log.error("could not note the backup: %s", type(exc).__name__)
            try:
                store_db.close_case_book(session.db)
            except Exception as exc:  # closing must never lose the window; data is committed
                log.error("closing the case book failed: %s", type(exc).__name__)
            else:
                if back_up is not None:
                    back_up()
        if show_start:
            self._show_start()

    def _forget_session(self) -> Session | None:
        """Take the case book off screen without closing it; returns what was open."""
        session, shown = self.session, self.workspace
        self.session = self.workspace = None
        if session is not None and shown is not None and not session.training:
            self._remember_case(session, shown)
        if shown is not None:
            self.layout_memory.keep_splitters(shown, training=shown.session.training)
            self.stack.removeWidget(shown)
            shown.deleteLater()
        return session

    def damage_found(self, damage: CaseBookError) -> None:
        """The check after unlocking (or any read) found damage: keep the damaged file in
        quarantine and go back to the newest good backup, saying what may need re-entering."""
        session = self.session
        if session is None or session.training:
            return
        self.idle.stop()
        self.backup_timer.stop()
        self._forget_session()
        self.file_jobs.let_go(session.db)
        self.changed_since_backup = False
        try:
            opened = backups.recover_open(session.db, real_place(self.data_dir),
                                          damage)
        except CaseBookError as exc:
            self._show_unlock(str(exc))
            return
        self._show_book(opened.db)
        self.access.tell("Case book restored from a backup", opened.message)

    # ----- case actions -------------------------------------------------------------------
    def focus_search(self) -> None:
        if self.workspace is not None:
            self.workspace.show_cases()
            self.workspace.case_list.focus_search()

    def new_family_case(self) -> None:
        if self.session is None or self.workspace is None:
            return
        dialog = new_case_dialog.NewCaseDialog(self.session, self)
        if not dialog.exec() or self.workspace is None:
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
        from adviser_app.domain.statutory.working_days import ENGLAND
        from adviser_app.services.statutory import calendar_for
        from adviser_app.ui.deadlines.calculator_dialog import CalculatorDialog

        calendar = calendar_for(self.session.db) if self.session else ENGLAND
        CalculatorDialog(calendar, self).exec()

    def edit_holidays(self) -> None:
        from adviser_app.ui.deadlines.holidays_dialog import HolidaysDialog

        if self.session is None:
            return
        HolidaysDialog(self.session, self).exec()
        if self.workspace is not None:  # the case book may have locked meanwhile
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
        self.changed_since_backup = True
        self.statusBar().showMessage(f"Saved at {datetime.now().strftime('%H:%M:%S')}")

    # ----- locking after a time without use -----------------------------------------------
    def _apply_lock_time(self, stored: str | None) -> None:
        try:
            minutes = float(stored) if stored else self.default_idle_minutes
        except ValueError:
            minutes = self.default_idle_minutes
        self.idle_minutes = minutes
        self.idle.timeout = minutes * 60

    def choose_lock_time(self) -> bool:
        """How long the case book may sit unused before it locks; kept in the case book."""
        if self.session is None or self.session.training:
            return False
        minutes = self.access.choose_lock_minutes(LOCK_AFTER_CHOICES, self.idle_minutes)
        if minutes is None:
            return False
        with self.session.db.atomic():
            settings.set_setting(self.session.db, LOCK_AFTER_SETTING, str(minutes))
        self._apply_lock_time(str(minutes))
        self.statusBar().showMessage(
            f"The case book will lock after {minutes} minute{'s' if minutes != 1 else ''} "
            "without use.", 8000)
        return True

    # ----- backups --------------------------------------------------------------------------
    def _backup_folder(self, db: Database | None = None) -> Path | None:
        db = db or (self.session.db if self.session is not None else None)
        if db is None:
            return None
        folder = settings.get_setting(db, BACKUP_FOLDER_SETTING)
        return Path(folder) if folder else None

    def backup_now(self, only_if_changed: bool = False) -> bool:
        """Start a verified backup of the real case book (and to the chosen folder, if any)
        on a worker thread; the status bar says when it is done."""
        if self.session is None or self.session.training:
            return False
        if only_if_changed and not self.changed_since_backup:
            return False
        self.changed_since_backup = False
        self.file_jobs.back_up(self.session.db, real_place(self.data_dir),
                               self._backup_folder())
        self.statusBar().showMessage("Backing up\u2026")
        return True

    def _backed_up(self, info: backups.BackupInfo) -> None:
        if self.session is not None and not self.session.training:
            try:
                audit_log.note(self.session.db, self.session.actor, "backed_up", "case_book",
                               info.path.name)
            except Exception as exc:  # a full disk: the backup itself is made and checked
                log.error("could not note the backup: %s", type(exc).__name__)
        self.statusBar().showMessage(f"Backed up at {info.taken_at.strftime('%H:%M')}", 8000)

    def restore_from_backup(self) -> bool:
        if self.session is None or self.session.training:
            return False
        place = real_place(self.data_dir)
        choice = self.access.choose_backup(backups.list_backups(place))
        if choice is None:
            return False
        backup, passphrase = choice
        self.close_case_book(show_start=False)
        self.file_jobs.settle()
        try:
            opened = backups.restore_from_backup(place, backup, passphrase)
        except CaseBookError as exc:
            self._show_unlock(f"The backup was not restored: {exc}")
            return False
        self._show_book(opened.db)
        self.access.tell("Backup restored", opened.message.replace(
            "The case book file was damaged. The damaged", "The case book you had open"))
        return True

    def produce_document(self) -> None:
        from adviser_app.ui.documents.document_dialog import DocumentDialog

        if self.workspace is None or self.session is None or not self._need_case():
            return
        case = self.workspace.detail.case
        assert case is not None
        DocumentDialog(self.session, case.id, parent=self).exec()
        if self.workspace is not None and self.workspace.detail.case is not None:
            self.workspace.detail.show_case(case.id)

    def show_documents(self) -> None:
        from adviser_app.ui.documents.documents_list import DocumentsList

        if self.workspace is None or self.session is None or not self._need_case():
            return
        case = self.workspace.detail.case
        assert case is not None
        DocumentsList(self.session, case.id, self).exec()

    def open_mediation(self) -> None:
        """The mediation wizard on the open case: a new disagreement, or one to carry on."""
        from adviser_app.services import mediation
        from adviser_app.ui.mediation.mediation_wizard import MediationWizard

        if self.workspace is None or self.session is None or not self._need_case():
            return
        detail = self.workspace.detail
        assert detail.case is not None and detail.family is not None
        existing = mediation.on_case(self.session.db, detail.case.id)
        chosen = self.access.choose_disagreement(
            [mediation.describe(d) for _, d in existing])
        if chosen is None:
            return
        disagreement_id = existing[chosen][0] if chosen >= 0 else None
        MediationWizard(self.session, detail.case.id, detail.family, disagreement_id,
                        self).exec()
        if self.workspace is not None and self.workspace.detail.case is not None:
            self.workspace.detail.show_case(detail.case.id)
            self.workspace.deadlines.refresh()

    def batch_documents(self) -> None:
        from adviser_app.ui.documents.batch_dialog import BatchDialog

        if self.session is not None:
            BatchDialog(self.session, self).exec()

    def edit_letterhead(self) -> None:
        from adviser_app.ui.documents.letterhead_dialog import LetterheadDialog

        if self.session is not None:
            LetterheadDialog(self.session, self).exec()

    def show_report(self) -> None:
        from adviser_app.ui.service.report_window import open_report

        if self.session is not None:
            open_report(self.session, self,
                        self.workspace.open_case_from_deadlines if self.workspace is not None
                        else None)

    def edit_report_lists(self) -> None:
        from adviser_app.ui.service.report_lists_dialog import ReportListsDialog

        if self.session is not None:
            ReportListsDialog(self.session, self).exec()

    def show_audit_log(self) -> None:
        from adviser_app.ui.service.audit_dialog import AuditDialog

        if self.session is not None:
            AuditDialog(self.session, self).exec()

    def show_retention_review(self) -> None:
        from adviser_app.ui.service.retention_dialog import RetentionDialog

        if self.session is not None:
            RetentionDialog(self.session, self).exec()
            if self.workspace is not None:
                self.workspace.after_records_removed()

    def show_subject_access(self) -> None:
        from adviser_app.ui.service.subject_access_dialog import SubjectAccessDialog

        if self.session is not None:
            SubjectAccessDialog(self.session, self).exec()

    def choose_backup_folder(self) -> None:
        if self.session is None:
            return
        folder = self.access.choose_folder(self._backup_folder())
        if folder is None:
            return
        with self.session.db.atomic():
            settings.set_setting(self.session.db, BACKUP_FOLDER_SETTING,
                                 str(folder) if folder else "")
        self.backup_now()

    # ----- help ---------------------------------------------------------------------------
    def show_data_folder(self) -> None:
        QMessageBox.information(self, "Where is my data?",
                                f"Case books are kept, encrypted, in:\n{self.data_dir}\n\n"
                                "Keep this folder on this laptop: not in OneDrive, Dropbox "
                                "or a network folder.")

    def show_guide(self, page: int = 0) -> None:
        from adviser_app.ui.help_dialog import HelpDialog

        self.help_dialog = HelpDialog(page, self)
        self.help_dialog.show()  # not modal: read it while doing what it says

    def show_about(self) -> None:
        from adviser_app.ui.help_dialog import HelpDialog

        self.show_guide(HelpDialog.ABOUT)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.layout_memory.keep_window(self)
        self.close_case_book(show_start=False)
        if self._file_jobs is not None and self._file_jobs.busy:
            self.hide()  # nothing to type into while the backup made on closing finishes
            self._file_jobs.wait()
        super().closeEvent(event)
