"""Who did what, and on which laptop, against a real hub: the timeline's "On" column and an
entry's earlier versions name the laptop of each change ("this laptop" for this one's, the
hub's number for the others'), and the audit log shows the whole service's entries."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from hub.pg import HubDb
from hub.team_windows import db_of, joined, laptop, office, sync_window

from adviser_app.domain.records import EntryDetails
from adviser_app.domain.vocab import EntryKind
from adviser_app.services import casework
from adviser_app.store import timeline
from adviser_app.store.db import Database
from adviser_app.store.settings import LAPTOP_NUMBER, get_setting
from adviser_app.ui.case_view.history_dialog import HistoryDialog
from adviser_app.ui.main_window import MainWindow
from adviser_app.ui.service.audit_dialog import AuditDialog

__all__ = ["laptop", "office"]  # the fixtures


def _note(db: Database, case_id: str, body: str, actor: str) -> str:
    return casework.add_timeline_entry(db, case_id, EntryDetails(
        EntryKind.NOTE, date(2026, 11, 27), actor.split()[0], body), actor)


def _on_column(qtbot, win: MainWindow, case_id: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Open the case and wait for the hub's answer: {first line of the note: laptop}."""
    assert win.workspace is not None
    detail = win.workspace.detail
    with qtbot.waitSignal(detail.where_made.known, timeout=30_000):
        win.workspace.open_case(case_id)
    qtbot.waitUntil(lambda: bool(detail.where_made.changes or detail.where_made.problem),
                    timeout=30_000)
    model = detail.timeline_model
    assert model.headerData(3, Qt.Orientation.Horizontal) == "On"
    return {model.index(r, 6).data(): model.index(r, 3).data() for r in range(model.rowCount())}


def test_the_timeline_and_history_name_the_laptop_of_each_change(
        qtbot, laptop: MainWindow, office: MainWindow, hub_db: HubDb) -> None:  # type: ignore[no-untyped-def]
    joined(qtbot, laptop, hub_db, "sam_who")
    joined(qtbot, office, hub_db, "priya_who")
    a, b = db_of(laptop), db_of(office)
    case_id = a.execute("SELECT id FROM case_file LIMIT 1").fetchone()[0]
    entry = _note(a, case_id, "Visit at home", "Sam Patel")
    sync_window(qtbot, laptop)
    sync_window(qtbot, office)
    number = get_setting(a, LAPTOP_NUMBER)
    assert number
    _note(b, case_id, "Rang the school", "Priya Shah")  # not yet sent
    assert office.workspace is not None
    assert not office.workspace.detail.timeline_view.isColumnHidden(3)
    shown = _on_column(qtbot, office, case_id)
    assert shown == {"Visit at home": f"laptop {number}",
                     "Rang the school": "this laptop (not yet sent)"}
    sync_window(qtbot, office)
    assert _on_column(qtbot, office, case_id)["Rang the school"] == "this laptop"
    # an edit made at the office: the entry's history names both laptops
    [current] = [e for e in timeline.list_entries(b, case_id, 50) if e.id == entry]
    casework.edit_timeline_entry(b, entry, EntryDetails(
        EntryKind.NOTE, date(2026, 11, 27), "Sam", "Visit at home: both parents"),
        "Priya Shah", current.version)
    assert _on_column(qtbot, office, case_id)["Visit at home: both parents"] == \
        f"laptop {number}, changed on this laptop (not yet sent)"
    sync_window(qtbot, office)
    assert _on_column(qtbot, office, case_id)["Visit at home: both parents"] == \
        f"laptop {number}, changed on this laptop"
    dialog = HistoryDialog(timeline.entry_history(b, entry), office, office.book.session)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "on this laptop" in dialog.text.toPlainText(), timeout=30_000)
    text = dialog.text.toPlainText()
    assert "Version 1, saved" in text and f"by Sam Patel on laptop {number}" in text
    assert "Version 2, saved" in text and "by Priya Shah on this laptop" in text


def test_offline_the_laptop_names_only_what_it_knows(
        qtbot, laptop: MainWindow, hub_db: HubDb) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    from adviser_app.store import sync_log
    from adviser_app.sync import joining

    db = db_of(laptop)
    case_id = db.execute("SELECT id FROM case_file LIMIT 1").fetchone()[0]
    assert laptop.workspace is not None
    laptop.workspace.open_case(case_id)
    assert laptop.workspace.detail.timeline_view.isColumnHidden(3)  # no hub: one laptop
    joined(qtbot, laptop, hub_db, "sam_away")
    held = joining.connected(db)
    assert held is not None
    sync_log.save_hub_settings(db, dataclasses.replace(held, port=1).as_dict())  # away
    _note(db, case_id, "Written offline", "Sam Patel")
    shown = _on_column(qtbot, laptop, case_id)
    assert shown == {"Written offline": "this laptop (not yet sent)"}
    assert "cannot be reached" in laptop.workspace.detail.where_made.problem


def test_the_audit_log_shows_the_whole_service_once_synced(
        qtbot, laptop: MainWindow, office: MainWindow, hub_db: HubDb) -> None:  # type: ignore[no-untyped-def]
    joined(qtbot, laptop, hub_db, "sam_audit")
    joined(qtbot, office, hub_db, "priya_audit")
    a = db_of(laptop)
    case_id = a.execute("SELECT id FROM case_file LIMIT 1").fetchone()[0]
    _note(a, case_id, "Visit at home", "Sam Patel")
    sync_window(qtbot, laptop)
    sync_window(qtbot, office)
    number = get_setting(a, LAPTOP_NUMBER)
    dialog = AuditDialog(office.book.session)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    assert dialog.service is not None
    dialog.tabs.setCurrentIndex(1)  # read from the hub the first time it is shown
    assert not dialog.verify_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.service is not None and dialog.service.model.rowCount() > 0,
                    timeout=30_000)
    rows = dialog.service.model.records()
    laptops = {e.laptop for e in rows}
    assert {"this laptop", f"laptop {number}"} <= laptops
    made = [e for e in rows if e.action == "created" and e.record_type == "timeline_entry"]
    assert made and made[0].actor == "Sam Patel" and made[0].laptop == f"laptop {number}"
    # the hub's log holds ids only; the office's own copy of the case names it when shown
    reference, family = a.execute(
        "SELECT c.reference, f.family_name FROM case_file c JOIN family f "
        "ON f.id = c.family_id WHERE c.id = ?", (case_id,)).fetchone()
    model = dialog.service.model
    heads = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    row = rows.index(made[0])
    assert model.index(row, heads.index("Case / family")).data() == f"{reference} {family}"
    assert "from every laptop" in dialog.service.state.text()
    dialog.service.wait()


def test_without_a_hub_the_audit_log_is_this_laptops_only(qtbot, laptop: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = AuditDialog(laptop.book.session)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    assert dialog.service is None and not hasattr(dialog, "tabs")
