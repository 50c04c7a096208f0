"""Search as you type, per typed string, against the raw FTS5 query for the same words.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/search.py --book DIR [--rounds 5]
                                                                    [--json FILE]

Opens a case book made by generate.py (production or cheap key derivation) without a window,
so no background integrity check runs: every figure is "after the check". For each kind of
query (one or two letters, a surname, a common word, a reference, a phone number, a word
nothing matches) every keystroke of a few typed strings is timed four ways in the same loop:

- app: what the case list does on a keystroke over open and closed cases:
  ``find_cases(CaseFilter(text=...), limit=MOST_SHOWN)`` then ``CaseTableModel.set_rows``;
- open: the same over open cases only (the case list's default filter);
- closed: the same over closed cases only (the case list's "Closed cases" filter);
- raw: ``SELECT rowid FROM case_search WHERE case_search MATCH ?`` with the app's own match
  expression for the same words, every row fetched.

The four alternate in each round, and the order flips every round (app, open, closed, raw,
then raw, closed, open, app), so drift and other load fall on all of them alike. Prints p50 /
p95 / max per kind and per filter, and the slowest typed strings; --json keeps every sample.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import checkout  # noqa: E402,F401  (the app from this checkout)

from generate import PASSPHRASE, default_dir  # noqa: E402
from scale import match_expression, ms, pct  # noqa: E402


def typing(text: str, shortest: int = 1) -> list[str]:
    return [text[:n] for n in range(shortest, len(text) + 1)]


def queries(db: Any) -> dict[str, list[str]]:
    """Typed strings by kind; the reference and phone number are taken from the book."""
    reference = db.conn.execute(
        "SELECT reference FROM case_file ORDER BY id LIMIT 1").fetchone()[0].lower()
    phone = db.conn.execute(
        "SELECT phone FROM person WHERE phone != '' ORDER BY id LIMIT 1").fetchone()[0]
    digits = "".join(ch for ch in phone if ch.isdigit())
    return {
        "one or two letters": ["o", "ok", "z", "zo", "l", "lu", "s", "sm", "m", "me"],
        "surname": typing("okafor", 3) + typing("wisniewska", 3) + typing("dordevic", 3),
        "common word": typing("school", 3) + typing("meeting", 3) + typing("senco", 3)
        + ["fieldgate p", "fieldgate primary"],
        "reference": typing(reference, 3),
        "phone number": typing(digits, 3),
        "nothing matches": ["qzx", "qzxv", "zzqy", "okafor qzx"],
    }


def open_book(book: Path) -> Any:
    from adviser_app.services import case_books

    return case_books.open_existing(case_books.real_place(book), PASSPHRASE)


def run(book: Path, rounds: int) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from adviser_app.domain.vocab import CaseState
    from adviser_app.store.cases import CaseFilter, find_cases
    from adviser_app.ui.case_view.case_list import MOST_SHOWN
    from adviser_app.ui.case_view.case_table import CaseTableModel

    _app = QApplication.instance() or QApplication(sys.argv[:1])
    db = open_book(book)
    model = CaseTableModel()
    by_kind = queries(db)

    def app(text: str, state: CaseState | None) -> tuple[float, int]:
        started = time.perf_counter()
        page = find_cases(db, CaseFilter(text=text, state=state), limit=MOST_SHOWN)
        model.set_rows(page.rows)
        return time.perf_counter() - started, page.total

    def raw(text: str) -> tuple[float, int]:
        expression = match_expression(text)
        started = time.perf_counter()
        found = db.conn.execute("SELECT rowid FROM case_search WHERE case_search MATCH ?",
                                [expression]).fetchall()
        return time.perf_counter() - started, len(found)

    steps = {"app": lambda t: app(t, None), "open": lambda t: app(t, CaseState.OPEN),
             "closed": lambda t: app(t, CaseState.CLOSED), "raw": raw}
    for texts in by_kind.values():  # warm the page cache once
        for text in texts:
            for step in steps.values():
                step(text)
    samples: dict[str, dict[str, list[float]]] = {
        kind: {name: [] for name in steps} for kind in by_kind}
    per_text: dict[str, dict[str, Any]] = {}
    for number in range(rounds):
        order = list(steps) if number % 2 == 0 else list(reversed(steps))
        for kind, texts in by_kind.items():
            for text in texts:
                row = per_text.setdefault(text, {"kind": kind, **{n: [] for n in steps}})
                for name in order:
                    seconds, count = steps[name](text)
                    samples[kind][name].append(seconds)
                    row[name].append(seconds)
                    row[f"{name} found"] = count
    db.close()
    out: dict[str, Any] = {"book": str(book), "rounds": rounds,
                           "load average at the end": os.getloadavg(), "kinds": {}}
    for kind, by_step in samples.items():
        out["kinds"][kind] = {name: {"p50": ms(pct(v, 50)), "p95": ms(pct(v, 95)),
                                     "max": ms(max(v))} for name, v in by_step.items()}
    for name in ("app", "open", "closed"):
        everything = [s for by_step in samples.values() for s in by_step[name]]
        out[f"all {name}"] = {"p50": ms(pct(everything, 50)), "p95": ms(pct(everything, 95)),
                              "max": ms(max(everything))}
    out["typed"] = {text: {"kind": r["kind"],
                           **{n: ms(statistics.median(r[n])) for n in steps},
                           **{k: v for k, v in r.items() if k.endswith("found")}}
                    for text, r in per_text.items()}
    return out


def print_result(out: dict[str, Any]) -> None:
    print(f"{out['book']}: {out['rounds']} rounds, after the check (none runs here); "
          f"load average {', '.join(f'{x:.1f}' for x in out['load average at the end'])}")
    names = ("app", "open", "closed", "raw")
    print(f"{'kind':<20}" + "".join(f"{n + ' p50/p95/max':>20}" for n in names) + "   ms")
    for kind, figures in out["kinds"].items():
        print(f"{kind:<20}" + "".join(
            "{p50:.1f}/{p95:.1f}/{max:.1f}".format(**figures[n]).rjust(20) for n in names))
    for name, cases in (("app", "open and closed"), ("open", "open cases"),
                        ("closed", "closed cases")):
        a = out[f"all {name}"]
        print(f"every keystroke, {cases}: p50 {a['p50']} ms, p95 {a['p95']} ms, "
              f"max {a['max']} ms")
    print("slowest typed strings (median ms: app / open / closed / raw; cases found; FTS "
          "rows):")
    slow = sorted(out["typed"].items(),
                  key=lambda kv: -max(kv[1]["app"], kv[1]["open"], kv[1]["closed"]))[:8]
    for text, r in slow:
        print(f"  {text!r:<22} {r['app']:>6} / {r['open']:>6} / {r['closed']:>6} / "
              f"{r['raw']:>6}   {r['app found']:>6} cases  {r['raw found']:>7} rows   "
              f"({r['kind']})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--book", type=Path, default=None,
                        help="data folder made by generate.py (default: 20,000 families)")
    parser.add_argument("--families", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    out = run(args.book or default_dir(args.families), args.rounds)
    print_result(out)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
