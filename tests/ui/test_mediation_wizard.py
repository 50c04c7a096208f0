"""The real mediation wizard driven through its paths to the saved record and its deadlines,
including leaving half-way and resuming."""

from __future__ import annotations

from adviser_app.domain.mediation import Choice, Decision, Issue, Outcome, Step
from adviser_app.domain.statutory.mediation_rules import AgreedAction
from adviser_app.services import mediation, statutory
from adviser_app.ui.form_support import set_checked
from adviser_app.ui.mediation.mediation_wizard import MediationWizard
from tests.ui.opening import open_okafor


def wizard_for(window, qtbot, disagreement_id=None) -> MediationWizard:
    detail = window.workspace.detail
    wizard = MediationWizard(window.session, detail.case.id, detail.family, disagreement_id)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_certificate_only_path_to_saved_deadlines(window, qtbot):
    open_okafor(window)
    w = wizard_for(window, qtbot)
    decision_page = w.currentPage()
    w.next()
    assert w.currentId() == int(Step.DECISION)  # nothing chosen yet: Next refused
    assert "Choose the decision" in decision_page.errors.text()
    decision_page.decision.select(Decision.REFUSE_ASSESS)
    assert "mediation certificate needed first?</b> Yes" in decision_page.rights.text()
    w.next()
    assert w.currentId() == int(Step.DATES)
    dates = w.currentPage()
    dates.letter_dated.setText("03/03/2025")
    assert "Tuesday 6 May 2025" in dates.dates.text()  # appeal deadline shown at once
    assert "Saturday 3 May 2025" in dates.dates.text()  # contact limit
    w.next()
    choice = w.currentPage()
    choice.choice.select(Choice.CERTIFICATE_ONLY)
    choice.adviser_told.setText("05/03/2025")
    assert "Monday 10 March 2025" in choice.dates.text()
    w.next()
    assert w.currentId() == int(Step.SUMMARY)
    assert "certificate" in w.currentPage().summary.text()
    w.accept()
    saved = mediation.on_case(window.session.db, window.workspace.detail.case.id)
    assert len(saved) == 1 and saved[0][1].choice is Choice.CERTIFICATE_ONLY
    labels = {i.deadline.label: i.deadline.due.isoformat() for i in
              statutory.case_deadlines(window.session.db, window.workspace.detail.case.id)}
    assert labels["Mediation certificate due"] == "2025-03-10"
    rows = statutory.open_deadlines(window.session.db)
    assert any(r.item.deadline.key == "appeal" and r.family_name == "Okafor" for r in rows)


def test_mediation_with_agreement_and_resume(window, qtbot):
    open_okafor(window)
    w = wizard_for(window, qtbot)
    page = w.currentPage()
    page.decision.select(Decision.PLAN_CONTENTS)
    set_checked(page.sections, "B", True)
    set_checked(page.sections, "F", True)
    w.next()
    w.currentPage().letter_sent.setText("07/11/2025")
    w.next()
    choice = w.currentPage()
    choice.choice.select(Choice.MEDIATION)
    set_checked(choice.issues, Issue.EDUCATION, True)
    set_checked(choice.issues, Issue.HEALTH, True)
    assert "health body" in choice.arranger.text()
    choice.la_told.setText("17/11/2025")
    w.next()
    assert w.currentId() == int(Step.OUTCOME)
    disagreement_id = w.state.disagreement_id
    w.reject()  # leave half-way: what was entered is kept
    _, draft = mediation.load(window.session.db, disagreement_id)
    assert draft.step is Step.OUTCOME and draft.issues == {Issue.EDUCATION, Issue.HEALTH}
    w = wizard_for(window, qtbot, disagreement_id)
    assert w.currentId() == int(Step.OUTCOME)  # resumes where it stopped
    outcome = w.currentPage()
    outcome.outcome.select(Outcome.AGREEMENT)
    outcome.concluded.setText("13/01/2026")
    outcome.action_text.setText("Amend Sections B and F")
    outcome.action_kind.select(AgreedAction.AMEND_SEN_OR_PROVISION)
    outcome.add_action()
    outcome.action_text.setText("Educational psychologist visit")
    outcome.action_kind.select(AgreedAction.NOT_APPEALABLE)
    outcome.add_action()
    assert "Tuesday 17 February 2026" in outcome.dates.text()
    assert "Tuesday 27 January 2026" in outcome.dates.text()
    w.back()  # going back never erases answers
    w.next()
    assert len(w.state.draft.actions) == 2
    w.next()
    w.accept()
    _, draft = mediation.load(window.session.db, disagreement_id)
    assert draft.outcome is Outcome.AGREEMENT and len(draft.actions) == 2


def test_section_i_only_needs_no_certificate(window, qtbot):
    open_okafor(window)
    w = wizard_for(window, qtbot)
    page = w.currentPage()
    page.decision.select(Decision.PLAN_CONTENTS)
    set_checked(page.sections, "I", True)
    assert "certificate needed first?</b> No" in page.rights.text()
    assert "straight to the Tribunal" in page.rights.text()


def test_letters_use_the_decision_recorded_in_the_wizard(window, qtbot):
    from datetime import date

    from adviser_app.domain.mediation import MediationDraft
    from adviser_app.services import documents

    detail = open_okafor(window)
    child = detail.family.children[0].id
    mediation.save(window.session.db, detail.case.id, MediationDraft(
        child_id=child, decision=Decision.REFUSE_ASSESS, letter_sent=date(2025, 3, 3),
        choice=Choice.CERTIFICATE_ONLY, adviser_told=date(2025, 3, 5)), "Sam")
    draft = documents.start(window.session.db, detail.case.id, "certificate_request",
                            date(2025, 3, 5))
    assert ("I disagree with the local authority's decision not to carry out an EHC needs "
            "assessment." in draft.wording)
    assert "Monday 3 March 2025" in draft.wording and "Tuesday 6 May 2025" in draft.wording
    assert "Monday 10 March 2025" in draft.wording  # 3 working days from Wed 5 March


