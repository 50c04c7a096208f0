"""The case book's life on this laptop, without a widget of its own: creating, unlocking (with
the passphrase or the recovery key), the training case book, locking, closing, backing up,
restoring, changing the passphrase and recovering from damage.

It owns the open Session, the idle lock, the backup timer, the background checks, the file
and key jobs and the note kept as a draft at lock. It reports through its signals (the main
window shows pages and messages) and asks the adviser through the prompts (ui.access)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog

from adviser_app.services.places import real_place
from adviser_app.store.errors import (CaseBookDamaged, CaseBookError, WrongPassphrase,
                                      WrongRecoveryKey)
from adviser_app.ui.access import Access
from adviser_app.ui.case_book.idle_lock import IdleWatcher, LockKey, unwatched
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.jobs import JobRunner
from adviser_app.domain.validation import plural

# The unlock screen needs none of the storage code: it loads when a case book is opened.
if TYPE_CHECKING:
    from adviser_app.services import (audit_log, backups, case_books, drafts, opening,
                                      preferences, recovering)
    from adviser_app.store import db as store_db
    from adviser_app.store import integrity, keyfile
    from adviser_app.store.db import Database
    from adviser_app.store.keyfile import KdfParams
    from adviser_app.ui import form_support
    from adviser_app.ui.case_book.file_jobs import FileJobs
    from adviser_app.ui.case_view import entry_dialog
else:
    from adviser_app.lazy_import import lazy_module

    audit_log = lazy_module("adviser_app.services.audit_log")
    backups = lazy_module("adviser_app.services.backups")
    case_books = lazy_module("adviser_app.services.case_books")
    drafts = lazy_module("adviser_app.services.drafts")
    opening = lazy_module("adviser_app.services.opening")
    preferences = lazy_module("adviser_app.services.preferences")
    recovering = lazy_module("adviser_app.services.recovering")
    store_db = lazy_module("adviser_app.store.db")
    integrity = lazy_module("adviser_app.store.integrity")
    keyfile = lazy_module("adviser_app.store.keyfile")
    form_support = lazy_module("adviser_app.ui.form_support")
    entry_dialog = lazy_module("adviser_app.ui.case_view.entry_dialog")

log = logging.getLogger(__name__)
BACKUP_EVERY_MINUTES = 30
DEFAULT_IDLE_MINUTES = 5
TRAINING_LOCK_MESSAGE = ("Ctrl+L locks your real case book at once. The training case book "
                         "holds only fictional families and has no passphrase, so it stays "
                         "open.")


class CaseBookController(QObject):
    closing = Signal(object)
    """The case book on screen (its Session) is closing or locking: take it off screen. It
    can still be read and written until the handlers return."""
    passphrase_needed = Signal(str)
    """Nothing is open: ask for the real case book's passphrase, saying this (why it locked,
    or what went wrong)."""
    welcome_needed = Signal(str)
    """Nothing is open and there is no real case book to unlock: welcome, with this problem."""
    passphrase_refused = Signal(str, object)
    """The passphrase did not unlock the case book: what to say, and the seconds to wait
    before the next try (None: the unlock page's own count)."""
    unlock_failed = Signal(str)
    """Unlocking failed for another reason than the passphrase: what to say."""
    draft_resumed = Signal(object)
    """A note kept at lock is to be finished (a services.drafts.WaitingDraft)."""
    said = Signal(str, int)
    """A short message for the status bar, and for how many milliseconds (0: until the next)."""
    noticed = Signal(str)
    """A message that must be seen even with a dialog open in front of the status bar."""
    opened = Signal(object)
    """A case book (its Session) has just been put in front of the adviser."""
    changed = Signal()
    """Something was saved in the open case book."""

    def __init__(self, data_dir: Path, prompts: Access,
                 show: Callable[[Session, str | None, bool], None], *, login_name: str,
                 today: Callable[[], date] = date.today, kdf: KdfParams | None = None,
                 idle_minutes: float = DEFAULT_IDLE_MINUTES,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir, self.prompts, self.login_name = data_dir, prompts, login_name
        # Showing a case book just opened (with the case on screen when it last closed, and
        # whether it may be put on screen over the next turns of the event loop) is a call,
        # not a signal: reading it may find damage, and that must reach unlock() (an
        # exception in a slot never reaches the code that emitted the signal).
        self._show = show
        self.today = today
        self._kdf = kdf  # None: the production key stretching (tests pass a cheap one)
        self.session: Session | None = None
        self.training_today: date | None = None
        self.changed_since_backup = False
        self._file_jobs: FileJobs | None = None
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_EVERY_MINUTES * 60 * 1000)
        self.backup_timer.timeout.connect(lambda: self.backup_now(only_if_changed=True))
        self.idle_minutes = self.default_idle_minutes = idle_minutes
        self.idle = IdleWatcher(idle_minutes * 60, parent=self)
        self.idle.idle.connect(self._locked_by_watcher)
        self.lock_key = LockKey(lambda: self.session is not None, parent=self)
        self.lock_key.pressed.connect(lambda: self.lock("Locked."))
        self.key_jobs = JobRunner(self)  # raising an old key file's key stretching
        self.deriving = JobRunner(self)  # the key derivation of unlock_soon
        self.deriving.finished.connect(self._derived)
        self.deriving.failed.connect(self._derived)
        self._typed: str | None = None
        self._waiting: tuple[recovering.Opened, str] | None = None  # opened, shown next turn
        self._show_waiting = QTimer(self)
        self._show_waiting.setSingleShot(True)
        self._show_waiting.timeout.connect(self._show_opened)

    @property
    def kdf(self) -> KdfParams:
        return self._kdf or keyfile.PRODUCTION_KDF

    @property
    def real_open(self) -> bool:
        return self.session is not None and not self.session.training

    @property
    def file_jobs(self) -> FileJobs:
        """The integrity check and backups on a worker thread (made when first needed)."""
        if self._file_jobs is None:
            from adviser_app.ui.case_book.file_jobs import FileJobs

            jobs = self._file_jobs = FileJobs(self)
            jobs.checked.connect(lambda: self.said.emit(
                "Case book file checked: no damage found.", 8000))
            jobs.damaged.connect(self.damage_found)
            jobs.backed_up.connect(self._backed_up)
            jobs.backup_failed.connect(lambda why: self.said.emit(
                f"The backup could not be made: {why} Your case book itself is fine.", 15000))
        return self._file_jobs

    # ----- which page -----------------------------------------------------------------------
    def show_start(self) -> None:
        """The unlock page if there is a real case book, else the welcome page."""
        if real_place(self.data_dir).exists():
            self.ask_passphrase()
        else:
            self.welcome_needed.emit("")

    def ask_passphrase(self, message: str = "") -> None:
        self.close_case_book(show_start=False)
        self.passphrase_needed.emit(message)

    def _open(self, db: Database, in_turns: bool = False) -> None:
        """Put *db*, just opened, in front of the adviser (*in_turns*: see unlock_soon)."""
        self.close_case_book(show_start=False)
        self.training_today = None
        ready = opening.make_ready(db, self.login_name, self.today())
        training = ready.training
        # Only the training case book may move "today"; the real one always uses the clock.
        today = (lambda: self.training_today or self.today()) if training else self.today
        self.session = Session(db=db, actor=ready.actor, training=training, today=today)
        with unwatched():  # (showing opens no dialog)
            self._show(self.session, None if training else preferences.last_case(db),
                       in_turns)
        # (watched from here, before any dialog can open: not while the workspace is made,
        # where a Python call for each of its thousands of events cost time)
        self.lock_key.watch()
        self.said.emit("Training case book open" if training else
                       "Case book unlocked. Checking the file for damage in the background; "
                       "you can carry on working.", 0)
        if ready.erased_again:
            self.prompts.tell("Erasures made again", (
                f"This copy of the case book was older than "
                f"{plural(ready.erased_again, 'erasure')} made on this laptop (kept in the "
                "list beside the case book), so they were made again: those families stay "
                "erased."))
        if not training:
            self._set_lock_minutes(ready.lock_minutes)
            self.file_jobs.check(db, real_place(self.data_dir))
            audit_log.note(db, ready.actor, "unlocked", "case_book", "real")
            self.idle.start()
            self.backup_timer.start()
            self.changed_since_backup = False
        self.opened.emit(self.session)

    # ----- creating, unlocking, training ----------------------------------------------------
    def create_case_book(self) -> bool:
        answer = self.prompts.ask_new_book(self.login_name)
        if answer is None:
            return False
        name, passphrase = answer
        try:
            made = case_books.create_real(self.data_dir, passphrase, kdf=self.kdf)
        except CaseBookError as exc:
            self.welcome_needed.emit(str(exc))
            return False
        preferences.set_adviser_name(made.db, name)
        self.prompts.show_recovery_key(made.recovery_key)
        self._open(made.db)
        return True

    def unlock(self, passphrase: str) -> bool:
        opened = self._open_file(passphrase)
        return opened is not None and self._put_in_front(opened, passphrase)

    def _open_file(self, passphrase: str) -> recovering.Opened | None:
        """The first half of unlocking: the case book file opened (None: refused, said)."""
        self.file_jobs.settle()  # a backup made on closing may still be copying the file
        try:
            return recovering.open_or_recover(real_place(self.data_dir), passphrase)
        except WrongPassphrase as exc:
            self.passphrase_refused.emit(str(exc), exc.wait)
        except CaseBookError as exc:
            self.unlock_failed.emit(str(exc))
        return None

    def _put_in_front(self, opened: recovering.Opened, passphrase: str,
                      in_turns: bool = False) -> bool:
        """The second half: the case book, just opened, in front of the adviser."""
        place = real_place(self.data_dir)
        try:
            self._open(opened.db, in_turns)
        except Exception as exc:
            if not integrity.is_damage(exc):
                raise
            self.damage_found(CaseBookDamaged("a damaged page was read while opening"))
            return self.session is not None
        key, floor = store_db.data_key(opened.db), self.kdf
        # Once per old key file: calibrating takes a second or two, so off the GUI thread.
        self.key_jobs.start(lambda: case_books.strengthen_key_file(place, key, passphrase,
                                                                   floor))
        opened.told(self.prompts.tell)
        self._offer_draft()
        return True

    def unlock_soon(self, passphrase: str) -> None:
        """Unlock from the unlock page: the key derivation (the slow part, 0.1 to 1 s) runs
        on a worker thread while the window keeps painting, then unlock()'s two halves run on
        the GUI thread, each in a turn of its own (see _derived), and find the key derived
        (keyfile.derive_ahead). The window then makes the workspace over the next turns
        (MainWindow._show_book with in_turns)."""
        if self._typed is not None:
            return  # already unlocking
        self._typed = passphrase
        path = real_place(self.data_dir).key_path
        derive = keyfile.derive_ahead  # loads the key file code here, on the GUI thread
        self.deriving.start(lambda: derive(path, passphrase))

    def _derived(self, _result: object = None) -> None:
        """The key is derived: open the file in this turn of the event loop and put the case
        book on screen in the next (each is tens of milliseconds on a big case book: in one
        turn the window stood still for too long). Closing or locking meanwhile (the window
        closed) closes the file again and nothing is shown."""
        passphrase = self._typed
        if passphrase is None:
            return
        opened = self._open_file(passphrase)
        if opened is None:
            self._typed = None
            return
        self._waiting = opened, passphrase
        self._show_waiting.start(0)

    def _show_opened(self) -> None:
        waiting, self._waiting, self._typed = self._waiting, None, None
        if waiting is not None:
            self._put_in_front(*waiting, in_turns=True)

    def _drop_waiting(self) -> None:
        """A case book opened but not yet shown (see _derived) is closed, unshown."""
        waiting, self._waiting, self._typed = self._waiting, None, None
        self._show_waiting.stop()
        if waiting is not None:
            try:
                store_db.close_case_book(waiting[0].db)
            except Exception as exc:  # closing must never lose the window; nothing was changed
                log.error("closing the case book failed: %s", type(exc).__name__)

    def unlock_with_recovery(self) -> bool:
        answer = self.prompts.ask_recovery()
        if answer is None:
            return False
        recovery, new_passphrase = answer
        try:
            opened = recovering.open_with_recovery(real_place(self.data_dir), recovery,
                                                   new_passphrase, kdf=self.kdf)
        except (WrongRecoveryKey, CaseBookError) as exc:
            self.unlock_failed.emit(str(exc))
            return False
        self._open(opened.told(self.prompts.tell))
        self.prompts.tell("New passphrase set", "The case book is open and your new "
                          "passphrase is set. Use it from now on; the recovery key still "
                          "works too.")
        self._offer_draft()
        return True

    def change_passphrase(self) -> bool:
        if not self.real_open:
            return False
        answer = self.prompts.ask_passphrase_change()
        if answer is None:
            return False
        old, new = answer
        self.key_jobs.wait()  # never let a re-wrap with the old passphrase land afterwards
        try:
            case_books.change_passphrase(real_place(self.data_dir), old, new, kdf=self.kdf)
        except CaseBookError as exc:
            self.prompts.tell("Passphrase not changed", str(exc))
            return False
        self.said.emit("Passphrase changed", 8000)
        return True

    def open_training_case_book(self) -> bool:
        try:
            db = case_books.open_training(self.data_dir, self.today())
        except CaseBookError as exc:
            self.welcome_needed.emit(str(exc))
            return False
        self._open(db)
        return True

    def move_training_today(self, day: date | None) -> bool:
        """The training case book's "today" (None: the real date again)."""
        if self.session is None or not self.session.training:
            return False
        self.training_today = day
        return True

    def reset_training(self) -> bool:
        if self.session is None or not self.session.training:
            return False
        if not self.prompts.confirm("Reset the training case book?",
                                    "This throws away every change made in the training case "
                                    "book and builds it again from the scenario files. Real "
                                    "case books are not touched."):
            return False
        self.close_case_book(show_start=False)
        self._open(case_books.rebuild_training(self.data_dir, self.today()))
        self.said.emit("Training case book reset", 8000)
        return True

    # ----- locking, closing, damage ---------------------------------------------------------
    def _locked_by_watcher(self, reason: str) -> None:
        # (the watcher's hooks are made by now: they load after the unlock screen's paint)
        from adviser_app.ui.case_book.system_lock_hooks import SCREEN_LOCK, SUSPEND

        reasons = {SUSPEND: "Locked because the laptop was going to sleep.",
                   SCREEN_LOCK: "Locked because the screen was locked."}
        self.lock(reasons.get(reason, f"Locked after {self.idle_minutes:g} minutes without use."))

    def lock(self, message: str = "Locked.") -> None:
        """Close every dialog, keeping a note being typed as an encrypted draft; close the
        case book and drop the key; then ask for the passphrase again. The training case book
        has no passphrase to lock it with: it says so instead."""
        if self.session is None:
            return
        if self.session.training:
            self.noticed.emit(TRAINING_LOCK_MESSAGE)
            return
        window = self.prompts.parent
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog)]
        for dialog in dialogs + window.findChildren(QDialog):
            if not dialog.isVisible():
                continue
            if isinstance(dialog, entry_dialog.EntryDialog) and dialog.has_unsaved_typing():
                try:
                    drafts.keep(self.session.db, dialog.draft_payload())
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
        self.ask_passphrase(message)

    def _offer_draft(self) -> None:
        if self.session is None:
            return
        waiting = drafts.waiting(self.session.db)
        if waiting is None or not self.prompts.offer_draft(
                f"a note on case {waiting.case.reference}"):
            return  # none, or kept for next time
        drafts.discard(self.session.db)  # taken up: a lock while finishing it keeps it anew
        self.draft_resumed.emit(waiting)

    def close_case_book(self, show_start: bool = True) -> None:
        self._drop_waiting()
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
            self.show_start()

    def _forget_session(self) -> Session | None:
        """Take the case book off screen without closing it; returns what was open."""
        session, self.session = self.session, None
        if session is not None:
            self.closing.emit(session)
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
            opened = recovering.recover_open(session.db, real_place(self.data_dir), damage)
        except CaseBookError as exc:
            self.ask_passphrase(str(exc))
            return
        self._open(opened.db)
        self.prompts.tell("Case book restored from a backup", opened.message)

    @property
    def file_jobs_busy(self) -> bool:
        """A check or backup is running or waiting (never starts the jobs' thread)."""
        return self._file_jobs is not None and self._file_jobs.busy

    # ----- saves, backups, the time before locking -------------------------------------------
    def saved(self, _case_id: str) -> None:
        """Something was saved (the forms say so): back up at the next turn, and say it."""
        self.changed_since_backup = True
        self.said.emit(f"Saved at {datetime.now().strftime('%H:%M:%S')}", 0)
        self.changed.emit()

    def _set_lock_minutes(self, minutes: float | None) -> None:
        self.idle_minutes = self.default_idle_minutes if minutes is None else minutes
        self.idle.timeout = self.idle_minutes * 60

    def choose_lock_time(self) -> bool:
        """How long the case book may sit unused before it locks; kept in the case book."""
        if self.session is None or self.session.training:
            return False
        minutes = self.prompts.choose_lock_minutes(preferences.LOCK_AFTER_CHOICES,
                                                   self.idle_minutes)
        if minutes is None:
            return False
        preferences.set_lock_minutes(self.session.db, minutes, self.session.actor)
        self._set_lock_minutes(minutes)
        self.said.emit(f"The case book will lock after {plural(minutes, 'minute')} "
                       "without use.", 8000)
        return True

    def _backup_folder(self, db: Database | None = None) -> Path | None:
        db = db or (self.session.db if self.session is not None else None)
        return None if db is None else preferences.backup_folder(db)

    def choose_backup_folder(self) -> bool:
        if self.session is None:
            return False
        folder = self.prompts.choose_folder(self._backup_folder())
        if folder is None:
            return False
        preferences.set_backup_folder(self.session.db, folder, self.session.actor)
        return self.backup_now()

    def backup_now(self, only_if_changed: bool = False) -> bool:
        """Start a verified backup of the real case book (and to the chosen folder, if any)
        on a worker thread; a message says when it is done."""
        if self.session is None or self.session.training:
            return False
        if only_if_changed and not self.changed_since_backup:
            return False
        self.changed_since_backup = False
        self.file_jobs.back_up(self.session.db, real_place(self.data_dir),
                               self._backup_folder())
        self.said.emit("Backing up\u2026", 0)
        return True

    def _backed_up(self, info: backups.BackupInfo) -> None:
        if self.session is not None and not self.session.training:
            try:
                audit_log.note(self.session.db, self.session.actor, "backed_up", "case_book",
                               info.path.name)
            except Exception as exc:  # a full disk: the backup itself is made and checked
                log.error("could not note the backup: %s", type(exc).__name__)
        self.said.emit(f"Backed up at {info.taken_at.strftime('%H:%M')}", 8000)

    def restore_from_backup(self) -> bool:
        if self.session is None or self.session.training:
            return False
        place = real_place(self.data_dir)
        choice = self.prompts.choose_backup(backups.list_backups(place))
        if choice is None:
            return False
        backup, passphrase = choice
        self.close_case_book(show_start=False)
        self.file_jobs.settle()
        try:
            opened = recovering.restore_from_backup(place, backup, passphrase)
        except CaseBookError as exc:
            self.ask_passphrase(f"The backup was not restored: {exc}")
            return False
        self._open(opened.db)
        self.prompts.tell("Backup restored", opened.message)
        return True
