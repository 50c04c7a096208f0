"""Loading, while the adviser types the passphrase, the code that unlocking and the workspace
need, so the first unlock costs little more than the key derivation (benchmarks/README.md,
"first unlock"). The unlock screen itself loads none of it, so the window still appears fast.

Two stages, after the unlock screen is on screen:
1. a daemon thread imports the libraries behind the storage code (SQLCipher, sqlite-utils, the
   key derivation and key-file ciphers) and `holidays` (its table of countries, about 0.1 s on
   first use). Imports are thread-safe: code that needs one meanwhile simply waits for it.
2. then the app's own modules, one per turn of the GUI thread's event loop, smallest first, so
   no turn blocks the window for long. These run on the GUI thread, not the worker: several are
   the LazyLoader's placeholders (adviser_app/lazy_import.py), and Python 3.11's LazyLoader is
   not safe to trigger from two threads at once.
If the adviser presses Return first, unlocking loads whatever is not loaded yet, as before.
"""

from __future__ import annotations

import importlib
import threading

from PySide6.QtCore import QObject, QTimer

_LIBRARIES = ("sqlcipher3", "sqlite_utils", "argon2.low_level", "cryptography.exceptions",
              "cryptography.hazmat.primitives.ciphers.aead",
              "cryptography.hazmat.primitives.kdf.hkdf", "holidays.countries")
# Leaves before the modules that import them, so each step loads little beyond its own code.
_APP_MODULES = (
    "adviser_app.store.migrate", "adviser_app.store.db", "adviser_app.store.keyfile",
    "adviser_app.store.settings", "adviser_app.store.cases", "adviser_app.store.search",
    "adviser_app.store.data_protection", "adviser_app.services.data_protection",
    "adviser_app.services.backups", "adviser_app.services.case_books",
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
        self.loader: threading.Thread | None = None

    def start(self) -> None:
        if self.loader is None:
            self.loader = warm_up_in_background()
            QTimer.singleShot(_POLL_MS, self, self._next)

    @property
    def done(self) -> bool:
        return not self.left and self.loader is not None and not self.loader.is_alive()

    def _next(self) -> None:
        assert self.loader is not None
        if self.loader.is_alive():  # a module of ours would wait for it on the GUI thread
            QTimer.singleShot(_POLL_MS, self, self._next)
            return
        if self.left:
            load(self.left.pop(0))
            QTimer.singleShot(0, self, self._next)
