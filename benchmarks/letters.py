"""Benchmark: 1,000 letters through Adviser Toolkit's PDF engine against a bare reportlab loop
doing the same work, measured in the same run; and one letter from "compose" to preview bytes
over a real encrypted case book.

    .venv/bin/python benchmarks/letters.py [N]

The bare loop writes the same words with the same two fonts (DejaVu Sans, headings and the
title in its bold), the same margins, and a footer and page number on every page, through
``SimpleDocTemplate`` alone (no letterhead layout, no table, no watermark code). The two run
in ten interleaved batches whose order alternates (ours, bare, then bare, ours, ...), so drift
and other load on the machine fall on both alike; the spread of the per-batch ratio is shown.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate

import checkout  # noqa: F401  (the app from this checkout)
from adviser_app.services import case_books, documents
from adviser_app.pdf.letters import Letterhead, render
from adviser_app.pdf.styles import FONT, styles
from adviser_app.store.cases import CaseFilter, find_cases
from adviser_app.store.db import close_case_book


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    today = date(2026, 11, 28)
    with tempfile.TemporaryDirectory() as folder:
        db = case_books.rebuild_training(Path(folder), today)
        documents.save_letterhead(db, {"name": "Example SENDIASS", "address": "1 Example St",
                                       "phone": "0113 496 0000", "email": "a@example.org",
                                       "footer": "", "signature_name": "",
                                       "signature_role": "", "logo_hex": ""})
        case_id = find_cases(db, CaseFilter(text="okafor")).rows[0].id
        started = time.perf_counter()
        draft = documents.start(db, case_id, "case_summary", today)
        letter = documents.compose(db, case_id, "case_summary", draft.wording, {},
                                   draft.recipient, today)
        documents.preview(db, letter)
        one = time.perf_counter() - started
        close_case_book(db)
    head = Letterhead("Example SENDIASS", "1 Example St", "0113 496 0000", "a@example.org")
    # The same words: letterhead, recipient, date, title, every block and table cell, signature.
    texts = [head.name, head.address, head.phone, head.email, *letter.recipient,
             letter.date_line, letter.title]
    for block in letter.blocks:
        texts += [block.text] if block.text else [cell for row in block.rows for cell in row]
    texts += list(letter.signature)
    body, bold = styles()["body"], styles()["heading"]
    headings = {letter.title} | {b.text for b in letter.blocks if b.kind == "heading"}

    def bare_letter() -> None:
        def page(canvas: Canvas, document: SimpleDocTemplate) -> None:
            canvas.saveState()
            canvas.setFont(FONT, 7.5)
            canvas.drawString(20 * mm, 12 * mm, head.footer[:160])
            canvas.drawRightString(A4[0] - 20 * mm, 12 * mm, f"Page {document.page}")
            canvas.restoreState()

        out = io.BytesIO()
        SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                          topMargin=18 * mm, bottomMargin=22 * mm, initialFontName=FONT).build(
            [Paragraph(escape(t), bold if t in headings else body) for t in texts],
            onFirstPage=page, onLaterPages=page)

    def ours_letter() -> None:
        render(letter, head)

    batches, size = 10, max(1, n // 10)
    spent = {"ours": 0.0, "bare": 0.0}
    ratios = []
    for number in range(batches):
        order = ("ours", "bare") if number % 2 == 0 else ("bare", "ours")
        batch = {}
        for name in order:
            work = ours_letter if name == "ours" else bare_letter
            started = time.perf_counter()
            for _ in range(size):
                work()
            batch[name] = time.perf_counter() - started
            spent[name] += batch[name]
        ratios.append(batch["ours"] / batch["bare"])
    total = batches * size
    ours, bare = spent["ours"], spent["bare"]
    print(f"one letter, compose to preview bytes: {one * 1000:.0f} ms")
    print(f"{total} letters: Adviser Toolkit {ours:.2f} s ({ours / total * 1000:.1f} ms each), "
          f"bare reportlab {bare:.2f} s ({bare / total * 1000:.1f} ms each), ratio "
          f"{ours / bare:.2f}x (goal 1.5x); per batch of {size}: {min(ratios):.2f}x to "
          f"{max(ratios):.2f}x, median {statistics.median(ratios):.2f}x; load average "
          f"{os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
