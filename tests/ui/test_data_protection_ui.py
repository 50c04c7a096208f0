"""The retention review and subject access dialogs, driven as a reviewer would: the case
shown in the window is erased and let go of; bad dates are explained beside the field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox

from adviser_app.domain.records import CaseDetails, ChildDetails
from adviser_app.services import casework
from adviser_app.ui.service.retention_dialog import KeepForm, RemoveForm, RetentionDialog
from adviser_app.ui.service.subject_access_dialog import (
    DateForm, NewRequestForm, SubjectAccessDialog)
from support import PASSPHRASE


def old_closed_case(window) -> str:
    db, actor = window.session.db, window.session.actor
    case_id = casework.open_new_family_case(
        db, family_name="Oldcastle", person=None,
        children=[ChildDetails(given_name="Ffion", family_name="Oldcastle",
                               date_of_birth=date(1995, 4, 2))],
        case=CaseDetails(adviser="Sam Patel", opened_on=date(2010, 1, 4)), actor=actor)
    casework.close_case(db, case_id, date(2012, 3, 1), "Done", actor)
    return case_id


def fake_exec(monkeypatch, qtbot, cls, step):
    seen = []

    def run(self) -> int:
        qtbot.addWidget(self)
        self.show()
        seen.append(self)
        step(self)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).click()
        return self.result()
    monkeypatch.setattr(cls, "exec", run)
    return seen


def select_first(dialog) -> None:
    dialog.view.setCurrentIndex(dialog.model.index(0, 0))


def test_review_lists_the_due_case_and_keep_asks_for_a_later_date(window, qtbot, monkeypatch):
    old_closed_case(window)
    dialog = RetentionDialog(window.session, window)
    qtbot.addWidget(dialog)
    # Closed 01/03/2012 + 6 years = 01/03/2018; Ffion (born 02/04/1995) turned 25 on
    # 02/04/2020, the later: due 02/04/2020, before today.
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, 3).data() == "02/04/2020"
    assert "1 closed case shown, 1 due for review" in dialog.count.text()
    dialog.keep()
    assert "Choose a case" in dialog.message.text()
    select_first(dialog)

    def too_soon(form: KeepForm) -> None:
        form.reason.setPlainText("Complaint still open")
        form.next_review.setText("01/01/2020")
    seen = fake_exec(monkeypatch, qtbot, KeepForm, too_soon)
    dialog.keep()
    assert seen[0].field_error("next_review") == "The next review must be after today."
    assert dialog.model.rowCount() == 1

    def later(form: KeepForm) -> None:
        form.reason.setPlainText("Complaint still open")
        form.next_review.setText("01/01/2028")
    fake_exec(monkeypatch, qtbot, KeepForm, later)
    dialog.keep()
    assert dialog.model.rowCount() == 0 and "is kept" in dialog.message.text()
    dialog.show_all.setChecked(True)
    assert dialog.model.index(0, 3).data() == "01/01/2028"


def test_erasing_the_case_on_screen(window, qtbot, monkeypatch):
    case_id = old_closed_case(window)
    window.workspace.open_case(case_id)
    assert window.workspace.detail.case is not None
    asked = []

    def reason(form: RemoveForm) -> None:
        form.reason.setPlainText("Retention period over")
    fake_exec(monkeypatch, qtbot, RemoveForm, reason)

    def run_dialog(self) -> int:
        qtbot.addWidget(self)
        self.confirm = lambda title, text: asked.append(text) or len(asked) > 1
        select_first(self)
        self.erase()  # the first time the reviewer answers No: nothing happens
        assert self.model.rowCount() == 1
        select_first(self)
        self.erase()
        assert self.model.rowCount() == 0
        return 0
    monkeypatch.setattr(RetentionDialog, "exec", run_dialog)
    window.menus.retention_action.trigger()
    assert "Oldcastle family" in asked[0] and "cannot be undone" in asked[0]
    assert window.workspace.detail.case is None
    assert not list(window.session.db.query("SELECT 1 FROM case_file WHERE id = ?",
                                            [case_id]))


def test_subject_access_request_from_the_menu(window, qtbot, monkeypatch):
    def fill(form: NewRequestForm) -> None:
        form.requester.setText("Ms Petrović")
        form.about.setText("Đorđe Petrović")
        form.received.setText("30/02/2026")
    seen = fake_exec(monkeypatch, qtbot, NewRequestForm, fill)
    dialog = SubjectAccessDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.new_request()
    assert "doesn't exist" in seen[0].field_error("received")
    assert dialog.model.rowCount() == 0

    def fill_ok(form: NewRequestForm) -> None:
        fill(form)
        form.received.setText("02/11/2026")
        form.family.setCurrentIndex(1)
    fake_exec(monkeypatch, qtbot, NewRequestForm, fill_ok)
    dialog.new_request()
    # Received Monday 02/11/2026: one month is Wednesday 02/12/2026.
    assert dialog.model.index(0, 3).data() == "Answer due by 02/12/2026"

    def paused(form: DateForm) -> None:
        form.day.setText("05/11/2026")
    fake_exec(monkeypatch, qtbot, DateForm, paused)
    select_first(dialog)
    dialog.pause()
    assert dialog.model.index(0, 3).data().startswith("Clock stopped since 05/11/2026")

    def late(form: DateForm) -> None:
        form.day.setText("04/11/2026")
    seen = fake_exec(monkeypatch, qtbot, DateForm, late)
    select_first(dialog)
    dialog.resume()
    assert "can't arrive before it was asked for" in seen[0].summary.text()


def test_export_with_a_withheld_name(window, qtbot, monkeypatch, tmp_path):
    from adviser_app.services import documents
    from adviser_app.services import subject_access as sar
    from adviser_app.ui.service.subject_access_dialog import ExportForm

    db = window.session.db
    documents.save_letterhead(db, {"name": "Anytown SENDIASS", "address": "1 High Street",
                                   "phone": "01632 960000", "email": "ias@example.org"})
    family_id = next(db.query("SELECT id FROM family WHERE family_name = 'Petrović'"))["id"]
    sar.record_request(db, family_id=family_id, requester="Mila Petrović", about="Đorđe",
                       received_on=date(2026, 11, 20), identity_check="Seen",
                       today=window.session.today(), actor="Sam Patel")
    dialog = SubjectAccessDialog(window.session, window)
    qtbot.addWidget(dialog)
    chosen = tmp_path / "out"
    chosen.mkdir()
    dialog.choose_folder = lambda: chosen
    select_first(dialog)

    def no_reason(form: ExportForm) -> None:
        form.phrases.setPlainText("Mila")
    seen = fake_exec(monkeypatch, qtbot, ExportForm, no_reason)
    dialog.export()
    assert "why the words" in seen[0].field_error("phrase_reason").lower()
    assert list(chosen.iterdir()) == []

    def with_reason(form: ExportForm) -> None:
        no_reason(form)
        form.phrase_reason.setText("Names the mother, who did not ask")
    fake_exec(monkeypatch, qtbot, ExportForm, with_reason)
    select_first(dialog)
    dialog.export()
    (folder,) = chosen.iterdir()
    assert "not encrypted" in dialog.message.text() and str(folder) in dialog.message.text()
    from adviser_app.services import preferences
    assert preferences.export_folder(db) == chosen  # offered first next time
    preferences.remember_export_folder(db, tmp_path / "a USB stick taken out")
    assert preferences.export_folder(db) == Path.home()  # a folder gone since: home
    text = (folder / "disclosure.json").read_text("utf-8")
    assert "Mila" not in text and "Đorđe" in text and "[withheld]" in text


def test_case_header_asks_for_consent_to_be_renewed(window):
    from adviser_app.domain.records import PersonDetails
    from adviser_app.domain.vocab import Relationship
    from adviser_app.services import data_protection as dp

    db, actor = window.session.db, window.session.actor
    case_id = old_closed_case(window)
    casework.reopen_case(db, case_id, actor, window.session.today())
    family_id = next(db.query("SELECT family_id FROM case_file WHERE id = ?", [case_id]))[
        "family_id"]
    casework.add_person(db, family_id, PersonDetails(
        "Gwen", "Oldcastle", Relationship.MOTHER, consent_to_share=True,
        consent_date=date(2025, 1, 1)), actor)
    window.workspace.open_case(case_id)
    header = window.workspace.detail.header.due.text()
    assert "01/01/2026</b> Renew Gwen Oldcastle&#x27;s consent to share" in header
    assert "Ask Ffion Oldcastle for their own consent to share" in header
    dp.set_consent_renewal_months(db, 24, actor)
    window.workspace.open_case(case_id)
    assert "01/01/2027</b> Renew Gwen" in window.workspace.detail.header.due.text()


def test_requests_appear_in_the_deadlines_view(window):
    from adviser_app.services import subject_access as sar

    db, actor, today = window.session.db, window.session.actor, window.session.today()
    family_id = next(db.query("SELECT id FROM family WHERE family_name = 'Petrović'"))["id"]
    # Received Monday 02/11/2026: due Wednesday 02/12/2026, overdue on 28/11? No: 4 days to go.
    sar.record_request(db, family_id=family_id, requester="Mila Petrović", about="Đorđe",
                       received_on=date(2026, 11, 2), identity_check="", today=today,
                       actor=actor)
    stopped = sar.record_request(db, family_id=None, requester="A caller", about="Herself",
                                 received_on=date(2026, 11, 3), identity_check="",
                                 today=today, actor=actor)
    sar.ask_clarification(db, stopped, date(2026, 11, 4), actor)
    view = window.workspace.deadlines
    window.workspace.show_deadlines()
    view.kind_filter.select("Subject access requests")
    rows = [[view.model.index(r, c).data() for c in range(view.model.columnCount())]
            for r in range(view.model.rowCount())]
    assert len(rows) == 1
    assert rows[0][0] == "02/12/2026" and rows[0][2] == "Subject access answer due"
    assert rows[0][3] == "Đorđe (asked by Mila Petrović)" and "Petrović" in rows[0][4]
    view._open(view.model.index(0, 0))
    assert window.workspace.detail.case is not None
    assert window.workspace.detail.case.family_id == family_id


def test_consent_renewals_appear_in_the_deadlines_view(window):
    """Consent to share due for renewal on an open case is listed with the other deadlines
    (overdue in red like them), with the service's renewal period; closed cases are not."""
    from adviser_app.domain.records import PersonDetails
    from adviser_app.domain.vocab import Relationship
    from adviser_app.services import data_protection as dp

    db, actor, today = window.session.db, window.session.actor, window.session.today()
    case_id = old_closed_case(window)
    family_id = next(db.query("SELECT family_id FROM case_file WHERE id = ?", [case_id]))[
        "family_id"]
    casework.add_person(db, family_id, PersonDetails(
        "Gwen", "Oldcastle", Relationship.MOTHER, consent_to_share=True,
        consent_date=date(2025, 1, 1)), actor)
    view = window.workspace.deadlines
    window.workspace.show_deadlines()
    view.kind_filter.select("Consent to share")

    def shown() -> list[list[str]]:
        view.refresh(now=True)
        return [[view.model.index(r, c).data() for c in range(view.model.columnCount())]
                for r in range(view.model.rowCount())]

    assert not [r for r in shown() if "Gwen" in r[2]]  # the case is closed
    casework.reopen_case(db, case_id, actor, today)
    rows = [r for r in shown() if "Gwen" in r[2]]
    assert len(rows) == 1
    assert rows[0][0] == "01/01/2026" and rows[0][1] == "Overdue"
    assert rows[0][2] == "Renew Gwen Oldcastle's consent to share"
    assert "Oldcastle" in rows[0][4] and rows[0][6] == "The service's consent policy"
    dp.set_consent_renewal_months(db, 36, actor)  # due 01/01/2028: beyond the 4 weeks shown
    assert not [r for r in shown() if "Gwen" in r[2]]
    view.window_filter.select("All open deadlines")
    assert [r[0] for r in shown() if "Gwen" in r[2]] == ["01/01/2028"]
    view._open(view.model.index(0, 0))
    assert window.workspace.detail.case is not None
    assert window.workspace.detail.case.family_id == family_id


