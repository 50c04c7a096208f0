"""The pupil passport, its targets tracked across reviews, and the summary content."""

from __future__ import annotations

from datetime import date

import pytest

from adviser_app.domain.graduated.cycles import (CycleDetails, Evidence, EvidenceKind, Meeting,
                                          MeetingDetails, NextStep, Outcome, Progress, Support,
                                          number_cycles)
from adviser_app.domain.graduated.expectations import CheckStatus
from adviser_app.domain.graduated.passport import (PassportDetails, Target, TargetCheck,
                                                   TargetRow, TargetStatus, passport_from_form,
                                                   target_review_from_form, targets_from_form)
from adviser_app.domain.graduated.summary import (current_position, graduated_summary,
                                                  passport_sections, stage_text)
from adviser_app.domain.records import ChildDetails
from adviser_app.domain.vocab import AreaOfNeed, ChildStatus

TODAY = date(2026, 11, 28)


def test_passport_form_cleans_text_and_checks_dates() -> None:
    details, problems = passport_from_form(
        made_on="10/11/2026", review_on="15/01/2027", consent_to_share=True, today=TODAY,
        texts={"strengths": "  Lego, drawing, dinosaurs \n", "own_words": "I like Lego.",
               "needs_communication": "Finds it hard to find the right words."})
    assert problems == []
    assert details is not None
    assert details.strengths == "Lego, drawing, dinosaurs"
    assert details.needs_by_area() == [(AreaOfNeed.COMMUNICATION,
                                        "Finds it hard to find the right words.")]
    _, problems = passport_from_form(made_on="10/11/2026", review_on="01/11/2026", texts={},
                                     today=TODAY)
    assert [p.field for p in problems] == ["review_on"]
    _, problems = passport_from_form(made_on="01/12/2026", texts={}, today=TODAY)
    assert "can't be in the future" in problems[0].message
    with pytest.raises(ValueError):
        passport_from_form(texts={"favourite_colour": "red"}, today=TODAY)


def test_targets_form_keeps_ids_and_drops_blank_rows() -> None:
    rows, problems = targets_from_form([TargetRow("t1", " Ask for help ", "10/11/2026"),
                                        TargetRow(None, "", ""),
                                        TargetRow(None, "Use the visual timetable")], TODAY)
    assert problems == []
    assert rows == [("t1", "Ask for help", date(2026, 11, 10)),
                    (None, "Use the visual timetable", None)]
    rows, problems = targets_from_form([TargetRow(None, "", "10/11/2026")], TODAY)
    assert rows == [] and problems[0].message == "Target 1 can't be left empty."


def target(checks: tuple[TargetCheck, ...] = ()) -> Target:
    return Target("t1", "Ask for help", date(2026, 2, 2), checks)


def test_a_target_status_is_its_latest_review() -> None:
    assert target().status is TargetStatus.WORKING and target().history == ""
    tracked = target((TargetCheck(date(2026, 3, 27), TargetStatus.WORKING),
                      TargetCheck(date(2026, 7, 10), TargetStatus.PARTLY)))
    assert tracked.status is TargetStatus.PARTLY
    assert tracked.history == "27/03/2026 Working towards; 10/07/2026 Partly met"


def test_target_review_form() -> None:
    t = target((TargetCheck(date(2026, 3, 27), TargetStatus.WORKING),))
    other = Target("t2", "Tell an adult", date(2026, 11, 20))
    out, problems = target_review_from_form(
        checked_on="10/07/2026", statuses=[(t, TargetStatus.PARTLY, "Most days"),
                                           (other, None, "")], today=TODAY)
    assert problems == []
    assert out == [("t1", TargetCheck(date(2026, 7, 10), TargetStatus.PARTLY, "Most days"))]
    _, problems = target_review_from_form(checked_on="01/03/2026",
                                          statuses=[(t, TargetStatus.MET, "")], today=TODAY)
    assert problems[0].message == "\u201cAsk for help\u201d already has a later review " \
                                  "(27/03/2026)."
    _, problems = target_review_from_form(checked_on="01/11/2026",
                                          statuses=[(other, TargetStatus.MET, "")], today=TODAY)
    assert "was only set on 20/11/2026" in problems[0].message
    _, problems = target_review_from_form(checked_on="01/11/2026",
                                          statuses=[(t, None, "")], today=TODAY)
    assert problems[0].message == "Choose a status for at least one target."


