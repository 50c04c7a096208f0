"""Keyboard use: dialogs start in their first field, Tab leaves tables, Enter acts on rows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from adviser_app.ui.case_view.entry_dialog import EntryDialog
from adviser_app.ui.case_view.new_case_dialog import NewCaseDialog
from adviser_app.ui.case_view.person_dialog import PersonDialog
from adviser_app.ui.case_view.task_dialog import TaskDialog
from tests.ui.opening import open_okafor


def test_dialogs_start_in_their_first_field(window, qtbot):
    detail = open_okafor(window)
    for dialog, first in [
            (TaskDialog(window.session, detail.case.id), "title"),
            (PersonDialog(window.session, detail.family.id), "given_name"),
            (NewCaseDialog(window.session, window), "family_name")]:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.focusWidget() is dialog._fields[first], type(dialog).__name__
        dialog.close()


def test_typing_a_task_by_keyboard_keeps_every_word(window, qtbot):
    detail = open_okafor(window)
    dialog = TaskDialog(window.session, detail.case.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.title
    QTest.keyClicks(dialog.focusWidget(), "Write to SENCo asking for a meeting")
    QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.due_on
    QTest.keyClicks(dialog.focusWidget(), "20/11/2026")
    QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted
    detail.show_case(detail.case.id)
    assert detail.tasks_model.record(0).details.title == "Write to SENCo asking for a meeting"


def test_tab_leaves_a_table_instead_of_walking_its_cells(window, qtbot):
    table = window.workspace.case_list.table
    table.setFocus()
    table.selectRow(0)
    QTest.keyClick(table, Qt.Key.Key_Tab)
    assert window.focusWidget() is not table


def test_enter_on_a_timeline_row_opens_it_for_editing(window, qtbot, monkeypatch):
    detail = open_okafor(window)
    opened = []
    monkeypatch.setattr(EntryDialog, "exec", lambda self: opened.append(self.entry) or 0)
    view = detail.timeline_view
    view.setFocus()
    view.selectRow(0)
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert opened and opened[0] is not None


def test_failed_save_scrolls_to_the_first_problem(window, qtbot):
    dialog = NewCaseDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.resize(600, 300)
    dialog.show()
    dialog.family_name.setText("Nowak")
    dialog.person.given_name.setText("Ewa")
    dialog.person.family_name.setText("Nowak")
    dialog.child.given_name.setText("Ola")
    dialog.child.family_name.setText("Nowak")
    dialog.child.date_of_birth.setText("01/01/2015")
    dialog.case.summary.setPlainText("x")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert "at least one issue" in dialog.field_error("case.issues")
    issues = dialog.case.issues
    assert dialog.focusWidget() is issues
    assert not issues.visibleRegion().isEmpty()  # scrolled into view
