"""Marking every dialog as training while the training case book is open (kept small: the
main window needs it before anything else is loaded)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QDialog


class TrainingTitles(QObject):
    """While the training case book is open, every dialog's title says so too.

    The app's events are watched only then: a Python event filter on the whole app costs a
    call for every event, and at start it made PySide build a Python type for every Qt class
    (to wrap the unnamed internal objects the events go to), a tenth of the time to the unlock
    screen (benchmarks/README.md, "start")."""

    PREFIX = "TRAINING (fictional families) \u2014 "

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._active = False

    @property
    def active(self) -> bool:
        return self._active

    @active.setter
    def active(self, on: bool) -> None:
        app = QApplication.instance()
        if on == self._active or app is None:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._active = on

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt
        if self._active and event.type() == QEvent.Type.Show and isinstance(watched, QDialog) \
                and not watched.windowTitle().startswith(self.PREFIX):
            watched.setWindowTitle(self.PREFIX + watched.windowTitle())
        return False
