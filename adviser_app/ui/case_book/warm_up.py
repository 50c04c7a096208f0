"""Loading, while the adviser types the passphrase, the code that unlocking and the workspace
need, so the first unlock costs little more than the key derivation (benchmarks/README.md,
"first unlock"). The unlock screen itself loads none of it, so the window still appears fast.

Two stages, after the unlock screen is on screen:
1. a daemon thread imports `holidays` (its table of countries, about 0.1 s on first use).
   The storage libraries were tried there too and crashed the UI tests (see _LIBRARIES).
2. then the app's own modules, one per turn of the GUI thread's event loop, smallest first, so
   no turn blocks the window for long. These run on the GUI thread, not the worker: several are
   the LazyLoader's placeholders (adviser_app/lazy_import.py), and Python 3.11's LazyLoader is
   not safe to trigger from two threads at once.
3. last, one turn that makes PySide meet the window's objects of Qt's internal classes (see
   meet_internal_objects).
If the adviser presses Return first, unlocking loads whatever is not loaded yet, as before.
"""

from __future__ import annotations

import importlib
import threading

from PySide6.QtCore import QObject, QTimer

# Only pure-Python `holidays` on the thread: with the storage libraries (SQLCipher, the
# cffi-based ciphers) imported there too, the UI tests crashed the interpreter in 1 run of 2
# (a segmentation fault in the next event processing); those now load on the GUI thread with
# the app's modules below, one module per turn.
_LIBRARIES = ("holidays.countries",)
# Leaves before the modules that import them, so each step loads little beyond its own code.
_APP_MODULES = (
    "adviser_app.store.migrate", "adviser_app.store.db", "adviser_app.store.keyfile",
    "adviser_app.store.settings", "adviser_app.store.cases", "adviser_app.store.search",
    "adviser_app.store.data_protection", "adviser_app.services.data_protection",
    "adviser_app.services.case_books", "adviser_app.services.backups",
    "adviser_app.services.restoring", "adviser_app.services.recovering",
    "adviser_app.services.opening", "adviser_app.services.preferences",
    "adviser_app.services.audit_log", "adviser_app.services.drafts",
    "adviser_app.domain.records", "adviser_app.domain.statutory.events",
    "adviser_app.services.casework", "adviser_app.domain.graduated.cycles",
    "adviser_app.domain.graduated.due_reviews", "adviser_app.domain.graduated.summary",
    "adviser_app.domain.letter_context", "adviser_app.services.documents",
    "adviser_app.services.training", "adviser_app.ui.case_view.case_list",
    "adviser_app.ui.case_view.case_dialog", "adviser_app.ui.graduated.graduated_tab",
    "adviser_app.ui.case_view.case_detail", "adviser_app.ui.deadlines.deadlines_view",
    "adviser_app.ui.workspace", "adviser_app.ui.case_book.file_jobs",
)
_POLL_MS = 50


def load(name: str) -> None:
    """Import *name* and run it: a LazyLoader placeholder runs on its first attribute."""
    importlib.import_module(name).__name__  # noqa: B018 (the access is the point)


def meet_internal_objects(window: QObject) -> None:
    """PySide makes a class's Python type the first time it meets one of its objects. Meeting
    an object of a class it does not know (one of Qt's internal ones, as behind a line edit or
    the main window's layout) makes it try every QObject class it has, building each one's
    enum types: some 150 of them, tens of milliseconds. The app-wide event filters that start
    when a case book opens (the idle lock, Ctrl+L) meet such objects with their first event,
    so this is done here, before the first unlock, and not at start, before the first paint
    (ui/case_book/training_titles.py)."""
    window.findChildren(QObject)


def warm_up_in_background(names: tuple[str, ...] = _LIBRARIES) -> threading.Thread:
    """Import the libraries on a daemon thread."""
    def load_all() -> None:
        for name in names:
            importlib.import_module(name)
    thread = threading.Thread(target=load_all, name="warm-up", daemon=True)
    thread.start()
    return thread


class WarmUp(QObject):
    """Both stages; owned by the window, so its timers stop when the window goes."""

    def __init__(self, parent: QObject | None = None,
                 modules: tuple[str, ...] = _APP_MODULES) -> None:
        super().__init__(parent)
        self.left = list(modules)
        self.met = False
        self.loader: threading.Thread | None = None
        # A timer object of its own, not QTimer.singleShot with a Python callable: a pending
        # single shot outlived its window in the UI tests and crashed the interpreter.
        self._turn = QTimer(self)
        self._turn.setSingleShot(True)
        self._turn.timeout.connect(self._next)

    def start(self, delay_ms: int = 0) -> None:
        """Begin after *delay_ms* (the window shows first)."""
        if self.loader is None and not self._turn.isActive():
            self._turn.start(delay_ms)

    @property
    def done(self) -> bool:
        return not self.left and self.met and self.loader is not None \
            and not self.loader.is_alive()

    def _next(self) -> None:
        if self.loader is None:
            self.loader = warm_up_in_background()
            self._turn.start(_POLL_MS)
            return
        if self.loader.is_alive():  # a module of ours would wait for it on the GUI thread
            self._turn.start(_POLL_MS)
            return
        if self.left:
            load(self.left.pop(0))
            self._turn.start(0)
        elif not self.met:
            parent = self.parent()
            if parent is not None:
                meet_internal_objects(parent)
            self.met = True
