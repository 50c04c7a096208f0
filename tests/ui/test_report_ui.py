"""The activity report window and the forms that feed it, driven as a manager would: pick a
period, read the figures, open the cases behind one, export the PDF and the spreadsheet."""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pypdf import PdfReader

from adviser_app.domain.figures_facts import financial_year, last_quarter
from adviser_app.domain.vocab import ContactWay, EntryKind, EvaluationAnswer, SupportLevel
from adviser_app.services import case_progress
from adviser_app.store import case_progress as progress_store
from adviser_app.store import cases, families, timeline
from adviser_app.store.cases import CaseFilter, find_cases
from adviser_app.store.db import close_case_book
from adviser_app.ui.case_view.case_dialog import CaseDialog
from adviser_app.ui.case_view.close_case_dialog import CloseCaseDialog
from adviser_app.ui.case_view.entry_dialog import EntryDialog
from adviser_app.ui.jobs import QuietCollector
from adviser_app.ui.main_window import MainWindow
from adviser_app.ui.service.report_lists_dialog import ReportListsDialog
from adviser_app.ui.service.report_window import ReportWindow
from report_book import build
from support import CHEAP, PASSPHRASE, create_book

TODAY = date(2026, 5, 1)
YEAR = financial_year(2025)


@pytest.fixture
def known_window(qtbot, data_dir: Path) -> Iterator[tuple[MainWindow, dict[str, str]]]:
    db = create_book(data_dir)
    ids = build(db).ids
    close_case_book(db)
    win = MainWindow(data_dir, actor="Manager", today=lambda: TODAY, kdf=CHEAP)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.book.unlock(PASSPHRASE)
    yield win, ids
    win.book.close_case_book()


def made_report(qtbot, win: MainWindow, period=YEAR) -> ReportWindow:
    report = ReportWindow(win.session, win)
    qtbot.addWidget(report)
    report.show()
    assert report.period.select(period)
    report.make_button.click()
    qtbot.waitUntil(lambda: report.report is not None, timeout=10_000)
    return report


def click_save(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_the_year_is_the_default_and_last_quarter_is_offered(known_window, qtbot) -> None:
    win, _ = known_window
    report = ReportWindow(win.session, win)
    qtbot.addWidget(report)
    assert report.period.choice() == financial_year(2026)  # today is 1 May 2026
    assert report.period.select(last_quarter(TODAY))
    assert "Q4 2025/26" in report.period.currentText()


def test_figures_are_shown_and_the_cases_behind_one_listed(known_window, qtbot) -> None:
    win, ids = known_window
    report = made_report(qtbot, win)
    item = report.figure_item("level.4")
    assert [item.text(c) for c in range(6)] == ["Level 4: Tribunal and complex casework",
                                                "0", "0", "1", "1", "1"]  # not hidden inside
    report.select_figure("activity.worked")
    listed = [report.behind.item(n).text() for n in range(report.behind.count())]
    assert [line.split("  ")[1] for line in listed] == ["Aland", "Barton", "Carver", "Dunn"] \
        or sorted(line.split("  ")[1] for line in listed) == ["Aland", "Barton", "Carver",
                                                               "Dunn"]
    assert "4 cases behind this figure" in report.behind_label.text()
    report.select_figure("activity.new", 3)  # Q4
    assert report.behind.count() == 1 and "Aland" in report.behind.item(0).text()
    report.behind.setCurrentRow(0)
    report.open_button.click()
    assert report.open_case_id == ids["A"] and not report.isVisible()


def test_opening_a_case_from_the_report_shows_it(known_window, qtbot, monkeypatch) -> None:
    win, ids = known_window

    def pick(self) -> int:
        self.open_case_id = ids["C"]
        return 1

    monkeypatch.setattr(ReportWindow, "exec", pick)
    win.menus.report_action.trigger()
    assert win.workspace.detail.case.id == ids["C"]


def test_exports_hide_small_numbers_and_name_nobody(known_window, qtbot, tmp_path) -> None:
    win, _ = known_window
    report = made_report(qtbot, win)
    paths = {fmt: tmp_path / f"figures.{fmt}" for fmt in ("pdf", "xlsx", "csv")}
    report.export_path = lambda fmt: paths[fmt]
    for fmt in paths:
        assert report.export(fmt) == paths[fmt]
    rows = list(openpyxl.load_workbook(paths["xlsx"]).active.iter_rows(values_only=True))
    by_label = {(r[0], r[1]): r[2:7] for r in rows if r[0] and r[1]}
    # 1 to 4 in every column: "fewer than 5", or "hidden" where that would give it away
    assert set(by_label[("Contacts and cases", "Cases worked on")]) <= {"fewer than 5",
                                                                        "hidden"}
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(
        paths["pdf"].read_bytes())).pages)
    csv_text = paths["csv"].read_text(encoding="utf-8-sig")
    for name in ("Aland", "Barton", "Carver", "Dunn"):
        assert name not in text and name not in csv_text
    assert "fewer than 5" in text and "fewer than 5" in csv_text
    assert not list(tmp_path.glob("*.partial"))
    from adviser_app.services import preferences
    assert preferences.export_folder(win.session.db) == tmp_path  # offered first next time


