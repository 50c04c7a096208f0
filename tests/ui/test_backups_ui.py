"""Backups from the window: on request, on close after changes, and restoring a damaged case
book at unlock with a plain message."""

from __future__ import annotations

import threading

from adviser_app.domain.vocab import AreaOfNeed, ChildStatus
from adviser_app.services import backups, case_books
from adviser_app.store.errors import CaseBookDamaged, CheckStopped
from adviser_app.ui.main_window import MainWindow
from support import CHEAP, PASSPHRASE
from ui.conftest import TODAY, add_family


def test_back_up_now_and_on_close_after_a_change(window, populated_dir):
    place = case_books.real_place(populated_dir)
    assert window.menus.backup_action.isEnabled()
    window.book.file_jobs.wait()  # the check that follows unlocking
    window.menus.backup_action.trigger()
    assert "Backing up" in window.statusBar().currentMessage()
    assert window.book.file_jobs.wait()
    assert len(backups.list_backups(place)) == 1
    assert "Backed up" in window.statusBar().currentMessage()
    window.book.close_case_book()  # nothing changed since: no second backup
    assert window.book.file_jobs.wait()
    assert len(backups.list_backups(place)) == 1


def test_damaged_case_book_is_restored_at_unlock_and_explained(qtbot, window, populated_dir,
                                                               today):
    place = case_books.real_place(populated_dir)
    assert window.book.backup_now()
    window.book.close_case_book()
    assert window.book.file_jobs.wait()
    data = bytearray(place.path.read_bytes())
    data[3 * 4096 + 100] ^= 0xFF
    place.path.write_bytes(bytes(data))
    again = MainWindow(populated_dir, actor="Sam", today=lambda: today, kdf=CHEAP)
    qtbot.addWidget(again)
    told = []
    again.access.tell = lambda title, message: told.append((title, message))
    assert again.book.unlock(PASSPHRASE), again.unlock_page.state.text()  # opens at once
    assert "Checking the file" in again.statusBar().currentMessage()
    assert again.book.file_jobs.wait()  # the check in the background finds page 4 damaged
    assert told and told[0][0] == "Case book restored from a backup"
    assert "quarantine" in told[0][1]
    assert again.workspace.case_list.model.rowCount() == 4
    again.book.close_case_book()


def test_restore_from_a_chosen_backup(window, populated_dir):
    place = case_books.real_place(populated_dir)
    window.book.backup_now()
    assert window.book.file_jobs.wait()
    first = backups.list_backups(place)[0]
    window.access.choose_backup = lambda found: (first, PASSPHRASE)
    told = []
    window.access.tell = lambda title, message: told.append(message)
    assert window.book.restore_from_backup()
    assert window.session is not None
    assert told and "kept in" in told[0]


def test_audit_log_viewer_verifies_and_exports(window, qtbot, tmp_path):
    from adviser_app.ui.service.audit_dialog import AuditDialog

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


def _slow_check(monkeypatch, started, release):
    """The full check, made to wait until the test lets it go (or is told to stop)."""
    real = backups.check_held

    def check_held(held):
        with held.reading:
            started.set()
            while not release.is_set() and not held.stop.is_set():
                release.wait(0.01)
        if held.stop.is_set():
            raise CheckStopped()
        real(held)
    monkeypatch.setattr(backups, "check_held", check_held)


def test_unlocking_does_not_wait_for_the_full_check(qtbot, populated_dir, monkeypatch):
    started, release = threading.Event(), threading.Event()
    _slow_check(monkeypatch, started, release)
    win = MainWindow(populated_dir, actor="Sam", today=lambda: TODAY, kdf=CHEAP)
    qtbot.addWidget(win)
    assert win.book.unlock(PASSPHRASE)
    assert started.wait(5)
    assert win.book.file_jobs.busy  # still checking, and the case book is in use meanwhile
    case_id = add_family(win.session.db, surname="Adeyemi", parent="Bola", child="Kemi",
                         dob="01/02/2016", status=ChildStatus.SEN_SUPPORT,
                         areas=[AreaOfNeed.SEMH])
    win.book.saved(case_id)  # what the forms do after a save
    release.set()
    assert win.book.file_jobs.wait()
    assert "no damage found" in win.statusBar().currentMessage()
    win.book.close_case_book()
    assert win.book.file_jobs.wait()
    assert backups.list_backups(case_books.real_place(populated_dir))  # saved, so backed up


