"""The case book's controller on its own, with no main window: what it shows, says and asks
as the case book is unlocked, locked, closed and backed up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from adviser_app.services import drafts, preferences
from adviser_app.store.audit import entries
from adviser_app.store.db import data_key, is_open
from adviser_app.store.errors import CaseBookError
from adviser_app.ui.access import Access
from adviser_app.ui.case_book.controller import TRAINING_LOCK_MESSAGE, CaseBookController
from adviser_app.ui.case_book.session import Session
from support import CHEAP, PASSPHRASE
from ui.conftest import TODAY


class Seen:
    """Everything the controller reported, in order."""

    def __init__(self, book: CaseBookController) -> None:
        self.events: list[tuple[str, object]] = []
        self.shown: list[tuple[Session, str | None]] = []
        self.in_turns: list[bool] = []  # whether each may be put on screen over later turns
        for name in ("closing", "passphrase_needed", "welcome_needed", "passphrase_refused",
                     "unlock_failed", "draft_resumed", "said", "noticed"):
            getattr(book, name).connect(
                lambda *args, name=name: self.events.append((name, args)))

    def show(self, session: Session, case_id: str | None, in_turns: bool) -> None:
        self.shown.append((session, case_id))
        self.in_turns.append(in_turns)

    def named(self, name: str) -> list[object]:
        return [args for event, args in self.events if event == name]


@pytest.fixture
def parts(qtbot, populated_dir: Path) -> Iterator[tuple[CaseBookController, Seen, Access]]:
    owner = QWidget()
    qtbot.addWidget(owner)
    prompts = Access(owner)
    told: list[tuple[str, str]] = []
    prompts.tell = lambda title, message: told.append((title, message))  # type: ignore
    holder: dict[str, Seen] = {}
    book = CaseBookController(populated_dir, prompts,
                              lambda *shown: holder["seen"].show(*shown),
                              login_name="sam", today=lambda: TODAY, kdf=CHEAP, parent=owner)
    holder["seen"] = Seen(book)
    yield book, holder["seen"], prompts
    book.close_case_book(show_start=False)
    book.file_jobs.wait()


def test_a_wrong_passphrase_opens_nothing_and_the_right_one_shows_the_book(parts) -> None:
    book, seen, _ = parts
    assert not book.unlock("not the passphrase")
    assert book.session is None and seen.shown == []
    ((message, _wait),) = seen.named("passphrase_refused")
    assert "not recognised" in str(message)
    assert book.unlock(PASSPHRASE)
    session = book.session
    assert session is not None and not session.training and session.actor == "sam"
    assert seen.shown == [(session, None)] and seen.in_turns == [False]  # all at once
    assert book.idle.timer.isActive() and book.backup_timer.isActive()
    assert any("Checking the file for damage" in str(args[0]) for args in seen.named("said"))
    assert book.file_jobs.wait()
    assert ("Case book file checked: no damage found.", 8000) in seen.named("said")


def test_locking_closes_the_book_drops_the_key_and_asks_again(parts) -> None:
    book, seen, _ = parts
    assert book.unlock(PASSPHRASE)
    session = book.session
    assert session is not None
    actions = [e.action for e in entries(session.db, 3)]
    assert actions[0] == "unlocked"
    book.lock("Locked.")
    assert book.session is None and not book.idle.timer.isActive()
    assert seen.named("closing") == [(session,)]
    assert seen.named("passphrase_needed")[-1] == ("Locked.",)
    with pytest.raises(CaseBookError):
        data_key(session.db)


def test_the_idle_reason_comes_with_the_signal(parts) -> None:
    book, seen, _ = parts
    assert book.unlock(PASSPHRASE)
    book.idle.idle.emit("suspend")
    assert book.session is None
    assert seen.named("passphrase_needed")[-1] == (
        "Locked because the laptop was going to sleep.",)
    assert book.unlock(PASSPHRASE)
    book.idle.idle.emit("idle")
    assert seen.named("passphrase_needed")[-1] == ("Locked after 5 minutes without use.",)


def test_the_case_on_screen_and_the_lock_time_come_back_after_unlocking(parts) -> None:
    book, seen, prompts = parts
    assert book.unlock(PASSPHRASE)
    assert book.session is not None
    db = book.session.db
    case_id = str(next(iter(db.query("SELECT id FROM case_file")))["id"])
    preferences.remember_case(db, case_id)  # as the window does when it takes the book away
    prompts.choose_lock_minutes = lambda choices, current: 15  # type: ignore
    assert book.choose_lock_time() and book.idle.timeout == 15 * 60
    book.close_case_book(show_start=False)
    book.idle.timeout = 60  # forgotten, to see it read back
    assert book.unlock(PASSPHRASE)
    assert seen.shown[-1][1] == case_id
    assert book.idle.timeout == 15 * 60 and book.idle_minutes == 15


def test_a_kept_draft_is_offered_and_handed_on_once(parts) -> None:
    book, seen, prompts = parts
    assert book.unlock(PASSPHRASE)
    assert book.session is not None
    db = book.session.db
    case_id = str(next(iter(db.query("SELECT id FROM case_file")))["id"])
    drafts.keep(db, {"case_id": case_id, "entry_id": None, "body": "half a note"})
    book.lock()
    offered: list[str] = []
    prompts.offer_draft = lambda what: offered.append(what) or False  # type: ignore
    assert book.unlock(PASSPHRASE)
    assert len(offered) == 1 and "SA-" in offered[0]
    assert seen.named("draft_resumed") == []  # declined: kept for next time
    book.lock()
    prompts.offer_draft = lambda what: True  # type: ignore
    assert book.unlock(PASSPHRASE)
    ((waiting,),) = seen.named("draft_resumed")
    assert isinstance(waiting, drafts.WaitingDraft)
    assert waiting.case.id == case_id and waiting.typed["body"] == "half a note"
    assert book.session is not None and drafts.waiting(book.session.db) is None


def test_the_training_book_stays_open_when_asked_to_lock(parts) -> None:
    book, seen, _ = parts
    assert book.open_training_case_book()
    assert book.session is not None and book.session.training
    assert not book.idle.timer.isActive()  # nothing to lock: no passphrase
    book.lock()
    assert book.session is not None
    assert seen.named("noticed") == [(TRAINING_LOCK_MESSAGE,)]
    assert not book.backup_now() and not book.choose_lock_time()


def test_a_chosen_backup_is_restored_in_the_services_words(parts) -> None:
    book, seen, prompts = parts
    assert book.unlock(PASSPHRASE)
    assert book.backup_now() and book.file_jobs.wait()
    assert seen.named("said")[-1][0].startswith("Backed up at")
    told: list[tuple[str, str]] = []
    prompts.tell = lambda title, message: told.append((title, message))  # type: ignore
    prompts.choose_backup = lambda found: (found[0], PASSPHRASE)  # type: ignore
    assert book.restore_from_backup()
    assert book.session is not None
    ((title, message),) = told
    assert title == "Backup restored"
    assert message.startswith("The case book you had open was kept in ")


def test_close_case_book_from_the_menu_goes_back_to_the_unlock_page(window) -> None:
    """The menu's action passed its "checked" argument (False) as show_start: the case book
    closed, but its menus stayed enabled and the unlock page was never reset."""
    assert window.menus.new_case_action.isEnabled()
    window.menus.close_book_action.trigger()
    assert window.session is None and window.workspace is None
    assert window.stack.currentWidget() is window.unlock_page
    assert not window.menus.new_case_action.isEnabled()
    assert not window.menus.close_book_action.isEnabled()
    assert window.menus.open_real_action.isEnabled()


def test_from_the_unlock_page_the_file_opens_in_one_turn_and_shows_in_the_next(qtbot,
                                                                               parts) -> None:
    """unlock_soon: once the key is derived the file is opened, and the case book is put on
    screen in the next turn of the event loop (each is tens of milliseconds on a big case
    book; together they held the window too long)."""
    book, seen, _ = parts
    at_derived: list[tuple[object, int, object]] = []

    def just_after_derived(_result: object) -> None:  # (connected after the controller)
        at_derived.append((book.session, len(seen.shown), book._waiting))
        book.unlock_soon(PASSPHRASE)  # Return again meanwhile: still the one unlocking

    book.deriving.finished.connect(just_after_derived)
    book.unlock_soon(PASSPHRASE)
    qtbot.waitUntil(lambda: bool(seen.shown), timeout=10000)
    ((session_then, shown_then, waiting),) = at_derived
    assert session_then is None and shown_then == 0  # opened, not yet shown
    assert isinstance(waiting, tuple) and waiting[0].db is book.session.db
    assert book.session is not None and book.session.db is waiting[0].db
    assert [session for session, _ in seen.shown] == [book.session]
    assert seen.in_turns == [True]  # the window may make the workspace over the next turns
    assert book._waiting is None and book._typed is None


def test_closing_between_the_two_turns_closes_the_file_and_shows_nothing(qtbot,
                                                                          parts) -> None:
    book, seen, _ = parts
    closed: list[object] = []

    def close_at_once(_result: object) -> None:  # (connected after the controller)
        waiting = book._waiting
        book.close_case_book(show_start=False)  # the window closing, say
        closed.append(waiting)

    book.deriving.finished.connect(close_at_once)
    book.unlock_soon(PASSPHRASE)
    qtbot.waitUntil(lambda: bool(closed), timeout=10000)
    (waiting,) = closed
    assert isinstance(waiting, tuple) and not is_open(waiting[0].db)
    assert book._waiting is None
    qtbot.wait(50)
    assert book.session is None and seen.shown == []
    assert book.unlock(PASSPHRASE) and book.session is not None  # the file was let go
