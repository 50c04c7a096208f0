"""Rendering letters: parsed back with pypdf for text, A4 size, embedded fonts, metadata and
the training watermark; awkward names render; user text is never read as markup."""

from __future__ import annotations

import io

from pypdf import PdfReader

from adviser_app.domain.letters import Block, Letter
from adviser_app.pdf.letters import WATERMARK, Letterhead, render

HEAD = Letterhead(name="Example SENDIASS", address="1 Example Street\nLeeds LS1 1AA",
                  phone="0113 496 0000", email="help@example.org")


def letter(*blocks: Block) -> Letter:
    return Letter(template="case_summary v1", title="Your case summary", blocks=blocks,
                  date_line="Tuesday 6 May 2025", recipient=("Łucja Wiśniewska", "Leeds"),
                  signature=("Đorđe Petrović", "SEND adviser"))


def text_of(pdf: bytes) -> str:
    """The text with line breaks folded, as a reader would read it."""
    return " ".join(" ".join(page.extract_text() for page in
                             PdfReader(io.BytesIO(pdf)).pages).split())


def test_names_dates_and_markup_characters_come_out_as_written() -> None:
    pdf = render(letter(Block("paragraph", "Dear <parent> & Zoë O\u2019Brien \u2014 hello"),
                        Block("bullet", "Next: Tuesday 6 May 2025"),
                        Block("table", rows=(("Monday 10 March 2025", "Certificate due",
                                              "reg 34(1)"),))), HEAD)
    text = text_of(pdf)
    for expected in ("Łucja Wiśniewska", "Đorđe Petrović", "Dear <parent> & Zoë O\u2019Brien",
                     "\u2014", "Tuesday 6 May 2025", "Certificate due", "Example SENDIASS",
                     "Page 1"):
        assert expected in text, expected


def test_a4_pages_embedded_fonts_and_metadata() -> None:
    reader = PdfReader(io.BytesIO(render(letter(Block("paragraph", "x")), HEAD)))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    fonts = page["/Resources"]["/Font"]
    names = {str(fonts[f].get_object()["/BaseFont"]) for f in fonts}
    assert any("DejaVuSans" in n for n in names)
    for ref in fonts:
        descriptor = fonts[ref].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor  # the glyphs travel with the file
    meta = reader.metadata
    assert meta.title == "Your case summary" and meta.author == "Example SENDIASS"
    assert "en-GB" in str(reader.trailer["/Root"].get("/Lang", ""))


def test_training_watermark_only_in_training() -> None:
    assert WATERMARK not in text_of(render(letter(Block("paragraph", "x")), HEAD))
    assert WATERMARK in text_of(render(letter(Block("paragraph", "x")), HEAD, training=True))


def test_long_letters_run_onto_more_pages_with_numbers() -> None:
    pdf = render(letter(*[Block("paragraph", "A long paragraph of plain words. " * 20)
                          for _ in range(12)]), HEAD)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    assert "Page 2" in reader.pages[1].extract_text()


def test_same_letter_renders_byte_identical_when_invariant() -> None:
    one = render(letter(Block("paragraph", "x")), HEAD, invariant=True)
    assert one == render(letter(Block("paragraph", "x")), HEAD, invariant=True)


def test_viewers_show_the_title_and_single_line_breaks_are_kept() -> None:
    """Issue 21: viewers showed the file name; a note's single line breaks were merged."""
    from adviser_app.domain.letters import to_blocks

    reader = PdfReader(io.BytesIO(render(letter(Block("paragraph", "x")), HEAD)))
    prefs = reader.trailer["/Root"]["/ViewerPreferences"].get_object()
    assert bool(prefs["/DisplayDocTitle"]) is True
    blocks = to_blocks("Dear Grace,\nThank you for your call.\n\nMum says:\nTobi sleeps badly."
                       "\nHe is tired at school.", {})
    assert [b.text for b in blocks] == ["Dear Grace,\nThank you for your call.",
                                        "Mum says:\nTobi sleeps badly.\nHe is tired at school."]
    pdf = render(letter(*blocks), HEAD)
    lines = [line.strip() for line in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
             .splitlines()]
    assert "Dear Grace," in lines and "Tobi sleeps badly." in lines
