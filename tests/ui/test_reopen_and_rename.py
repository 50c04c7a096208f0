"""The last case opens again after a restart, and a family can be renamed (issue 21)."""

from __future__ import annotations

from adviser_app.store import families
from adviser_app.ui.case_view.family_dialog import FamilyDialog
from adviser_app.ui.main_window import MainWindow
from support import CHEAP, PASSPHRASE


def open_family(window, name: str):
    window.workspace.case_list.search.setText(name)
    window.workspace.open_case(window.workspace.case_list.model.summary(0).id)
    return window.workspace.detail


def test_the_case_open_when_the_app_closed_opens_again(window, qtbot, populated_dir, today):
    case_id = open_family(window, "petrovic").case.id
    window.close()
    again = MainWindow(populated_dir, actor="Sam Patel", today=lambda: today, kdf=CHEAP)
    qtbot.addWidget(again)
    again.show()
    assert again.book.unlock(PASSPHRASE)
    # the case list is painted first; the case view and the case come on the next turn
    assert again.workspace.shown_case_id is None
    qtbot.waitUntil(lambda: again.workspace.shown_case_id == case_id)
    assert again.workspace.detail.case is not None
    assert again.workspace.detail.case.id == case_id
    assert again.workspace.right.currentWidget() is again.workspace.detail
    again.book.close_case_book()


def test_a_family_is_renamed_and_found_by_its_new_name(window, qtbot):
    detail = open_family(window, "okafor")
    family_id = detail.family.id
    dialog = FamilyDialog(window.session, detail.family)
    qtbot.addWidget(dialog)
    dialog.family_name.setText("")
    dialog._on_save()
    assert "can't be left empty" in dialog.field_error("family_name")
    dialog.family_name.setText("Okafor-Mensah")
    dialog._on_save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert families.get_family(window.session.db, family_id).family_name == "Okafor-Mensah"
    window.workspace.case_list.search.setText("mensah")
    names = [window.workspace.case_list.model.summary(r).family_name
             for r in range(window.workspace.case_list.model.rowCount())]
    assert names == ["Okafor-Mensah"]
    assert detail.rename_button.isVisible() or detail.rename_button.isVisibleTo(detail)
