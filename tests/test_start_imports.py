"""Starting the app loads none of the heavy modules that the lazy loading defers
(adviser_app/lazy_import.py, ui/case_book/warm_up.py): the real entry point is run in a fresh
interpreter up to the unlock screen, and sys.modules is read there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from adviser_app.store.db import close_case_book
from support import create_book

ROOT = Path(__file__).resolve().parent.parent

# Loaded only once a case book is opened (or a letter made, or an IT command run).
NEVER_AT_START = ("sqlite_utils", "cryptography", "argon2", "holidays", "reportlab",
                  "adviser_app.admin", "adviser_app.pdf", "adviser_app.domain.statutory",
                  "adviser_app.ui.case_book.file_jobs", "adviser_app.ui.case_view.case_detail",
                  "psycopg",
                  # the storage library (checked on the first turn of the event loop) and the
                  # suspend and screen-lock hooks (made after the first paint) and their D-Bus
                  "sqlcipher3", "PySide6.QtDBus", "adviser_app.ui.case_book.system_lock_hooks",
                  # the notice before the idle lock: made for its first warning
                  "adviser_app.ui.case_book.lock_countdown")
# Named by the window and the case book's controller, but loaded on first use: at start they
# may be there only as the LazyLoader's placeholders, never run.
LAZY_AT_START = ("adviser_app.store.db",
                 "adviser_app.services.backups", "adviser_app.services.case_books",
                 "adviser_app.services.audit_log", "adviser_app.services.data_protection",
                 "adviser_app.services.preferences", "adviser_app.services.drafts",
                 "adviser_app.services.opening", "adviser_app.services.recovering",
                 "adviser_app.store.keyfile", "adviser_app.store.settings",
                 "adviser_app.store.search", "adviser_app.store.cases",
                 "adviser_app.store.case_search",
                 "adviser_app.ui.workspace", "adviser_app.ui.form_support",
                 "adviser_app.ui.case_view.entry_dialog",
                 "adviser_app.ui.case_view.new_case_dialog",
                 "adviser_app.sync.engine", "adviser_app.sync.joining",
                 "adviser_app.store.sync_log",
                 # the disk encryption check, run after the first paint
                 "adviser_app.services.disk_encryption")
# PySide builds a Qt class's Python type (and every enum type in it) the first time the class is
# named or one of its objects is met; these must wait until after the unlock screen's first
# paint. The Qt namespace has some 90 enum types. QWizard is used nowhere at start: it is built
# only when PySide meets an object of a Qt class it does not know and tries every class it has
# (as an app-wide Python event filter made it do at start; ui/case_book/warm_up.py).
TYPES_NOT_BUILT = (("PySide6.QtCore", "Qt"), ("PySide6.QtWidgets", "QWizard"),
                   # the app's style is chosen as the QApplication is made (ui/theme.py)
                   ("PySide6.QtWidgets", "QStyle"))
PAINT_WITHIN_MS = 200
"""The timers that load more after the first paint start at 250 ms (the lock hooks, the disk
check) and 300 ms (the warm-up); a first paint later than this says nothing about them."""

PROBE = """
import importlib.util, json, os, sys, time
from PySide6.QtWidgets import QApplication
from adviser_app import app

seen = {}

def built(types):
    return [f"{module}.{name}" for module, name in types if name in vars(sys.modules[module])]


def first_screen(*_args):  # in place of the event loop: what is on screen, what is loaded
    # Read before any event is handled: the warm-up starts on a timer once the window shows,
    # on purpose, while the passphrase is typed. WARM_UP=1: read once the warm-up has ended.
    windows = [w for w in QApplication.topLevelWidgets() if hasattr(w, "unlock_page")]
    seen["built"] = built(json.loads(os.environ["TYPES"]))
    started = time.monotonic()
    while not all(w.windowHandle() is not None and w.windowHandle().isExposed()
                  for w in windows) and time.monotonic() - started < 5:
        QApplication.processEvents()  # to the first paint
    seen["paint_ms"] = (time.monotonic() - started) * 1000
    seen["built at paint"] = built(json.loads(os.environ["TYPES"]))
    if os.environ.get("WARM_UP") == "1":
        ends = time.monotonic() + 90
        while not all(w.warm_up.done for w in windows) and time.monotonic() < ends:
            QApplication.processEvents()
            time.sleep(0.005)
        seen["warmed"] = all(w.warm_up.done for w in windows)
        seen["built when warmed"] = built(json.loads(os.environ["TYPES"]))
    seen["page"] = [type(w.stack.currentWidget()).__name__ for w in windows]
    lazy = importlib.util._LazyModule
    seen["run"] = sorted(n for n, m in list(sys.modules.items())
                         if m is not None and type(m) is not lazy)
    seen["placeholders"] = sorted(n for n, m in list(sys.modules.items()) if type(m) is lazy)
    for window in windows:
        window.close()
    return 0

