"""Noticing when nobody has used the app for a while, including across sleep; and locking at
once when the laptop is about to sleep or its screen is locked (system_lock_hooks)."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
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
