"""Locking at once on suspend and screen lock (reliability.md T10 f): the D-Bus slots and the
Windows message reading, driven directly; and, where dbus-daemon is installed, real signals
on a private bus with a stand-in for logind."""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
from ctypes import wintypes

import pytest
from PySide6.QtCore import ClassInfo, QByteArray, QObject, Slot

from adviser_app.ui.case_book import system_lock_hooks as hooks_module
from adviser_app.ui.case_book.idle_lock import IdleWatcher
from adviser_app.ui.case_book.system_lock_hooks import (PBT_APMSUSPEND, SCREEN_LOCK, SUSPEND,
                                              WM_POWERBROADCAST, WM_WTSSESSION_CHANGE,
                                              WTS_SESSION_LOCK, SystemLockHooks,
                                              windows_lock_reason)


def recorded(hooks: SystemLockHooks) -> list[str]:
    reasons: list[str] = []
    hooks.lock_now.connect(reasons.append)
    return reasons


def test_prepare_for_sleep_true_locks_and_false_does_not(qtbot):
    hooks = SystemLockHooks()
    reasons = recorded(hooks)
    hooks.on_prepare_for_sleep(False)  # waking up
    assert reasons == []
    hooks.on_prepare_for_sleep(True)
    assert reasons == [SUSPEND]


def test_screen_lock_signals(qtbot):
    hooks = SystemLockHooks()
    reasons = recorded(hooks)
    hooks.on_screen_saver_active(False)
    hooks.on_properties_changed("org.freedesktop.login1.Session", {"IdleHint": True}, [])
    hooks.on_properties_changed("org.freedesktop.login1.Session", {"LockedHint": False}, [])
    hooks.on_properties_changed("org.freedesktop.login1.User", {"LockedHint": True}, [])
    assert reasons == []
    hooks.on_screen_saver_active(True)
    hooks.on_session_lock()
    hooks.on_properties_changed("org.freedesktop.login1.Session", {"LockedHint": True}, [])
    assert reasons == [SCREEN_LOCK] * 3


def test_no_bus_means_no_hooks_and_no_complaint(qtbot):
    """CI has no D-Bus: the hooks must quietly do nothing (pytest fails on Qt warnings)."""
    from PySide6.QtDBus import QDBusConnection

    if QDBusConnection.systemBus().isConnected() or QDBusConnection.sessionBus().isConnected():
        pytest.skip("this machine has a D-Bus bus")
    assert SystemLockHooks().listening == []


def test_windows_hooks_off_windows_fail_quietly(qtbot):
    hooks = SystemLockHooks(platform="win32")  # ctypes.WinDLL is missing here
    assert "Windows session messages" not in hooks.listening
    hooks.deleteLater()


def test_idle_watcher_locks_at_once_only_while_watching(qtbot):
    watcher = IdleWatcher(300)
    fired: list[str] = []
    watcher.idle.connect(fired.append)  # the reason travels with the signal
    watcher.hooks.on_prepare_for_sleep(True)
    assert fired == []  # no real case book open: nothing to lock
    watcher.start()
    watcher.hooks.on_session_lock()
    assert fired == [SCREEN_LOCK] and not watcher.timer.isActive()
    watcher.start()
    watcher.hooks.on_prepare_for_sleep(True)
    assert fired == [SCREEN_LOCK, SUSPEND]


# ----- Windows messages, read as Windows would hand them to Qt -------------------------------

@pytest.mark.parametrize("message, wparam, reason", [
    (WM_POWERBROADCAST, PBT_APMSUSPEND, SUSPEND),
    (WM_POWERBROADCAST, 0x0012, None),  # PBT_APMRESUMEAUTOMATIC
    (WM_POWERBROADCAST, 0x8013, None),  # PBT_POWERSETTINGCHANGE
    (WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK, SCREEN_LOCK),
    (WM_WTSSESSION_CHANGE, 0x2, SCREEN_LOCK),  # console disconnected (user switched)
    (WM_WTSSESSION_CHANGE, 0x8, None),  # WTS_SESSION_UNLOCK
    (0x0100, PBT_APMSUSPEND, None),  # WM_KEYDOWN
])
def test_windows_message_reasons(message, wparam, reason):
    assert windows_lock_reason(message, wparam) == reason


def test_windows_filter_reads_a_msg_structure_and_never_swallows_it():
    reasons: list[str] = []
    native = hooks_module._WindowsMessages(reasons.append)
    msg = wintypes.MSG()
    msg.message, msg.wParam = WM_POWERBROADCAST, PBT_APMSUSPEND
    address = ctypes.addressof(msg)
    assert native.nativeEventFilter(QByteArray(b"windows_generic_MSG"), address) == (False, 0)
    assert reasons == [SUSPEND]
    msg.message, msg.wParam = WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK
    native.nativeEventFilter(b"windows_generic_MSG", address)
    native.nativeEventFilter(b"xcb_generic_event_t", address)  # other platforms' events
    assert reasons == [SUSPEND, SCREEN_LOCK]