QApplication.exec = first_screen
seen["exit"] = app.main(["--data-dir", *sys.argv[1:]])
print("PROBE " + json.dumps(seen))
"""


def first_screen(data_dir: Path, *args: str, warm_up: bool = False) -> dict[str, object]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "WARM_UP": "1" if warm_up else "0", "TYPES": json.dumps(TYPES_NOT_BUILT)}
    done = subprocess.run([sys.executable, "-c", PROBE, str(data_dir), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    line = next(text for text in done.stdout.splitlines() if text.startswith("PROBE "))
    seen: dict[str, object] = json.loads(line.removeprefix("PROBE "))
    return seen


def loaded(names: list[str], wanted: str) -> list[str]:
    return [name for name in names if name == wanted or name.startswith(wanted + ".")]


def test_the_unlock_screen_appears_without_the_deferred_modules(data_dir: Path) -> None:
    close_case_book(create_book(data_dir))
    seen = first_screen(data_dir)
    assert seen["exit"] == 0 and seen["page"] == ["UnlockPage"]
    run = seen["run"]
    assert isinstance(run, list)
    assert "adviser_app.ui.main_window" in run  # the probe really started the app
    for name in NEVER_AT_START:
        assert loaded(run, name) == [], f"{name} was loaded at start"
    for name in LAZY_AT_START:
        assert name not in run, f"{name} was run at start rather than on first use"


def test_the_unlock_screen_is_painted_without_building_the_qt_namespace(data_dir: Path) -> None:
    close_case_book(create_book(data_dir))
    seen = first_screen(data_dir)
    assert seen["exit"] == 0 and seen["page"] == ["UnlockPage"]
    assert seen["built"] == []
    paint_ms = seen["paint_ms"]
    assert isinstance(paint_ms, float)
    if paint_ms < PAINT_WITHIN_MS:  # else the timers after the paint may have run too
        assert seen["built at paint"] == []


def test_the_probe_sees_the_qt_namespace_once_a_case_book_is_open(data_dir: Path) -> None:
    """The check above can fail: the case book's screens name the Qt namespace."""
    seen = first_screen(data_dir, "--training")
    assert seen["exit"] == 0 and seen["page"] == ["Workspace"]
    assert "PySide6.QtCore.Qt" in seen["built"]


def test_the_probe_sees_them_once_a_case_book_is_open(data_dir: Path) -> None:
    """The check above can fail: opening the training case book at start runs them."""
    seen = first_screen(data_dir, "--training")
    assert seen["exit"] == 0 and seen["page"] == ["Workspace"]
    run = seen["run"]
    assert isinstance(run, list)
    assert loaded(run, "sqlite_utils") and "adviser_app.ui.workspace" in run


def test_while_the_passphrase_is_typed_the_unlock_code_is_loaded(data_dir: Path) -> None:
    """The warm-up loads, on the unlock screen, what unlocking and the workspace need (the
    placeholders run, not left for the first unlock), but not the PDF code."""
    close_case_book(create_book(data_dir))
    seen = first_screen(data_dir, warm_up=True)
    assert seen["exit"] == 0 and seen["warmed"] is True and seen["page"] == ["UnlockPage"]
    run, placeholders = seen["run"], seen["placeholders"]
    assert isinstance(run, list) and isinstance(placeholders, list)
    for name in ("sqlite_utils", "argon2", "holidays", "adviser_app.store.db",
                 "adviser_app.services.backups", "adviser_app.services.opening",
                 "adviser_app.ui.workspace", "adviser_app.ui.case_view.case_detail",
                 "adviser_app.ui.case_book.file_jobs"):
        assert loaded(run, name), f"{name} was not loaded by the warm-up"
    for name in LAZY_AT_START:
        assert name not in placeholders or name in (
            "adviser_app.ui.form_support", "adviser_app.ui.case_view.entry_dialog",
            "adviser_app.ui.case_view.new_case_dialog",
            # the team register's code: loaded only once this laptop has joined a hub
            "adviser_app.sync.engine", "adviser_app.sync.joining"), \
            f"{name} left for the first unlock"
    assert loaded(run, "reportlab") == [] and loaded(run, "adviser_app.pdf") == []
    # the types the app-wide event filters of an open case book need are built by then too
    assert seen["built when warmed"] == [f"{module}.{name}" for module, name in TYPES_NOT_BUILT]
