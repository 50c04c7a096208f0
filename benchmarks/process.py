"""Start and first unlock as a user gets them: whole processes through the real entry point.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/process.py start  --book DIR [--pairs 15]
    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/process.py unlock --book DIR [--runs 5]

Each run is a fresh ``python`` process. The clock starts in this (parent) process just before
the child is started, so interpreter start-up and every import, lazy or not, count where they
happen. The child runs ``adviser_app.app.main(["--data-dir", DIR])``, the entry point of
``python -m adviser_app``, with one addition made before it: ``QApplication.exec`` is wrapped
so that, once the event loop runs, a 1 ms timer watches the window (no app code is changed).

start: to the unlock screen exposed on the display, against a bare PySide6 window (a
QApplication and a 1280 x 800 QWidget, shown, through the same wrapped exec) in pairs that
alternate which runs first (app, bare, then bare, app, ...), so drift and other load fall on
both alike. Reports the median ratio of the pairs and its spread.

unlock: the app started as above; 3 s after the unlock screen shows (the adviser typing), the
passphrase is put in the box and Return pressed; timed to the case list filled and painted
(the first unlock, "before the background check", which starts then). Then the longest GUI
block while the background integrity check runs ("during the background check"), a lock and
a second unlock ("after it"), and the key derivation alone, three times, in the same process:
the unlock beyond the key derivation is the total less that median.

first: the first unlock alone (to the list painted, then the key derivation alone), without
waiting minutes for the background check; ``--tree DIR`` twice runs two checkouts of the app
(before and after a change) in turn, the order flipping every round, the load average beside
each run:

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/process.py first --book DIR --runs 6 \
        --tree /tmp/before --tree .
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import checkout  # noqa: E402,F401  (the app from this checkout)

from generate import PASSPHRASE, default_dir  # noqa: E402

HOOK = r'''
import json, os, sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

MODE, BOOK, PASSPHRASE = sys.argv[1], sys.argv[2], sys.argv[3]
marks = {}
_exec = QApplication.exec


def done():
    sys.stdout.write(json.dumps(marks) + "\n")
    sys.stdout.flush()
    os._exit(0)


def window():
    wanted = [w for w in QApplication.topLevelWidgets() if w.isVisible()
              and w.windowHandle() is not None and w.windowHandle().isExposed()]
    return wanted[0] if wanted else None


def watch(app):
    state = {"step": "start", "at": 0.0}
    timer = QTimer()
    timer.setInterval(1)

    def poll():
        w = window()
        now = time.time()
        if state["step"] == "start":
            if w is None:
                return
            app.processEvents()
            marks["shown"] = time.time()
            marks["cpu to shown"] = time.process_time()  # all threads: less hit by load
            if MODE not in ("unlock", "first"):
                done()
            state.update(step="typing", at=now)
        elif state["step"] == "typing" and now - state["at"] >= 3.0:
            from PySide6.QtCore import Qt
            from PySide6.QtTest import QTest
            box = w.unlock_page.passphrase
            box.setText(PASSPHRASE)
            marks["return pressed"] = time.time()
            QTest.keyClick(box, Qt.Key.Key_Return)   # unlocks in this call
            marks["unlock returned"] = time.time()
            state.update(step="painting")
        elif state["step"] == "painting":
            ws = on_screen(w)
            if ws is None or ws.case_list.model.rowCount() == 0:
                return
            app.processEvents()   # the list painted
            marks["painted"] = time.time()
            marks["rows"] = ws.case_list.model.rowCount()
            if MODE == "first":
                kdf_alone()
                done()
            state.update(step="checking", at=time.time(), last=time.time(), longest=0.0,
                         cpu=time.thread_time(), longest_cpu=0.0, longest_at=0.0)
        elif state["step"] == "checking":
            cpu = time.thread_time()
            if now - state["last"] > state["longest"]:
                state.update(longest=now - state["last"], longest_cpu=cpu - state["cpu"],
                             longest_at=now - state["at"])
            state.update(last=now, cpu=cpu)
            if not w.book.file_jobs.busy or now - state["at"] > 600:
                marks["check finished"] = now
                marks["longest GUI block during the check"] = state["longest"]
                # the GUI thread's own CPU in that block (little: it waited for the other
                # core or the GIL), and when it ended after the list was painted
                marks["its GUI CPU"] = state["longest_cpu"]
                marks["it ended after the paint"] = state["longest_at"]
                marks["check message"] = w.statusBar().currentMessage()
                w.book.lock()
                app.processEvents()
                box = w.unlock_page.passphrase
                box.setText(PASSPHRASE)
                marks["again: return pressed"] = time.time()
                QTest_click(box)
                state.update(step="again")
        elif state["step"] == "again":
            ws = on_screen(w)
            if ws is None or ws.case_list.model.rowCount() == 0:
                return
            app.processEvents()
            marks["again: painted"] = time.time()
            kdf_alone()
            done()

    timer.timeout.connect(poll)
    timer.start()
    return timer


def on_screen(_w):
    """The workspace once it is on screen (not window.workspace: asking for that would
    finish one still being made over the turns of the event loop at once), looked for in
    the main window's page stack (the window found first may be another)."""
    for top in QApplication.topLevelWidgets():
        stack = getattr(top, "stack", None)
        page = stack.currentWidget() if stack is not None else None
        if hasattr(page, "case_list"):
            return page
    return None


