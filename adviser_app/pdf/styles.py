"""Bundled DejaVu fonts (so Ł, Đ, ë, curly quotes and dashes all render) and paragraph styles."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import TableStyle

from adviser_app.paths import RESOURCES_DIR

FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"


@lru_cache(maxsize=1)
def register_fonts() -> None:
    folder = RESOURCES_DIR / "fonts"
    for name in (FONT, BOLD, ITALIC):
        pdfmetrics.registerFont(TTFont(name, str(folder / f"{name}.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC,
                                  boldItalic=BOLD)


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14.5, spaceAfter=7,
                          bulletFontName=FONT)
    return {
        "body": body,
        "heading": ParagraphStyle("heading", parent=body, fontName=BOLD, fontSize=12.5,
                                  leading=16, spaceBefore=8, spaceAfter=5,
                                  textColor=HexColor("#1f3a5f")),
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=15, leading=19,
                                spaceAfter=10, textColor=HexColor("#1f3a5f")),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=14, bulletIndent=3,
                                 spaceAfter=3),
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11,
                                textColor=HexColor("#444444")),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12, spaceAfter=0),
        "letterhead": ParagraphStyle("letterhead", parent=body, fontSize=9, leading=12,
                                     alignment=2, textColor=HexColor("#333333")),
    }


def table_style(*commands: Any) -> TableStyle:
    """A table's style, starting from our font. Every cell sets its font before it is drawn,
    even a cell holding a paragraph, and reportlab's default is Helvetica, which is never
    embedded: without this each table put an unembedded font into the PDF."""
    register_fonts()
    return TableStyle([("FONT", (0, 0), (-1, -1), FONT, 9.5), *commands])


def chart_drawing(width: float, height: float) -> Drawing:
    """A chart's canvas whose starting font is ours: reportlab's is Helvetica, named in the
    PDF (and not embedded) even when every label sets its own font."""
    register_fonts()
    return Drawing(width, height, initialFontName=FONT, initialFontSize=8)


WATERMARK = "TRAINING: fictional data"


def decorate_page(canvas: Canvas, page: int, footer: str, *, margin_mm: float,
                  bottom_mm: float, training: bool) -> None:
    """Every page of a letter or report: the footer, the page number and, for fictional
    data, the TRAINING watermark across the page."""
    canvas.saveState()
    canvas.setFont(FONT, 7.5)
    canvas.setFillColor(HexColor("#555555"))
    canvas.drawString(margin_mm * mm, bottom_mm * mm, footer)
    canvas.drawRightString(A4[0] - margin_mm * mm, bottom_mm * mm, f"Page {page}")
    if training:
        canvas.setFont(BOLD, 40)
        canvas.setFillColor(HexColor("#d9534f"), alpha=0.25)
        canvas.translate(A4[0] / 2, A4[1] / 2)
        canvas.rotate(45)
        canvas.drawCentredString(0, 0, WATERMARK)
    canvas.restoreState()
