"""Noticing when nobody has used the app for a while, including across sleep."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
             QEvent.Type.Wheel, QEvent.Type.TouchBegin}


class IdleWatcher(QObject):
    idle = Signal()
    """Nobody has touched the keyboard or mouse for the timeout."""

    def __init__(self, timeout_seconds: float, clock: Callable[[], float] = time.time,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Wall-clock time, not monotonic: a laptop asleep in a bag must count as idle.
        self.timeout, self.clock = timeout_seconds, clock
        self.last = clock()
        self.timer = QTimer(self)
        self.timer.setInterval(5000)
        self.timer.timeout.connect(self.check)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

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
            self.idle.emit()
