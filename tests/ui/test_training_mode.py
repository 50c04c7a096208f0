"""Training mode: scenarios with trainer notes, a movable "today" that every date follows,
reset, presenting, and never mixing with the real case book."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from adviser_app.domain.records import EntryDetails
from adviser_app.domain.vocab import EntryKind
from adviser_app.services import case_books, casework
from adviser_app.services.training import read_training_file, trainer_notes
from adviser_app.store.timeline import list_entries
from adviser_app.ui.main_window import MainWindow
from support import CHEAP, PASSPHRASE


def training_window(qtbot, data_dir, today) -> MainWindow:
    win = MainWindow(data_dir, actor="Trainer", today=lambda: today, kdf=CHEAP)
    qtbot.addWidget(win)
    win.show()
    assert win.book.open_training_case_book()
    return win


def overdue_count(win) -> int:
    win.workspace.show_deadlines()  # hidden, the view waits to be shown before reloading
    view = win.workspace.deadlines
    view.window_filter.setCurrentIndex(1)  # overdue only
    return view.model.rowCount()


def test_every_scenario_has_trainer_notes_and_loads(qtbot, data_dir, today):
    win = training_window(qtbot, data_dir, today)
    cases_with_notes = [k for f in read_training_file() for k in f["cases"]
                        if k.get("trainer_notes")]
    assert len(cases_with_notes) >= 12
    win.workspace.case_list.search.setText("martinez")
    win.workspace.open_case(win.workspace.case_list.model.summary(0).id)
    assert "Mediation ended in agreement" in win.workspace.notes_panel.text()
    assert trainer_notes(win.session.db, win.workspace.detail.case.id)
    win.book.close_case_book()


def test_moving_today_moves_every_deadline(qtbot, data_dir, today):
    win = training_window(qtbot, data_dir, today)
    bar = win.workspace.training_bar
    before = overdue_count(win)
    bar.buttons["month"].click()
    assert win.session.today() == date(2026, 12, 28)
    assert "Monday 28 December 2026" in bar.label.text()
    assert overdue_count(win) > before  # more is overdue a month later
    bar.buttons["real"].click()
    assert win.session.today() == today and overdue_count(win) == before
    bar.date_edit.setText("31/02/2027")
    bar.buttons["set"].click()
    assert "31 February 2027 doesn't exist" in bar.problem.text()
    bar.buttons["day"].click()  # Saturday 28 Nov 2026 + 1 working day = Monday 30 Nov
    assert win.session.today() == date(2026, 11, 30)
    win.book.close_case_book()


def test_reset_restores_the_scenarios(qtbot, data_dir, today):
    win = training_window(qtbot, data_dir, today)
    win.workspace.case_list.search.setText("okafor")
    case_id = win.workspace.case_list.model.summary(0).id
    casework.add_timeline_entry(win.session.db, case_id, EntryDetails(
        EntryKind.NOTE, today, "Trainee", "A practice note"), "Trainee")
    win.access.confirm = lambda title, message: True
    assert win.book.reset_training()
    win.workspace.case_list.search.setText("okafor")
    new_id = win.workspace.case_list.model.summary(0).id
    assert "A practice note" not in [e.details.body for e in
                                     list_entries(win.session.db, new_id)]
    win.book.close_case_book()


def test_presenting_makes_text_half_as_big_again_and_back(qtbot, data_dir, today):
    win = training_window(qtbot, data_dir, today)
    normal = QApplication.instance().font().pointSizeF()
    win.workspace.training_bar.presenting.setChecked(True)
    assert QApplication.instance().font().pointSizeF() >= normal * 1.5
    window_colour = QApplication.instance().palette().color(QPalette.ColorRole.Window).name()
    assert window_colour == "#ffffff"  # high contrast (the theme's presenting palette)
    win.workspace.training_bar.notes.setChecked(False)
    assert not win.workspace.notes_panel.isVisible()
    win.workspace.training_bar.presenting.setChecked(False)
    assert QApplication.instance().font().pointSizeF() == normal
    assert QApplication.instance().palette().color(QPalette.ColorRole.Window).name() == \
        "#efefef"
    win.book.close_case_book()


def test_training_and_real_case_books_never_mix(qtbot, data_dir, today):
    made = case_books.create_real(data_dir, PASSPHRASE, kdf=CHEAP)
    from adviser_app.store.db import close_case_book

    close_case_book(made.db)
    win = training_window(qtbot, data_dir, today)
    win.workspace.training_bar.buttons["month"].click()
    win.book.close_case_book()
    assert win.book.unlock(PASSPHRASE)
    assert not win.session.training and win.workspace.training_bar is None
    assert win.session.today() == today  # the real case book always uses the real date
    assert win.workspace.case_list.model.rowCount() == 0  # no fictional family came across
    assert not win.workspace.banner.isVisible()
    win.book.close_case_book()


def test_every_dialog_says_training_while_the_training_book_is_open(qtbot, data_dir, today):
    from adviser_app.ui.case_view.task_dialog import TaskDialog

    win = training_window(qtbot, data_dir, today)
    win.workspace.case_list.search.setText("okafor")
    dialog = TaskDialog(win.session, win.workspace.case_list.model.summary(0).id, parent=win)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle().startswith("TRAINING (fictional families)")
    dialog.close()
    win.book.close_case_book()
    assert not win.training_titles.active


def test_case_header_shows_sen_support_reviews_due(qtbot, data_dir, today):
    win = training_window(qtbot, data_dir, today)
    win.workspace.case_list.search.setText("bailey")
    win.workspace.open_case(win.workspace.case_list.model.summary(0).id)
    assert "SEN support review" in win.workspace.detail.header.due.text()
    win.book.close_case_book()
