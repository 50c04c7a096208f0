"""Backups from the window: on request, on close after changes, and restoring a damaged case
book at unlock with a plain message."""

from __future__ import annotations

from adviser_app.services import backups, case_books
from adviser_app.ui.main_window import MainWindow
from support import CHEAP, PASSPHRASE


def test_back_up_now_and_on_close_after_a_change(window, populated_dir):
    place = case_books.real_place(populated_dir)
    assert window.backup_action.isEnabled()
    window.backup_action.trigger()
    assert len(backups.list_backups(place)) == 1
    assert "Backed up" in window.statusBar().currentMessage()
    window.close_case_book()  # nothing changed since: no second backup
    assert len(backups.list_backups(place)) == 1


def test_damaged_case_book_is_restored_at_unlock_and_explained(qtbot, window, populated_dir,
                                                               today):
    place = case_books.real_place(populated_dir)
    assert window.backup_now()
    window.close_case_book()
    data = bytearray(place.path.read_bytes())
    data[3 * 4096 + 100] ^= 0xFF
    place.path.write_bytes(bytes(data))
    again = MainWindow(populated_dir, actor="Sam", today=lambda: today, kdf=CHEAP)
    qtbot.addWidget(again)
    told = []
    again.access.tell = lambda title, message: told.append((title, message))
    assert again.unlock(PASSPHRASE)
    assert told and told[0][0] == "Case book restored from a backup"
    assert "quarantine" in told[0][1]
    assert again.workspace.case_list.model.rowCount() == 4
    again.close_case_book()


def test_restore_from_a_chosen_backup(window, populated_dir):
    place = case_books.real_place(populated_dir)
    window.backup_now()
    first = backups.list_backups(place)[0]
    window.access.choose_backup = lambda found: (first, PASSPHRASE)
    told = []
    window.access.tell = lambda title, message: told.append(message)
    assert window.restore_from_backup()
    assert window.session is not None
    assert told and "kept in" in told[0]


def test_audit_log_viewer_verifies_and_exports(window, qtbot, tmp_path):
    from adviser_app.ui.audit_dialog import AuditDialog

    window.workspace.case_list.search.setText("okafor")
    window.workspace.open_case(window.workspace.case_list.model.summary(0).id)
    dialog = AuditDialog(window.session)
    qtbot.addWidget(dialog)
    actions = [e.action for e in dialog.model.records()]
    assert actions[0] == "viewed" and "unlocked" in actions
    assert dialog.verify()
    assert "verify" in dialog.outcome_label.text()
    dialog.export_path = lambda: tmp_path / "audit.csv"
    path = dialog.export()
    assert path is not None and "unlocked" in path.read_text(encoding="utf-8")
