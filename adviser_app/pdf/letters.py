"""Letter -> A4 PDF: vector text with embedded fonts, the service letterhead, page numbers, a
data-protection footer, a TRAINING watermark for fictional data, and document metadata."""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table
from reportlab.platypus.flowables import Flowable

from adviser_app.domain.letters import Letter
from adviser_app.pdf.styles import FONT, WATERMARK, decorate_page, styles, table_style

__all__ = ["WATERMARK", "Letterhead", "render"]


@dataclass(frozen=True)
class Letterhead:
    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    footer: str = ("This letter holds personal information. Please keep it safe and do not "
                   "share it without the family's agreement.")
    logo_png: bytes | None = None


def _p(text: str, style: str) -> Paragraph:
    """Every string is escaped: "Dear <parent>" must print as written, not vanish."""
    return Paragraph(escape(text).replace("\n", "<br/>"), styles()[style])


def _header(head: Letterhead) -> list[Flowable]:
    lines = [head.name] + [x for x in head.address.splitlines() if x.strip()]
    lines += [x for x in (head.phone, head.email) if x]
    text = _p("\n".join(lines), "letterhead")
    if head.logo_png:
        logo = Image(io.BytesIO(head.logo_png))
        ratio = logo.imageHeight / max(logo.imageWidth, 1)
        logo.drawWidth, logo.drawHeight = 30 * mm, 30 * mm * ratio
        table = Table([[logo, text]], colWidths=[40 * mm, None])
        table.setStyle(table_style(("VALIGN", (0, 0), (-1, -1), "TOP")))
        return [table, Spacer(1, 6 * mm)]
    return [text, Spacer(1, 6 * mm)]


def _table(rows: tuple[tuple[str, ...], ...]) -> Table:
    data = [[_p(cell, "cell") for cell in row] for row in rows]
    width = (A4[0] - 40 * mm) / max(len(rows[0]), 1)
    first = 52 * mm if len(rows[0]) > 2 else width
    widths = [first] + [(A4[0] - 40 * mm - first) / max(len(rows[0]) - 1, 1)] * (
        len(rows[0]) - 1)
    table = Table(data, colWidths=widths, repeatRows=0)
    table.setStyle(table_style(
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, HexColor("#c8ccd2")),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ))
    return table


def render(letter: Letter, head: Letterhead, *, training: bool = False,
           invariant: bool = False) -> bytes:
    """The letter as PDF bytes (invariant=True gives byte-identical output for tests)."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=18 * mm, bottomMargin=22 * mm, title=letter.title,
                            author=head.name, subject=f"{letter.title} ({letter.template})",
                            creator="Adviser Toolkit", lang="en-GB", invariant=invariant,
                            initialFontName=FONT)  # no unembedded standard font, even unused
    story: list[Flowable] = _header(head)
    story += [_p(line, "body") for line in ("\n".join(letter.recipient),) if line]
    if letter.date_line:
        story.append(_p(letter.date_line, "body"))
    story.append(_p(letter.title, "title"))
    for block in letter.blocks:
        if block.kind == "heading":
            story.append(_p(block.text, "heading"))
        elif block.kind == "bullet":
            story.append(Paragraph(escape(block.text), styles()["bullet"], bulletText="\u2022"))
        elif block.kind == "table" and block.rows:
            story += [_table(block.rows), Spacer(1, 3 * mm)]
        else:
            story.append(_p(block.text, "body"))
    if letter.signature:
        story += [Spacer(1, 4 * mm), _p("\n".join(letter.signature), "body")]

    def decorate(canvas: Canvas, document: SimpleDocTemplate) -> None:
        # Viewers show the letter's title, not the file name. (reportlab 5 cannot tag the
        # structure of a PDF: it writes no StructTreeRoot; a screen-reader user gets the same
        # letter as a Word file instead, pdf/letters_docx.py.)
        canvas.setViewerPreference("DisplayDocTitle", "true")
        decorate_page(canvas, document.page, head.footer[:160], margin_mm=20, bottom_mm=12,
                      training=training)

    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return out.getvalue()
