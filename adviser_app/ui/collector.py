"""Python's garbage collector, run on the GUI thread only.

A Qt object must be deleted on the thread it lives on. Python's own collector runs on
whichever thread happens to cross its threshold: when that is a worker (the warm-up's
imports, a sync call decoding a page, a batch of letters) and the garbage it finds holds a
widget's wrapper (a closed dialog caught in a reference cycle), the widget is deleted off its
thread and the app crashes. The tests met it as a segmentation fault while
"Garbage-collecting" on a pool thread, gone with the collector off.

So the automatic collector is switched off and a timer on the GUI thread does its work with
the same thresholds: the youngest generation when enough objects were made, the middle one
after enough young collections. The oldest, which walks everything the app holds (tens of ms
with a large case book open), keeps CPython's own rule: only once the objects moved into it
since its last collection are a quarter of what it then held. Objects freed by reference
counting (nearly all) are freed at once, as always; only cycles wait for the next tick."""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

TICK_MS = 250
OLDEST_SHARE = 4  # CPython: a full collection once the new long-lived objects are 1/4


class MainThreadCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.young, self.middle, self.oldest = gc.get_threshold()
        self.held_after_full = len(gc.get_objects(generation=2))
        self.middle_since_check = 0
        self.collections = [0, 0, 0]
        """How many collections of each generation this collector ran (for tests)."""
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self) -> None:
        made, _, _ = gc.get_count()
        if made <= self.young:
            return
        self._collect(0)
        if gc.get_count()[1] < self.middle:
            return
        self._collect(1)
        self.middle_since_check += 1
        if self.middle_since_check < self.oldest:
            return
        self.middle_since_check = 0  # counting the oldest is itself a walk: not every time
        held = len(gc.get_objects(generation=2))
        if held - self.held_after_full > self.held_after_full // OLDEST_SHARE:
            self._collect(2)
            self.held_after_full = len(gc.get_objects(generation=2))

    def _collect(self, generation: int) -> None:
        gc.collect(generation)
        self.collections[generation] += 1

    def stop(self) -> None:
        """Hand collecting back to Python (the app is closing, or a test is done)."""
        self.timer.stop()
        gc.enable()


_installed: MainThreadCollector | None = None


def install() -> MainThreadCollector:
    """Switch to collecting on the GUI thread (once per process; call on the GUI thread,
    after the QApplication is made). Kept here rather than looked for among the
    application's children: meeting those (its style) would make PySide build their Python
    types before the first paint (tests/test_start_imports.py)."""
    global _installed
    app = QCoreApplication.instance()
    assert app is not None, "make the QApplication first"
    if _installed is None:
        _installed = MainThreadCollector(app)
    return _installed
