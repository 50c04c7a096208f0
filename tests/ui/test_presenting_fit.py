"""Issue 21: presenting mode (every text 150 %) fits a 1,366 x 768 laptop: the window's
minimum width, the trainer's date box and the case's button row are measured."""

from __future__ import annotations

from PySide6.QtCore import QRect

from adviser_app.ui.main_window import MainWindow
from support import CHEAP

LAPTOP_WIDTH, LAPTOP_HEIGHT = 1366, 768
TASKBAR = 40  # what a laptop's screen keeps for its own task bar


def training_window(qtbot, data_dir, today) -> MainWindow:
    win = MainWindow(data_dir, actor="Trainer", today=lambda: today, kdf=CHEAP)
    qtbot.addWidget(win)
    win.show()
    assert win.book.open_training_case_book()
    win.workspace.case_list.search.setText("martinez")
    win.workspace.open_case(win.workspace.case_list.model.summary(0).id)
    return win


def on_screen(widget, window) -> QRect:
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def test_presenting_fits_a_1366_by_768_laptop(qtbot, data_dir, today):
    win = training_window(qtbot, data_dir, today)
    bar = win.workspace.training_bar
    bar.presenting.setChecked(True)
    assert win.presenting
    needed = win.minimumSizeHint()
    assert needed.width() <= LAPTOP_WIDTH, needed
    assert needed.height() <= LAPTOP_HEIGHT - TASKBAR, needed
    win.showNormal()
    win.resize(LAPTOP_WIDTH, LAPTOP_HEIGHT - TASKBAR)
    qtbot.waitUntil(lambda: win.width() == LAPTOP_WIDTH)
    # the date box shows the whole date in the bigger text ("28/11/2026", not "8/11/2026")
    # (the text's width, plus the theme's padding 2 x 4 px, border 2 x 1 px and Qt's own
    # margin inside a line edit, 2 x 2 px)
    box = bar.date_edit
    assert box.width() >= box.fontMetrics().horizontalAdvance(box.text()) + 14
    # every button of the case's row is whole, inside the window, none over another
    detail = win.workspace.detail
    buttons = [detail.visit_button, detail.edit_case_button, detail.close_button,
               detail.new_case_button, detail.rename_button]
    window_rect = win.rect()
    places = [on_screen(b, win) for b in buttons]
    for button, place in zip(buttons, places, strict=True):
        assert button.isVisible() and window_rect.contains(place), button.text()
        assert button.width() >= button.sizeHint().width(), button.text()
    assert not any(a.intersects(b) for i, a in enumerate(places) for b in places[i + 1:])
    assert on_screen(detail.action_row, win).bottom() < on_screen(detail.tabs, win).top()
    bar.presenting.setChecked(False)
    win.book.close_case_book()


def test_the_case_buttons_stay_on_one_row_when_there_is_room(qtbot, data_dir, today):
    win = training_window(qtbot, data_dir, today)
    win.showNormal()
    win.resize(LAPTOP_WIDTH, LAPTOP_HEIGHT - TASKBAR)
    qtbot.waitUntil(lambda: win.width() == LAPTOP_WIDTH)
    detail = win.workspace.detail
    rows = {b.y() for b in (detail.visit_button, detail.edit_case_button, detail.close_button,
                            detail.new_case_button, detail.rename_button)}
    assert len(rows) == 1
    win.book.close_case_book()
