"""Benchmark: 1,000 letters through Adviser Toolkit's PDF engine against a bare reportlab loop
writing the same text with the same font, measured in the same run; and one letter from
"compose" to preview bytes over a real encrypted case book.

    .venv/bin/python benchmarks/letters.py [N]
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate

from adviser_app.services import case_books, documents
from adviser_app.pdf.letters import Letterhead, render
from adviser_app.pdf.styles import styles
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
    started = time.perf_counter()
    for _ in range(n):
        render(letter, head)
    ours = time.perf_counter() - started
    body = styles()["body"]
    started = time.perf_counter()
    for _ in range(n):
        out = io.BytesIO()
        SimpleDocTemplate(out, pagesize=A4).build([Paragraph(t, body) for t in texts])
    bare = time.perf_counter() - started
    print(f"one letter, compose to preview bytes: {one * 1000:.0f} ms")
    print(f"{n} letters: Adviser Toolkit {ours:.2f} s ({ours / n * 1000:.1f} ms each), "
          f"bare reportlab {bare:.2f} s, ratio {ours / bare:.2f}x (goal 1.5x)")


if __name__ == "__main__":
    main()
