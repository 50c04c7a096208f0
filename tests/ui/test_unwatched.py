"""While the workspace is made after unlocking, the app-wide watchers of keys and use (the
idle lock's, Ctrl+L's) stand aside, since each costs a Python call for every one of the
thousands of events that making widgets sends; they are back as soon as the block ends,
even if it fails, and one stopped meanwhile stays stopped."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from adviser_app.ui.case_book.idle_lock import IdleWatcher, LockKey, unwatched


@pytest.fixture
def typing(qtbot):
    box = QLineEdit()
    qtbot.addWidget(box)
    now = [1000.0]
    watcher = IdleWatcher(300, clock=lambda: now[0])
    key = LockKey(lambda: True)
    pressed: list[bool] = []
    key.pressed.connect(lambda: pressed.append(True))
    watcher.start()
    key.watch()
    yield box, now, watcher, pressed
    watcher.stop()
    key.deleteLater()


def test_the_watchers_stand_aside_in_the_block_and_come_back_after(qtbot, typing):
    box, now, watcher, pressed = typing
    with unwatched():
        now[0] += 100
        QTest.keyClick(box, Qt.Key.Key_A)
        QTest.keyClick(box, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait(10)
        assert watcher.last == 1000.0 and pressed == []  # (no key can come in a real block)
    now[0] += 100
    QTest.keyClick(box, Qt.Key.Key_B)
    assert watcher.last == 1200.0
    QTest.keyClick(box, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: pressed == [True])


def test_they_come_back_when_the_block_fails(qtbot, typing):
    box, now, watcher, pressed = typing
    with pytest.raises(RuntimeError), unwatched():
        raise RuntimeError("a damaged page, say")
    now[0] += 100
    QTest.keyClick(box, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert watcher.last == 1100.0
    qtbot.waitUntil(lambda: pressed == [True])


def test_one_stopped_in_the_block_stays_stopped(qtbot, typing):
    box, now, watcher, _ = typing
    with unwatched():
        watcher.stop()  # the case book locked, say
    now[0] += 100
    QTest.keyClick(box, Qt.Key.Key_A)
    assert watcher.last == 1000.0
