"""The activity report PDF read back with where each piece of text sits: "fewer than 5" fits
its column in the tables, and in the bar charts (the quarters' too) a hidden count is a
hatched stub with its words clear of the axis, never a "0" written over them."""

from __future__ import annotations

import io
from dataclasses import replace

from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from adviser_app.domain.figures import SMALL
from adviser_app.domain.figures_facts import financial_year
from adviser_app.domain.figures_suppression import HIDDEN, protect, shown_values
from adviser_app.pdf.report import render_report
from adviser_app.pdf.styles import FONT
from adviser_app.services import reports
from adviser_app.store.db import Database
from report_book import build


def _runs(pdf: bytes) -> list[tuple[str, float, float, float]]:
    """Every piece of text on the first page: (text, left x, right x, baseline y)."""
    found: list[tuple[str, float, float, float]] = []

    def visit(text, cm, tm, _font, size):  # type: ignore[no-untyped-def]
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = (tm[0] * cm[0]) or 1
        found.append((text.strip(), x, x + stringWidth(text.strip(), FONT, size * scale), y))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def test_small_counts_fit_their_columns_and_charts_keep_words_clear(db: Database) -> None:
    build(db)
    runs = _runs(render_report(reports.activity(db, financial_year(2025))))
    small = [r for r in runs if r[0] == "fewer than 5"]
    assert small
    for text, left, right, y in runs:
        for other in runs:
            if other[0] is text or abs(other[3] - y) > 2 or other[1] <= left:
                continue
            # the next piece of text on the same line starts after this one ends
            assert right <= other[1] + 0.5, (text, other[0])
    words = [r for r in runs if r[0] in ("fewer than 5", "hidden")]
    zeros = [r for r in runs if r[0] == "0"]
    for _, left, right, y in words:
        assert not any(abs(z[3] - y) < 3 and z[1] < right and z[2] > left - 10 for z in zeros)


def test_hidden_quarters_are_marked_in_the_quarters_chart(db: Database) -> None:
    build(db)
    report = reports.activity(db, financial_year(2025))
    wanted = {"activity.new": (12, 3, 9, 15, 39), "activity.contacts": (20, 30, 2, 25, 77)}
    report = replace(report, sections=tuple(
        replace(s, figures=tuple(replace(f, values=wanted[f.key]) if f.key in wanted else f
                                 for f in s.figures)) for s in report.sections))
    runs = _runs(render_report(report))
    heading = next(y for text, _, _, y in runs if text == "New cases and contacts by quarter")
    table_top = next(y for text, _, _, y in runs if text == "Contacts and cases")
    in_chart = [(text, y) for text, _, _, y in runs
                if table_top < y < heading and text in ("fewer than 5", "hidden")]
    # Q2's 3 new cases and Q3's 2 contacts are small, and more cells are hidden to protect
    # them: every hidden quarter is marked with its words, where before it had no bar at all
    texts = shown_values(report, protect(report))
    hidden = [words for key in wanted for words in texts[key][:-1] if words in (SMALL, HIDDEN)]
    assert "fewer than 5" in hidden and len(hidden) < 8
    assert sorted(text for text, _ in in_chart) == sorted(hidden)
