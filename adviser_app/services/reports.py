"""The service's activity report: gathering the facts (on the thread that holds the case
book), working out the figures (pure, so it can run on a worker), the cases behind a figure,
and the figures as CSV or XLSX (figures only: never a name or a note)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from adviser_app.domain.figures import Report, activity_report
from adviser_app.domain.figures_suppression import SMALL_NUMBERS_NOTE, protect, shown_values
from adviser_app.domain.figures_facts import Period
from adviser_app.pdf.report import render_report
from adviser_app.services import case_progress
from adviser_app.store import audit, figures
from adviser_app.store.db import Database
from adviser_app.store.settings import is_training

TRAINING_NOTE = "TRAINING CASE BOOK: fictional families, not the service's figures."


@dataclass(frozen=True)
class ReportInput:
    """Everything the figures are worked out from, as plain values (safe on a worker)."""

    rows: figures.FactRows
    outcomes: tuple[str, ...]
    questions: tuple[str, ...]
    training: bool
    today: date | None = None
    """Figures are counted to this day (None: the whole period, as for a past year)."""


def gather_steps(db: Database, period: Period,
                 today: date | None = None) -> Iterator[int | ReportInput]:
    """Read the case book in short steps (run each on the thread that holds it): yields the
    rows read so far after each step, and last the ReportInput."""
    rows = figures.FactRows(period)
    yield from figures.read_steps(db, period, rows)
    yield ReportInput(rows, tuple(case_progress.outcomes(db)),
                      tuple(case_progress.questions(db)), is_training(db), today)


def gather(db: Database, period: Period, today: date | None = None) -> ReportInput:
    for step in gather_steps(db, period, today):
        if isinstance(step, ReportInput):
            return step
    raise AssertionError("gather_steps ends with the input")  # pragma: no cover


def compute(given: ReportInput, progress: Callable[[int], None] | None = None) -> Report:
    """The figures (pure work: any thread). On a worker, *progress* is also where it can
    let the GUI thread run: it is called every few hundred cases."""
    pause = (lambda: progress(0)) if progress is not None else None
    return activity_report(figures.assemble(given.rows, pause), given.rows.period,
                           outcomes=given.outcomes, questions=given.questions,
                           training=given.training, progress=progress, today=given.today)


def activity(db: Database, period: Period, today: date | None = None) -> Report:
    return compute(gather(db, period, today))


@dataclass(frozen=True)
class CaseBehind:
    id: str
    reference: str
    family_name: str
    state: str


def cases_behind(db: Database, case_ids: frozenset[str]) -> list[CaseBehind]:
    """The cases behind a figure, for the list inside the app (it names families: never
    exported)."""
    return [CaseBehind(*row) for row in figures.case_labels(db, sorted(case_ids))]


def table(report: Report, *, suppress: bool) -> list[list[str]]:
    """The report as rows of text: a heading row, then section, figure and one value per
    column. Figures only."""
    texts = shown_values(report, protect(report) if suppress else None)
    rows = [["Section", "Figure"] + [c.label for c in report.columns]]
    for section in report.sections:
        for fig in section.figures:
            rows.append([section.title, fig.label, *texts[fig.key]])
    return rows


def notes(report: Report, *, suppress: bool) -> list[str]:
    out = [f"Activity report, {report.period.title}"]
    if report.training:
        out.append(TRAINING_NOTE)
    if suppress:
        out.append(SMALL_NUMBERS_NOTE)
    out += [f"{s.title}: {s.note}" for s in report.sections if s.note]
    if suppress:
        out += [f"Hidden: {line}" for line in protect(report).explanations(report)]
    return out


def export_csv(report: Report, path: Path, *, suppress: bool = True) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f)
        for line in notes(report, suppress=suppress):
            writer.writerow([line])
        writer.writerow([])
        writer.writerows(table(report, suppress=suppress))


def export_xlsx(report: Report, path: Path, *, suppress: bool = True) -> None:
    import xlsxwriter  # only when exporting: it is not needed to start the app

    book = xlsxwriter.Workbook(str(path))
    try:
        bold = book.add_format({"bold": True})
        sheet = book.add_worksheet("Figures")
        sheet.set_column(0, 0, 38)
        sheet.set_column(1, 1, 50)
        sheet.set_column(2, 1 + len(report.columns), 14)
        row = 0
        for line in notes(report, suppress=suppress):
            sheet.write_string(row, 0, line, bold if row == 0 else None)
            row += 1
        row += 1
        for r, values in enumerate(table(report, suppress=suppress)):
            for c, value in enumerate(values):
                if c >= 2 and value.isdigit():
                    sheet.write_number(row, c, int(value))
                else:
                    sheet.write_string(row, c, value, bold if r == 0 else None)
            row += 1
    finally:
        book.close()


FORMATS = ("pdf", "xlsx", "csv")


def service_name(db: Database) -> str:
    from adviser_app.services.documents import letterhead

    return letterhead(db).get("name", "")


def pdf(report: Report, *, suppress: bool = True, service: str = "") -> bytes:
    """The report as PDF bytes (pure work: any thread)."""
    return render_report(report, suppress=suppress, service=service)


def save_export(db: Database, report: Report, path: Path, fmt: str, *, suppress: bool,
                actor: str, pdf_bytes: bytes | None = None) -> None:
    """Write the figures to *path* as PDF, XLSX or CSV (a whole file or none: written under
    a temporary name first), and note the export in the audit log."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt}")
    tmp = path.with_name(path.name + ".partial")
    try:
        if fmt == "pdf":
            tmp.write_bytes(pdf_bytes if pdf_bytes is not None else pdf(
                report, suppress=suppress, service=service_name(db)))
        elif fmt == "xlsx":
            export_xlsx(report, tmp, suppress=suppress)
        else:
            export_csv(report, tmp, suppress=suppress)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    with db.atomic():
        audit.record(db, actor, "exported", "report", report.period.label,
                     f"{fmt}{' (small numbers hidden)' if suppress else ''}")
