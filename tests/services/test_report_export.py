"""The report out of the app: CSV, XLSX (read back with openpyxl) and PDF (parsed back with
pypdf) carry the figures only, never a name or a note, with small numbers hidden by default."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from adviser_app.domain.figures import Report
from adviser_app.domain.figures_facts import financial_year
from adviser_app.pdf.report import render_report
from adviser_app.services import reports
from adviser_app.store.db import Database
from report_book import build

NAMES = ("Aland", "Barton", "Carver", "Dunn", "Amy", "Ben", "Cat", "Dot", "Talked it through")


@pytest.fixture
def report(db: Database) -> Report:
    build(db)
    return reports.activity(db, financial_year(2025))


def test_xlsx_holds_the_figures_with_small_numbers_hidden(report: Report,
                                                          tmp_path: Path) -> None:
    path = tmp_path / "figures.xlsx"
    reports.export_xlsx(report, path)
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Activity report, 2025/26 (01/04/2025 to 31/03/2026)"
    assert any("fewer than 5" in str(r[0]) for r in rows[:4])
    header = next(r for r in rows if r[0] == "Section")
    assert list(header[:7]) == ["Section", "Figure", "Q1 2025/26", "Q2 2025/26",
                                "Q3 2025/26", "Q4 2025/26", "2025/26"]
    by_label = {(r[0], r[1]): r[2:7] for r in rows if r[0] and r[1]}
    assert by_label[("Contacts and cases", "Contacts")] == (
        "fewer than 5", 0, "fewer than 5", "fewer than 5", 6)
    assert by_label[("Time spent by level of support", "Level 2: advice")] == (
        "1:30", "0:00", "0:00", "0:30", "2:00")
    text = " ".join(str(c) for r in rows for c in r if c is not None)
    assert not any(name in text for name in NAMES)


def test_xlsx_without_hiding_shows_every_count(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "figures.xlsx"
    reports.export_xlsx(report, path, suppress=False)
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    by_label = {(r[0], r[1]): r[2:7] for r in rows if r[0] and r[1]}
    assert by_label[("Contacts and cases", "Contacts")] == (3, 0, 1, 2, 6)
    assert not any("fewer than 5" in str(c) for r in rows for c in r if c)


def test_csv_holds_the_same_table(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    reports.export_csv(report, path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    table = rows[rows.index(reports.table(report, suppress=True)[0]):]
    assert table == reports.table(report, suppress=True)
    assert ["Cases worked on by level of support", "Level 4: Tribunal and complex casework",
            "0", "0", "fewer than 5", "fewer than 5", "fewer than 5"] in table
    assert not any(name in ",".join(r) for r in rows for name in NAMES)


def test_pdf_reads_back_with_the_figures_and_no_names(report: Report) -> None:
    pdf = render_report(report, service="Example SENDIASS", invariant=True)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert reader.metadata.title == "Activity report 2025/26"
    assert "Cases worked on by level of support" in text
    assert "fewer than 5" in text
    assert "Level 2: advice" in text and "2:00" in text  # time is never hidden
    assert "TRAINING" not in text
    assert not any(name in text for name in NAMES)
    assert pdf == render_report(report, service="Example SENDIASS", invariant=True)


def test_training_report_is_watermarked(report: Report) -> None:
    pdf = render_report(replace(report, training=True), invariant=True)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "TRAINING: fictional data" in text
    assert "Training case book: fictional families" in text


def test_cells_hidden_to_protect_small_counts_are_listed_with_the_reason(
        report: Report, tmp_path: Path) -> None:
    path = tmp_path / "figures.xlsx"
    reports.export_xlsx(report, path)
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    reasons = [str(r[0]) for r in rows if str(r[0]).startswith("Hidden: ")]
    assert reasons and all("because" in line for line in reasons)
    # each listed cell says "hidden" in the table, under its section, figure and column
    columns = ["Q1 2025/26", "Q2 2025/26", "Q3 2025/26", "Q4 2025/26", "2025/26"]
    cells = sorted(f"Hidden: {r[0]}, {r[1]}, {columns[n]}: " for r in rows if r[0] and r[1]
                   for n, c in enumerate(r[2:7]) if c == "hidden")
    assert len(cells) == len(reasons)
    for line, cell in zip(sorted(reasons), cells, strict=True):
        assert line.startswith(cell), (line, cell)
    pdf = render_report(report, invariant=True)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Cells hidden to protect small counts" in text and "hidden as well" in text
