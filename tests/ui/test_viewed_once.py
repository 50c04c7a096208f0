"""Opening a case once writes one "viewed" entry in the audit log, however the adviser opens
it (a click selects the row and opens it; a double click and Enter open it again)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from adviser_app.services import audit_log


def _viewed(window) -> list:
    return [e for e in audit_log.recent(window.session.db) if e.action == "viewed"]


def test_opening_a_case_once_writes_one_viewed_entry(window, qtbot):
    lst = window.workspace.case_list
    before = len(_viewed(window))
    lst.search.setText("okafor")
    table = lst.table
    centre = table.visualRect(lst.model.index(0, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    viewed = _viewed(window)
    assert window.workspace.shown_case_id == lst.model.summary(0).id
    assert len(viewed) == before + 1
    assert lst.model.summary(0).id in {e.record_id for e in viewed}
