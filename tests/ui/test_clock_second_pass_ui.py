"""Issue 20 and three items of issue 21 in the real windows: the mediation wizard's outcomes,
health-only mediation, discrimination claims, cancelling, removing an agreed action, marking a
wizard date in the Statutory dates tab, and Enter in the deadline calculator."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from adviser_app.domain.statutory.events import DeadlineState
from adviser_app.domain.mediation import (Action, Choice, Decision, Issue, MediationDraft,
                                          Outcome, Step)
from adviser_app.domain.statutory.mediation_rules import AgreedAction
from adviser_app.services import mediation, statutory
from adviser_app.ui.deadlines.calculator_dialog import CalculatorDialog
from adviser_app.ui.form_support import set_checked
from adviser_app.ui.case_view.mark_dialog import MarkDialog
from adviser_app.ui.mediation.mediation_wizard import MediationWizard
from tests.ui.opening import open_okafor


def wizard_for(window, qtbot, disagreement_id=None) -> MediationWizard:
    detail = window.workspace.detail
    wizard = MediationWizard(window.session, detail.case.id, detail.family, disagreement_id)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def saved(window, detail, **changes) -> str:
    child = detail.family.children[0].id
    return mediation.save(window.session.db, detail.case.id,
                          MediationDraft(child_id=child, **changes), "Sam")


def test_partial_agreement_keeps_the_appeal_date(window, qtbot):
    detail = open_okafor(window)
    record = saved(window, detail, decision=Decision.PLAN_CONTENTS,
                   sections=frozenset({"B", "F", "I"}), letter_sent=date(2025, 11, 7),
                   choice=Choice.MEDIATION, adviser_told=date(2025, 11, 10),
                   issues=frozenset({Issue.EDUCATION}), la_told=date(2025, 11, 17),
                   mediation_date=date(2025, 12, 10), step=Step.OUTCOME)
    w = wizard_for(window, qtbot, record)
    page = w.currentPage()
    page.outcome.select(Outcome.PARTIAL_AGREEMENT)
    page.concluded.setText("10/12/2025")
    page.certificate_issued.setText("15/12/2025")
    assert page.still_open.isVisibleTo(page) and page.actions_box.isVisibleTo(page)
    page.action_text.setText("Amend Sections B and F")
    page.action_kind.select(AgreedAction.AMEND_SEN_OR_PROVISION)
    page.add_action()
    w.next()
    assert "Say which issues were not agreed" in page.errors.text()
    page.still_open.setText("Section I, the school named")
    # certificate Mon 15 Dec 2025 + 1 month = Thu 15 Jan 2026, later than Wed 7 Jan 2026
    assert "Thursday 15 January 2026" in page.dates.text()
    assert "Appeal on the issues not agreed" in page.dates.text()
    w.next()
    assert w.currentId() == int(Step.SUMMARY)
    assert "still open (Section I, the school named)" in w.currentPage().summary.text()
    w.accept()
    items = {i.deadline.key: i for i in statutory.case_deadlines(window.session.db,
                                                                  detail.case.id)}
    assert items["appeal"].deadline.due == date(2026, 1, 15) and items["appeal"].is_open


def test_health_only_mediation_shows_both_dates(window, qtbot):
    detail = open_okafor(window)
    record = saved(window, detail, decision=Decision.HEALTH_CARE,
                   letter_sent=date(2026, 3, 20), step=Step.CHOICE)
    w = wizard_for(window, qtbot, record)
    page = w.currentPage()
    page.choice.select(Choice.MEDIATION)
    set_checked(page.issues, Issue.HEALTH, True)
    assert "health body (ICB) arranges" in page.arranger.text()
    assert page.health_body_told.isVisibleTo(page)
    page.la_told.setText("02/04/2026")
    # 3 working days after Thu 2 April 2026 (Easter between): Thu 9 April; not yet told, so
    # 30 days from then: Sat 9 May 2026
    assert "Thursday 9 April 2026" in page.dates.text()
    assert "Saturday 9 May 2026" in page.dates.text()
    page.health_body_told.setText("07/04/2026")
    assert "Thursday 7 May 2026" in page.dates.text()
    assert "Health body must arrange mediation by" in page.dates.text()


def test_discrimination_shows_the_6_month_limit_no_mediation_dates_and_no_letters(window,
                                                                                  qtbot):
    detail = open_okafor(window)
    # a mediation choice was made before the decision was changed to a discrimination claim
    record = saved(window, detail, decision=Decision.REFUSE_PLAN,
                   letter_sent=date(2026, 3, 12), choice=Choice.MEDIATION,
                   issues=frozenset({Issue.EDUCATION}), la_told=date(2026, 3, 13),
                   step=Step.DECISION)
    w = wizard_for(window, qtbot, record)
    page = w.currentPage()
    page.decision.select(Decision.DISCRIMINATION)
    assert "Is this an appeal?</b> No: it is a claim" in page.rights.text()
    assert "Can they appeal" not in page.rights.text()
    assert "6 months" in page.rights.text()
    w.next()
    dates = w.currentPage()
    assert dates.conduct_on.isVisibleTo(dates) and not dates.letter_sent.isVisibleTo(dates)
    w.next()
    assert "conduct complained of is needed" in dates.errors.text()
    dates.conduct_on.setText("10/03/2026")
    # 6 months starting with Tue 10 March 2026 end the day before 10 September: Wed 9 Sep
    assert "Wednesday 9 September 2026" in dates.dates.text()
    assert "arranged" not in dates.dates.text() and "certificate" not in dates.dates.text()
    w.next()
    summary = w.currentPage()
    assert w.currentId() == int(Step.SUMMARY)
    assert not any(b.isVisibleTo(summary) for b in summary.letter_buttons.values())
    w.accept()
    keys = [i.deadline.key for i in statutory.case_deadlines(window.session.db,
                                                              detail.case.id)]
    assert keys == ["discrimination_claim"]


def test_cancelling_never_keeps_a_date_the_page_rejected(window, qtbot):
    detail = open_okafor(window)
    record = saved(window, detail, decision=Decision.REFUSE_ASSESS,
                   letter_sent=date(2025, 3, 3), choice=Choice.CERTIFICATE_ONLY,
                   adviser_told=date(2025, 3, 5), step=Step.CHOICE)
    w = wizard_for(window, qtbot, record)
    page = w.currentPage()
    page.adviser_told.setText("05/03/2099")  # in the future: the page rejects it
    page.supporter.setText("Aunt")
    w.next()
    assert "can't be in the future" in page.errors.text()
    w.reject()
    _, kept = mediation.load(window.session.db, record)
    assert kept.adviser_told == date(2025, 3, 5)  # the rejected date was not kept


def test_an_agreed_action_can_be_removed(window, qtbot):
    detail = open_okafor(window)
    record = saved(window, detail, decision=Decision.REFUSE_ASSESS,
                   letter_sent=date(2025, 3, 3), choice=Choice.MEDIATION,
                   issues=frozenset({Issue.EDUCATION}), la_told=date(2025, 3, 10),
                   outcome=Outcome.AGREEMENT, concluded=date(2025, 3, 31),
                   actions=(Action("Assess", AgreedAction.ASSESS),
                            Action("Typed by mistake", AgreedAction.NOT_APPEALABLE)),
                   step=Step.OUTCOME)
    w = wizard_for(window, qtbot, record)
    page = w.currentPage()
    # a refusal to assess: the kinds offered fit it
    offered = [page.action_kind.itemText(i) for i in range(page.action_kind.count())]
    assert offered == [AgreedAction.ASSESS.label, AgreedAction.NOT_APPEALABLE.label]
    page.actions_view.selectRow(1)
    page.remove_action()
    assert [a.description for a in w.state.draft.actions] == ["Assess"]
    assert "Typed by mistake" not in page.dates.text()
    w.next()
    w.accept()
    _, kept = mediation.load(window.session.db, record)
    assert [a.description for a in kept.actions] == ["Assess"]


def test_a_wizard_date_can_be_marked_met_in_the_statutory_dates_tab(window, qtbot,
                                                                   monkeypatch):
    detail = open_okafor(window)
    saved(window, detail, decision=Decision.REFUSE_ASSESS, letter_sent=date(2025, 3, 3),
          choice=Choice.MEDIATION, issues=frozenset({Issue.EDUCATION}),
          la_told=date(2025, 3, 10), outcome=Outcome.AGREEMENT, concluded=date(2025, 3, 31),
          actions=(Action("Educational psychologist visit", AgreedAction.NOT_APPEALABLE),))
    detail.show_case(detail.case.id)
    tab = detail.statutory
    rows = tab.deadlines_model.records()
    (visit,) = [i for i in rows if i.deadline.label.startswith("Educational psychologist")]
    assert visit.is_open
    tab.deadlines_view.selectRow(rows.index(visit))
    refused = []
    monkeypatch.setattr("adviser_app.ui.case_view.statutory_tab.QMessageBox.information",
                        lambda *args: refused.append(args))

    class MarkedOn10April(MarkDialog):
        def exec(self) -> int:  # the person types the date and presses Save
            qtbot.addWidget(self)
            self.on.setText("10/04/2025")
            self.buttons.button(QDialogButtonBox.StandardButton.Save).click()
            return self.result()

    monkeypatch.setattr("adviser_app.ui.case_view.statutory_tab.MarkDialog", MarkedOn10April)
    tab.mark_button.click()
    assert refused == []
    items = statutory.case_deadlines(window.session.db, detail.case.id)
    (after,) = [i for i in items if i.deadline.label.startswith("Educational psychologist")]
    assert after.state is DeadlineState.MET and after.state_on == date(2025, 4, 10)
    assert not any(r.item.deadline.label.startswith("Educational psychologist")
                   for r in statutory.open_deadlines(window.session.db))


def test_enter_in_the_calculator_works_it_out_and_keeps_what_was_typed(qtbot):
    from adviser_app.domain.statutory.working_days import ENGLAND

    calc = CalculatorDialog(ENGLAND)
    qtbot.addWidget(calc)
    calc.show()
    calc.choose("appeal")
    field = calc.widgets["letter"]
    field.setFocus()
    QTest.keyClicks(field, "03/03/2025")
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert calc.isVisible()  # not closed
    assert field.text() == "03/03/2025"
    assert "Tuesday 6 May 2025" in calc.results.text()
    QTest.keyClick(field, Qt.Key.Key_Enter)  # the keypad's Enter too
    assert calc.isVisible()
    calc.choose("health_mediation")
    calc.set_value("date", "02/04/2026")
    calc.work_out.click()
    assert "Thursday 9 April 2026" in calc.results.text()
    assert "Saturday 9 May 2026" in calc.results.text()


def test_an_unopposed_appeal_asks_which_decision_and_applies_its_limb(window, qtbot):
    from adviser_app.domain.statutory.events import EventKind
    from adviser_app.domain.statutory.mediation_rules import UnopposedAppeal
    from adviser_app.ui.case_view.event_dialog import EventDialog

    detail = open_okafor(window)
    dialog = EventDialog(window.session, detail.case.id, detail.family,
                         set(detail.case.details.child_ids))
    qtbot.addWidget(dialog)
    dialog.kind.select(EventKind.UNOPPOSED_APPEAL)
    assert dialog.appealed.isVisibleTo(dialog)
    dialog.event_date.setText("14/01/2026")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert "Choose which decision the appeal was about" in dialog.field_error("appealed")
    dialog.appealed.select(UnopposedAppeal.MAKE_PLAN)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() == dialog.DialogCode.Accepted
    items = {i.deadline.key: i.deadline for i in statutory.case_deadlines(
        window.session.db, detail.case.id)}
    # refusal to issue a plan: draft within 5 weeks (Wed 18 Feb 2026), final within 11
    # (Wed 1 Apr 2026), from a SENDIASS summary rather than "confirmed"
    assert items["unopposed_draft_plan"].due == date(2026, 2, 18)
    assert items["unopposed_final_plan"].due == date(2026, 4, 1)
    assert "SENDIASS" in items["unopposed_final_plan"].source


def test_recording_the_appeal_registered_shows_the_las_response_as_an_estimate(window, qtbot):
    detail = open_okafor(window)
    record = saved(window, detail, decision=Decision.PLAN_CONTENTS, sections=frozenset({"I"}),
                   letter_sent=date(2026, 6, 1), step=Step.SUMMARY)
    w = wizard_for(window, qtbot, record)
    page = w.currentPage()
    assert page.appeal_registered.isVisibleTo(page)
    page.appeal_registered.setText("20/07/2026")
    # 30 working days from Mon 20 July 2026, August not counted: Tue 29 September 2026
    assert "Tuesday 29 September 2026" in page.dates.text()
    assert "estimate" in page.dates.text()
    w.accept()
    items = {i.deadline.key: i for i in statutory.case_deadlines(window.session.db,
                                                                  detail.case.id)}
    assert items["la_response"].deadline.due == date(2026, 9, 29)
    assert items["appeal"].state is DeadlineState.MET