def test_an_anonymised_case_says_so_and_cannot_be_changed(window, qtbot, monkeypatch):
    from adviser_app.services import data_protection as dp
    from adviser_app.ui.case_view.entry_dialog import EntryDialog

    db, actor, today = window.session.db, window.session.actor, window.session.today()
    case_id = old_closed_case(window)
    other = next(db.query("SELECT id FROM case_file WHERE id != ? AND state = 'open'",
                          [case_id]))["id"]
    with db.atomic():
        dp.rows.anonymise_case(db, case_id, "Retention period over", today, actor)
    window.workspace.open_case(case_id)
    detail = window.workspace.detail
    assert detail.anonymised and detail.anonymised_band.isVisible()
    assert f"Anonymised on {today.strftime('%d/%m/%Y')}" in detail.anonymised_band.text()
    for button in (detail.visit_button, detail.edit_case_button, detail.close_button,
                   detail.new_case_button, detail.rename_button):
        assert not button.isEnabled(), button.text()
    assert not detail.statutory.isEnabled() and not detail.graduated.isEnabled()
    opened = []
    monkeypatch.setattr(EntryDialog, "exec", lambda self: opened.append(self) or 0)
    window.case_actions.add_visit_note()  # the menu and its shortcut too
    detail.add_entry()
    assert opened == [] and "anonymised" in window.statusBar().currentMessage()
    window.workspace.open_case(other)  # an ordinary case is as it was
    assert not detail.anonymised and not detail.anonymised_band.isVisible()
    assert detail.visit_button.isEnabled() and detail.statutory.isEnabled()


def test_unlocking_an_older_copy_makes_the_erasure_again(window, qtbot, populated_dir):
    from adviser_app.services import backups, case_books, restoring
    from adviser_app.services import data_protection as dp
    from adviser_app.store.db import data_key

    db = window.session.db
    case_id = old_closed_case(window)
    place = case_books.real_place(populated_dir)
    key = bytes(data_key(db))
    older = backups.backup_now(db, place)  # still holds the Oldcastle case
    dp.erase_case(db, case_id, "Retention period over", window.session.today(), "Sam Patel")
    told = []
    window.access.tell = lambda title, text: told.append((title, text))
    window.book.close_case_book()
    restoring.restore(place, older, key)
    assert window.book.unlock(PASSPHRASE)
    db = window.session.db
    assert not list(db.query("SELECT 1 FROM case_file WHERE id = ?", [case_id]))
    assert told and told[-1][0] == "Erasures made again" and "1 erasure made" in told[-1][1]