def test_clearing_a_date_that_drives_deadlines_asks_first(window, qtbot):
    from datetime import date

    from adviser_app.domain.mediation import MediationDraft

    detail = open_okafor(window)
    child = detail.family.children[0].id
    saved_id = mediation.save(window.session.db, detail.case.id, MediationDraft(
        child_id=child, decision=Decision.REFUSE_ASSESS, letter_sent=date(2025, 3, 3),
        choice=Choice.CERTIFICATE_ONLY, adviser_told=date(2025, 3, 5), step=Step.CHOICE),
        "Sam")
    w = wizard_for(window, qtbot, saved_id)
    asked = []
    w.confirm_cleared = lambda lost: asked.append(lost) or False
    w.currentPage().adviser_told.setText("")
    w.next()
    assert asked == [["Mediation certificate due"]]
    assert w.currentId() == int(Step.CHOICE)  # declined: stays, nothing saved
    _, kept = mediation.load(window.session.db, saved_id)
    assert kept.adviser_told == date(2025, 3, 5)
    w.confirm_cleared = lambda lost: True
    w.next()
    _, cleared = mediation.load(window.session.db, saved_id)
    assert cleared.adviser_told is None


def test_closing_half_way_keeps_what_was_typed_on_the_step(window, qtbot):
    open_okafor(window)
    w = wizard_for(window, qtbot)
    w.currentPage().decision.select(Decision.REFUSE_PLAN)
    w.reject()  # closed on the first step without pressing Next
    (saved_id, draft), = mediation.on_case(window.session.db,
                                           window.workspace.detail.case.id)
    assert draft.decision is Decision.REFUSE_PLAN and draft.step is Step.DECISION
    w = wizard_for(window, qtbot, saved_id)
    assert w.currentPage().decision.choice() is Decision.REFUSE_PLAN


def test_no_agreement_path_gives_certificate_then_appeal(window, qtbot):
    open_okafor(window)
    w = wizard_for(window, qtbot)
    w.currentPage().decision.select(Decision.REFUSE_PLAN)
    w.next()
    w.currentPage().letter_sent.setText("07/11/2025")
    w.next()
    choice = w.currentPage()
    choice.choice.select(Choice.MEDIATION)
    set_checked(choice.issues, Issue.EDUCATION, True)
    choice.la_told.setText("17/11/2025")
    choice.mediation_date.setText("10/12/2025")
    w.next()
    outcome = w.currentPage()
    outcome.outcome.select(Outcome.NO_AGREEMENT)
    w.next()
    assert "Give the date" in outcome.errors.text()  # the date mediation ended is needed
    outcome.concluded.setText("10/12/2025")
    assert "Monday 15 December 2025" in outcome.dates.text()  # certificate due (example 5)
    outcome.certificate_issued.setText("15/12/2025")
    assert "Thursday 15 January 2026" in outcome.dates.text()  # appeal from the certificate
    w.next()
    assert "SEND35" in w.currentPage().summary.text()
    w.accept()
    labels = {i.deadline.label: (i.deadline.due.isoformat(), i.state.value) for i in
              statutory.case_deadlines(window.session.db, window.workspace.detail.case.id)}
    assert labels["Appeal must reach the SEND Tribunal"] == ("2026-01-15", "open")
    assert labels["Mediation certificate due"] == ("2025-12-15", "met")


def test_resumed_wizard_goes_back_to_every_earlier_step_with_its_answers(window, qtbot):
    open_okafor(window)
    w = wizard_for(window, qtbot)
    w.currentPage().decision.select(Decision.REFUSE_ASSESS)
    w.next()
    w.currentPage().letter_dated.setText("03/03/2025")
    w.next()
    assert w.currentId() == int(Step.CHOICE)
    disagreement_id = w.state.disagreement_id
    w.reject()
    w = wizard_for(window, qtbot, disagreement_id)
    assert w.currentId() == int(Step.CHOICE)  # resumes where it stopped
    assert w.currentPage().title() == "3. The parent's choice"
    w.back()
    assert w.currentId() == int(Step.DATES)
    assert w.currentPage().letter_dated.text() == "03/03/2025"  # the saved answer, to check
    w.currentPage().letter_dated.setText("28/02/2025")  # and correct
    w.back()
    assert w.currentId() == int(Step.DECISION)
    assert w.currentPage().decision.choice() is Decision.REFUSE_ASSESS
    w.next()
    w.next()
    assert w.currentPage().errors.text() == ""
    assert w.currentId() == int(Step.CHOICE)
    _, draft = mediation.load(window.session.db, disagreement_id)
    assert draft.letter_dated.isoformat() == "2025-02-28"


def test_steps_are_numbered_along_the_route_taken(window, qtbot):
    open_okafor(window)
    w = wizard_for(window, qtbot)
    assert w.currentPage().title() == "1. The decision"
    w.currentPage().decision.select(Decision.REFUSE_ASSESS)
    w.next()
    assert w.currentPage().title() == "2. The decision letter"
    w.currentPage().letter_dated.setText("03/03/2025")
    w.next()
    choice = w.currentPage()
    choice.choice.select(Choice.CERTIFICATE_ONLY)
    choice.adviser_told.setText("05/03/2025")
    w.next()
    assert w.currentId() == int(Step.SUMMARY)
    assert w.currentPage().title() == "4. What happens next"  # no outcome step: not 5
