"""Unlocking from the unlock page puts the workspace on screen over three turns of the event
loop after the file is opened (each a few tens of milliseconds on a big case book; in one
turn they held the window for about 100 ms): the case list filled, the screen around it,
then on screen. The unlock page stays until the last, so nothing half-made is seen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from adviser_app.services import preferences
from adviser_app.store.db import is_open
from support import PASSPHRASE


def press_return_and_stop_at_the_opening_turn(window, qtbot) -> list[object]:
    """Return on the unlock page, then stop the window's own turns once the case book is
    open (the test takes each turn itself); what was on screen then."""
    seen: list[object] = []

    def at_opened(_session: object) -> None:  # (the last thing the opening turn does)
        window._coming_step.stop()
        seen.append(window.stack.currentWidget())

    window.book.opened.connect(at_opened)
    try:
        window.unlock_page.passphrase.setText(PASSPHRASE)
        QTest.keyClick(window.unlock_page.passphrase, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    finally:
        window.book.opened.disconnect(at_opened)
    return seen


def test_the_workspace_comes_on_screen_in_turns_never_half_made(window, qtbot) -> None:
    window.book.lock()
    assert window.stack.currentWidget() is window.unlock_page
    (on_screen,) = press_return_and_stop_at_the_opening_turn(window, qtbot)
    assert on_screen is window.unlock_page and window.book.session is not None
    made, _case = window._coming
    assert made.case_list.model.rowCount() == 4 and not made.has_shell  # the list, filled
    assert not window.menus.new_case_action.isEnabled()  # the menus wake with the workspace
    window._next_coming_step()
    assert made.has_shell and made.views.count() == 2 and window._coming is not None
    assert window.stack.currentWidget() is window.unlock_page  # still not on screen
    window._next_coming_step()
    assert window._coming is None and window.stack.currentWidget() is made
    assert window.workspace is made and window.menus.new_case_action.isEnabled()
    assert made.case_list.parent() is not None and made.right.currentWidget() is made.placeholder
    window._next_coming_step()  # (a step left over does nothing)
    assert window.workspace is made


def test_a_workspace_wanted_before_its_turns_is_finished_at_once(window, qtbot) -> None:
    window.book.lock()
    press_return_and_stop_at_the_opening_turn(window, qtbot)
    made, _case = window._coming
    ws = window.workspace  # a menu or a sync result, say
    assert ws is made and ws.has_shell and window.stack.currentWidget() is ws
    assert window._coming is None and window.menus.new_case_action.isEnabled()
    ws.case_list.focus_search()


def test_locking_before_it_is_on_screen_drops_it_and_keeps_the_case_remembered(
        window, qtbot) -> None:
    ws = window.workspace
    case_id = ws.case_list.model.summary(1).id
    ws.open_case(case_id)
    window.book.lock()  # remembers the case on screen
    press_return_and_stop_at_the_opening_turn(window, qtbot)
    made, case_to_open = window._coming
    assert case_to_open == case_id
    db = window.book.session.db
    window.book.lock()  # before the workspace was on screen
    assert not is_open(db) and window._coming is None and window.workspace is None
    assert window.stack.currentWidget() is window.unlock_page
    window._next_coming_step()  # a turn already due finds nothing to do
    assert window.stack.indexOf(made) < 0
    assert window.book.unlock(PASSPHRASE)
    assert preferences.last_case(window.book.session.db) == case_id  # not forgotten
    qtbot.waitUntil(lambda: window.workspace.shown_case_id == case_id, timeout=10000)
