"""The audit log viewer says which case and family each record belongs to, looked up when it
is shown (never written into the log), and "erased record" once the record is gone."""

from __future__ import annotations

from PySide6.QtCore import Qt

from adviser_app.services import audit_log, data_protection
from adviser_app.store import audit
from adviser_app.ui.service.audit_dialog import AuditDialog
from tests.ui.opening import open_okafor


def _whose_column(dialog: AuditDialog) -> int:
    model = dialog.model
    heads = [model.headerData(c, Qt.Orientation.Horizontal)
             for c in range(model.columnCount())]
    return heads.index("Case / family")


def test_audit_entries_show_case_reference_and_family_or_erased(window, qtbot):
    okafor = open_okafor(window).case
    window.workspace.case_list.search.clear()
    model = window.workspace.case_list.model
    other_id = next(model.summary(r).id for r in range(model.rowCount())
                    if model.summary(r).id != okafor.id)
    window.workspace.open_case(other_id)
    other = window.workspace.detail.case
    open_okafor(window)
    data_protection.erase_case(window.session.db, other.id, "Retention period over",
                               window.session.today(), window.session.actor)
    dialog = AuditDialog(window.session)
    qtbot.addWidget(dialog)
    column = _whose_column(dialog)
    shown = {}
    for row, entry in enumerate(dialog.model.records()):
        text = dialog.model.index(row, column).data()
        shown.setdefault((entry.action, entry.record_type, entry.record_id), text)
    assert shown[("viewed", "case", okafor.id)] == f"{okafor.reference} Okafor"
    assert shown[("viewed", "case", other.id)] == "erased record"
    assert shown[next(k for k in shown if k[0] == "unlocked")] == ""
    # the log itself holds ids only, and its chain still verifies
    assert not any("Okafor" in e.detail or okafor.reference in e.detail
                   for e in audit.entries(window.session.db))
    assert audit_log.verify(window.session.db).ok
