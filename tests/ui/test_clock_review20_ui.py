"""Review of issue 20, item 10 in the real wizard: cancelling never keeps a date its page
rejected, even when the rule that rejects it is between two dates."""

from __future__ import annotations

from datetime import date

from adviser_app.domain.mediation import Decision, Step
from adviser_app.services import mediation
from tests.ui.test_clock_second_pass_ui import open_okafor, saved, wizard_for


def test_cancelling_keeps_neither_date_of_a_pair_the_page_rejected(window, qtbot):
    # Saved: letter dated and sent Mon 3 March 2025. The adviser changes the date ON the
    # letter to Wed 5 March 2025, which is after the day it was sent: the page rejects the
    # pair ("The letter can't be sent before its date"). Cancelling must leave the record as
    # saved (dated 3 March), not a letter dated two days after it was sent.
    detail = open_okafor(window)
    record = saved(window, detail, decision=Decision.REFUSE_ASSESS,
                   letter_dated=date(2025, 3, 3), letter_sent=date(2025, 3, 3),
                   step=Step.DATES)
    w = wizard_for(window, qtbot, record)
    page = w.currentPage()
    page.letter_dated.setText("05/03/2025")
    w.next()
    assert "can't be sent before its date" in page.errors.text()
    w.reject()
    _, kept = mediation.load(window.session.db, record)
    assert (kept.letter_dated, kept.letter_sent) == (date(2025, 3, 3), date(2025, 3, 3))


def test_health_only_agreement_hides_the_la_party_box_and_shows_the_1_week_notice(
        window, qtbot):
    # Health-only mediation held and agreed Tue 13 Jan 2026: the LA is not a party, so the
    # health body must tell it by Tue 20 Jan 2026 (reg 42(4), 1 week). The wizard must not ask
    # whether the LA was a party (its default tick used to hide that date).
    from adviser_app.domain.mediation import Choice, Issue, Outcome
    from adviser_app.domain.statutory.mediation_rules import AgreedAction

    detail = open_okafor(window)
    record = saved(window, detail, decision=Decision.HEALTH_CARE,
                   letter_sent=date(2025, 11, 7), choice=Choice.MEDIATION,
                   issues=frozenset({Issue.HEALTH}), la_told=date(2025, 12, 1),
                   mediation_date=date(2026, 1, 13), step=Step.OUTCOME)
    w = wizard_for(window, qtbot, record)
    page = w.currentPage()
    page.outcome.select(Outcome.AGREEMENT)
    page.concluded.setText("13/01/2026")
    page.action_text.setText("Speech therapy review")
    page.action_kind.select(AgreedAction.NOT_APPEALABLE)
    page.add_action()
    assert not page.la_party.isVisibleTo(page)
    assert "Tuesday 20 January 2026</a>: Health body tells the LA" in page.dates.text()