def test_small_numbers_can_be_shown_on_purpose(known_window, qtbot, tmp_path) -> None:
    win, _ = known_window
    report = made_report(qtbot, win)
    report.suppress.setChecked(False)
    report.export_path = lambda fmt: tmp_path / f"all.{fmt}"
    report.export("xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "all.xlsx").active.iter_rows(
        values_only=True))
    assert ("Contacts and cases", "Contacts", 3, 0, 1, 2, 6) in [r[:7] for r in rows]
    assert "NOT hidden" in report.status.text()


def test_pdf_preview_is_made_on_a_worker(known_window, qtbot) -> None:
    win, _ = known_window
    report = made_report(qtbot, win)
    report.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: report.pdf_bytes is not None, timeout=10_000)
    assert report.preview.pdf_document.pageCount() >= 3
    assert "PDF preview" in report.status.text()


def test_other_dates_are_checked(known_window, qtbot) -> None:
    win, _ = known_window
    report = ReportWindow(win.session, win)
    qtbot.addWidget(report)
    report.show()
    report.period.select("other")
    assert report.date_from.isVisible()
    report.date_from.setText("31/03/2026")
    report.date_to.setText("30/03/2026")
    report.make_button.click()
    assert report.report is None and "can't end before it starts" in report.status.text()
    report.date_to.setText("01/04/2026")
    report.make_button.click()
    qtbot.waitUntil(lambda: report.report is not None, timeout=10_000)
    assert report.figure_item("activity.new").text(1) == "2"


def test_training_report_says_so(qtbot, data_dir) -> None:
    win = MainWindow(data_dir, actor="Trainer", today=lambda: date(2026, 11, 28), kdf=CHEAP)
    qtbot.addWidget(win)
    win.show()
    win.book.open_training_case_book()
    report = made_report(qtbot, win, financial_year(2026))
    assert report.report.training
    # the fictional families carry levels, time and contacts, so trainees see real figures
    assert report.report.figure("level.4").values[-1] >= 1
    assert report.report.figure("activity.contacts").values[-1] >= 5
    assert sum(report.report.figure("time.3").values) > 0
    assert "training case book" in report.windowTitle()
    report.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: report.pdf_bytes is not None, timeout=10_000)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(report.pdf_bytes)).pages)
    assert "TRAINING: fictional data" in text
    win.book.close_case_book()


# ----- the forms that feed the figures ---------------------------------------------------

def test_level_and_status_change_with_their_date(known_window, qtbot) -> None:
    win, ids = known_window
    db = win.session.db
    case = cases.get_case(db, ids["A"])
    dialog = CaseDialog(win.session, families.get_family(db, case.family_id), case, win)
    qtbot.addWidget(dialog)
    assert dialog.fields.level.choice() is SupportLevel.ADVICE
    dialog.fields.level.select(SupportLevel.CASEWORK)
    dialog.inactive.select(True)
    dialog.changed_on.setText("31/04/2026")
    click_save(dialog)
    assert "doesn't exist" in dialog.field_error("changed_on")
    assert progress_store.current_level(db, ids["A"]) is SupportLevel.ADVICE  # nothing saved
    dialog.changed_on.setText("20/04/2026")
    click_save(dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert progress_store.level_history(db, ids["A"]) == [
        (date(2026, 3, 31), SupportLevel.ADVICE), (date(2026, 4, 20), SupportLevel.CASEWORK)]
    assert cases.get_case(db, ids["A"]).inactive
    win.workspace.open_case(ids["A"])
    facts = win.workspace.detail.header.facts.text()
    assert "Inactive (waiting on the family)" in facts
    assert "Level 3: casework and individual support" in facts


def test_time_and_way_of_contact_on_an_entry(known_window, qtbot) -> None:
    win, ids = known_window
    dialog = EntryDialog(win.session, ids["A"], kind=EntryKind.PHONE_CALL, parent=win)
    qtbot.addWidget(dialog)
    assert dialog.contact.choice() is ContactWay.PHONE
    dialog.kind.select(EntryKind.MEETING)
    assert dialog.contact.choice() is ContactWay.MEETING  # follows the kind until picked
    dialog.contact.select(ContactWay.ONLINE)
    dialog.contact.activated.emit(dialog.contact.currentIndex())
    dialog.kind.select(EntryKind.HOME_VISIT)
    assert dialog.contact.choice() is ContactWay.ONLINE
    dialog.body.setPlainText("Video call about the draft plan.")
    dialog.minutes.setText("an hour")
    click_save(dialog)
    assert "whole number of minutes" in dialog.field_error("minutes")
    dialog.minutes.setText("50")
    click_save(dialog)
    saved = timeline.get_entry(win.session.db, dialog.saved_id).details
    assert (saved.minutes, saved.contact) == (50, ContactWay.ONLINE)
    # the case's timeline shows the way of contact and the time, in the list and the entry
    win.workspace.open_case(ids["A"])
    detail = win.workspace.detail
    model = detail.timeline_model
    row = next(r for r in range(model.rowCount()) if model.record(r).id == dialog.saved_id)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(
        model.columnCount())]
    contact = headers.index("Contact")
    assert model.index(row, contact).data() == "Online (video call), 50 min"
    detail.timeline_view.selectRow(row)
    assert "(Online (video call), 50 min)" in detail.entry_text.toPlainText().splitlines()[0]
    notes = [model.index(r, contact).data() for r in range(model.rowCount())
             if model.record(r).details.contact is None
             and model.record(r).details.minutes is None]
    assert all(text == "" for text in notes)  # a plain note says nothing of contact


