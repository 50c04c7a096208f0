"""The GUI thread's turns from Return at the unlock screen through the background check.

    for i in 1 2 3; do for tree in /tmp/before .; do QT_QPA_PLATFORM=offscreen \
        PYTHONPATH=$tree .venv/bin/python benchmarks/unlock_turns.py --book DIR; done; done

One first unlock per process (a window as the app makes it, on a COPY of a benchmark case
book: locking writes to it): 3 s after the unlock screen shows, the passphrase goes in the
box and Return is pressed; a 2 ms timer then notes every gap between its ticks, with the GUI
thread's own CPU time in it (``thread_time``: less hit than the wall clock by other work on
the machine), until the background integrity check has ended. Prints the longest gaps (wall
and CPU ms, and when each ended after Return) and when the list was painted. PYTHONPATH
picks the checkout, so before/after runs can be interleaved as above.

The process is set up as ``app.main`` sets it up (Fusion chosen as the QApplication is made,
Python's collector on the GUI thread's timer, the bundled fonts), so collections fall where
they fall in the app. ``--steps`` also names what ran in each of the longest gaps, with its
CPU ms: the steps of unlocking and of the workspace that exist in the checkout run (a step
missing from an older checkout is left out), plus Python's collections.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import PASSPHRASE  # noqa: E402

STEPS = [  # (module, class or "", function): timed with --steps where the checkout has them
    ("adviser_app.ui.case_book.controller", "CaseBookController", "_derived"),
    ("adviser_app.ui.case_book.controller", "CaseBookController", "_show_opened"),
    ("adviser_app.ui.case_book.controller", "CaseBookController", "_open"),
    ("adviser_app.ui.main_window", "MainWindow", "_show_book"),
    ("adviser_app.ui.main_window", "MainWindow", "_next_coming_step"),
    ("adviser_app.ui.main_window", "MainWindow", "_put_on_screen"),
    ("adviser_app.ui.workspace", "Workspace", "__init__"),
    ("adviser_app.ui.workspace", "Workspace", "make_shell"),
    ("adviser_app.ui.workspace", "Workspace", "_build_the_rest"),
    ("adviser_app.ui.case_view.case_list", "CaseListPanel", "__init__"),
    ("adviser_app.ui.case_view.case_list", "CaseListPanel", "refresh"),
    ("adviser_app.ui.collector", "MainThreadCollector", "tick"),
]


def timed_steps(log: list[tuple[str, float, float]]) -> None:
    """Wrap each of STEPS found in this checkout: (name, ended at, CPU seconds) into *log*,
    outermost steps only (a step inside another is part of it)."""
    depth = [0]

    def wrap(name: str, inner: Callable[..., Any]) -> Callable[..., Any]:
        def step(*args: Any, **kwargs: Any) -> Any:
            cpu = time.thread_time()
            depth[0] += 1
            try:
                return inner(*args, **kwargs)
            finally:
                depth[0] -= 1
                if depth[0] == 0:
                    log.append((name, time.perf_counter(), time.thread_time() - cpu))
        return step

    for module_name, class_name, function in STEPS:
        owner: Any = importlib.import_module(module_name)
        owner = getattr(owner, class_name, None) if class_name else owner
        inner = getattr(owner, function, None) if owner is not None else None
        if inner is not None:
            setattr(owner, function, wrap(f"{class_name}.{function}", inner))


def on_screen(window: Any) -> Any:
    """The workspace once it is on screen (not window.workspace: asking for it finishes one
    still being made over the turns of the event loop at once)."""
    page = window.stack.currentWidget()
    return page if hasattr(page, "case_list") else None


def one_run(app: Any, book: Path, steps: bool = False) -> dict[str, Any]:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest

    from adviser_app.ui.main_window import MainWindow

    def spin(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.002)

    log: list[tuple[str, float, float]] = []
    if steps:
        timed_steps(log)
    window = MainWindow(book)
    window.show()
    spin(3)
    gaps: list[tuple[float, float, float]] = []
    last = [time.perf_counter(), time.thread_time()]

    def tick() -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        gaps.append((now - last[0], cpu - last[1], now))
        last[:] = [now, cpu]

    timer = QTimer()
    timer.setInterval(2)
    timer.timeout.connect(tick)
    timer.start()
    box = window.unlock_page.passphrase
    box.setText(PASSPHRASE)
    pressed = time.perf_counter()
    QTest.keyClick(box, Qt.Key.Key_Return)
    painted = None
    while time.perf_counter() - pressed < 900:
        app.processEvents()
        time.sleep(0.0005)
        shown = on_screen(window)
        if painted is None and shown is not None and shown.case_list.model.rowCount():
            app.processEvents()
            painted = time.perf_counter() - pressed
        if painted is not None and time.perf_counter() - pressed > painted + 1.5 \
                and not window.book.file_jobs_busy:
            break
    timer.stop()
    checked = time.perf_counter() - pressed
    window.book.lock()
    window.close()
    top = sorted(gaps, reverse=True)[:3]
    out = {"painted (ms after Return)": round((painted or 0) * 1000),
           "check ended (s)": round(checked, 1),
           "longest gaps (wall ms, CPU ms, ended ms after Return)": [
               (round(g * 1000), round(c * 1000), round((at - pressed) * 1000))
               for g, c, at in top],
           "longest CPU in one gap (ms)": round(max(c for _, c, _ in gaps) * 1000)}
    if steps:
        by_cpu = sorted(gaps, key=lambda gap: gap[1], reverse=True)[:6]
        out["most CPU in one gap: wall, CPU, ended (ms after Return); steps in it (CPU ms)"] = [
            (round(g * 1000), round(c * 1000), round((at - pressed) * 1000),
             [(name, round(cpu * 1000)) for name, ended, cpu in log if at - g < ended <= at])
            for g, c, at in by_cpu]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path, required=True)
    parser.add_argument("--steps", action="store_true",
                        help="name what ran in each of the gaps with the most CPU")
    args = parser.parse_args()
    from adviser_app.app import load_fonts
    from adviser_app.none_guard import keep_none_alive
    from adviser_app.ui import collector, theme

    keep_none_alive()
    app = theme.application(sys.argv[:1])
    collector.install()
    load_fonts(app)
    import adviser_app

    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print(json.dumps({"tree": str(Path(adviser_app.__file__).parent.parent),
                      "load average": load, **one_run(app, args.book, args.steps)}),
          flush=True)


if __name__ == "__main__":
    main()
