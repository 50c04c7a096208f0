"""Letters in the app: choose, fill, preview inside the app, keep on the case, export."""

from __future__ import annotations

from dataclasses import replace

from adviser_app.services import casework, documents
from adviser_app.store.documents import documents_for_case
from adviser_app.ui.documents.document_dialog import DocumentDialog
from adviser_app.ui.documents.documents_list import DocumentsList
from adviser_app.ui.documents.letterhead_dialog import LetterheadDialog
from tests.ui.opening import open_okafor

HEAD = {"name": "Example SENDIASS", "address": "1 Example Street", "phone": "0113 496 0000",
        "email": "help@example.org", "footer": "", "signature_name": "",
        "signature_role": "SEND adviser", "logo_hex": ""}


def okafor_ready_for_a_summary(window):
    documents.save_letterhead(window.session.db, HEAD)
    detail = open_okafor(window)
    casework.update_case(window.session.db, detail.case.id, replace(
        detail.case.details, summary="Asking the school for a SEN support plan."), "Sam")
    return detail


def test_letterhead_form_validates_and_saves(window, qtbot):
    dialog = LetterheadDialog(window.session)
    qtbot.addWidget(dialog)
    dialog.email.setText("not an email")
    dialog._on_save()
    assert "Service name can't be left empty" in dialog.field_error("name")
    assert "email address" in dialog.field_error("email")
    dialog.name.setText("Example SENDIASS")
    dialog.email.setText("help@example.org")
    dialog._on_save()
    assert documents.letterhead(window.session.db)["name"] == "Example SENDIASS"


def test_case_summary_preview_keep_and_export(window, qtbot, tmp_path):
    detail = okafor_ready_for_a_summary(window)
    dialog = DocumentDialog(window.session, detail.case.id, "case_summary")
    qtbot.addWidget(dialog)
    assert "Grace" in dialog.recipient.toPlainText()
    assert "Dear Grace Okafor" in dialog.wording.toPlainText()
    assert not dialog.export_button.isEnabled()
    assert dialog.show_preview(), dialog.problems.text()
    assert dialog.preview.pdf_document.pageCount() >= 1
    assert documents_for_case(window.session.db, detail.case.id) == []  # preview keeps nothing
    dialog.wording.setPlainText(dialog.wording.toPlainText().replace(
        "Thank you for talking to us", "Thank you for seeing me at home"))
    assert dialog.keep()
    kept = documents_for_case(window.session.db, detail.case.id)
    assert [d.title for d in kept] == ["Your case summary"]
    assert "Thank you for seeing me at home" in kept[0].wording
    dialog.export_path = lambda: tmp_path / "summary.pdf"
    assert dialog.export() == tmp_path / "summary.pdf"
    assert (tmp_path / "summary.pdf").read_bytes().startswith(b"%PDF")
    listing = DocumentsList(window.session, detail.case.id)
    qtbot.addWidget(listing)
    assert listing.model.rowCount() == 1
    assert listing.preview.pdf_document.pageCount() >= 1


def test_missing_details_are_named_in_the_dialog(window, qtbot):
    detail = open_okafor(window)
    dialog = DocumentDialog(window.session, detail.case.id, "certificate_request")
    qtbot.addWidget(dialog)
    assert "the local authority decision" in dialog.problems.text()
    assert not dialog.show_preview()
    assert "fill in" in dialog.problems.text()


def test_a_kept_letter_says_plainly_why_it_has_no_word_copy_later(window, qtbot):
    """Issue 21, left: the case book keeps a letter as its PDF and wording, not the parts a
    Word copy is built from (the To lines, the answers typed, the tables as they stood that
    day), so no Word copy can be made of it later without making up what was sent. The app
    offers the Word copy while the letter is kept, and the list of kept letters says why it
    has none."""
    detail = okafor_ready_for_a_summary(window)
    dialog = DocumentDialog(window.session, detail.case.id, "case_summary")
    qtbot.addWidget(dialog)
    assert dialog.keep(), dialog.problems.text()
    assert dialog.word_button.isEnabled()
    assert "Word copy" in dialog.status.text() and "now" in dialog.status.text()
    listing = DocumentsList(window.session, detail.case.id)
    qtbot.addWidget(listing)
    assert listing.model.rowCount() == 1
    assert not listing.word_button.isEnabled()
    assert listing.word_note.text() == documents.NO_WORD_COPY_LATER
    assert listing.word_button.accessibleDescription() == documents.NO_WORD_COPY_LATER
    assert "PDF" in documents.NO_WORD_COPY_LATER and "typed" in documents.NO_WORD_COPY_LATER
