"""Every control can be named by a screen reader, and every action has a keyboard route."""

from __future__ import annotations

from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QComboBox, QHeaderView,
                               QLineEdit, QMenuBar,
                               QPlainTextEdit, QWidget)

from adviser_app.ui.case_view.child_dialog import ChildDialog
from adviser_app.ui.case_view.entry_dialog import EntryDialog
from adviser_app.ui.case_view.new_case_dialog import NewCaseDialog
from adviser_app.ui.case_view.person_dialog import PersonDialog

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QPlainTextEdit, QAbstractItemView)


def _inside_control(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QLineEdit, QAbstractItemView, QMenuBar)) or \
                type(parent).__name__ == "QComboBoxPrivateContainer":
            return True
        parent = parent.parentWidget()
    return False


def unnamed_controls(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or widget.parent() is None:
            continue
        if isinstance(widget, QHeaderView) or _inside_control(widget):
            continue  # Qt's own parts of a control (headers, popups, clear buttons)
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if not (widget.accessibleName() or text):
            missing.append(f"{type(widget).__name__} in {type(widget.parent()).__name__}")
    return missing


def test_main_window_controls_are_named(window):
    window.workspace.case_list.search.setText("okafor")
    window.workspace.open_case(window.workspace.case_list.model.summary(0).id)
    missing = unnamed_controls(window)
    assert missing == [], "\n".join(missing)


def test_dialog_controls_are_named(window, qtbot):
    window.workspace.case_list.search.setText("okafor")
    window.workspace.open_case(window.workspace.case_list.model.summary(0).id)
    detail = window.workspace.detail
    for dialog in (NewCaseDialog(window.session, window),
                   PersonDialog(window.session, detail.family.id),
                   ChildDialog(window.session, detail.family.id),
                   EntryDialog(window.session, detail.case.id)):
        qtbot.addWidget(dialog)
        assert unnamed_controls(dialog) == [], type(dialog).__name__


def test_main_actions_have_shortcuts(window):
    shortcuts = {a.text().replace("&", ""): a.shortcut().toString()
                 for a in (window.menus.new_case_action, window.menus.find_action,
                           window.menus.visit_note_action, window.menus.entry_action)}
    assert shortcuts == {"New family and case…": "Ctrl+N", "Find a case": "Ctrl+F",
                         "Add a visit note…": "Ctrl+Shift+N",
                         "Add a timeline entry…": "Ctrl+Shift+E"}
