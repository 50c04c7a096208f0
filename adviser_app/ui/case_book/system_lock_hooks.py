"""Telling the app at once when the laptop is about to sleep or its screen is locked, so the
case book locks then rather than after the idle timeout (reliability.md F10, T10 f).

- Linux: logind on the system bus (PrepareForSleep; a session's Lock signal or its LockedHint
  turning true) and the desktop's screen saver on the session bus (ActiveChanged). Any
  session's lock counts: on a shared laptop another user's lock also locks this app, which
  errs on the safe side. While the hooks exist they hold a logind "delay" inhibitor, so the
  lock finishes before the laptop sleeps rather than when it wakes; it is released as soon as
  the lock is done (logind waits at most InhibitDelayMaxSec, 5 s by default).
- Windows: WM_POWERBROADCAST (PBT_APMSUSPEND) and WM_WTSSESSION_CHANGE (session locked or
  disconnected), seen by a native event filter.
- macOS: nothing yet (the system notifications need pyobjc or hand-written Objective-C calls).
  The wall-clock check in IdleWatcher still locks on the first tick after a sleep.

Where a bus or API is missing the hooks quietly do nothing; they never stop the app starting.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (SLOT, QAbstractNativeEventFilter, QByteArray, QCoreApplication,
                            QObject, Signal, Slot)

log = logging.getLogger(__name__)

SUSPEND = "suspend"
SCREEN_LOCK = "screen lock"

LOGIND = "org.freedesktop.login1"
LOGIND_PATH = "/org/freedesktop/login1"
SCREEN_SAVERS = ("org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver",
                 "org.cinnamon.ScreenSaver", "org.mate.ScreenSaver", "org.xfce.ScreenSaver")

WM_POWERBROADCAST = 0x0218
PBT_APMSUSPEND = 0x0004
WM_WTSSESSION_CHANGE = 0x02B1
WTS_CONSOLE_DISCONNECT = 0x2
WTS_REMOTE_DISCONNECT = 0x4
WTS_SESSION_LOCK = 0x7
NOTIFY_FOR_THIS_SESSION = 0


def _slot(signature: str) -> Any:
    """Qt's SLOT() text. PySide 6.12's stubs say QDBusConnection.connect wants bytes here, but
    at run time it accepts only this str."""
    return SLOT(signature)


def windows_lock_reason(message: int, wparam: int) -> str | None:
    """Why to lock for this window message, or None to carry on."""
    if message == WM_POWERBROADCAST and wparam == PBT_APMSUSPEND:
        return SUSPEND
    if message == WM_WTSSESSION_CHANGE and wparam in (WTS_SESSION_LOCK, WTS_CONSOLE_DISCONNECT,
                                                      WTS_REMOTE_DISCONNECT):
        return SCREEN_LOCK
    return None


class _WindowsMessages(QAbstractNativeEventFilter):
    """Reads each Windows MSG that Qt sees; never swallows one."""

    def __init__(self, on_reason: Callable[[str], None]) -> None:
        super().__init__()
        self.on_reason = on_reason

    def nativeEventFilter(  # Qt's names
            self, eventType: QByteArray | bytes | bytearray | memoryview,
            message: int) -> tuple[bool, int]:
        try:
            kind = eventType.data() if isinstance(eventType, QByteArray) else bytes(eventType)
            if kind == b"windows_generic_MSG":
                from ctypes import wintypes

                msg = wintypes.MSG.from_address(int(message))
                reason = windows_lock_reason(int(msg.message), int(msg.wParam or 0))
                if reason is not None:
                    self.on_reason(reason)
        except Exception as exc:  # must never break Qt's message loop
            log.debug("native message not read: %s", type(exc).__name__)
        return False, 0


class SystemLockHooks(QObject):
    lock_now = Signal(str)
    """Lock straight away; the text says why (SUSPEND or SCREEN_LOCK)."""

    def __init__(self, parent: QObject | None = None, *, system_bus: object = None,
                 session_bus: object = None, platform: str = sys.platform) -> None:
        super().__init__(parent)
        self.listening: list[str] = []
        """What is hooked, e.g. "logind PrepareForSleep" (for tests and support)."""
        self._delay_fd: int | None = None
        self._system_bus: object = None
        try:
            if platform == "win32":
                self._hook_windows()
            elif platform != "darwin":
                self._hook_dbus(system_bus, session_bus)
        except Exception as exc:  # locking on idle still works without these
            log.info("suspend and screen-lock hooks unavailable: %s", type(exc).__name__)
        self.destroyed.connect(_closer(self))

    # ----- Linux: D-Bus ---------------------------------------------------------------------
    def _hook_dbus(self, system_bus: object, session_bus: object) -> None:
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:  # no QtDBus or no libdbus on this system
            return
        system = system_bus if system_bus is not None else QDBusConnection.systemBus()
        session = session_bus if session_bus is not None else QDBusConnection.sessionBus()
        assert isinstance(system, QDBusConnection) and isinstance(session, QDBusConnection)
        if system.isConnected():
            self._system_bus = system
            for path, interface, name, slot in (
                    (LOGIND_PATH, LOGIND + ".Manager", "PrepareForSleep",
                     "on_prepare_for_sleep(bool)"),
                    ("", LOGIND + ".Session", "Lock", "on_session_lock()"),
                    ("", "org.freedesktop.DBus.Properties", "PropertiesChanged",
                     "on_properties_changed(QString,QVariantMap,QStringList)")):
                if system.connect(LOGIND, path, interface, name, self, _slot(slot)):
                    self.listening.append(f"logind {name}")
            self._take_sleep_delay()
        if session.isConnected():
            for interface in SCREEN_SAVERS:
                if session.connect("", "", interface, "ActiveChanged", self,
                                   _slot("on_screen_saver_active(bool)")):
                    self.listening.append(f"{interface} ActiveChanged")

    @Slot(bool)
    def on_prepare_for_sleep(self, going_to_sleep: bool) -> None:
        if going_to_sleep:
            try:
                self.lock_now.emit(SUSPEND)
            finally:
                self._release_sleep_delay()  # the lock is done: let the laptop sleep
        else:
            self._take_sleep_delay()  # awake again: be ready for the next sleep

    @Slot()
    def on_session_lock(self) -> None:
        self.lock_now.emit(SCREEN_LOCK)

    @Slot(str, "QVariantMap", "QStringList")
    def on_properties_changed(self, interface: str, changed: dict[str, object],
                              invalidated: list[str]) -> None:
        if interface == LOGIND + ".Session" and changed.get("LockedHint") is True:
            self.lock_now.emit(SCREEN_LOCK)

    @Slot(bool)
    def on_screen_saver_active(self, active: bool) -> None:
        if active:
            self.lock_now.emit(SCREEN_LOCK)

    def _take_sleep_delay(self) -> None:
        """Ask logind to wait (up to its InhibitDelayMaxSec, 5 s by default) before sleeping,
        until we have locked. Asynchronous: startup never waits for logind."""
        from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusPendingCallWatcher

        bus = self._system_bus
        if not isinstance(bus, QDBusConnection) or self._delay_fd is not None:
            return
        call = QDBusMessage.createMethodCall(LOGIND, LOGIND_PATH, LOGIND + ".Manager",
                                             "Inhibit")
        call.setArguments(["sleep", "Adviser Toolkit", "Locking the case book", "delay"])
        watcher = QDBusPendingCallWatcher(bus.asyncCall(call, 2000), self)
        watcher.finished.connect(self._sleep_delay_granted)

    def _sleep_delay_granted(self, watcher: QObject) -> None:
        from PySide6.QtDBus import QDBusMessage, QDBusPendingCallWatcher, \
            QDBusUnixFileDescriptor

        assert isinstance(watcher, QDBusPendingCallWatcher)
        try:
            reply = watcher.reply()
            if reply.type() != QDBusMessage.MessageType.ReplyMessage:
                return  # no logind, or it refused: we lock on wake instead
            handle = reply.arguments()[0]
            if isinstance(handle, QDBusUnixFileDescriptor) and handle.isValid():
                self._release_sleep_delay()
                self._delay_fd = os.dup(handle.fileDescriptor())
                self.listening.append("logind sleep delay")
        except Exception as exc:
            log.info("no sleep delay: %s", type(exc).__name__)
        finally:
            watcher.deleteLater()

    def _release_sleep_delay(self) -> None:
        fd, self._delay_fd = self._delay_fd, None
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass
            if "logind sleep delay" in self.listening:
                self.listening.remove("logind sleep delay")

    # ----- Windows ----------------------------------------------------------------------------
    def _hook_windows(self) -> None:
        from PySide6.QtGui import QWindow

        app = QCoreApplication.instance()
        if app is None:
            return
        native = _WindowsMessages(self.lock_now.emit)
        app.installNativeEventFilter(native)
        self._native = native
        self.listening.append("Windows power messages")
        # Session messages only go to windows that ask; a hidden window of our own asks.
        window = QWindow()
        hwnd = int(window.winId())
        wtsapi32 = ctypes.WinDLL("wtsapi32")  # type: ignore[attr-defined]
        if wtsapi32.WTSRegisterSessionNotification(ctypes.c_void_p(hwnd),
                                                   NOTIFY_FOR_THIS_SESSION):
            self._session_window = window
            self.listening.append("Windows session messages")


def _closer(hooks: SystemLockHooks) -> Callable[[], None]:
    """What to undo when the hooks go; holds no reference to the hooks object itself."""
    state = hooks.__dict__

    def close() -> None:
        fd = state.get("_delay_fd")
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass
            state["_delay_fd"] = None
        native = state.get("_native")
        app = QCoreApplication.instance()
        if native is not None and app is not None:
            app.removeNativeEventFilter(native)
        window = state.get("_session_window")
        if window is not None:
            try:
                ctypes.WinDLL("wtsapi32").WTSUnRegisterSessionNotification(  # type: ignore
                    ctypes.c_void_p(int(window.winId())))
            except Exception:
                pass
    return close