def test_closing_records_the_outcome_and_answers(known_window, qtbot) -> None:
    win, ids = known_window
    db = win.session.db
    dialog = CloseCaseDialog(win.session, cases.get_case(db, ids["A"]), win)
    qtbot.addWidget(dialog)
    dialog.closed_on.setText("30/04/2026")
    dialog.outcome.select("Referred to another service")
    dialog.answers[0].select(EvaluationAnswer.YES)
    dialog.answers[2].select(EvaluationAnswer.NO)
    click_save(dialog)
    closed = cases.get_case(db, ids["A"])
    assert (closed.closed_on, closed.outcome) == (date(2026, 4, 30),
                                                  "Referred to another service")
    q = case_progress.questions(db)
    assert progress_store.evaluation_answers(db, ids["A"]) == [
        (q[0], EvaluationAnswer.YES), (q[1], EvaluationAnswer.NOT_ANSWERED),
        (q[2], EvaluationAnswer.NO)]


def test_the_service_edits_its_lists(known_window, qtbot) -> None:
    win, _ = known_window
    dialog = ReportListsDialog(win.session, win)
    qtbot.addWidget(dialog)
    dialog.questions.setPlainText("\n  \n")
    click_save(dialog)
    assert "at least one question" in dialog.field_error("questions")
    dialog.outcomes.setPlainText("Resolved\nresolved\nOther\n")
    dialog.questions.setPlainText("Were you listened to?")
    click_save(dialog)
    assert case_progress.outcomes(win.session.db) == ["Resolved", "Other"]
    assert case_progress.questions(win.session.db) == ["Were you listened to?"]
    assert find_cases(win.session.db, CaseFilter()).rows  # the case book is still there


def test_full_collections_skip_the_old_objects_only_while_the_report_is_made(
        known_window, qtbot) -> None:
    """The window's objects are frozen for the collector while the figures are made (so its
    full collections stay short), and unfrozen after, so nothing is kept for ever."""
    win, _ = known_window
    assert gc.get_freeze_count() == 0
    report = ReportWindow(win.session, win)
    qtbot.addWidget(report)
    report.show()
    report.period.select(YEAR)
    report.make_button.click()
    assert QuietCollector.holding() and gc.get_freeze_count() > 1000
    qtbot.waitUntil(lambda: report.report is not None, timeout=10_000)
    assert not QuietCollector.holding() and gc.get_freeze_count() == 0
    report.make_button.click()  # again, then closed mid-way
    assert QuietCollector.holding()
    report.reject()
    assert not QuietCollector.holding() and gc.get_freeze_count() == 0


def test_the_collector_hold_counts_and_releases_once(qtbot) -> None:
    first, second = QuietCollector(), QuietCollector()
    frozen = gc.get_freeze_count()
    first.release()
    first.release()  # a second release of the same hold changes nothing
    assert QuietCollector.holding() and gc.get_freeze_count() == frozen
    second.release()
    assert not QuietCollector.holding() and gc.get_freeze_count() == 0


def test_locking_closes_the_report_even_mid_way(known_window, qtbot) -> None:
    win, _ = known_window
    report = ReportWindow(win.session, win)
    qtbot.addWidget(report)
    report.show()
    report.period.select(YEAR)
    report.make_button.click()
    qtbot.waitUntil(lambda: not report.reader.reading, timeout=10_000)  # reading is done
    win.book.lock("Locked.")  # the figures may still be on the worker
    assert not report.isVisible()
    qtbot.wait(300)
    assert win.stack.currentWidget() is win.unlock_page
