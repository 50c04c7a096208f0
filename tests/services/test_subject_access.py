"""Subject access requests: the ICO clock as the service records a request, stops the clock
for clarification, extends it and answers it; everything survives closing the case book."""

from __future__ import annotations

from datetime import date

import pytest

from adviser_app.services import subject_access as sar
from adviser_app.store.errors import CaseBookError

ACTOR = "Office Olu"


def test_a_request_through_its_life(book) -> None:
    db = book.db
    # Received Thursday 30/01/2025: no 30 February, so Friday 28/02/2025.
    rid = sar.record_request(db, family_id=None, requester="Ms A Parent", about="Her son B",
                             received_on=date(2025, 1, 30), identity_check="Passport seen",
                             today=date(2025, 1, 30), actor=ACTOR)
    (clock,) = sar.open_clocks(db)
    assert clock.due is not None and clock.due.due == date(2025, 2, 28)
    assert clock.status(date(2025, 2, 28)) == "Answer due by 28/02/2025"
    assert clock.status(date(2025, 3, 1)) == "Overdue: the answer was due by 28/02/2025"
    # Clarification asked Monday 3 February, received Monday 10 February: 7 days stopped.
    sar.ask_clarification(db, rid, date(2025, 2, 3), ACTOR)
    (clock,) = sar.open_clocks(db)
    assert clock.due is None and clock.status(date(2025, 2, 5)).startswith(
        "Clock stopped since 03/02/2025")
    with pytest.raises(CaseBookError, match="already stopped"):
        sar.ask_clarification(db, rid, date(2025, 2, 4), ACTOR)
    sar.clarification_received(db, rid, date(2025, 2, 10), ACTOR)
    db = book.reopen()
    (clock,) = sar.open_clocks(db)
    # 28/02/2025 + 7 days = Friday 7 March 2025, flagged to check.
    assert clock.due is not None and clock.due.due == date(2025, 3, 7)
    assert clock.due.needs_check
    # Extended on 20/02/2025 (inside the first month): 30/04/2025 + 7 days = Wednesday 7 May.
    with pytest.raises(CaseBookError, match="reason"):
        sar.extend(db, rid, date(2025, 2, 20), "", ACTOR)
    sar.extend(db, rid, date(2025, 2, 20), "Records from three cases to gather", ACTOR)
    (clock,) = sar.open_clocks(db)
    assert clock.due is not None and clock.due.due == date(2025, 5, 7)
    sar.mark_answered(db, rid, date(2025, 4, 1), ACTOR)
    assert sar.open_clocks(db) == []
    actions = [r["detail"] for r in db.query(
        "SELECT detail FROM audit_log WHERE record_type = 'subject_access_request' "
        "ORDER BY seq")]
    assert actions == ["", "paused", "resumed", "extended", "answered"]


def test_bad_requests_are_refused_in_plain_english(db) -> None:
    with pytest.raises(CaseBookError) as caught:
        sar.record_request(db, family_id=None, requester=" ", about="", identity_check="",
                           received_on=date(2030, 1, 1), today=date(2026, 1, 1), actor=ACTOR)
    assert str(caught.value) == ("Say who made the request. Say whom the request is about. "
                                 "The date received can't be in the future.")


def test_a_late_extension_is_refused(db) -> None:
    rid = sar.record_request(db, family_id=None, requester="A", about="B",
                             received_on=date(2025, 1, 31), identity_check="",
                             today=date(2025, 2, 1), actor=ACTOR)
    with pytest.raises(CaseBookError, match="first month ended on Friday 28 February 2025"):
        sar.extend(db, rid, date(2025, 3, 3), "Complex", ACTOR)
