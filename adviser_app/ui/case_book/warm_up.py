"""Loading, in the background, what the first date calculation would otherwise load while
the adviser waits: the `holidays` package builds its table of countries on first use (about
0.1 s), which used to land in the middle of the first letter batch or Deadlines view."""

from __future__ import annotations

import importlib
import threading

_SLOW_FIRST_IMPORTS = ("holidays.countries",)


def warm_up_in_background() -> threading.Thread:
    """Import the slow modules on a daemon thread (imports are thread-safe: code that needs
    one meanwhile simply waits for it)."""
    def load() -> None:
        for name in _SLOW_FIRST_IMPORTS:
            importlib.import_module(name)
    thread = threading.Thread(target=load, name="warm-up", daemon=True)
    thread.start()
    return thread
