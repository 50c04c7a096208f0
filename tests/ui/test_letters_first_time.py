"""Issue 21, letters right the first time: the new-family form takes the address lines and
letters use them; the To box is offered for the local authority; the letters dialog opens on
the document the case most likely needs."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import QDialogButtonBox
from pypdf import PdfReader

from adviser_app.domain.mediation import Choice, Decision, MediationDraft
from adviser_app.domain.vocab import AreaOfNeed, CaseIssue, ChildStatus
from adviser_app.services import casework, documents, mediation
from adviser_app.store import cases, families
from adviser_app.ui.case_view import new_case_dialog as ncd
from adviser_app.ui.case_view.person_dialog import PersonDialog
from adviser_app.ui.documents.document_dialog import DocumentDialog
from adviser_app.ui.form_support import set_checked

HEAD = {"name": "Example SENDIASS", "address": "1 Example Street", "phone": "0113 496 0000",
        "email": "help@example.org", "footer": "", "signature_name": "",
        "signature_role": "SEND adviser", "logo_hex": ""}


def click_save(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_new_family_form_takes_address_lines_used_by_the_case_summary(window, qtbot):
    dialog = ncd.NewCaseDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.person.given_name.setText("Ama")
    dialog.person.family_name.setText("Mensah")
    dialog.family_name.setText("Mensah")
    dialog.person.address.setPlainText("Flat 3, Rye Court\n22 Bellenden Road,\nLondon\nse15 4ab")
    dialog.child.given_name.setText("Kofi")
    dialog.child.family_name.setText("Mensah")
    dialog.child.date_of_birth.setText("05/05/2015")
    dialog.child.school.setText("Bellenden Primary")
    dialog.child.status.select(ChildStatus.SEN_SUPPORT)
    set_checked(dialog.child.areas, AreaOfNeed.COGNITION, True)
    set_checked(dialog.case.issues, CaseIssue.SEN_SUPPORT, True)
    dialog.case.summary.setPlainText("Asking the school for a SEN support plan.")
    click_save(dialog)
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "looks like a postcode: put it in the Postcode box" in \
        dialog.field_error("person.address")
    dialog.person.postcode.setText("SE15 4AB")  # now the same: the repeat is dropped
    click_save(dialog)
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.field_error("person.address")
    db = window.session.db
    family = families.get_family(db, cases.get_case(db, dialog.created_case_id).family_id)
    assert family.people[0].details.address == "Flat 3, Rye Court\n22 Bellenden Road\nLondon"

    edit = PersonDialog(window.session, family.id, family.people[0])  # and edited later
    qtbot.addWidget(edit)
    assert edit.fields.address.toPlainText() == family.people[0].details.address

    documents.save_letterhead(db, HEAD)
    letter = DocumentDialog(window.session, dialog.created_case_id, "case_summary")
    qtbot.addWidget(letter)
    assert letter.recipient.toPlainText().splitlines() == [
        "Ama Mensah", "Flat 3, Rye Court", "22 Bellenden Road", "London", "SE15 4AB"]
    assert letter.keep(), letter.problems.text()
    assert letter.pdf is not None
    text = PdfReader(io.BytesIO(letter.pdf)).pages[0].extract_text()
    lines = text.splitlines()
    start = lines.index("Ama Mensah")
    assert lines[start:start + 5] == ["Ama Mensah", "Flat 3, Rye Court", "22 Bellenden Road",
                                      "London", "SE15 4AB"]


def test_to_box_for_the_la_asks_once_then_is_filled(window, qtbot):
    db = window.session.db
    documents.save_letterhead(db, HEAD)
    window.workspace.case_list.search.setText("okafor")
    case_id = window.workspace.case_list.model.summary(0).id
    grace = families.get_family(db, cases.get_case(db, case_id).family_id).people[0]
    casework.update_person(db, grace.id, replace(grace.details, email="grace@example.org"),
                           "test")
    first = DocumentDialog(window.session, case_id, "ehc_assessment_request")
    qtbot.addWidget(first)
    assert first.recipient.toPlainText() == ""
    assert first.recipient_note.isVisibleTo(first)
    assert first.recipient_note.text() == (
        "Type the SEN team's name and address at Southwark, one line each. It will be "
        "offered again for this local authority's next letter.")
    first.recipient.setPlainText("SEN team\nSouthwark Council\n160 Tooley Street\nSE1 2QH")
    first.typed["send_support_history"].setPlainText("Two terms of SEN support.")
    first.typed["evidence"].setPlainText("School report, July 2026.")
    assert first.keep(), first.problems.text()
    again = DocumentDialog(window.session, case_id, "ehc_assessment_request")
    qtbot.addWidget(again)
    assert again.recipient.toPlainText().splitlines() == [
        "SEN team", "Southwark Council", "160 Tooley Street", "SE1 2QH"]
    assert "as on the last letter kept for the SEN team at Southwark:" in \
        again.recipient_note.text()
    again.choice.select("case_summary")  # a letter to the family: no note
    assert not again.recipient_note.isVisibleTo(again)


def test_letters_dialog_opens_on_the_document_the_case_needs_next(window, qtbot):
    db = window.session.db
    window.workspace.case_list.search.setText("okafor")
    case_id = window.workspace.case_list.model.summary(0).id
    plain = DocumentDialog(window.session, case_id)
    qtbot.addWidget(plain)
    assert plain.choice.choice() == "case_summary"
    assert plain.suggestion.text().startswith("Suggested for this case: A summary for the "
                                              "family")
    child = families.get_family(db, cases.get_case(db, case_id).family_id).children[0]
    mediation.save(db, case_id, MediationDraft(
        child_id=child.id, decision=Decision.REFUSE_ASSESS, letter_sent=date(2026, 11, 2),
        choice=Choice.MEDIATION), "test")
    wanted = DocumentDialog(window.session, case_id)
    qtbot.addWidget(wanted)
    assert wanted.choice.choice() == "mediation_request"
    assert "The family wants mediation about the local authority's decision not to carry " \
           "out an EHC needs assessment (sent 02/11/2026)" in wanted.suggestion.text()
    asked = DocumentDialog(window.session, case_id, "deadline_schedule")  # asked by name
    qtbot.addWidget(asked)
    assert asked.choice.choice() == "deadline_schedule"
    assert not asked.suggestion.isVisibleTo(asked)


def test_a_kept_letter_can_be_exported_as_an_accessible_word_file(window, qtbot, tmp_path):
    from docx import Document

    db = window.session.db
    documents.save_letterhead(db, HEAD)
    window.workspace.case_list.search.setText("okafor")
    case_id = window.workspace.case_list.model.summary(0).id
    casework.update_case(db, case_id, replace(cases.get_case(db, case_id).details,
                                              summary="Asking for a SEN support plan."), "t")
    dialog = DocumentDialog(window.session, case_id, "case_summary")
    qtbot.addWidget(dialog)
    assert not dialog.word_button.isEnabled()  # only a letter kept on the case
    assert dialog.keep(), dialog.problems.text()
    assert dialog.word_button.isEnabled()
    asked: list[str] = []
    dialog.export_path = lambda suffix=".pdf": asked.append(suffix) or tmp_path / "a.docx"
    assert dialog.export_word() == tmp_path / "a.docx"
    assert asked == [".docx"]
    word = Document(str(tmp_path / "a.docx"))
    assert word.core_properties.title == "Your case summary"
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["Your case summary", "About Tobi"]
    # the same words as the PDF kept on the case
    assert dialog.pdf is not None
    pdf_words = " ".join(" ".join(page.extract_text() for page in
                                  PdfReader(io.BytesIO(dialog.pdf)).pages).split())
    for paragraph in word.paragraphs:
        if paragraph.text.strip():
            assert " ".join(paragraph.text.split()) in pdf_words, paragraph.text
    assert documents.export_file_name(db, case_id, "Your case summary", date(2026, 11, 28),
                                      ".docx").endswith("Your case summary 2026-11-28.docx")
