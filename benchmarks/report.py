"""A full financial year's activity report on a synthetic case book (see generate.py).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/report.py \
        [--families N] [--book DIR] [--runs N]

Measures, on a copy of the book opened in the real main window (after its background integrity
check has finished, so that does not share the two cores):

- the report window, as a manager uses it: from "Make the report" to the figures on screen,
  with a 10 ms timer on the GUI thread recording its longest block meanwhile (the case book is
  read in short steps on the GUI thread; the figures are worked out on a worker);
- the same work without a window, three times: reading the rows (`reports.gather`) and working
  out the figures (`reports.compute`), each the median of the three.

The year is the last whole financial year before the book's own "today" (generate.py makes
cases over the ten years before the day it ran).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import checkout  # noqa: E402,F401  (the app from this checkout)

from generate import default_dir  # noqa: E402
from scale import TickRecorder, copy_book, open_window, run_loop_until  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--families", type=int, default=20000)
    parser.add_argument("--book", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5, help="reports made in the window")
    args = parser.parse_args(argv)
    book = args.book or default_dir(args.families)

    from adviser_app.domain.figures_facts import financial_year, financial_year_of
    from adviser_app.services import reports
    from adviser_app.ui.service.report_window import ReportWindow

    copy = copy_book(book)
    try:
        window = open_window(copy)
        run_loop_until(lambda: not window.book.file_jobs.busy, 300)  # the background check
        db = window.session.db
        newest = db.conn.execute("SELECT max(opened_on) FROM case_file").fetchone()[0]
        year = financial_year(financial_year_of(date.fromisoformat(newest)).start.year - 1)
        families = db.conn.execute("SELECT count(*) FROM family").fetchone()[0]
        print(f"{families:,} families; the report for {year.title}")

        dialog = ReportWindow(window.session, window)
        dialog.show()
        dialog.period.select(year)
        took, blocks = [], []
        for run in range(args.runs):
            ticks = TickRecorder()
            ticks.start()
            run_loop_until(lambda: False, 0.2)
            started = time.perf_counter()
            dialog.make()
            run_loop_until(lambda: dialog.report is not None, 120)
            shown = time.perf_counter()
            run_loop_until(lambda: False, 0.2)
            ticks.stop()
            assert dialog.report is not None, dialog.status.text()
            worked = dialog.report.figure("activity.worked").values[-1]
            contacts = dialog.report.figure("activity.contacts").values[-1]
            took.append(1000 * (shown - started))
            blocks.append(1000 * ticks.longest_gap(started, shown))
            print(f"report window, run {run + 1}: {took[-1]:.0f} ms from Make the report to "
                  f"the figures shown; longest GUI block {blocks[-1]:.0f} ms "
                  f"({worked:,} cases worked on, {contacts:,} contacts; load average "
                  f"{os.getloadavg()[0]:.2f})")
        print(f"over {args.runs} runs: shown in {min(took):.0f}-{max(took):.0f} ms (median "
              f"{statistics.median(took):.0f}); longest GUI block {min(blocks):.0f}-"
              f"{max(blocks):.0f} ms (median {statistics.median(blocks):.0f})")
        dialog.reject()

        gathered, computed = [], []
        for _ in range(3):
            started = time.perf_counter()
            given = reports.gather(db, year)
            middle = time.perf_counter()
            reports.compute(given)
            gathered.append(middle - started)
            computed.append(time.perf_counter() - middle)
        print(f"without a window (median of 3): reading the rows "
              f"{1000 * statistics.median(gathered):.0f} ms, working out the figures "
              f"{1000 * statistics.median(computed):.0f} ms "
              f"({len(given.rows.cases):,} case rows, {len(given.rows.entries):,} contacts "
              "read)")
        window.book.close_case_book()
    finally:
        shutil.rmtree(copy, ignore_errors=True)


if __name__ == "__main__":
    main()
