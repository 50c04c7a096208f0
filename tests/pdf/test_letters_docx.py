"""The accessible Word copy of a letter (issue 21: reportlab cannot tag a PDF's structure),
parsed back with python-docx: the same words as the PDF, in real headings, lists and tables,
with the title and language set, line breaks kept, alternative text on the logo."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from docx import Document
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage

from adviser_app.domain.letters import Block, Letter
from adviser_app.pdf.letters import Letterhead
from adviser_app.pdf.letters_docx import render_docx
from adviser_app.pdf.styles import WATERMARK

HEAD = Letterhead(name="Example SENDIASS", address="1 Example Street\nLeeds LS1 1AA",
                  phone="0113 496 0000", email="help@example.org")
LETTER = Letter(template="case_summary v2", title="Your case summary", blocks=(
    Block("paragraph", "Dear <parent> & Zoë O\u2019Brien,\nthis is a second line."),
    Block("heading", "The next dates"),
    Block("bullet", "Tobi Okafor, 9 years old"),
    Block("table", rows=(("Monday 10 March 2025", "Certificate due", "reg 34(1)"),
                         ("Friday 4 April 2025", "Appeal deadline", "reg 33"))),
), date_line="Tuesday 6 May 2025", recipient=("Łucja Wiśniewska", "14 Kestrel Rise", "LS27 8QX"),
    signature=("Đorđe Petrović", "SEND adviser"))


def read(data: bytes):  # type: ignore[no-untyped-def]
    return Document(io.BytesIO(data))


def test_the_structure_a_screen_reader_moves_through() -> None:
    doc = read(render_docx(LETTER, HEAD))
    styled = [(p.style.name, p.text) for p in doc.paragraphs if p.text]
    assert ("Heading 1", "Your case summary") in styled
    assert ("Heading 2", "The next dates") in styled
    assert ("List Bullet", "Tobi Okafor, 9 years old") in styled
    headings = [text for style, text in styled if style.startswith("Heading")]
    assert headings == ["Your case summary", "The next dates"]  # in reading order
    table = doc.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Monday 10 March 2025", "Certificate due", "reg 34(1)"],
        ["Friday 4 April 2025", "Appeal deadline", "reg 33"]]


def test_title_language_and_line_breaks_are_kept() -> None:
    data = render_docx(LETTER, HEAD, made=datetime(2025, 5, 6, tzinfo=UTC))
    doc = read(data)
    assert doc.core_properties.title == "Your case summary"
    assert doc.core_properties.language == "en-GB"
    assert doc.core_properties.created == datetime(2025, 5, 6, tzinfo=UTC)  # not 2013
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert 'w:lang w:val="en-GB"' in styles
    texts = [p.text for p in doc.paragraphs]
    assert "Dear <parent> & Zoë O\u2019Brien,\nthis is a second line." in texts
    assert "Łucja Wiśniewska\n14 Kestrel Rise\nLS27 8QX" in texts
    assert "Đorđe Petrović\nSEND adviser" in texts
    assert "Example SENDIASS\n1 Example Street\nLeeds LS1 1AA\n0113 496 0000\n" \
           "help@example.org" in texts
    assert doc.sections[0].footer.paragraphs[0].text == HEAD.footer
    assert round(doc.sections[0].page_width.mm) == 210  # A4


def test_training_copies_say_so_and_the_logo_has_alternative_text() -> None:
    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("#1f5fa8"))
    raw = QByteArray()
    buffer = QBuffer(raw)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    head = Letterhead(name="Example SENDIASS", logo_png=bytes(raw.data()))
    data = render_docx(LETTER, head, training=True)
    doc = read(data)
    assert doc.paragraphs[0].text == WATERMARK.upper()
    assert doc.sections[0].footer.paragraphs[0].text.startswith(WATERMARK)
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert 'descr="Logo of Example SENDIASS"' in body
