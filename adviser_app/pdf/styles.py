"""Bundled DejaVu fonts (so Ł, Đ, ë, curly quotes and dashes all render) and paragraph styles."""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

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
