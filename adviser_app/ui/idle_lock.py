"""Noticing when nobody has used the app for a while, including across sleep; and locking at
once when the laptop is about to sleep or its screen is locked (system_lock_hooks)."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication

from adviser_app.ui.system_lock_hooks import SystemLockHooks

_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
             QEvent.Type.Wheel, QEvent.Type.TouchBegin}


class IdleWatcher(QObject):
    idle = Signal()
    """Time to lock: nobody has touched the keyboard or mouse for the timeout, or the laptop is
    going to sleep, or its screen was locked (``reason`` says which)."""

    def __init__(self, timeout_seconds: float, clock: Callable[[], float] = time.time,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Wall-clock time, not monotonic: a laptop asleep in a bag must count as idle.
        self.timeout, self.clock = timeout_seconds, clock
        self.last = clock()
        self.reason = "idle"
        """Why ``idle`` was last emitted: "idle", or the hooks' SUSPEND or SCREEN_LOCK."""
        self.timer = QTimer(self)
        self.timer.setInterval(5000)
        self.timer.timeout.connect(self.check)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.hooks = SystemLockHooks(self)
        self.hooks.lock_now.connect(self.lock_at_once)

    def start(self) -> None:
        self.last = self.clock()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt
        if event.type() in _ACTIVITY:
            self.last = self.clock()
        return False

    def check(self) -> None:
        if self.timer.isActive() and self.clock() - self.last >= self.timeout:
            self.stop()
            self.reason = "idle"
            self.idle.emit()

    def lock_at_once(self, reason: str) -> None:
        """The laptop is about to sleep or its screen was locked: no waiting for the timeout.
        Does nothing unless watching (a real case book is open)."""
        if self.timer.isActive():
            self.stop()
            self.reason = reason
            self.idle.emit()


LOCK_KEY = QKeySequence("Ctrl+L")


class LockKey(QObject):
    """Ctrl+L from anywhere in the app, open dialogs included. A window's own shortcut is
    blocked while a modal dialog is open (and the menus with it), so the key is watched for
    the whole application instead; ``pressed`` is emitted once the key event is over."""

    pressed = Signal()

    def __init__(self, wanted: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.wanted = wanted
        """Whether the key is ours now (a case book is open); otherwise it passes on."""
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if not isinstance(event, QKeyEvent) or \
                QKeySequence(event.keyCombination()) != LOCK_KEY or not self.wanted():
            return False
        event.accept()  # a ShortcutOverride taken here: no menu shortcut fires as well
        if kind == QEvent.Type.KeyPress and not event.isAutoRepeat():
            QTimer.singleShot(0, self.pressed.emit)  # not inside the key press being handled
        return True
