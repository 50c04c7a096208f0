"""How the timeline shows a contact's way and the time it took."""

from __future__ import annotations

from datetime import date

from adviser_app.domain.records import EntryDetails, contact_text, minutes_text
from adviser_app.domain.vocab import ContactWay, EntryKind


def test_time_on_the_timeline_reads_as_hours_and_minutes() -> None:
    assert [minutes_text(m) for m in (0, 25, 60, 90, 125)] == [
        "0 min", "25 min", "1 h", "1 h 30 min", "2 h 5 min"]
    entry = EntryDetails(EntryKind.PHONE_CALL, date(2026, 1, 5), "Sam", "", 25,
                         ContactWay.PHONE)
    assert contact_text(entry) == "Phone, 25 min"
    assert contact_text(EntryDetails(EntryKind.NOTE, date(2026, 1, 5), "Sam", "")) == ""
    assert contact_text(EntryDetails(EntryKind.NOTE, date(2026, 1, 5), "Sam", "", 10)) == (
        "10 min")
