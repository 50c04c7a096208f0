"""Noticing when nobody has used the app for a while, including across sleep; and locking at
once when the laptop is about to sleep or its screen is locked (system_lock_hooks)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import shiboken6

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:  # loaded after the first paint (below), not before the unlock screen
    from adviser_app.ui.case_book.system_lock_hooks import SystemLockHooks

_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
             QEvent.Type.Wheel, QEvent.Type.TouchBegin}


WARN_SECONDS = 30
"""How long before locking for lack of use the countdown shows (any key or mouse movement
puts the lock off again)."""
CHECK_MS, COUNTDOWN_MS = 5000, 1000
HOOK_AFTER_MS = 250
"""How long after start the suspend and screen-lock hooks are made (after the first paint)."""
IDLE = "idle"
"""The reason for locking when the time without use ran out."""

_WATCHING: list[QObject] = []
"""The app-wide event filters installed here (the idle watcher's, the lock key's), oldest
first."""


def _watch(watcher: QObject, on: bool) -> None:
    app = QApplication.instance()
    if app is None:
        return
    if on:
        app.installEventFilter(watcher)
        _WATCHING.append(watcher)
    else:
        app.removeEventFilter(watcher)
        if watcher in _WATCHING:
            _WATCHING.remove(watcher)


@contextmanager
def unwatched() -> Iterator[None]:
    """For a block of GUI-thread work that makes many widgets at once (the workspace after
    unlocking): the app-wide watchers of keys and use stand aside till it ends. Each is a
    Python call for every event of the app, and making widgets sends thousands (ChildAdded,
    Polish, LayoutRequest...): with them the work took about 1.5 to 1.9 times as long. No
    key or mouse event can arrive meanwhile (no event loop runs in such a block: it must
    open no dialog)."""
    app = QApplication.instance()
    if app is None:
        yield
        return
    _WATCHING[:] = [w for w in _WATCHING if shiboken6.isValid(w)]
    aside = list(_WATCHING)
    for watcher in aside:
        app.removeEventFilter(watcher)
    try:
        yield
    finally:
        for watcher in aside:  # back in the same order, unless stopped meanwhile
            if watcher in _WATCHING and shiboken6.isValid(watcher):
                app.installEventFilter(watcher)


class IdleWatcher(QObject):
    idle = Signal(str)
    """Time to lock, and why: IDLE (nobody has touched the keyboard or mouse for the
    timeout), or the hooks' SUSPEND (the laptop is going to sleep) or SCREEN_LOCK."""
    warning = Signal(int)
    """Seconds left before the idle lock (emitted each second of the countdown)."""
    warning_over = Signal()
    """The countdown stopped: someone used the app, or it locked, or watching stopped."""

    def __init__(self, timeout_seconds: float, clock: Callable[[], float] = time.time,
                 parent: QObject | None = None, warn_seconds: float = WARN_SECONDS) -> None:
        super().__init__(parent)
        # Wall-clock time, not monotonic: a laptop asleep in a bag must count as idle.
        self.timeout, self.clock = timeout_seconds, clock
        self.warn_seconds = warn_seconds
        self.warning_shown = False
        self.last = clock()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check)
        # Watching every event of the app (a Python call each) only while a case book is
        # open (start to stop): at start-up it cost a third of the time to the unlock screen.
        self._watching_events = False
        # The suspend and screen-lock hooks (QtDBus, the buses) after the window is up: they
        # matter only while a case book is open, and loading them cost start-up time.
        self._hooks: SystemLockHooks | None = None
        self._hook_soon = QTimer(self)
        self._hook_soon.setSingleShot(True)
        self._hook_soon.timeout.connect(lambda: self.hooks)
        self._hook_soon.start(HOOK_AFTER_MS)

    @property
    def hooks(self) -> SystemLockHooks:
        """Made HOOK_AFTER_MS after the watcher, or when a case book opens, if sooner."""
        if self._hooks is None:
            from adviser_app.ui.case_book.system_lock_hooks import SystemLockHooks

            self._hooks = SystemLockHooks(self)
            self._hooks.lock_now.connect(self.lock_at_once)
        return self._hooks

    def start(self) -> None:
        self.hooks  # noqa: B018 (made now if not yet: watching needs them)
        self._watch_events(True)
        self.last = self.clock()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self._watch_events(False)
        self._end_warning()

    def _watch_events(self, on: bool) -> None:
        if QApplication.instance() is None or on == self._watching_events:
            return
        _watch(self, on)
        self._watching_events = on

    def _end_warning(self) -> None:
        if self.warning_shown:
            self.warning_shown = False
            self.timer.setInterval(CHECK_MS)
            self.warning_over.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt
        if event.type() in _ACTIVITY:
            self.last = self.clock()
            self._end_warning()
        return False

    def check(self) -> None:
        if not self.timer.isActive():
            return
        left = self.timeout - (self.clock() - self.last)
        if left <= 0:
            self.stop()
            self.idle.emit(IDLE)
        elif left <= self.warn_seconds:
            self.warning_shown = True
            self.timer.setInterval(COUNTDOWN_MS)
            self.warning.emit(max(1, round(left)))
        else:
            self._end_warning()

    def lock_at_once(self, reason: str) -> None:
        """The laptop is about to sleep or its screen was locked: no waiting for the timeout.
        Does nothing unless watching (a real case book is open)."""
        if self.timer.isActive():
            self.stop()
            self.idle.emit(reason)


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
        self._watching = False

    def watch(self) -> None:
        """Start watching the app's keys (when a case book first opens: not at start-up,
        where a Python call for every event cost time before the unlock screen showed)."""
        if QApplication.instance() is not None and not self._watching:
            _watch(self, True)
            self._watching = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt
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

