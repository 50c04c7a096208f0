"""Every export's save dialog opens where the last export went, and the folder is remembered
only once a file has really been written (letters, documents kept on a case, the audit log,
the report's figures)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from adviser_app.services import preferences
from adviser_app.ui import export_files
from adviser_app.ui.documents.document_dialog import DocumentDialog
from adviser_app.ui.documents.documents_list import DocumentsList
from adviser_app.ui.service.audit_dialog import AuditDialog
from tests.ui.test_documents_ui import okafor_ready_for_a_summary


@pytest.fixture
def save_dialog(monkeypatch):
    """Stands in for the operating system's save dialog: records where it opened and
    answers with the path the test chose (or cancels with None)."""
    asked: list[Path] = []
    answer: dict[str, Path | None] = {"path": None}

    def get_save_file_name(parent, title, start, file_filter):
        asked.append(Path(start))
        chosen = answer["path"]
        return (str(chosen) if chosen else "", file_filter)

    monkeypatch.setattr(export_files.QFileDialog, "getSaveFileName", get_save_file_name)
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda *a, **k: QMessageBox.StandardButton.Ok)
    return asked, answer


def test_a_kept_letter_is_exported_where_the_last_export_went(window, qtbot, tmp_path,
                                                             save_dialog):
    asked, answer = save_dialog
    db = window.session.db
    detail = okafor_ready_for_a_summary(window)
    dialog = DocumentDialog(window.session, detail.case.id, "case_summary")
    qtbot.addWidget(dialog)
    assert dialog.show_preview(), dialog.problems.text()
    assert dialog.keep()

    first, second = tmp_path / "usb stick", tmp_path / "letters"
    first.mkdir()
    second.mkdir()
    preferences.remember_export_folder(db, first)
    answer["path"] = None
    assert dialog.export() is None  # cancelled: nothing written, folder kept as it was
    assert asked[-1].parent == first
    assert preferences.export_folder(db) == first

    answer["path"] = second / "summary.pdf"
    assert dialog.export() == second / "summary.pdf"
    assert (second / "summary.pdf").read_bytes().startswith(b"%PDF")
    assert preferences.export_folder(db) == second

    listing = DocumentsList(window.session, detail.case.id)
    qtbot.addWidget(listing)
    listing.table.selectRow(0)
    answer["path"] = first / "again.pdf"
    assert listing.export() == first / "again.pdf"
    assert asked[-1].parent == second  # opened where the letter dialog's export went
    assert asked[-1].name.endswith(".pdf")
    assert (first / "again.pdf").read_bytes().startswith(b"%PDF")
    assert preferences.export_folder(db) == first


def test_the_audit_log_export_remembers_its_folder(window, qtbot, tmp_path, save_dialog):
    asked, answer = save_dialog
    db = window.session.db
    dialog = AuditDialog(window.session)
    qtbot.addWidget(dialog)
    assert asked == []
    answer["path"] = tmp_path / "audit.csv"
    assert dialog.export() == tmp_path / "audit.csv"
    assert asked[0] == Path.home() / "audit-log.csv"  # nothing remembered yet: home
    assert preferences.export_folder(db) == tmp_path
    dialog.export()
    assert asked[1] == tmp_path / "audit-log.csv"


def test_a_folder_that_has_gone_is_not_offered(window, qtbot, tmp_path, save_dialog):
    asked, answer = save_dialog
    gone = tmp_path / "stick taken out"
    gone.mkdir()
    preferences.remember_export_folder(window.session.db, gone)
    gone.rmdir()
    dialog = AuditDialog(window.session)
    qtbot.addWidget(dialog)
    assert dialog.export() is None
    assert asked == [Path.home() / "audit-log.csv"]
