"""Python's garbage collector runs on the GUI thread only (ui/collector.py): a worker that
makes many objects never starts a collection that could delete a widget off its thread."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtWidgets import QDialog

from adviser_app.ui import collector


class _Cycle:
    def __init__(self) -> None:
        self.me = self
        self.dialog = QDialog()  # a closed dialog caught in a reference cycle


def test_collections_run_on_the_gui_thread_never_on_a_worker(qtbot) -> None:
    installed = collector.install()
    assert collector.install() is installed  # once per process
    assert not gc.isenabled()
    threads: list[int] = []

    def note(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            threads.append(threading.get_ident())

    gc.callbacks.append(note)
    try:
        garbage = _Cycle()
        gone = weakref.ref(garbage)
        del garbage

        def busy_worker() -> None:  # as a sync call decoding a large page
            made = [[i] for i in range(200_000)]
            for item in made:
                item.append(item)  # cycles, so that they count for the collector
            del made

        worker = threading.Thread(target=busy_worker)
        worker.start()
        worker.join()
        assert gone() is not None  # nothing was collected on the worker
        qtbot.waitUntil(lambda: gone() is None, timeout=5_000)
    finally:
        gc.callbacks.remove(note)
    assert threads and set(threads) == {threading.main_thread().ident}
    assert installed.collections[0] >= 1


def test_the_oldest_generation_keeps_pythons_own_rule(qtbot) -> None:
    """A full collection walks everything the app holds: it runs only once what moved into
    the oldest generation since the last is a quarter of what was there."""
    installed = collector.install()
    before = installed.collections[2]
    installed.held_after_full = 10**9  # as if the app held a billion objects
    installed.middle_since_check = installed.oldest
    made = [[i] for i in range(50_000)]
    for _ in range(installed.middle + 1):
        made += [[i] for i in range(installed.young + 1)]
        installed.tick()
    assert installed.collections[2] == before
    installed.held_after_full = 0
    installed.middle_since_check = installed.oldest - 1
    for _ in range(installed.middle + 1):
        made += [[i] for i in range(installed.young + 1)]
        installed.tick()
    assert installed.collections[2] == before + 1
    assert installed.held_after_full > 0
