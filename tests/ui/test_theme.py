"""Colours, focus and sizes measured from what the app really uses (issue 21): WCAG 2.2 AA
contrast from the palette, a focus change that shows, 24 px targets, and presenting mode
growing every text, dialogs included."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (QApplication, QCheckBox, QDialogButtonBox, QHeaderView,
                               QLineEdit, QPushButton, QTableView, QTabBar, QWidget)

from adviser_app.ui import theme
from adviser_app.ui.case_view.entry_dialog import EntryDialog


def luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def ratio(a: QColor | str, b: QColor | str) -> float:
    la, lb = luminance(QColor(a)), luminance(QColor(b))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


R = QPalette.ColorRole
TEXT_PAIRS = [(R.WindowText, R.Window), (R.Text, R.Base), (R.Text, R.AlternateBase),
              (R.ButtonText, R.Button), (R.HighlightedText, R.Highlight),
              (R.PlaceholderText, R.Base), (R.PlaceholderText, R.Window),
              (R.ToolTipText, R.ToolTipBase), (R.Link, R.Base), (R.Link, R.Window)]


@pytest.mark.parametrize("colours", [theme.NORMAL, theme.PRESENTING], ids=["normal", "presenting"])
def test_every_text_pair_in_the_palette_reaches_4_5_to_1(colours):
    palette = theme.palette(colours)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        for fore, back in TEXT_PAIRS:
            found = ratio(palette.color(group, fore), palette.color(group, back))
            assert found >= 4.5, (fore, back, round(found, 2))
    for back in (colours.window, colours.base, colours.alternate_base, colours.button):
        assert ratio(colours.muted, back) >= 4.5  # secondary text too


@pytest.mark.parametrize("colours", [theme.NORMAL, theme.PRESENTING], ids=["normal", "presenting"])
def test_borders_and_the_focus_ring_reach_3_to_1(colours):
    for back in (colours.window, colours.base, colours.button, colours.focus_fill):
        assert ratio(colours.border, back) >= 3, back
        assert ratio(colours.focus, back) >= 3, back


def test_the_colours_named_in_the_walk_are_gone(window):
    palette = QApplication.instance().palette()
    assert ratio(palette.color(R.HighlightedText), palette.color(R.Highlight)) >= 4.5
    assert ratio(theme.MUTED, palette.color(R.Window)) >= 4.5
    import inspect

    from adviser_app.ui.graduated import graduated_tab
    assert "#8a8a8a" not in inspect.getsource(graduated_tab)  # the stages not reached


def pixels(widget: QWidget):
    return widget.grab().toImage()


def test_keyboard_focus_changes_the_default_button_and_a_check_box(window, qtbot):
    window.workspace.case_list.search.setText("okafor")
    window.workspace.open_case(window.workspace.case_list.model.summary(0).id)
    dialog = EntryDialog(window.session, window.workspace.detail.case.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    dialog.body.setFocus()
    qtbot.waitUntil(lambda: dialog.body.hasFocus())
    before = pixels(save)
    save.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(save.hasFocus)
    after = pixels(save)
    assert before != after  # the default Save button shows it has the focus
    focus = QColor(theme.NORMAL.focus)
    edge = [after.pixelColor(x, after.height() // 2) for x in range(3)]
    assert any(ratio(c, theme.NORMAL.window) >= 3 and c == focus for c in edge)


def test_check_box_focus_ring_is_drawn_in_the_focus_colour(window, qtbot):
    box = QCheckBox("Consent to share")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    box.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(box.hasFocus)
    image = pixels(box)
    focus = QColor(theme.NORMAL.focus)
    assert any(image.pixelColor(x, image.height() // 2) == focus for x in range(3))


def test_every_button_and_field_is_at_least_24_px(window, qtbot):
    window.workspace.case_list.search.setText("okafor")
    window.workspace.open_case(window.workspace.case_list.model.summary(0).id)
    small = [f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r} {w.height()}px"
             for w in window.findChildren(QWidget)
             if isinstance(w, (QPushButton, QLineEdit, QCheckBox)) and w.isVisible()
             and w.height() < theme.MIN_TARGET_PX]
    assert small == []


def visible_text_sizes(root: QWidget) -> dict[str, float]:
    sizes = {}
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, (QTableView, QHeaderView, QTabBar, QLineEdit, QPushButton)) \
                and widget.isVisible():
            sizes[f"{type(widget).__name__}:{widget.accessibleName()}"] = \
                widget.font().pointSizeF()
    return sizes


def test_presenting_makes_everything_half_as_big_again_dialogs_included(window, qtbot):
    assert window.book.open_training_case_book()
    window.workspace.open_case(window.workspace.case_list.model.summary(0).id)
    normal = visible_text_sizes(window)
    window.workspace.training_bar.presenting.setChecked(True)
    assert window.presenting
    bigger = visible_text_sizes(window)
    small = {name: (normal[name], size) for name, size in bigger.items()
             if name in normal and size < normal[name] * 1.5 - 0.1}
    assert small == {}
    assert window.menuBar().font().pointSizeF() >= normal[next(iter(normal))] * 1.5 - 0.1
    assert window.statusBar().font().pointSizeF() >= normal[next(iter(normal))] * 1.5 - 0.1
    dialog = EntryDialog(window.session, window.workspace.detail.case.id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.body.font().pointSizeF() >= normal[next(iter(normal))] * 1.5 - 0.1
    dialog.discard()
    window.workspace.training_bar.presenting.setChecked(False)
    assert visible_text_sizes(window) == normal


STYLE_PROBE = """
from adviser_app.ui import theme
app = theme.application(["adviser"])
made = app.style().name()
theme.apply(app)
app.setStyleSheet("")  # the style under the app's style sheet
print(made, app.style().name())
"""


def test_the_app_is_made_with_the_fusion_style_whatever_the_default() -> None:
    """theme.application chooses Fusion as the app is made (not with setStyle afterwards,
    which makes PySide build QStyle's types before the first screen): here against a
    default of Windows, as on a Windows laptop."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_STYLE_OVERRIDE": "Windows",
           "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", STYLE_PROBE], env=env, cwd=root,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["fusion", "fusion"]