def test_locking_stops_the_check_at_once(qtbot, populated_dir, monkeypatch):
    started, release = threading.Event(), threading.Event()
    _slow_check(monkeypatch, started, release)
    win = MainWindow(populated_dir, actor="Sam", today=lambda: TODAY, kdf=CHEAP)
    qtbot.addWidget(win)
    told = []
    win.access.tell = lambda title, message: told.append(title)
    assert win.book.unlock(PASSPHRASE)
    assert started.wait(5)
    win.book.lock()
    assert win.session is None and win.stack.currentWidget() is win.unlock_page
    assert win.book.file_jobs.wait()
    assert told == []  # a stopped check is not damage
    release.set()


def test_a_damaged_page_read_while_working_restores_the_backup(qtbot, window, populated_dir):
    place = case_books.real_place(populated_dir)
    assert window.book.file_jobs.wait()
    told = []
    window.access.tell = lambda title, message: told.append((title, message))
    window.book.damage_found(CaseBookDamaged("a damaged page was read"))
    assert told == []  # no backup yet: nothing to go back to, the file is quarantined
    assert window.session is None and window.stack.currentWidget() is window.unlock_page
    assert "no good backup" in window.unlock_page.state.text()
    assert list((populated_dir / "quarantine").glob("*/casebook.db"))
    assert not place.path.exists()


def test_saves_lost_with_the_wal_are_said_at_unlock(qtbot, window, populated_dir, today):
    """Issue 14 item 2: a write-ahead log lost in a crash is found against the anchor and the
    adviser is told what may be missing, with every file kept in quarantine."""
    import shutil
    from pathlib import Path

    place = case_books.real_place(populated_dir)
    window.book.file_jobs.wait()
    db = window.session.db
    add_family(db, surname="Lost", parent="Ann", child="Bea", dob="01/01/2018",
               status=ChildStatus.SEN_SUPPORT, areas=[AreaOfNeed.SEMH])
    wal = Path(f"{place.path}-wal")
    crashed = populated_dir.parent / "crashed"
    crashed.mkdir()
    for path in (place.path, wal, place.path.with_suffix(".anchor")):
        shutil.copyfile(path, crashed / path.name)  # the disk as a crash would leave it
    window.book.close_case_book()
    assert window.book.file_jobs.wait()
    for name in ("casebook.db", "casebook.anchor"):
        shutil.copyfile(crashed / name, populated_dir / name)
    Path(f"{place.path}-wal").unlink(missing_ok=True)  # ...and then the WAL is lost
    again = MainWindow(populated_dir, actor="Sam", today=lambda: today, kdf=CHEAP)
    qtbot.addWidget(again)
    told = []
    again.access.tell = lambda title, message: told.append((title, message))
    assert again.book.unlock(PASSPHRASE), again.unlock_page.state.text()
    assert told and told[0][0] == "Some recent changes may be missing"
    assert "not in it" in told[0][1] and "quarantine" in told[0][1]
    again.book.file_jobs.wait()
    again.book.close_case_book()


def test_audit_log_viewer_says_when_the_last_entries_are_missing(window, qtbot):
    from adviser_app.ui.service.audit_dialog import AuditDialog

    window.book.file_jobs.wait()
    db = window.session.db
    db.execute("DROP TRIGGER audit_log_no_delete")  # as someone with the key might
    db.execute("DELETE FROM audit_log WHERE seq > 2")
    dialog = AuditDialog(window.session)
    qtbot.addWidget(dialog)
    assert not dialog.verify()
    assert "are missing" in dialog.outcome_label.text()