# ----- a real bus --------------------------------------------------------------------------

@ClassInfo({"D-Bus Interface": "org.freedesktop.login1.Manager"})
class FakeLogind(QObject):
    """Just enough of logind: Inhibit hands out the write end of a pipe, so the test can see
    when every copy of it has been closed."""

    def __init__(self) -> None:
        super().__init__()
        self.inhibits: list[tuple[str, str]] = []
        self.read_ends: list[int] = []

    @Slot(str, str, str, str, result="QDBusUnixFileDescriptor")
    def Inhibit(self, what, who, why, mode):
        from PySide6.QtDBus import QDBusUnixFileDescriptor

        read_end, write_end = os.pipe()
        os.set_blocking(read_end, False)
        self.inhibits.append((what, mode))
        self.read_ends.append(read_end)
        handle = QDBusUnixFileDescriptor(write_end)  # keeps its own copy
        os.close(write_end)
        return handle


def released(read_end: int) -> bool:
    try:
        return os.read(read_end, 1) == b""
    except BlockingIOError:
        return False


@pytest.fixture
def private_bus():
    if not shutil.which("dbus-daemon"):
        pytest.skip("dbus-daemon is not installed")
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--nopidfile",
                               "--print-address=1"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        if not address:
            pytest.skip("dbus-daemon did not start")
        yield address
    finally:
        daemon.terminate()
        daemon.wait(5)


def test_real_signals_on_a_private_bus(qtbot, private_bus):
    from PySide6.QtDBus import QDBusConnection, QDBusMessage

    logind_bus = QDBusConnection.connectToBus(private_bus, "fake-logind")
    logind = FakeLogind()
    assert logind_bus.registerObject("/org/freedesktop/login1", logind,
                                     QDBusConnection.RegisterOption.ExportAllSlots)
    assert logind_bus.registerService("org.freedesktop.login1")
    bus = QDBusConnection.connectToBus(private_bus, "app")
    hooks = SystemLockHooks(system_bus=bus, session_bus=bus)
    reasons = recorded(hooks)
    assert {"logind PrepareForSleep", "logind Lock", "logind PropertiesChanged",
            "org.gnome.ScreenSaver ActiveChanged"} <= set(hooks.listening)
    qtbot.waitUntil(lambda: "logind sleep delay" in hooks.listening, timeout=3000)
    assert logind.inhibits == [("sleep", "delay")]
    first = logind.read_ends[0]
    assert not released(first)  # held while awake

    def signal(path: str, interface: str, name: str, *args: object) -> None:
        message = QDBusMessage.createSignal(path, interface, name)
        message.setArguments(list(args))
        assert logind_bus.send(message)

    signal("/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep", True)
    qtbot.waitUntil(lambda: reasons == [SUSPEND], timeout=3000)
    qtbot.waitUntil(lambda: released(first), timeout=3000)  # the laptop may now sleep
    signal("/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep", False)
    qtbot.waitUntil(lambda: len(logind.inhibits) == 2, timeout=3000)  # ready for next time
    assert reasons == [SUSPEND]
    signal("/org/freedesktop/login1/session/_32", "org.freedesktop.login1.Session", "Lock")
    qtbot.waitUntil(lambda: reasons == [SUSPEND, SCREEN_LOCK], timeout=3000)
    # Anyone on the session bus may announce the screen saver (GNOME's, from the shell).
    subprocess.run(["dbus-send", f"--bus={private_bus}", "--type=signal", "/org/gnome/ScreenSaver",
                    "org.gnome.ScreenSaver.ActiveChanged", "boolean:true"], check=True)
    qtbot.waitUntil(lambda: reasons == [SUSPEND, SCREEN_LOCK, SCREEN_LOCK], timeout=3000)
    # A stranger pretending to be logind on the system bus is ignored.
    subprocess.run(["dbus-send", f"--bus={private_bus}", "--type=signal",
                    "/org/freedesktop/login1", "org.freedesktop.login1.Manager.PrepareForSleep",
                    "boolean:true"], check=True)
    qtbot.wait(200)
    assert reasons == [SUSPEND, SCREEN_LOCK, SCREEN_LOCK]
    second = logind.read_ends[1]
    qtbot.waitUntil(lambda: "logind sleep delay" in hooks.listening, timeout=3000)
    hooks.deleteLater()
    qtbot.waitUntil(lambda: released(second), timeout=3000)  # closed when the hooks go
    for read_end in logind.read_ends:
        os.close(read_end)
    QDBusConnection.disconnectFromBus("app")
    QDBusConnection.disconnectFromBus("fake-logind")
