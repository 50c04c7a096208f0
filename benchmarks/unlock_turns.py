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
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import PASSPHRASE  # noqa: E402


def one_run(app: Any, book: Path) -> dict[str, Any]:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest

    from adviser_app.ui.main_window import MainWindow

    def spin(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.002)

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
        shown = window.workspace
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
    return {"painted (ms after Return)": round((painted or 0) * 1000),
            "check ended (s)": round(checked, 1),
            "longest gaps (wall ms, CPU ms, ended ms after Return)": [
                (round(g * 1000), round(c * 1000), round((at - pressed) * 1000))
                for g, c, at in top],
            "longest CPU in one gap (ms)": round(max(c for _, c, _ in gaps) * 1000)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path, required=True)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    import adviser_app

    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print(json.dumps({"tree": str(Path(adviser_app.__file__).parent.parent),
                      "load average": load, **one_run(app, args.book)}), flush=True)


if __name__ == "__main__":
    main()
