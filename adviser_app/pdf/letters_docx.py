"""Letter -> an accessible Word file (.docx), the same letter as the PDF: reportlab cannot
tag a PDF's structure, so a screen-reader user gets this instead. Real headings (the title is
Heading 1, so it can be moved through), real bulleted lists and tables, the title and the
language (en-GB) in the file's properties, alternative text on the logo, line breaks kept;
Word and LibreOffice can also make a tagged PDF from it."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from adviser_app.domain.letters import Letter
from adviser_app.pdf.letters import Letterhead
from adviser_app.pdf.styles import WATERMARK

LANGUAGE = "en-GB"
FONT = "Arial"  # a plain sans-serif every reader's machine has


def _lines(paragraph: Paragraph, text: str) -> Paragraph:
    """The text with its line breaks kept as breaks (not merged into one line)."""
    first, *rest = text.split("\n")
    run = paragraph.add_run(first)
    for line in rest:
        run.add_break()
        run.add_text(line)
    return paragraph


def _language_and_font(document: object) -> None:
    """British English for spelling and for a screen reader's voice, in every style."""
    styles = document.styles  # type: ignore[attr-defined]
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    defaults = styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    props = run_defaults.find(qn("w:rPr")) if run_defaults is not None else None
    if props is not None:
        lang = props.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            props.append(lang)
        lang.set(qn("w:val"), LANGUAGE)


def render_docx(letter: Letter, head: Letterhead, *, training: bool = False,
                made: datetime | None = None) -> bytes:
    document = Document()
    _language_and_font(document)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    properties = document.core_properties
    properties.title = letter.title
    properties.subject = f"{letter.title} ({letter.template})"
    properties.author = head.name
    properties.language = LANGUAGE
    properties.comments = "Made by Adviser Toolkit"
    properties.created = properties.modified = made or datetime.now(UTC)
    properties.last_modified_by = ""
    if training:
        warning = document.add_paragraph()
        warning.add_run(WATERMARK.upper()).bold = True
    if head.logo_png:
        document.add_picture(io.BytesIO(head.logo_png), width=Mm(30))
        picture = document.inline_shapes[-1]._inline  # noqa: SLF001 - python-docx has no API
        picture.docPr.set("descr", f"Logo of {head.name}")
    letterhead = [head.name] + [x for x in head.address.splitlines() if x.strip()]
    letterhead += [x for x in (head.phone, head.email) if x]
    top = _lines(document.add_paragraph(), "\n".join(letterhead))
    top.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if letter.recipient:
        _lines(document.add_paragraph(), "\n".join(letter.recipient))
    if letter.date_line:
        document.add_paragraph(letter.date_line)
    document.add_heading(letter.title, level=1)
    for block in letter.blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=2)
        elif block.kind == "bullet":
            _lines(document.add_paragraph(style="List Bullet"), block.text)
        elif block.kind == "table" and block.rows:
            table = document.add_table(rows=0, cols=len(block.rows[0]))
            table.style = "Table Grid"
            for row in block.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=False):
                    _lines(cell.paragraphs[0], text)
            document.add_paragraph()
        else:
            _lines(document.add_paragraph(), block.text)
    if letter.signature:
        _lines(document.add_paragraph(), "\n".join(letter.signature))
    footer = section.footer.paragraphs[0]
    footer.text = (f"{WATERMARK}. " if training else "") + head.footer
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
