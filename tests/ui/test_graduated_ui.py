"""The Graduated approach tab over a real encrypted case book: two full cycles recorded through
the tab and its dialogs, the gaps changing as they go, meetings, checklist marks, the passport
editor with targets, and SEN support reviews in the Deadlines view."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QComboBox, QDialogButtonBox,
                               QHeaderView, QLineEdit, QPlainTextEdit, QWidget)

from adviser_app.domain.graduated.cycles import EvidenceKind, NextStep, Progress
from adviser_app.domain.graduated.expectations import CheckStatus
from adviser_app.domain.graduated.passport import TargetStatus
from adviser_app.services import case_books, graduated
from adviser_app.store.db import close_case_book
from adviser_app.ui.graduated.cycle_dialog import CycleDialog
from adviser_app.ui.graduated.graduated_checklist import CheckDialog
from adviser_app.ui.graduated.graduated_meetings import MeetingDialog
from adviser_app.ui.graduated.passport_editor import PassportEditor
from adviser_app.ui.graduated.target_review_dialog import TargetReviewDialog
from support import open_book

PARENTS_TOLD = "No record that parents were told SEN support started"
SLOW = "Two cycles with little progress and no specialist involved (cycles 1 and 2)"


def click_save(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


@pytest.fixture
def tab(window):
    window.workspace.case_list.search.setText("okafor")
    window.workspace.open_case(window.workspace.case_list.model.summary(0).id)
    detail = window.workspace.detail
    detail.tabs.setCurrentWidget(detail.graduated)
    return detail.graduated


@pytest.fixture
def drive(monkeypatch, qtbot):
    """Make a dialog class's exec() run *steps* on the real dialog instead of waiting for a
    person; each step fills fields and clicks Save. Returns the dialogs seen."""
    seen: list = []

    def use(cls, *steps: Callable) -> list:
        def fake_exec(self) -> int:
            qtbot.addWidget(self)
            self.show()
            seen.append(self)
            for step in steps:
                step(self)
                click_save(self)
                if self.result() == self.DialogCode.Accepted:
                    break
            return self.result()
        monkeypatch.setattr(cls, "exec", fake_exec)
        return seen
    return use


def gap_texts(tab) -> list[str]:
    return [g.text for g in graduated.overview(tab.session.db, tab.child().id,
                                               tab.session.today()).gaps]


def assess_and_plan(qtbot, day: str, plan: str, review: str):
    def step(d: CycleDialog) -> None:
        d.assessed_on.clear()
        qtbot.keyClicks(d.assessed_on, day)
        d.assessed_by.setText("Class teacher with Mrs Farrant (SENCO)")
        d.senco_involved.setChecked(True)
        d.evidence.add_button.click()
        row = d.evidence.table.rowCount() - 1
        for column, value in enumerate((EvidenceKind.TEACHER_ASSESSMENT, "SENCO observation",
                                        "Mrs Farrant", day)):
            d.evidence.set_cell(row, column, value)
        d.evidence.add_row([EvidenceKind.PUPIL_VIEWS, "Talked about school", "Tobi", day])
        d.pages.setCurrentIndex(1)
        d.planned_on.setText(plan)
        d.agreed.setChecked(True)
        d.outcomes.add_row(["Use new topic words in class"])
        d.outcomes.add_row(["Move between activities with a prompt"])
        d.support.add_row(["Small-group language sessions", "Teaching assistant",
                           "3 times a week", plan])
        d.review_due.setText(review)
        d.on_passport.setChecked(True)
    return step


def do_and_review(reviewed: str, progress: tuple[Progress, Progress], step: NextStep):
    def fill(d: CycleDialog) -> None:
        d.pages.setCurrentIndex(2)
        d.copy_button.click()
        d.senco_support.setPlainText("Fortnightly check-in with the class teacher")
        for row, level in enumerate(progress):
            d.outcomes.set_cell(row, 1, level)
        d.pages.setCurrentIndex(3)
        d.reviewed_on.setText(reviewed)
        d.parent_views.setPlainText("Mrs Okafor says he is calmer at home")
        d.pupil_views.setPlainText("\u201cThe group is fun\u201d")
        d.next_step.select(step)
    return fill


def test_two_full_cycles_through_the_tab_and_the_gaps_change(tab, drive, qtbot, window,
                                                             populated_dir):
    assert "No SEN support cycles recorded yet." in tab.position.text()
    # nothing recorded is not an all-clear (found walking the journeys)
    assert "No gaps found" not in tab.checklist.gaps.toPlainText()
    assert "Nothing recorded yet to check" in tab.checklist.gaps.toPlainText()

    def review_without_plan(d: CycleDialog) -> None:
        d.pages.setCurrentIndex(3)
        d.reviewed_on.setText("27/03/2026")

    def then_fix_it(d: CycleDialog) -> None:
        assert "A review looks at a plan" in d.summary.text()
        assert d.pages.currentIndex() == 0  # the first problem: no start date
        assert "Give the date of the assessment or of the plan" in \
            d.field_error("assessed_on")
        d.reviewed_on.clear()
        assess_and_plan(qtbot, "12/01/2026", "02/02/2026", "27/03/2026")(d)

    dialogs = drive(CycleDialog, review_without_plan, then_fix_it)
    tab.add_button.click()
    assert dialogs[-1].result() == dialogs[-1].DialogCode.Accepted
    assert tab.cycles_model.rowCount() == 1
    texts = gap_texts(tab)
    assert PARENTS_TOLD in texts
    assert "Review date passed with no review (cycle 1: due 27/03/2026)" in texts
    assert "Cycle 1: no record of the support actually delivered" in texts
    assert "Cycle 1 of 1: Plan (review due 27/03/2026)" in tab.position.text()
    assert PARENTS_TOLD in tab.checklist.gaps.toPlainText()
    assert tab.sections.tabText(1) == f"Checklist ({len(texts)} gaps)"

    # open cycle 1 and record what was done and the review
    drive(CycleDialog, do_and_review("27/03/2026", (Progress.SOME, Progress.LITTLE),
                                     NextStep.ADJUST))
    tab.cycles_view.selectRow(0)
    tab.edit_button.click()
    texts = gap_texts(tab)
    assert not any(t.startswith("Review date passed") for t in texts)
    assert not any("support actually delivered" in t for t in texts)
    assert "Reviewed 27/03/2026; next: adjust the support" in tab.position.text()
    assert SLOW not in texts

    # cycle 2, both halves at once; little progress again
    drive(CycleDialog, lambda d: (assess_and_plan(qtbot, "14/04/2026", "20/04/2026",
                                                  "10/07/2026")(d),
                                  do_and_review("10/07/2026", (Progress.LITTLE,
                                                               Progress.SOME),
                                                NextStep.SPECIALIST)(d)))
    tab.add_button.click()
    assert tab.cycles_model.rowCount() == 2
    texts = gap_texts(tab)
    assert SLOW in texts
    assert any("decided to involve a specialist" in t for t in texts)
    assert SLOW in tab.checklist.gaps.toPlainText()

    # a specialist's report added to cycle 2 clears both specialist gaps
    def add_report(d: CycleDialog) -> None:
        d.evidence.add_row([EvidenceKind.SPECIALIST_REPORT,
                            "Speech and language therapy report", "NHS SALT", "20/07/2026"])
    drive(CycleDialog, add_report)
    tab.cycles_view.selectRow(1)
    tab.edit_button.click()
    texts = gap_texts(tab)
    assert SLOW not in texts and not any("specialist" in t for t in texts)
    assert PARENTS_TOLD in texts

    # parents were told: recorded on cycle 1's plan page
    drive(CycleDialog, lambda d: d.parents_told_on.setText("03/02/2026"))
    tab.cycles_view.selectRow(0)
    tab.edit_button.click()
    assert PARENTS_TOLD not in gap_texts(tab)
    assert "03/02/2026" in tab.cycles_model.index(0, 2).data()

    window.book.close_case_book()
    db = open_book(case_books.real_place(populated_dir))
    try:
        child_id = next(r["id"] for r in db.query("SELECT id FROM child WHERE given_name = "
                                                  "'Tobi'"))
        cycles = graduated.overview(db, child_id, tab.session.today()).cycles
        assert [len(c.details.provision) for c in cycles] == [1, 1]
        assert cycles[1].details.next_step is NextStep.SPECIALIST
    finally:
        close_case_book(db)


def test_errors_show_on_the_page_they_belong_to(tab, qtbot):
    dialog = CycleDialog(tab.session, tab.child())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.pages.setCurrentIndex(0)
    dialog.assessed_on.setText("12/01/2026")
    dialog.planned_on.setText("02/02/2026")
    dialog.review_due.setText("01/02/2026")
    click_save(dialog)
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.pages.currentIndex() == 1
    assert "The review date must be after the plan (02/02/2026)." in \
        dialog.field_error("review_due")
    dialog.review_due.setText("27/03/2026")
    dialog.evidence.add_row([None, "Parents' call", "", "31/02/2026"])
    click_save(dialog)
    assert dialog.pages.currentIndex() == 0
    assert "Evidence row 1: date: 31 February 2026 doesn't exist." in \
        dialog.field_error("evidence")
    assert "who it is from can't be left empty" in dialog.field_error("evidence")


def test_meetings_and_an_adviser_mark_change_the_gaps(tab, drive, qtbot):
    drive(CycleDialog, assess_and_plan(qtbot, "08/09/2026", "14/09/2026", "14/12/2026"))
    tab.add_button.click()
    assert "Fewer than three parent meetings this school year (0 so far in 2026/27)" in \
        gap_texts(tab)
    for day in ("15/09/2026", "20/10/2026", "31/08/2026"):
        drive(MeetingDialog, lambda d, day=day: (qtbot.keyClicks(d.met_on, day),
                                                 d.led_by.setText("Ms Lee"),
                                                 d.notes.setPlainText("Zoë's aunt came")))
        tab.meetings.add_button.click()
    assert "2026/27</b> so far: 2 of 3" in tab.meetings.years.text()
    assert "Only 1 parent meeting in school year 2025/26 (the Code expects at least 3)" in \
        gap_texts(tab)
    assert "Fewer than three parent meetings this school year (2 so far in 2026/27)" in \
        gap_texts(tab)
    drive(MeetingDialog, lambda d: d.met_on.setText("18/11/2026"))
    tab.meetings.add_button.click()
    assert not any("this school year" in t for t in gap_texts(tab))
    assert [tab.meetings.model.index(r, 1).data() for r in range(4)] == [
        "2026/27", "2026/27", "2026/27", "2025/26"]

    row = next(n for n, r in enumerate(tab.checklist.model.records())
               if r.expectation.key == "parents_told")
    tab.checklist.view.selectRow(row)
    def no_evidence(d: CheckDialog) -> None:
        assert d.found.text() == f"Not met: {PARENTS_TOLD}"
        d.status.select(CheckStatus.MET)

    def with_evidence(d: CheckDialog) -> None:
        assert "Say what the evidence is" in d.field_error("evidence")
        d.evidence.setPlainText("Letter to parents dated 15/09/2026")

    dialogs = drive(CheckDialog, no_evidence, with_evidence)
    tab.checklist.set_button.click()
    assert dialogs[0].result() == dialogs[0].DialogCode.Accepted
    assert PARENTS_TOLD not in gap_texts(tab)
    marked = tab.checklist.model.record(row)
    assert marked.status is CheckStatus.MET
    assert tab.checklist.model.index(row, 0).data() == "Met (adviser)"


def test_passport_editor_and_targets_across_reviews(tab, drive, qtbot):
    assert "No pupil passport recorded yet" in tab.passport.text.toPlainText()
    assert not tab.passport.progress_button.isEnabled()

    def first_try(d: PassportEditor) -> None:
        d.made_on.setText("10/11/2026")
        d.review_on.setText("01/11/2026")
        d.texts["strengths"].setPlainText("Lego, drawing, dinosaurs")
        d.texts["needs_communication"].setPlainText("Finds it hard to find the right words")
        d.texts["own_words"].setPlainText("\u201cI like Lego. Ms Łukasiewicz helps me.\u201d")
        d.texts["what_helps"].setPlainText("A visual timetable; warning before changes")
        d.consent.setChecked(True)
        d.targets.add_row(["Ask an adult for help when stuck", "02/02/2026"])
        d.targets.add_row(["Use the visual timetable", ""])

    def second_try(d: PassportEditor) -> None:
        assert "The review date must be after" in d.field_error("review_on")
        d.review_on.setText("15/01/2027")

    dialogs = drive(PassportEditor, first_try, second_try)
    tab.passport.edit_button.click()
    assert dialogs[0].result() == dialogs[0].DialogCode.Accepted
    shown = tab.passport.text.toPlainText()
    assert "About me: strengths and interests" in shown and "Łukasiewicz" in shown
    assert "My needs: communication and interaction" in shown
    assert tab.passport.targets_model.rowCount() == 2

    drive(TargetReviewDialog, lambda d: (d.checked_on.setText("27/03/2026"),
                                         d.statuses[0][0].select(TargetStatus.WORKING)))
    tab.passport.progress_button.click()
    drive(TargetReviewDialog, lambda d: (d.checked_on.setText("20/11/2026"),
                                         d.statuses[0][0].select(TargetStatus.PARTLY),
                                         d.statuses[0][1].setText("most days"),
                                         d.statuses[1][0].select(TargetStatus.MET)))
    tab.passport.progress_button.click()
    first = tab.passport.targets_model.record(0)
    assert first.status is TargetStatus.PARTLY
    assert tab.passport.targets_model.index(0, 3).data() == \
        "27/03/2026 Working towards; 20/11/2026 Partly met"

    # editing the passport keeps the targets' history; removing one drops it
    def rename(d: PassportEditor) -> None:
        d.targets.set_cell(0, 0, "Ask an adult for help")
        d.targets.table.setCurrentCell(1, 0)
        d.targets.remove_selected()
    drive(PassportEditor, rename)
    tab.passport.edit_button.click()
    (kept,) = tab.passport.targets_model.records()
    assert kept.description == "Ask an adult for help" and len(kept.checks) == 2


def test_reviews_due_show_in_the_deadlines_view_with_their_source(tab, drive, qtbot, window):
    drive(CycleDialog, assess_and_plan(qtbot, "09/11/2026", "16/11/2026", "10/12/2026"))
    tab.add_button.click()
    window.workspace.show_deadlines()
    view = window.workspace.deadlines
    rows = view.model.records()
    assert [r.item.deadline.label for r in rows] == ["SEN support review (cycle 1)"]
    assert view.model.index(0, 6).data() == "CoP 6.52\u20136.54 [C2/M]"
    assert view.model.index(0, 1).data() == "Due in the next 4 weeks"
    assert view.model.index(0, 3).data() == "Tobi Okafor"
    view.kind_filter.select("Annual review")
    assert view.model.rowCount() == 0
    view.kind_filter.select("SEN support reviews")
    assert view.model.rowCount() == 1
    view.table.setFocus()
    view.table.selectRow(0)
    QTest.keyClick(view.table, Qt.Key.Key_Return)
    assert window.workspace.views.currentIndex() == 0
    # reviewing the cycle takes it off the list
    drive(CycleDialog, lambda d: (d.reviewed_on.setText("20/11/2026"),
                                  d.next_step.select(NextStep.CONTINUE)))
    tab.cycles_view.selectRow(0)
    tab.edit_button.click()
    window.workspace.show_deadlines()
    assert view.model.rowCount() == 0


CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QPlainTextEdit, QAbstractItemView)


def unnamed(root: QWidget) -> list[str]:
    out = []
    for widget in root.findChildren(QWidget):
        if isinstance(widget, CONTROLS) and not isinstance(widget, QHeaderView) and \
                not widget.accessibleName() and not (isinstance(widget, QAbstractButton)
                                                     and widget.text()):
            parent = widget.parentWidget()
            inside = False
            while parent is not None:
                inside = inside or isinstance(parent, (QComboBox, QLineEdit,
                                                       QAbstractItemView))
                parent = parent.parentWidget()
            if not inside:
                out.append(f"{type(widget).__name__} in {type(widget.parent()).__name__}")
    return out


def test_graduated_dialogs_and_tab_controls_are_named(tab, qtbot):
    child = tab.child()
    overview = graduated.overview(tab.session.db, child.id, tab.session.today())
    assert unnamed(tab) == []
    for dialog in (CycleDialog(tab.session, child), MeetingDialog(tab.session, child.id),
                   CheckDialog(tab.session, child.id, overview.rows[0]),
                   PassportEditor(tab.session, child, None, []),
                   TargetReviewDialog(tab.session, [])):
        qtbot.addWidget(dialog)
        if isinstance(dialog, CycleDialog):
            dialog.evidence.add_row()
            dialog.outcomes.add_row()
        assert unnamed(dialog) == [], type(dialog).__name__


def test_no_gaps_says_what_could_not_be_checked():
    """Found walking the journeys: a child with nothing recorded got a green "No gaps found"."""
    from adviser_app.domain.graduated.expectations import (EXPECTATIONS, ChecklistRow,
                                                           Finding, Gap)
    from adviser_app.ui.graduated.graduated_checklist import gaps_html

    def rows(*statuses: CheckStatus) -> list[ChecklistRow]:
        return [ChecklistRow(e, Finding(s)) for e, s in zip(EXPECTATIONS[:len(statuses)],
                                                            statuses, strict=True)]

    def text(html: str) -> str:
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        doc.setHtml(html)
        return doc.toPlainText()

    nothing = text(gaps_html([], rows(CheckStatus.NOT_KNOWN, CheckStatus.NOT_KNOWN)))
    assert "Nothing recorded yet to check" in nothing and "No gaps" not in nothing
    some = text(gaps_html([], rows(CheckStatus.MET, CheckStatus.NOT_KNOWN,
                                   CheckStatus.NOT_KNOWN)))
    assert "No gaps found in what is recorded" in some
    assert "2 of 3 expectations can't be checked yet" in some
    every = text(gaps_html([], rows(CheckStatus.MET, CheckStatus.MET)))
    assert "every expectation is met" in every
    gap = Gap("views", "The child's views were not recorded", "CoP 6.64")
    found = text(gaps_html([gap], rows(CheckStatus.NOT_MET, CheckStatus.NOT_KNOWN)))
    assert "1 gap against what the Code expects" in found and "views were not" in found
