"""Remembering the window's size and where the adviser put the dividers, on this laptop.

Kept beside the case books in a small settings file of its own (window.ini): sizes and
positions only, nothing about any family, so it is not encrypted and can be read before the
case book is unlocked."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QSize
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QWidget

FILE_NAME = "window.ini"
PREFERRED_SIZE = QSize(1280, 800)
FRAME_ALLOWANCE = QSize(16, 40)  # a title bar and borders, before the window manager says
MOVED = "movedByHand"
"""A splitter's property, true once the adviser has dragged its divider (or it was put back
where they had dragged it): only those are remembered, and nothing resizes them again."""


def watch_splitter(splitter: QSplitter) -> None:
    splitter.splitterMoved.connect(lambda *_: splitter.setProperty(MOVED, True))


def moved_by_hand(splitter: QSplitter) -> bool:
    return bool(splitter.property(MOVED))


class LayoutMemory:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILE_NAME

    def _settings(self) -> QSettings:
        return QSettings(str(self.path), QSettings.Format.IniFormat)

    def keep_window(self, window: QMainWindow) -> None:
        if not self.path.parent.is_dir():
            return  # no case book folder yet: nothing to keep it beside
        settings = self._settings()
        settings.setValue("window/geometry", window.saveGeometry())
        settings.sync()

    def restore_window(self, window: QMainWindow) -> bool:
        if not self.path.is_file():
            return False
        saved = self._settings().value("window/geometry")
        return isinstance(saved, QByteArray) and window.restoreGeometry(saved)

    def fit_window(self, window: QMainWindow) -> bool:
        """The size it had last time (on this laptop), or what fits the screen it opens on:
        the whole screen on a small laptop screen, so the lists get the room. True: show it
        maximised (QWidget.showMaximized). Not set here with setWindowState: naming
        Qt.WindowState makes PySide build the whole Qt namespace (some 90 enum types) before
        the first screen can show."""
        if self.restore_window(window):
            return False
        screen = window.screen() or QApplication.primaryScreen()
        if screen is None:
            window.resize(PREFERRED_SIZE)
            return False
        room, frame = screen.availableGeometry(), FRAME_ALLOWANCE
        window.resize(min(PREFERRED_SIZE.width(), room.width() - frame.width()),
                      min(PREFERRED_SIZE.height(), room.height() - frame.height()))
        window.move(room.topLeft())
        return room.width() < PREFERRED_SIZE.width() + frame.width() or \
            room.height() < PREFERRED_SIZE.height() + frame.height()

    @staticmethod
    def _splitters(root: QWidget) -> dict[str, QSplitter]:
        """Every divider under root, named by its place (the same on each start)."""
        found: dict[str, QSplitter] = {}
        for number, splitter in enumerate(root.findChildren(QSplitter)):
            parent = splitter.parentWidget()
            owner = type(parent).__name__ if parent is not None else ""
            found[f"{number}-{owner}-{splitter.objectName() or splitter.count()}"] = splitter
        return found

    def keep_splitters(self, root: QWidget, *, training: bool) -> None:
        if not self.path.parent.is_dir():
            return
        settings = self._settings()
        group = "training" if training else "real"
        for name, splitter in self._splitters(root).items():
            if moved_by_hand(splitter):
                settings.setValue(f"{group}/{name}", splitter.saveState())
        settings.sync()

    def restore_splitters(self, root: QWidget, *, training: bool) -> int:
        """Put the dividers back where they were; returns how many were restored."""
        if not self.path.is_file():
            for splitter in root.findChildren(QSplitter):
                watch_splitter(splitter)
            return 0
        settings = self._settings()
        group = "training" if training else "real"
        restored = 0
        for name, splitter in self._splitters(root).items():
            watch_splitter(splitter)
            saved = settings.value(f"{group}/{name}")
            if isinstance(saved, QByteArray) and splitter.restoreState(saved):
                splitter.setProperty(MOVED, True)
                restored += 1
        return restored