def kdf_alone():
    from adviser_app.services.places import real_place
    from adviser_app.store.keyfile import unlock_with_passphrase
    kdf = []
    for _ in range(3):
        started = time.perf_counter()
        unlock_with_passphrase(real_place(Path(BOOK)).key_path, PASSPHRASE)
        kdf.append(time.perf_counter() - started)
    marks["kdf alone"] = sorted(kdf)[1]


def QTest_click(box):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    QTest.keyClick(box, Qt.Key.Key_Return)


def exec_(*_args):
    app = QApplication.instance()
    keep = watch(app)  # noqa: F841 (the timer lives while the loop runs)
    return _exec()


QApplication.exec = exec_
if MODE == "bare":
    from PySide6.QtWidgets import QWidget
    app = QApplication(sys.argv[:1])
    w = QWidget(); w.resize(1280, 800); w.setWindowTitle("bare"); w.show()
    app.exec()
else:
    from adviser_app.app import main
    sys.argv = [sys.argv[0]]
    main(["--data-dir", BOOK])
'''


def spawn(mode: str, book: Path, timeout: float = 600,
          tree: Path | None = None) -> dict[str, Any]:
    """One child process; *tree*: run that checkout of the app (before/after comparisons)."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    # the child imports the app from *tree*, or from this checkout (never an installed copy)
    env["PYTHONPATH"] = str(tree if tree is not None else checkout.ROOT)
    started = time.time()
    proc = subprocess.Popen([sys.executable, "-c", HOOK, mode, str(book), PASSPHRASE],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            cwd=tree)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if not lines:
        raise SystemExit(f"{mode} run gave no figures:\n{err[-2000:]}")
    marks = json.loads(lines[-1])
    return {k: (v - started if isinstance(v, float) and v > 1e9 else v)
            for k, v in marks.items()}


def spread(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median": round(statistics.median(ordered), 3), "min": round(ordered[0], 3),
            "max": round(ordered[-1], 3)}


def bench_start(book: Path, pairs: int, trees: list[Path] | None = None) -> dict[str, Any]:
    """Each round: the bare window and the app (or each checkout in *trees*, before and
    after a change), the order flipping every round; each app's ratio to that round's bare
    window."""
    apps: list[Path | None] = list(trees) if trees else [None]
    spawn("bare", book)  # warm the OS file cache once for each
    for tree in apps:
        spawn("app", book, tree=tree)
    app: dict[str, list[float]] = {str(t): [] for t in apps}
    ratios: dict[str, list[float]] = {str(t): [] for t in apps}
    cpu: dict[str, list[float]] = {str(t): [] for t in apps}
    cpu_ratios: dict[str, list[float]] = {str(t): [] for t in apps}
    bare, bare_cpu = [], []
    for number in range(pairs):
        runs: list[Path | None | str] = ["bare", *apps]
        got = {str(run): spawn("bare", book) if run == "bare"
               else spawn("app", book, tree=run)  # type: ignore[arg-type]
               for run in (runs if number % 2 == 0 else runs[::-1])}
        bare.append(got["bare"]["shown"] * 1000)
        bare_cpu.append(got["bare"]["cpu to shown"] * 1000)
        for tree in apps:
            mine = got[str(tree)]
            app[str(tree)].append(mine["shown"] * 1000)
            ratios[str(tree)].append(mine["shown"] / got["bare"]["shown"])
            cpu[str(tree)].append(mine["cpu to shown"] * 1000)
            cpu_ratios[str(tree)].append(mine["cpu to shown"] / got["bare"]["cpu to shown"])
    out: dict[str, Any] = {"what": "start to the unlock screen exposed, whole process (ms)",
                           "pairs": pairs, "bare window": spread(bare),
                           "bare window, CPU time": spread(bare_cpu),
                           "load average": os.getloadavg()}
    for tree in apps:
        name = "" if tree is None else f" {tree}"
        out[f"app{name}"] = spread(app[str(tree)])
        out[f"ratio{name}"] = spread(ratios[str(tree)])
        out[f"app{name}, CPU time"] = spread(cpu[str(tree)])
        out[f"CPU time ratio{name}"] = spread(cpu_ratios[str(tree)])
    return out


def bench_unlock(book: Path, runs: int) -> dict[str, Any]:
    results = [spawn("unlock", book) for _ in range(runs)]
    ms = [{k: round(v * 1000, 1) if isinstance(v, float) else v for k, v in r.items()}
          for r in results]
    first = [r["painted"] - r["return pressed"] for r in ms]
    beyond = [r["painted"] - r["return pressed"] - r["kdf alone"] for r in ms]
    again = [r["again: painted"] - r["again: return pressed"] for r in ms]
    again_beyond = [a - r["kdf alone"] for a, r in zip(again, ms, strict=True)]
    return {"runs": runs,
            "first unlock, Return to the list painted (before the check)": spread(first),
            "key derivation alone": spread([r["kdf alone"] for r in ms]),
            "first unlock beyond the key derivation": spread(beyond),
            "longest GUI block during the background check": spread(
                [r["longest GUI block during the check"] for r in ms]),
            "the GUI thread's CPU in that block": spread([r["its GUI CPU"] for r in ms]),
            "background check, from Return": spread(
                [r["check finished"] - r["return pressed"] for r in ms]),
            "unlock again after a lock (after the check)": spread(again),
            "unlock again beyond the key derivation": spread(again_beyond),
            "check messages": sorted({r["check message"] for r in ms}),
            "load average": os.getloadavg(), "every run": ms}


def bench_first(book: Path, runs: int, trees: list[Path]) -> dict[str, Any]:
    """The first unlock only (no wait for the background check), each checkout in *trees* in
    turn, the order flipping every round, the load average noted beside every run."""
    rows: dict[str, list[dict[str, float]]] = {str(tree): [] for tree in trees}
    for number in range(runs):
        for tree in (trees if number % 2 == 0 else trees[::-1]):
            r = spawn("first", book, tree=tree)
            rows[str(tree)].append({
                "shown": round(r["shown"] * 1000), "first unlock": round(
                    (r["painted"] - r["return pressed"]) * 1000),
                "kdf alone": round(r["kdf alone"] * 1000),
                "beyond the kdf": round(
                    (r["painted"] - r["return pressed"] - r["kdf alone"]) * 1000),
                "load average": round(os.getloadavg()[0], 2)})
    return {tree: {"beyond the kdf (ms)": spread([r["beyond the kdf"] for r in got]),
                   "first unlock (ms)": spread([r["first unlock"] for r in got]),
                   "kdf alone (ms)": spread([r["kdf alone"] for r in got]),
                   "every run": got} for tree, got in rows.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("bench", choices=("start", "unlock", "first"))
    parser.add_argument("--book", type=Path, default=None)
    parser.add_argument("--families", type=int, default=20000)
    parser.add_argument("--pairs", type=int, default=15)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tree", type=Path, action="append", default=[],
                        help="first, start: a checkout of the app to run (two to compare)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    book = args.book or default_dir(args.families)
    if args.bench == "first":
        out = bench_first(book, args.runs, args.tree or [HERE.parent])
    elif args.bench == "start":
        out = bench_start(book, args.pairs, args.tree)
    else:
        out = bench_unlock(book, args.runs)
    text = json.dumps(out, indent=1)
    print(text if args.bench != "unlock" else json.dumps(
        {k: v for k, v in out.items() if k != "every run"}, indent=1))
    if args.json:
        args.json.write_text(text)


if __name__ == "__main__":
    main()
