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
