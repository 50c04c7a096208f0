"""One document for many cases: PDFs are drawn off the GUI thread with progress; the GUI stays
responsive; cancel keeps what is done; cases missing data are skipped with a reason."""

from __future__ import annotations

from dataclasses import replace

from adviser_app.services import casework, documents
from adviser_app.store import cases
from adviser_app.store.cases import CaseFilter, find_cases
from adviser_app.store.documents import documents_for_case
from adviser_app.ui.documents.batch_dialog import BatchDialog

HEAD = {"name": "Example SENDIASS", "address": "1 Example Street", "phone": "0113 496 0000",
        "email": "help@example.org", "footer": "", "signature_name": "",
        "signature_role": "SEND adviser", "logo_hex": ""}


def test_batch_makes_and_keeps_a_document_per_case(window, qtbot):
    db = window.session.db
    documents.save_letterhead(db, HEAD)
    summaries = find_cases(db, CaseFilter()).rows
    for s in summaries:  # all get a summary; only Okafor and O'Brien have a school on record
        case = cases.get_case(db, s.id)
        casework.update_case(db, s.id, replace(case.details, summary="What is happening."), "t")
    dialog = BatchDialog(window.session)
    qtbot.addWidget(dialog)
    dialog.choice.select("case_summary")
    dialog._tick_all()
    ticks = []
    dialog.runner.progressed.connect(ticks.append)
    dialog.start()
    qtbot.waitUntil(lambda: "Made and kept" in dialog.report.text(), timeout=20_000)
    assert dialog.kept == 2 and ticks[-1] == 2, dialog.report.text()
    assert "2 cases were skipped" in dialog.report.text()
    assert "needs the child's school or setting" in dialog.report.text()
    made = {s.family_name: len(documents_for_case(db, s.id)) for s in summaries}
    assert made == {"Okafor": 1, "O'Brien": 1, "Wiśniewska": 0, "Petrović": 0}


def test_render_many_stops_when_cancelled():
    from adviser_app.domain.letters import Block, Letter
    from adviser_app.pdf.letters import Letterhead

    letters = [Letter("x v1", "T", (Block("paragraph", str(n)),)) for n in range(5)]
    done = []
    out = documents.render_many(letters, Letterhead("S"), False, done.append,
                                cancelled=lambda: len(done) >= 2)
    assert len(out) == 2 and done == [1, 2]


def test_closing_while_letters_are_filled_in_stops_cleanly(window, qtbot):
    documents.save_letterhead(window.session.db, HEAD)
    dialog = BatchDialog(window.session)
    qtbot.addWidget(dialog)
    dialog.choice.select("case_summary")
    dialog._tick_all()
    dialog.start()
    assert dialog.step_timer.isActive()  # filled in a few at a time, not all at once
    dialog.reject()
    qtbot.wait(50)
    assert not dialog.step_timer.isActive() and dialog.kept == 0
    assert not dialog.runner.pool.activeThreadCount()


def test_cases_are_ticked_with_the_keyboard(window, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    dialog = BatchDialog(window.session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.ready)
    assert dialog.case_model.rowCount() == 4  # the open cases
    dialog.cases.setFocus()
    dialog.cases.setCurrentIndex(dialog.cases.model().index(1, 0))  # the list, maybe filtered
    QTest.keyClick(dialog.cases, Qt.Key.Key_Space)
    assert dialog.case_model.ticked_ids() == [dialog.case_model.labels[1].id]
    QTest.keyClick(dialog.cases, Qt.Key.Key_Space)
    assert dialog.case_model.ticked_ids() == []
    dialog._tick_all()
    assert len(dialog.case_model.ticked_ids()) == 4


def test_ticks_are_counted_filtered_confirmed_and_cleared_once_made(window, qtbot):
    """Issue 21: no count, no untick, no filter, no confirmation; after a run (or Cancel) the
    ticks stayed, so running again made duplicates."""
    from adviser_app.ui.documents import batch_dialog

    db = window.session.db
    documents.save_letterhead(db, HEAD)
    dialog = BatchDialog(window.session)
    qtbot.addWidget(dialog)
    dialog.choice.select("deadline_schedule")
    qtbot.waitUntil(lambda: dialog.ready)
    assert dialog.count.text() == "0 of 4 ticked"
    dialog.filter.setText("okafor")
    assert dialog.cases.model().rowCount() == 1
    dialog.all_button.click()
    assert dialog.count.text() == "1 of 4 ticked"
    dialog.filter.setText("")
    dialog.all_button.click()
    assert dialog.count.text() == "4 of 4 ticked"
    dialog.none_button.click()
    assert dialog.count.text() == "0 of 4 ticked"
    dialog.all_button.click()
    asked = []
    dialog.confirm_many = lambda count, title: asked.append(count) or False
    batch_dialog.CONFIRM_FROM = 4
    try:
        dialog.start_button.click()
        assert asked == [4] and not dialog.step_timer.isActive()  # said no: nothing made
        dialog.confirm_many = lambda count, title: asked.append(count) or True
        dialog.start_button.click()
        qtbot.waitUntil(lambda: "Made and kept" in dialog.report.text(), timeout=30_000)
    finally:
        batch_dialog.CONFIRM_FROM = 5
    made = sum(len(documents_for_case(db, s.id)) for s in find_cases(db, CaseFilter()).rows)
    assert made == dialog.kept > 0
    assert dialog.count.text() == f"{4 - dialog.kept} of 4 ticked"  # the made ones unticked


def test_the_dialog_opens_first_and_reads_the_open_cases_a_part_a_turn(
        window, qtbot, monkeypatch):
    """On a large case book reading every open case was most of the time the dialog took to
    open (the window stood still): it now opens, then fills its list a part at a time."""
    from adviser_app.ui.documents import batch_dialog

    monkeypatch.setattr(batch_dialog, "READ_AT_ONCE", 1)
    dialog = BatchDialog(window.session)
    qtbot.addWidget(dialog)
    assert not dialog.ready and dialog.case_model.rowCount() == 0
    assert dialog.count.text() == "Reading the open cases\u2026"
    assert not dialog.all_button.isEnabled() and not dialog.filter.isEnabled()
    seen = []
    dialog.case_model.rowsInserted.connect(lambda *_: seen.append(dialog.case_model.rowCount()))
    qtbot.waitUntil(lambda: dialog.ready, timeout=5_000)
    assert seen == [1, 2, 3, 4]  # one case a turn
    references = [label.reference for label in dialog.case_model.labels]
    assert references == sorted(references) and len(set(references)) == 4
    assert dialog.count.text() == "0 of 4 ticked"
    assert dialog.all_button.isEnabled() and dialog.cases.isEnabled()
    dialog.case_model.tick(0)
    dialog.read_cases()  # once read, never again: a tick is never lost
    assert dialog.count.text() == "1 of 4 ticked"


def test_starting_before_the_list_is_read_reads_the_rest_first(window, qtbot, monkeypatch):
    from adviser_app.ui.documents import batch_dialog

    monkeypatch.setattr(batch_dialog, "READ_AT_ONCE", 1)
    dialog = BatchDialog(window.session)
    qtbot.addWidget(dialog)
    dialog._read_part(limit=1)  # one turn's part
    dialog._tick_all()
    assert dialog.ready and dialog.count.text() == "4 of 4 ticked"