def test_passport_sections_in_reading_order_without_empty_ones() -> None:
    passport = PassportDetails(made_on=date(2026, 11, 10), strengths="Lego",
                               needs_semh="Worries at home time", own_words="I like Lego.",
                               consent_to_share=True)
    sections = passport_sections(passport, [target()])
    assert [s.heading for s in sections] == [
        "Passport", "About me: strengths and interests",
        "My needs: social, emotional and mental health", "In my own words", "My targets"]
    assert sections[0].lines == ("Dated 10/11/2026; review (no date)", "Consent to share: yes")
    assert sections[-1].lines == ("Ask for help: Working towards (set 02/02/2026)",)
    assert passport_sections(None) == ()


def test_summary_holds_cycles_evidence_meetings_gaps_and_passport() -> None:
    child = ChildDetails("Tobi", "Okafor", date(2017, 2, 9), school="Fieldgate Primary School",
                         status=ChildStatus.SEN_SUPPORT)
    first = CycleDetails(
        "c", assessed_on=date(2026, 1, 12), senco_involved=True,
        evidence=(Evidence(EvidenceKind.TEACHER_ASSESSMENT, "SENCO observation", "Mrs Farrant",
                           date(2026, 1, 14)),
                  Evidence(EvidenceKind.DATA, "Language screening", "Mrs Farrant",
                           date(2026, 1, 12))),
        planned_on=date(2026, 2, 2), outcomes=(Outcome("Use topic words", Progress.SOME),),
        support=(Support("Language group", "TA", "3 times a week"),),
        review_due=date(2026, 3, 27), reviewed_on=date(2026, 3, 27),
        next_step=NextStep.ADJUST)
    second = CycleDetails("c", planned_on=date(2026, 4, 20), review_due=date(2026, 7, 10))
    cycles = number_cycles([("a", first, "", ""), ("b", second, "", "")])
    summary = graduated_summary(child, cycles, [Meeting("m", MeetingDetails(
        "c", date(2026, 7, 1)))], [], PassportDetails(strengths="Lego"), [], TODAY)
    assert summary.child_name == "Tobi Okafor" and summary.prepared_on == TODAY
    assert summary.position == "Cycle 2 of 2: Plan (review due 10/07/2026)"
    assert [title for title, _ in summary.cycles] == ["Cycle 1: 12/01/2026 to 27/03/2026",
                                                      "Cycle 2: 20/04/2026"]
    assert [s.heading for s in summary.cycles[0][1]] == ["Assess", "Plan", "Do", "Review"]
    assert "Parents told SEN support is being provided: no record" in \
        summary.cycles[0][1][1].lines
    assert [e.description for e in summary.evidence] == ["Language screening",
                                                         "SENCO observation"]
    assert summary.meetings == ("2025/26: 1 of the 3 expected",
                                "2026/27 (so far): 0 of the 3 expected")
    gap_texts = [g.text for g in summary.gaps]
    assert "No record that parents were told SEN support started" in gap_texts
    assert "Cycle 2 was not reviewed before" not in " ".join(gap_texts)
    assert "Review date passed with no review (cycle 2: due 10/07/2026)" in gap_texts
    checks = {c.expectation: c for c in summary.checks}
    assert checks["Parents formally told that SEN support is being provided"].status is \
        CheckStatus.NOT_MET
    assert summary.passport[1].lines == ("Lego",)


def test_stage_text_and_position() -> None:
    assert current_position([]) == "No SEN support cycles recorded yet."
    (c,) = number_cycles([("a", CycleDetails("c", assessed_on=date(2026, 1, 12)), "", "")])
    assert stage_text(c) == "Assess"
    (c,) = number_cycles([("a", CycleDetails(
        "c", planned_on=date(2026, 1, 12), reviewed_on=date(2026, 3, 1),
        next_step=NextStep.SPECIALIST), "", "")])
    assert stage_text(c) == "Reviewed 01/03/2026; next: involve a specialist"
