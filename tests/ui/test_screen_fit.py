"""Screens that fit a small laptop: the window opens within the screen, remembers its size
and dividers, and the lists get the room (issue 21)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from adviser_app.domain.statutory.urgency import Urgency
from adviser_app.ui.main_window import MainWindow
from support import CHEAP, PASSPHRASE
from tests.ui.opening import open_okafor


def test_the_window_opens_within_the_available_screen(window):
    room = QApplication.primaryScreen().availableGeometry()
    assert window.width() <= room.width() and window.height() <= room.height()
    assert room.contains(window.geometry())


def test_the_window_size_and_dividers_are_remembered(window, qtbot, populated_dir, today):
    window.showNormal()
    window.resize(max(1000, window.minimumSizeHint().width()), 740)
    size = (window.width(), window.height())
    assert size != (784, 760)  # not the size it opens at on this screen
    split = open_okafor(window).split
    header, rest = split.sizes()
    split.setSizes([header + 40, rest - 40])
    moved = split.sizes()
    assert moved[0] == header + 40
    split.splitterMoved.emit(moved[0], 1)  # as when the adviser drags the divider
    window.close()
    again = MainWindow(populated_dir, actor="Sam Patel", today=lambda: today, kdf=CHEAP)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    room = QApplication.primaryScreen().availableGeometry()
    assert again.height() == size[1]
    # a remembered width wider than this screen is fitted to it, as on opening
    assert again.width() == size[0] or again.width() <= room.width() < size[0]
    assert again.book.unlock(PASSPHRASE)
    assert open_okafor(again).split.sizes() == moved
    again.book.close_case_book()


def test_the_case_header_leaves_the_lists_most_of_the_height(window):
    window.showNormal()
    window.resize(780, 560)
    detail = open_okafor(window)
    header_height, rest = detail.split.sizes()
    assert header_height <= (header_height + rest) // 3 + 1
    assert detail.tabs.height() > header_height


def test_the_deadlines_when_column_shows_the_longest_label_whole(window):
    window.workspace.show_deadlines()
    view = window.workspace.deadlines
    table = view.table
    bigger = view.font()
    bigger.setPointSizeF(bigger.pointSizeF() * 1.5)  # as in presenting mode
    view.setFont(bigger)
    longest = max(table.fontMetrics().horizontalAdvance(u.label) for u in Urgency)
    assert table.columnWidth(1) > longest
