"""The statutory clock in the app: events on a case, deadlines, explanations, the Deadlines
view across cases, the calculator and extra bank holidays, over a real encrypted case book."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from adviser_app.domain.statutory.events import DeadlineState, EventKind
from adviser_app.domain.statutory.ehc_plan_rules import TransferKind
from adviser_app.services import case_books, statutory
from adviser_app.store.db import close_case_book
from adviser_app.ui.deadlines.calculator_dialog import CalculatorDialog
from adviser_app.ui.case_view.event_dialog import EventDialog
from adviser_app.ui.case_view.explain_dialog import ExplainDialog
from adviser_app.ui.deadlines.holidays_dialog import HolidaysDialog
from adviser_app.ui.case_view.mark_dialog import MarkDialog
from support import open_book


def click_save(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def open_family(window, text: str):
    window.workspace.case_list.search.setText(text)
    window.workspace.open_case(window.workspace.case_list.model.summary(0).id)
    return window.workspace.detail


def test_recording_a_refusal_gives_the_appeal_deadline_with_its_reasons(window, qtbot,
                                                                       populated_dir):
    detail = open_family(window, "okafor")
    dialog = EventDialog(window.session, detail.case.id, detail.family,
                         set(detail.case.details.child_ids))
    qtbot.addWidget(dialog)
    dialog.kind.select(EventKind.ASSESSMENT_DECISION)
    assert dialog.outcome.isVisibleTo(dialog) and not dialog.action.isVisibleTo(dialog)
    dialog.event_date.setText("03/03/2025")
    click_save(dialog)
    assert "Choose what the local authority decided" in dialog.field_error("outcome")
    dialog.outcome.select("refuse")
    dialog.document.setText("LA letter dated 03/03/2025")
    click_save(dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    detail.show_case(detail.case.id)
    rows = {i.deadline.key: i for i in detail.statutory.deadlines_model.records()}
    assert rows["appeal"].deadline.due.isoformat() == "2025-05-06"
    assert "Tuesday 6 May 2025" in rows["appeal"].deadline.explanation
    # the header shows the overdue appeal deadline as a link that explains itself
    assert "06/05/2025" in detail.header.due.text() and "deadline:" in detail.header.due.text()
    explain = ExplainDialog(rows["appeal"].deadline)
    qtbot.addWidget(explain)
    assert "HESC Rules 2008 r.20" in explain.text.text()
    assert "bank holiday" in explain.text.text()
    window.book.close_case_book()
    db = open_book(case_books.real_place(populated_dir))
    assert [r.item.deadline.key for r in statutory.open_deadlines(db)] == [
        "contact_mediation_adviser", "appeal"]
    close_case_book(db)


def test_phase_transfer_form_shows_only_its_own_fields(window, qtbot):
    detail = open_family(window, "okafor")
    dialog = EventDialog(window.session, detail.case.id, detail.family,
                         set(detail.case.details.child_ids))
    qtbot.addWidget(dialog)
    dialog.kind.select(EventKind.PHASE_TRANSFER)
    assert dialog.transfer_year.isVisibleTo(dialog) and not dialog.move_date.isVisibleTo(dialog)
    dialog.transfer_kind.select(TransferKind.POST16_TO_POST16)
    assert dialog.move_date.isVisibleTo(dialog) and not dialog.transfer_year.isVisibleTo(dialog)
    dialog.transfer_kind.select(TransferKind.SCHOOL_PHASE)
    dialog.event_date.setText("28/11/2026")
    dialog.transfer_year.setText("2027")
    click_save(dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    detail.show_case(detail.case.id)
    (item,) = detail.statutory.deadlines_model.records()
    assert item.deadline.due.isoformat() == "2027-02-14"


def test_marking_a_deadline_met_takes_it_off_the_deadlines_view(window, qtbot):
    detail = open_family(window, "okafor")
    dialog = EventDialog(window.session, detail.case.id, detail.family,
                         set(detail.case.details.child_ids))
    qtbot.addWidget(dialog)
    dialog.kind.select(EventKind.ADVICE_REQUESTED)
    dialog.event_date.setText("02/11/2026")
    click_save(dialog)
    detail.show_case(detail.case.id)
    window.workspace.show_deadlines()
    view = window.workspace.deadlines
    view.window_filter.setCurrentIndex(3)  # all open deadlines
    assert [r.item.deadline.key for r in view.model.records()] == ["advice_due"]
    item = detail.statutory.deadlines_model.record(0)
    mark = MarkDialog(window.session, item)
    qtbot.addWidget(mark)
    mark.on.setText("01/12/2026")
    click_save(mark)
    assert "can't be in the future" in mark.field_error("on")
    mark.on.setText("20/11/2026")
    click_save(mark)
    assert mark.result() == mark.DialogCode.Accepted
    view.refresh()
    assert view.model.rowCount() == 0
    items = statutory.case_deadlines(window.session.db, detail.case.id)
    assert items[0].state is DeadlineState.MET


def test_deadlines_view_over_the_training_families(qtbot, data_dir, today):
    from adviser_app.ui.main_window import MainWindow

    win = MainWindow(data_dir, actor="Sam", today=lambda: today)
    qtbot.addWidget(win)
    win.show()
    win.book.open_training_case_book()
    win.menus.deadlines_action.trigger()
    view = win.workspace.deadlines
    assert win.workspace.views.currentWidget() is view
    labels = [(r.family_name, r.item.deadline.label) for r in view.model.records()]
    assert ("Hussain", "LA decides whether to assess") in labels  # overdue since 23/11/2026
    assert "overdue" in view.count.text()
    view.kind_filter.select("Annual review")
    assert {r.family_name for r in view.model.records()} == {"Shah"}
    view.kind_filter.setCurrentIndex(0)
    view.table.setFocus()
    view.table.selectRow(0)
    QTest.keyClick(view.table, Qt.Key.Key_Return)
    assert win.workspace.views.currentIndex() == 0
    assert win.workspace.detail.case is not None
    win.book.close_case_book()


def test_calculator_needs_no_case_and_explains(qtbot):
    from adviser_app.domain.statutory.working_days import ENGLAND

    calc = CalculatorDialog(ENGLAND)
    qtbot.addWidget(calc)
    calc.choose("appeal")
    calc.set_value("letter", "31/02/2025")
    calc.work_out.click()
    assert "31 February 2025 doesn't exist" in calc.error.text()
    calc.set_value("letter", "03/03/2025")
    calc.work_out.click()
    assert calc.error.text() == ""
    assert "Tuesday 6 May 2025" in calc.results.text()
    assert "reg 33" in calc.results.text()
    calc.choose("certificate")
    calc.set_value("date", "05/03/2025")
    calc.work_out.click()
    assert "Monday 10 March 2025" in calc.results.text()


def test_extra_bank_holiday_moves_working_day_deadlines(window, qtbot):
    dialog = HolidaysDialog(window.session)
    qtbot.addWidget(dialog)
    dialog.day.setText("06/05/2025")
    dialog.add()
    assert "name" in dialog.error.text().lower()
    dialog.name.setText("Proclaimed holiday")
    dialog.add()
    assert dialog.days.count() == 1 and "Tuesday 6 May 2025" in dialog.days.item(0).text()
    calendar = statutory.calendar_for(window.session.db)
    assert calendar.add_working_days(window.session.today().replace(2025, 5, 1), 3) \
        .isoformat() == "2025-05-08"  # Fri 2, (Mon 5 and Tue 6 holidays), Wed 7, Thu 8
    dialog.days.setCurrentRow(0)
    dialog.remove_selected()
    assert dialog.days.count() == 0
