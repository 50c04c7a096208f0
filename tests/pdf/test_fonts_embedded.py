"""Every font in every kind of PDF the app makes travels with the file: each letter template
(with and without a logo, on the training book with its watermark), the activity report and
the subject-access export, read back with pypdf. A font named but not embedded (reportlab's
Helvetica, say) shows differently, or not at all, on the reader's computer."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from adviser_app.domain.disclosure import Redaction
from adviser_app.domain.figures_facts import financial_year
from adviser_app.domain.letters import missing_fields
from adviser_app.pdf.report import render_report
from adviser_app.services import case_books, documents, reports
from adviser_app.services import subject_access as sar
from adviser_app.services.disclosure_export import export_everything
from adviser_app.store.cases import CaseFilter, find_cases
from adviser_app.store.db import Database, close_case_book
from planting import ACTOR, plant
from report_book import build

TODAY = date(2026, 11, 28)
HEAD = {"name": "Example SENDIASS", "address": "1 Example Street\nLeeds LS1 1AA",
        "phone": "0113 496 0000", "email": "help@example.org", "footer": "",
        "signature_name": "", "signature_role": "SEND adviser", "logo_hex": ""}


def _fonts(resources: DictionaryObject, seen: set[int]) -> Iterator[DictionaryObject]:
    """Every font a page's resources name, including those of forms drawn on it."""
    if id(resources) in seen:
        return
    seen.add(id(resources))
    fonts = resources.get("/Font")
    if fonts is not None:
        fonts = fonts.get_object()
        for name in fonts:
            yield fonts[name].get_object()
    objects = resources.get("/XObject")
    if objects is not None:
        objects = objects.get_object()
        for name in objects:
            form = objects[name].get_object()
            if form.get("/Subtype") == "/Form" and "/Resources" in form:
                yield from _fonts(form["/Resources"].get_object(), seen)


def unembedded_fonts(pdf: bytes) -> set[str]:
    """The base names of fonts the PDF uses without carrying their glyphs."""
    missing: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources")
        if resources is None:
            continue
        for font in _fonts(resources.get_object(), set()):
            if font.get("/Subtype") == "/Type3":
                continue  # drawn by the PDF's own glyph procedures
            described = font
            if font.get("/Subtype") == "/Type0":
                described = font["/DescendantFonts"][0].get_object()
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.add(str(font.get("/BaseFont")))
    return missing


def font_names(pdf: bytes) -> set[str]:
    return {str(f.get("/BaseFont")) for page in PdfReader(io.BytesIO(pdf)).pages
            for f in _fonts(page["/Resources"].get_object(), set())}


def test_the_check_itself_finds_an_unembedded_font() -> None:
    from reportlab.pdfgen.canvas import Canvas
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 72, "Helvetica, named but not carried")
    canvas.save()
    assert unembedded_fonts(out.getvalue()) == {"/Helvetica"}


def _logo() -> str:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (31, 58, 95)).save(out, format="PNG")
    return out.getvalue().hex()


@pytest.mark.parametrize("logo", [False, True], ids=["plain", "with a logo"])
def test_every_letter_template_embeds_every_font(data_dir: Path, logo: bool) -> None:
    db = case_books.rebuild_training(data_dir, TODAY)
    try:
        documents.save_letterhead(db, {**HEAD, "logo_hex": _logo() if logo else ""})
        cases = [c.id for c in find_cases(db, CaseFilter(state=None)).rows]
        made: dict[str, bytes] = {}
        for chosen in documents.templates():
            # A case with everything the letter needs, else the first case with the gaps
            # typed in (compose takes typed values for any field).
            ready = [c for c in cases if not documents.start(db, c, chosen.id, TODAY).missing]
            case_id = (ready or cases)[0]
            ctx = documents.context(db, case_id, TODAY)
            draft = documents.start(db, case_id, chosen.id, TODAY, ctx)
            typed = {field: "27/11/2026" for field in missing_fields(chosen.body, ctx.values)}
            to = draft.recipient or "SEN Team\nExample Council\nLS1 1AA"  # as typed
            letter = documents.compose(db, case_id, chosen.id, draft.wording, typed, to,
                                       TODAY, ctx)
            made[chosen.id] = documents.preview(db, letter)
        assert set(made) == {t.id for t in documents.templates()}, "not every template made"
        for template_id, pdf in made.items():
            assert any("DejaVuSans" in name for name in font_names(pdf)), template_id
            assert unembedded_fonts(pdf) == set(), template_id
    finally:
        close_case_book(db)


def test_the_activity_report_embeds_every_font(db: Database) -> None:
    build(db)
    report = reports.activity(db, financial_year(2025))
    for suppress in (True, False):
        pdf = render_report(report, suppress=suppress, service="Example SENDIASS")
        assert unembedded_fonts(pdf) == set()


def test_the_subject_access_export_embeds_every_font(db: Database, tmp_path: Path) -> None:
    documents.save_letterhead(db, HEAD)
    case_id = plant(db, "aa", closed_on=None)
    letter, wording = documents.standard_letter(db, case_id, "case_summary", TODAY)
    documents.produce(db, case_id, letter, wording, ACTOR, TODAY)
    family_id = next(db.query("SELECT family_id FROM case_file WHERE id = ?", [case_id]))[
        "family_id"]
    request_id = sar.record_request(db, family_id=family_id, requester="Qxaamum Qxaasur",
                                    about="Qxaakid Qxaasur", received_on=TODAY,
                                    identity_check="Seen at home", today=TODAY, actor=ACTOR)
    (tmp_path / "out").mkdir()
    result = export_everything(db, request_id, tmp_path / "out", Redaction(), TODAY, ACTOR)
    pdfs = sorted(result.folder.rglob("*.pdf"))
    assert len(pdfs) >= 2  # the disclosure itself and the letter sent
    for path in pdfs:
        assert unembedded_fonts(path.read_bytes()) == set(), path.name
