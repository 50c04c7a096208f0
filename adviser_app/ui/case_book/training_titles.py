"""Marking every dialog as training while the training case book is open (kept small: the
main window needs it before anything else is loaded)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QDialog


class TrainingTitles(QObject):
    """While the training case book is open, every dialog's title says so too."""

    PREFIX = "TRAINING (fictional families) \u2014 "

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.active = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt
        if self.active and event.type() == QEvent.Type.Show and isinstance(watched, QDialog) \
                and not watched.windowTitle().startswith(self.PREFIX):
            watched.setWindowTitle(self.PREFIX + watched.windowTitle())
        return False
