"""Issue 21: a tab bar reached with the keyboard shows a focus ring (3 px in the focus colour,
3:1 against the window) round its current tab, in both tab bars and in presenting mode; the
ring moves with the arrow keys and goes when the focus leaves."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from adviser_app.ui import theme


def ring_pixels(bar, colour: str) -> tuple[int, int]:
    """Pixels in the focus colour along the middle row and the middle column of the current
    tab: a ring crosses each twice, 3 px wide (less where it meets the tab's own edge)."""
    image = bar.grab().toImage()
    rect = bar.tabRect(bar.currentIndex()).intersected(image.rect())
    focus = QColor(colour)
    row = [image.pixelColor(x, rect.center().y()) for x in range(rect.left(), rect.right() + 1)]
    column = [image.pixelColor(rect.center().x(), y) for y in range(rect.top(),
                                                                     rect.bottom() + 1)]
    return sum(1 for c in row if c == focus), sum(1 for c in column if c == focus)


def focus_ring_shows(qtbot, bar, colour: str) -> None:
    bar.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(bar.hasFocus)
    across, down = ring_pixels(bar, colour)
    assert across >= 2 * 3 and down >= 2 * 2, (across, down)  # both sides, top and bottom
    text = bar.tabText(bar.currentIndex()).replace("&", "")
    assert bar.tabRect(bar.currentIndex()).width() > bar.fontMetrics().horizontalAdvance(text)
    start = bar.currentIndex()
    qtbot.keyClick(bar, Qt.Key.Key_Right)  # the ring follows the tab the keys move to
    assert bar.currentIndex() == start + 1
    assert ring_pixels(bar, colour)[0] >= 2 * 3


def test_the_case_tabs_and_the_views_tabs_show_keyboard_focus(window, qtbot):
    window.workspace.case_list.search.setText("okafor")
    window.workspace.open_case(window.workspace.case_list.model.summary(0).id)
    case_tabs = window.workspace.detail.tabs.tabBar()
    assert ring_pixels(case_tabs, theme.NORMAL.focus) == (0, 0)  # nothing before the focus comes
    focus_ring_shows(qtbot, case_tabs, theme.NORMAL.focus)
    window.workspace.case_list.search.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(window.workspace.case_list.search.hasFocus)
    assert ring_pixels(case_tabs, theme.NORMAL.focus) == (0, 0)  # and none after it has gone
    views = window.workspace.views.tabBar()
    focus_ring_shows(qtbot, views, theme.NORMAL.focus)
    views.setCurrentIndex(0)


def test_presenting_mode_shows_it_too(window, qtbot):
    assert window.book.open_training_case_book()
    window.workspace.open_case(window.workspace.case_list.model.summary(0).id)
    window.workspace.training_bar.presenting.setChecked(True)
    focus_ring_shows(qtbot, window.workspace.detail.tabs.tabBar(), theme.PRESENTING.focus)
    window.workspace.training_bar.presenting.setChecked(False)


def test_a_tab_bar_too_narrow_for_its_tabs_shows_scroll_arrows_of_24_px(window, qtbot):
    """Presenting's padding on every button made the two scroll buttons wider than the room
    the tab bar keeps for them: they lay over each other and past the bar's edge, so what
    showed were two empty slivers."""
    from PySide6.QtWidgets import QToolButton

    assert window.book.open_training_case_book()  # in presenting mode: padding 15 px a side
    window.workspace.open_case(window.workspace.case_list.model.summary(0).id)
    window.workspace.training_bar.presenting.setChecked(True)
    bar = window.workspace.detail.tabs.tabBar()
    window.workspace.detail.tabs.setMaximumWidth(400)
    qtbot.waitUntil(lambda: any(b.isVisible() for b in bar.findChildren(QToolButton)))
    shown = [b for b in bar.findChildren(QToolButton) if b.isVisible()]
    assert len(shown) == 2
    left, right = sorted((b.geometry() for b in shown), key=lambda g: g.x())
    assert left.right() <= right.left()  # side by side (sharing at most their edge line)
    for button in shown:
        assert bar.rect().contains(button.geometry()), button.geometry()
        assert button.width() >= theme.MIN_TARGET_PX and button.height() >= 20
        image = button.grab().toImage()
        middle = image.height() // 2
        shades = {image.pixelColor(x, middle).name()
                  for x in range(image.width() // 4, image.width() * 3 // 4)}
        assert len(shades) > 1, button.accessibleName()  # an arrow, not an empty box
    window.workspace.training_bar.presenting.setChecked(False)
