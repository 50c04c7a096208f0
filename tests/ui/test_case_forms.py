"""Dialogs: new family and case, people, children, notes and tasks, with inline messages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from adviser_app.domain.vocab import AreaOfNeed, CaseIssue, ChildStatus, EntryKind
from adviser_app.services import case_books
from adviser_app.store import cases, families, timeline
from adviser_app.store.cases import CaseFilter, find_cases
from adviser_app.store.db import close_case_book
from adviser_app.ui.case_view import new_case_dialog as ncd
from adviser_app.ui.case_view.child_dialog import ChildDialog
from adviser_app.ui.case_view.close_case_dialog import CloseCaseDialog
from adviser_app.ui.case_view.entry_dialog import EntryDialog
from adviser_app.ui.form_support import set_checked
from adviser_app.ui.case_view.history_dialog import HistoryDialog
from adviser_app.ui.case_view.person_dialog import PersonDialog
from adviser_app.ui.case_view.task_dialog import TaskDialog
from support import open_book
from tests.ui.opening import open_okafor


def click_save(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def fill_new_case(dialog, *, surname="Nguyễn", child="Aïsha", dob="05/05/2015",
                  email="", parent="José") -> None:
    dialog.person.given_name.setText(parent)
    dialog.person.family_name.setText(surname)
    dialog.family_name.setText(surname)
    dialog.person.email.setText(email)
    dialog.person.postcode.setText("e8 1ab")
    dialog.child.given_name.setText(child)
    dialog.child.family_name.setText(surname)
    dialog.child.date_of_birth.setText(dob)
    dialog.child.status.select(ChildStatus.SEN_SUPPORT)
    set_checked(dialog.child.areas, AreaOfNeed.COGNITION, True)
    set_checked(dialog.case.issues, CaseIssue.EHC_ASSESSMENT, True)


def reopen(data_dir):
    return open_book(case_books.real_place(data_dir))


def test_new_family_case_is_saved_to_disk(window, qtbot, populated_dir):
    dialog = ncd.NewCaseDialog(window.session, window)
    qtbot.addWidget(dialog)
    fill_new_case(dialog)
    click_save(dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.created_case_id
    window.workspace.refresh_after_new(dialog.created_case_id)
    assert window.workspace.detail.family.family_name == "Nguyễn"
    assert "Saved" in window.statusBar().currentMessage()
    window.book.close_case_book()
    db = reopen(populated_dir)
    case = cases.get_case(db, dialog.created_case_id)
    family = families.get_family(db, case.family_id)
    assert family.children[0].details.given_name == "Aïsha"
    assert family.people[0].details.postcode == "E8 1AB"
    assert family.children[0].details.areas_of_need == {AreaOfNeed.COGNITION}
    assert case.details.issues == {CaseIssue.EHC_ASSESSMENT}
    assert case.details.child_ids == {family.children[0].id}
    close_case_book(db)


def test_bad_input_is_explained_at_the_field_and_nothing_is_saved(window, qtbot):
    before = len(find_cases(window.session.db, CaseFilter()).rows)
    dialog = ncd.NewCaseDialog(window.session, window)
    qtbot.addWidget(dialog)
    fill_new_case(dialog, dob="30/02/2025", email="grace@", parent="")
    set_checked(dialog.case.issues, CaseIssue.EHC_ASSESSMENT, False)
    click_save(dialog)
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "30 February 2025 doesn't exist" in dialog.field_error("child.date_of_birth")
    assert "email address" in dialog.field_error("person.email")
    assert "can't be left empty" in dialog.field_error("person.given_name")
    assert "at least one issue" in dialog.field_error("case.issues")
    assert dialog.summary.isVisibleTo(dialog) and "Please fix 4 things" in dialog.summary.text()
    assert len(find_cases(window.session.db, CaseFilter()).rows) == before
    # Fix everything: the same dialog saves, keeping what was typed.
    dialog.child.date_of_birth.setText("28/02/2015")
    dialog.person.email.setText("jose@example.org")
    dialog.person.given_name.setText("José")
    set_checked(dialog.case.issues, CaseIssue.EHC_ASSESSMENT, True)
    click_save(dialog)
    assert dialog.result() == dialog.DialogCode.Accepted


def test_future_date_of_birth_is_refused(window, qtbot):
    dialog = ncd.NewCaseDialog(window.session, window)
    qtbot.addWidget(dialog)
    fill_new_case(dialog, dob="01/01/2027")
    click_save(dialog)
    assert "can't be in the future" in dialog.field_error("child.date_of_birth")


def test_possible_duplicate_offers_the_existing_family(window, qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr(ncd.NewCaseDialog, "ask_about_duplicates",
                        lambda self, found: asked.append(found) or ncd.OPEN_EXISTING)
    before = len(find_cases(window.session.db, CaseFilter()).rows)
    dialog = ncd.NewCaseDialog(window.session, window)
    qtbot.addWidget(dialog)
    fill_new_case(dialog, surname="OKAFOR", child="tobi", dob="14/03/2017")
    click_save(dialog)
    assert asked and asked[0][0].family_name == "Okafor"
    assert "same date of birth" in asked[0][0].reason
    assert dialog.open_family_id and not dialog.created_case_id
    window.workspace.open_family(dialog.open_family_id)
    assert window.workspace.detail.family.family_name == "Okafor"
    assert len(find_cases(window.session.db, CaseFilter()).rows) == before


def test_duplicate_can_still_be_created_on_purpose(window, qtbot, monkeypatch):
    monkeypatch.setattr(ncd.NewCaseDialog, "ask_about_duplicates",
                        lambda self, found: ncd.CREATE_ANYWAY)
    dialog = ncd.NewCaseDialog(window.session, window)
    qtbot.addWidget(dialog)
    fill_new_case(dialog, surname="Okafor", child="Tobi", dob="14/03/2017")
    click_save(dialog)
    assert dialog.created_case_id


def test_visit_note_shortcut_opens_the_note_form(window, qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr(EntryDialog, "exec", lambda self: opened.append(self) or 0)
    window.case_actions.add_visit_note()
    assert opened == []  # no case open yet: a hint instead
    assert "Open a case first" in window.statusBar().currentMessage()
    open_okafor(window)
    window.menus.visit_note_action.trigger()
    assert len(opened) == 1 and opened[0].kind.choice() is EntryKind.HOME_VISIT
    assert opened[0].entry_date.text() == "28/11/2026"
    assert window.menus.visit_note_action.shortcut().toString() == "Ctrl+Shift+N"


def test_editing_a_note_keeps_every_version(window, qtbot, populated_dir):
    detail = open_okafor(window)
    entry = detail.timeline_model.record(0)
    dialog = EntryDialog(window.session, detail.case.id, entry)
    qtbot.addWidget(dialog)
    dialog.body.setPlainText("Visited Grace; agreed to ask the SENCO for the support plan.")
    click_save(dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    versions = timeline.entry_history(window.session.db, entry.id)
    assert [v.details.body for v in versions] == [
        "Visited Grace at home; Tobi's reading support.",
        "Visited Grace; agreed to ask the SENCO for the support plan."]
    history = HistoryDialog(versions)
    qtbot.addWidget(history)
    assert "Version 1" in history.text.toPlainText() and "Version 2" in \
        history.text.toPlainText()
    window.book.close_case_book()
    db = reopen(populated_dir)
    assert len(timeline.entry_history(db, entry.id)) == 2
    close_case_book(db)


def test_empty_note_is_refused(window, qtbot):
    detail = open_okafor(window)
    dialog = EntryDialog(window.session, detail.case.id)
    qtbot.addWidget(dialog)
    click_save(dialog)
    assert "Note can't be left empty" in dialog.field_error("body")
    assert len(timeline.list_entries(window.session.db, detail.case.id)) == 1


def test_person_dialog_validates_and_saves(window, qtbot):
    detail = open_okafor(window)
    dialog = PersonDialog(window.session, detail.family.id)
    qtbot.addWidget(dialog)
    dialog.fields.given_name.setText("Chidi")
    dialog.fields.family_name.setText("Okafor")
    dialog.fields.phone.setText("12345")
    click_save(dialog)
    assert "UK phone number" in dialog.field_error("phone")
    dialog.fields.phone.setText("+44 7700 900456")
    dialog.fields.consent.setChecked(True)
    click_save(dialog)
    assert "Date consent was given is needed" in dialog.field_error("consent_date")
    dialog.fields.consent_date.setText("20/11/2026")
    click_save(dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    detail.show_case(detail.case.id)
    assert [p.details.given_name for p in detail.people_model.records()] == ["Grace", "Chidi"]


def test_child_dialog_shows_age_and_young_person(window, qtbot):
    detail = open_okafor(window)
    dialog = ChildDialog(window.session, detail.family.id, add_to_case=detail.case.id)
    qtbot.addWidget(dialog)
    dialog.fields.date_of_birth.setText("01/01/2010")
    assert "16 years old" in dialog.fields.age.text()
    assert "young person" in dialog.fields.age.text()
    dialog.fields.given_name.setText("Ada")
    dialog.fields.family_name.setText("Okafor")
    click_save(dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    detail.show_case(detail.case.id)
    assert "Ada Okafor" in detail.header.facts.text()


def test_tasks_and_closing_a_case(window, qtbot):
    detail = open_okafor(window)
    dialog = TaskDialog(window.session, detail.case.id)
    qtbot.addWidget(dialog)
    dialog.title.setText("Ask the SENCO for the SEN support plan")
    dialog.due_on.setText("25/11/2026")
    click_save(dialog)
    detail.show_case(detail.case.id)
    assert "3 days overdue" in detail.header.due.text()
    detail.tasks_view.selectRow(0)
    qtbot.mouseClick(detail.toggle_task_button, Qt.MouseButton.LeftButton)
    assert detail.tasks_model.record(0).done
    close = CloseCaseDialog(window.session, detail.case)
    qtbot.addWidget(close)
    close.closed_on.setText("01/01/2020")
    click_save(close)
    assert "can't be before" in close.field_error("closed_on")
    close.closed_on.setText("28/11/2026")
    click_save(close)
    assert close.result() == close.DialogCode.Accepted
    detail.show_case(detail.case.id)
    assert "Closed 28/11/2026" in detail.header.facts.text()
    assert detail.close_button.accessibleName() == "Reopen case"
    detail.close_button.click()
    assert "Open" in detail.header.facts.text()


def test_fields_stay_put_as_messages_clear_and_the_summary_counts_what_is_left(window,
                                                                               qtbot):
    """Issue 21: fixing a field used to close its message's gap, moving every field below it
    under the mouse; the "Please fix 4 things" summary did not follow the fixes."""
    dialog = ncd.NewCaseDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    fill_new_case(dialog, dob="30/02/2025", email="grace@", parent="")
    set_checked(dialog.case.issues, CaseIssue.EHC_ASSESSMENT, False)
    click_save(dialog)
    assert "Please fix 4 things" in dialog.summary.text()

    def places() -> dict[str, int]:
        qtbot.wait(50)  # let the layouts settle
        return {name: widget.mapTo(dialog, widget.rect().topLeft()).y()
                for name, widget in dialog._fields.items() if widget.isVisible()}

    before = places()
    dialog.person.given_name.setText("José")
    assert places() == before
    assert "Please fix 3 things" in dialog.summary.text()
    assert "can't be left empty" not in dialog.summary.text()
    dialog.child.date_of_birth.setText("28/02/2015")
    dialog.person.email.setText("jose@example.org")
    assert places() == before
    assert "Please fix 1 thing " in dialog.summary.text()
    assert "at least one issue" in dialog.summary.text()
