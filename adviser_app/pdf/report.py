"""The activity report as an A4 PDF: each section's table of figures and a bar chart drawn
with reportlab's own charts. Figures only: the report holds no names and no notes."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (CondPageBreak, Flowable, KeepTogether, Paragraph,
                                SimpleDocTemplate, Spacer, Table)

from adviser_app.domain.figures import SMALL, Report, Section
from adviser_app.domain.figures_suppression import (HIDDEN, SMALL_NUMBERS_NOTE, protect,
                                                   shown_values)
from adviser_app.pdf.styles import FONT, chart_drawing, decorate_page, styles, table_style

_WIDTH = A4[0] - 36 * mm
_BAR = HexColor("#2f6690")
_SMALL_BAR = HexColor("#b8c4d0")


def _p(text: str, style: str) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), styles()[style])


_Texts = dict[str, tuple[str, ...]]


_COLUMN = 22 * mm
_PADDING = 6  # reportlab's cell padding on each side
_CELL_SIZE = 9


def _fitting_size(text: str) -> float:
    """The font size at which *text* fits its figure column ("fewer than 5" is set a little
    smaller than the numbers rather than spilling into the next column)."""
    room = _COLUMN - 2 * _PADDING
    width = stringWidth(text, FONT, _CELL_SIZE)
    return _CELL_SIZE if width <= room else _CELL_SIZE * room / width


def _table(report: Report, section: Section, texts: _Texts) -> Table:
    head = [""] + [c.label for c in report.columns]
    rows: list[list[object]] = [[_p(h, "cell") for h in head]]
    smaller: list[tuple[object, ...]] = []
    for row, fig in enumerate(section.figures, start=1):
        rows.append([_p(fig.label, "cell"), *texts[fig.key]])
        for column, text in enumerate(texts[fig.key], start=1):
            size = _fitting_size(text)
            if size < _CELL_SIZE:
                smaller.append(("FONTSIZE", (column, row), (column, row), size))
    first = _WIDTH - _COLUMN * len(report.columns)
    table = Table(rows, colWidths=[first] + [_COLUMN] * len(report.columns), repeatRows=1)
    table.setStyle(table_style(
        ("FONT", (1, 1), (-1, -1), FONT, _CELL_SIZE), *smaller,
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, HexColor("#c8ccd2")),
        ("BACKGROUND", (0, 0), (-1, 0), HexColor("#e8eef4")),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ))
    return table


def _short(text: str, size: int = 42) -> str:
    return text if len(text) <= size else text[:size - 1] + "\u2026"


def _chart(report: Report, section: Section, texts: _Texts) -> Drawing | None:
    """A horizontal bar for each figure of the whole period (hours for time). A hidden
    count gets no bar of its own length: a pale hatched stub, then the words ("fewer than 5"
    or "hidden"), so it never looks like a zero."""
    figures = list(section.figures)
    if len(figures) < 2 or not any(f.values[-1] for f in figures):
        return None
    raw = [f.values[-1] for f in figures]
    words = [texts[f.key][-1] for f in figures]
    hidden = [w in (SMALL, HIDDEN) for w in words]
    data = [0 if h else (v / 60 if section.minutes else v)
            for v, h in zip(raw, hidden, strict=True)]
    if not any(data):
        return None  # every figure is 0 or hidden: a chart would show nothing
    bar_h = 11
    height = bar_h * len(figures) + 24
    drawing = chart_drawing(_WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = int(62 * mm), 14
    chart.width, chart.height = int(_WIDTH - 80 * mm), bar_h * len(figures)
    chart.data = [list(reversed(data))]
    chart.bars[0].fillColor = _BAR
    chart.bars.strokeColor = None
    chart.barSpacing = 1
    chart.categoryAxis.categoryNames = [_short(f.label) for f in reversed(figures)]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 6.5
    chart.barLabelFormat = "%.1f" if section.minutes else "%d"
    chart.barLabels.nudge = 8
    for i, h in enumerate(reversed(hidden)):
        if h:
            chart.barLabels[(0, i)].visible = False  # not a "0" over the words
    drawing.add(chart)
    for i, (h, w) in enumerate(zip(reversed(hidden), reversed(words), strict=True)):
        if h:
            _hidden_stub(drawing, chart.x, chart.y + bar_h * i + 1, bar_h - 2, w)
    unit = "hours" if section.minutes else "number"
    drawing.add(String(chart.x + chart.width, height - 8, f"{report.columns[-1].label} ({unit})",
                       fontName=FONT, fontSize=6.5, textAnchor="end"))
    return drawing


_STUB = 14


def _hidden_stub(drawing: Drawing, x: float, y: float, height: float, words: str) -> None:
    """A hidden count's mark: a short pale box hatched across, clear of the axis's 0, with
    the words after it."""
    _hatched(drawing, x + 1, y, _STUB, height)
    drawing.add(String(x + _STUB + 4, y + height / 2 - 2.3, words, fontName=FONT,
                       fontSize=6.5, fillColor=HexColor("#333333")))


def _hidden_column(drawing: Drawing, x: float, y: float, width: float, words: str) -> None:
    """A hidden count in the quarters' chart: a short hatched stub where its bar would
    stand, with the words above it, so that it never looks like a quarter with none."""
    _hatched(drawing, x, y + 1, width, _STUB_HIGH)
    drawing.add(String(x + width / 2, y + _STUB_HIGH + 3, words, fontName=FONT, fontSize=5.5,
                       textAnchor="middle", fillColor=HexColor("#333333")))


_STUB_HIGH = 8


def _hatched(drawing: Drawing, x: float, y: float, width: float, height: float) -> None:
    """A pale box hatched across: the mark of a count that is not shown."""
    box = Rect(x, y, width, height)
    box.fillColor, box.strokeColor, box.strokeWidth = _SMALL_BAR, _BAR, 0.4
    drawing.add(box)
    for step in range(-int(height), int(width), 4):  # lines at 45 degrees, clipped to the box
        left, right = max(step, 0), min(step + height, width)
        if right > left:
            drawing.add(Line(x + left, y + left - step, x + right, y + right - step,
                             strokeColor=_BAR, strokeWidth=0.4))


def _quarters_chart(report: Report, texts: _Texts) -> Drawing | None:
    """New cases and contacts in each quarter, side by side."""
    if len(report.columns) < 2:
        return None
    wanted = [report.figure("activity.new"), report.figure("activity.contacts")]
    data = [[0 if texts[f.key][c] in (SMALL, HIDDEN) else v
             for c, v in enumerate(f.values[:-1])] for f in wanted]
    if not any(v for row in data for v in row):
        return None
    drawing = chart_drawing(_WIDTH, 120)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = int(14 * mm), 22, int(_WIDTH - 50 * mm), 86
    chart.data = data
    chart.bars[0].fillColor = _SMALL_BAR
    chart.bars[1].fillColor = _BAR
    chart.bars.strokeColor = None
    chart.categoryAxis.categoryNames = [c.label for c in report.columns[:-1]]
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = FONT
        axis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    drawing.add(chart.draw())  # type: ignore[no-untyped-call]  # now: the bars' places known
    # reportlab keeps where each bar went (x, y, width, height), per figure and quarter
    places: list[list[tuple[float, float, float, float]]] = chart._barPositions  # type: ignore[attr-defined]
    for row, fig in enumerate(wanted):
        for column, words in enumerate(texts[fig.key][:-1]):
            if words in (SMALL, HIDDEN):
                x, y, width, _ = places[row][column]
                _hidden_column(drawing, x, y, width, words)
    for n, (fig, colour) in enumerate(zip(wanted, (_SMALL_BAR, _BAR), strict=True)):
        y = 100 - 12 * n
        drawing.add(String(_WIDTH - 32 * mm, y, "\u25a0", fontName=FONT, fontSize=9,
                           fillColor=colour))
        drawing.add(String(_WIDTH - 28 * mm, y, fig.label, fontName=FONT, fontSize=8))
    return drawing


def render_report(report: Report, *, suppress: bool = True, service: str = "",
                  invariant: bool = False) -> bytes:
    """The report as PDF bytes (invariant=True gives byte-identical output for tests)."""
    out = io.BytesIO()
    title = f"Activity report {report.period.label}"
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=16 * mm, bottomMargin=20 * mm, title=title,
                            author=service or "Adviser Toolkit", creator="Adviser Toolkit",
                            lang="en-GB", invariant=invariant, initialFontName=FONT)
    story: list[Flowable] = []
    if service:
        story.append(_p(service, "small"))
    story += [_p(title, "title"), _p(report.period.title, "body")]
    if counted := report.how_much_counted(in_a_file=True):
        story.append(_p(counted, "body"))
    if report.training:
        story.append(_p("Training case book: fictional families, not the service's figures.",
                        "heading"))
    if suppress:
        story.append(_p(SMALL_NUMBERS_NOTE, "small"))
    protection = protect(report) if suppress else None
    texts = shown_values(report, protection)
    chart = _quarters_chart(report, texts)
    if chart is not None:
        story += [_p("New cases and contacts by quarter", "heading"), chart]
    for section in report.sections:
        if not section.figures:
            continue
        block: list[Flowable] = [_p(section.title, "heading")]
        if section.note:
            block.append(_p(section.note, "small"))
        block += [_table(report, section, texts), Spacer(1, 2 * mm)]
        drawing = _chart(report, section, texts)
        story.append(CondPageBreak(40 * mm))
        story.append(KeepTogether(block) if len(section.figures) < 12 else block[0])
        if len(section.figures) >= 12:
            story += block[1:]
        if drawing is not None:
            story += [drawing, Spacer(1, 3 * mm)]
    if protection is not None and protection.also_hidden:
        story.append(_p("Cells hidden to protect small counts", "heading"))
        story += [_p(line, "small") for line in protection.explanations(report)]

    def decorate(canvas: Canvas, document: SimpleDocTemplate) -> None:
        decorate_page(canvas, document.page, f"{title}: figures only, no names",
                      margin_mm=18, bottom_mm=11, training=report.training)

    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return out.getvalue()
