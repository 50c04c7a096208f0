"""The subject access copy shows stored codes in the words the app uses ("Social, emotional
and mental health", not "social emotional mental health"), for every code of every kind."""

from __future__ import annotations

from datetime import date
from enum import Enum

from adviser_app.domain import disclosure
from adviser_app.domain.disclosure import Disclosure, compose_document

def _values(table: str, column: str) -> list[object]:
    """Every stored value of the code in that column, found from the enum behind it."""
    from adviser_app.domain import vocab
    from adviser_app.domain.graduated.expectations import EXPECTATIONS, CheckStatus
    from adviser_app.domain.graduated.passport import TargetStatus
    from adviser_app.domain.statutory.events import DeadlineState, EventKind
    enums: dict[tuple[str, str], type[Enum]] = {
        ("person", "relationship"): vocab.Relationship,
        ("person", "preferred_contact"): vocab.ContactMethod,
        ("child", "status"): vocab.ChildStatus,
        ("child_need", "area"): vocab.AreaOfNeed, ("ga_cycle_area", "area"): vocab.AreaOfNeed,
        ("case_file", "service_user"): vocab.ServiceUser,
        ("case_file", "heard_from"): vocab.HeardFrom,
        ("case_level_change", "level"): vocab.SupportLevel,
        ("case_status_change", "status"): vocab.CaseStatus,
        ("case_evaluation_answer", "answer"): vocab.EvaluationAnswer,
        ("case_issue", "issue"): vocab.CaseIssue,
        ("timeline_entry", "kind"): vocab.EntryKind,
        ("timeline_entry_version", "kind"): vocab.EntryKind,
        ("timeline_entry", "contact"): vocab.ContactWay,
        ("statutory_event", "kind"): EventKind, ("deadline_mark", "state"): DeadlineState,
        ("ga_check", "status"): CheckStatus, ("ga_target_check", "status"): TargetStatus}
    if (table, column) == ("ga_check", "item_key"):
        return [e.key for e in EXPECTATIONS]
    return [m.value for m in enums[table, column]]


def test_every_labelled_column_is_one_the_copy_shows() -> None:
    shown = {(table, column) for table, _, columns in disclosure._SECTIONS
             for column in columns}
    assert set(disclosure._LABELS) <= shown


def test_every_code_is_shown_in_words() -> None:
    records: dict[str, list[dict[str, object]]] = {}
    expected: list[str] = []
    for table, column in disclosure._LABELS:
        for value in _values(table, column):
            records.setdefault(table, []).append({column: value})
            expected.append(disclosure._LABELS[table, column](value))
    letter = compose_document(Disclosure(records), about="A", requester="B",
                              today=date(2026, 12, 6), service="S", letters=[], audit=[])
    cells = [cell for block in letter.blocks for row in block.rows for cell in row[1:]]
    assert sorted(cells) == sorted(expected)
    assert not [c for c in cells if "_" in c or c[:1].islower()], "a code shown as stored"


def test_an_unknown_code_is_still_shown_readably() -> None:
    letter = compose_document(Disclosure({"case_issue": [{"issue": "some_new_issue"}]}),
                              about="A", requester="B", today=date(2026, 12, 6),
                              service="S", letters=[], audit=[])
    assert ("Issue", "Some new issue") in [row for b in letter.blocks for row in b.rows]


def test_a_kept_letter_is_shown_without_its_template_markers() -> None:
    wording = ("Dear Ms Khan,\n\n# The next dates\nThese are the dates.\n{{next_dates}}\n\n"
               "- Call us\n- Quote SA-2026-0001")
    letter = compose_document(Disclosure({"document": [{"title": "Your case summary",
                                                        "wording": wording}]}),
                              about="A", requester="B", today=date(2026, 12, 6),
                              service="S", letters=[], audit=[])
    (shown,) = [row[1] for b in letter.blocks for row in b.rows if row[0] == "Wording"]
    assert "{{" not in shown and "\n# " not in shown and "\n- " not in shown
    assert shown.splitlines() == [
        "Dear Ms Khan,", "", "THE NEXT DATES", "These are the dates.",
        "[a list the app made here (next dates) is in the letter as sent]", "",
        "\u2022 Call us", "\u2022 Quote SA-2026-0001"]
