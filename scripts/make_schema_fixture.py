"""Make a golden case book for the schema-upgrade tests (reliability T14).

    .venv/bin/python scripts/make_schema_fixture.py

writes tests/fixtures/schema_vN.db and its key file tests/fixtures/schema_vN.key, N being the
case book format the running code writes (the number of migration files it ships).

The rule: EACH RELEASE ADDS ITS OWN schema_vN BY RUNNING THIS SCRIPT WITH THAT RELEASE'S CODE,
and commits the two files. Older fixtures are NEVER regenerated: they stand for the files
advisers already have on their laptops, made by the code of their day, and the point of keeping
them is that today's code must still open them. The script refuses to overwrite a fixture that
is already there. tests/store/test_schema_fixtures.py fails while the current format has no
fixture.

The file is an ordinary encrypted case book made through the app's own services (the same
calls the windows make, each one transaction) after the app's own form validators, so it
holds what that release really writes. The rows are awkward on purpose:

- names in several scripts: Zoë typed precomposed (the child) and decomposed (her mother),
  Łukasz, an Arabic family name starting with a right-to-left mark, emoji joined with ZWJ;
- NULLs in optional fields: no contact preference or consent date, no EHC plan dates, a task
  with no due date, an outcome with no progress, a cycle with no next step, a passport with
  no review date, a disagreement record with no child;
- a child's notes exactly as long as the validator allows (MAX_NOTE characters);
- an open case and a closed one, tasks (due, undated, done), a note edited once (two
  versions);
- from the formats that have them: statutory events with deadline marks and an erased event,
  an extra bank holiday (2); a graduated-approach cycle with a parent meeting, checklist mark,
  pupil passport and reviewed target (3); audit rows (4); a kept PDF document (5); mediation
  disagreement records (6); a level of support changed once, an inactive spell, the service
  user and how they heard, a timed online contact and an untimed one, and a closed case with an
  outcome and evaluation answers (9). Format 8 (data protection) and 10 (the sync change
  log) add no rows of their own here, nor do 11 (the index of cases' own details, rebuilt
  from search_doc by its migration), 12 (an index and a list for the sync's parked rows),
  13 (the index of families' names, filled in from the families by its migration) and 14
  (an index of each case's activity by its id).

What the tests expect of these rows is written out in tests/store/test_schema_fixtures.py; if a
later release changes the rows made here, keep the checks the older fixtures need.

The key file wraps the data key with the test passphrase below and cheap Argon2id settings
(the same as tests/support.py), so the tests can unlock it quickly. It is test data only.

--code DIR runs the script with the app code in DIR instead of this checkout (a `git archive`
of the release), so a fixture can be made after the fact with the code that wrote that format.
Only do that with the code that really wrote it.

--first-format is the one exception to the rule above. The code that wrote format 1 (up to
commit 44db949) kept the data key in an unwrapped key file ("adviser-toolkit-key/0") that
today's app does not read, and ran an earlier 0001_initial.sql (its search tables were changed
in place by 2e1948e), so its files can't be opened by today's code at all. schema_v1 is
therefore made by the current code with ONLY migration 0001 applied (the machinery the
version-1 upgrade test in test_migrations.py uses) and the store functions alone (today's
services write audit rows, and format 1 has no audit log). It checks the whole upgrade path
from 0001 as that file now stands; it is not a file any release wrote.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"

# Never change these: the committed fixtures are wrapped with them.
PASSPHRASE = "otter lantern pumpkin"
KDF = {"time_cost": 1, "memory_kib": 8, "parallelism": 1}

TODAY = date(2026, 11, 28)
ADVISER = "Harriet Lowe"

# The awkward strings. Names are typed as people type them; the app stores them NFC.
ZOE_PRECOMPOSED = "Zo\u00eb"
ZOE_DECOMPOSED = "Zoe\u0308"
LUKASZ = "\u0141ukasz"
ARABIC_FAMILY = "\u200f\u0627\u0644\u062d\u0633\u064a\u0646\u064a"  # RLM + al-Husseini
ARABIC_GIVEN = "\u0645\u0631\u064a\u0645"  # Maryam
EMOJI_CHILD = "Yusuf \U0001f468\u200d\U0001f469\u200d\U0001f466"  # man ZWJ woman ZWJ boy
CLOSING_NOTE = "Transport agreed \u2014 \u0634\u0643\u0631\u0627\u064b."
HOME_VISIT = "Home visit: Zo\u00eb showed me her drawings.\n\nNext: ask for the SALT report."
EMOJI_TASK = "Ring school re: \U0001f9d1\U0001f3fe\u200d\U0001f9bd access ramp"  # ZWJ + skin tone


def long_note(length: int) -> str:
    """A note of exactly *length* characters (the validator's cap): a few paragraphs with
    accents and a right-to-left script, then a pasted report whose ruled lines are ASCII
    punctuation, so the file and its search index stay small."""
    paragraph = ("Home visit with Zo\u00eb and \u0141ukasz. Discussed the speech and language "
                 "report, the school\u2019s provision map and next steps \u2014 "
                 "\u0645\u0631\u064a\u0645 asked for an interpreter.\n")
    ruled = "|" + "-" * 78 + "|\n"
    text = paragraph * 10 + ruled * (length // len(ruled))
    text = text[:length - 3]
    text += "END"
    assert len(text) == length and text == text.strip()
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", type=Path, help="folder holding the adviser_app to use")
    parser.add_argument("--first-format", action="store_true",
                        help="make schema_v1 (current code, migration 0001 only)")
    parser.add_argument("--out", type=Path, default=FIXTURES, help="where the fixtures go")
    args = parser.parse_args(argv)
    if args.code:
        sys.path.insert(0, str(args.code.resolve()))
    import adviser_app
    from adviser_app.store import migrate

    print(f"using the app code in {Path(adviser_app.__file__).parent}")
    if args.first_format:
        first_only = migrate.known_migrations()[:1]

        def only_the_first() -> list[migrate.Migration]:
            return first_only

        migrate.known_migrations = only_the_first  # type: ignore[assignment]
    version = len(migrate.known_migrations())
    target = args.out / f"schema_v{version}.db"
    key_target = target.with_suffix(".key")
    if target.exists() or key_target.exists():
        print(f"{target.name} already exists: a fixture is made once, by its own release, "
              "and never regenerated.", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        made, key = build(Path(tmp) / "data", version, services=not args.first_format)
        args.out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(made, target)
        shutil.copyfile(key, key_target)
    size = target.stat().st_size + key_target.stat().st_size
    print(f"wrote {target.relative_to(REPO) if target.is_relative_to(REPO) else target} and "
          f"its key file ({size / 1024:.0f} KiB); commit both")
    return 0


def build(data_dir: Path, version: int, *, services: bool) -> tuple[Path, Path]:
    """Make the case book in *data_dir*; returns its file and key file, closed."""
    from adviser_app.services import case_books
    from adviser_app.store.db import close_case_book
    from adviser_app.store.keyfile import KdfParams

    place = case_books.real_place(data_dir)
    db = case_books.create_real(data_dir, PASSPHRASE, kdf=KdfParams(**KDF)).db
    try:
        ids = (_casework_by_services if services else _casework_by_store)(db)
        if version >= 2:
            _statutory(db, ids)
        if version >= 3:
            _graduated(db, ids)
        if version >= 4:
            from adviser_app.services import audit_log
            audit_log.note(db, ADVISER, "unlocked", "case_book", "real")
        if version >= 6:  # before the letter: since format 8 the certificate request takes
            _disagreements(db, ids)  # its date from the disagreement's own record
        if version >= 5:
            _document(db, ids)
        if version >= 9:
            _figures(db, ids)
    finally:
        close_case_book(db)
    return place.path, place.key_path


def _people_and_children() -> dict[str, Any]:
    """The forms as typed, checked by the app's own validators."""
    from adviser_app.domain.forms import child_from_form, person_from_form
    from adviser_app.domain.validation import MAX_NOTE
    from adviser_app.domain.vocab import AreaOfNeed, ChildStatus, ContactMethod, Relationship

    def checked(result: tuple[Any, list[Any]]) -> Any:
        details, problems = result
        assert not problems, problems
        return details

    return {
        # no contact preference and no consent date: NULLs
        "lukasz": checked(person_from_form(
            given_name=LUKASZ, family_name="Kowalski", relationship=Relationship.FATHER,
            parental_responsibility=True, address="Flat 2\n14 Kestrel Rise\nLeeds",
            postcode="ls6 2ab", phone="+44 (0)7700 900123", email="lukasz@example.org",
            interpreter_language="Polski", today=TODAY)),
        "zoe_mother": checked(person_from_form(
            given_name=ZOE_DECOMPOSED, family_name="Kowalska", relationship=Relationship.MOTHER,
            parental_responsibility=True, email="zoe@example.org",
            preferred_contact=ContactMethod.EMAIL, consent_to_share=True,
            consent_date="02/01/2026", today=TODAY)),
        "zoe_child": checked(child_from_form(
            given_name=ZOE_PRECOMPOSED, family_name="Kowalska", date_of_birth="04/12/2018",
            school="Fieldgate Primary", year_group="Year 3", local_authority="Leeds",
            areas_of_need=[AreaOfNeed.COMMUNICATION, AreaOfNeed.SEMH],
            status=ChildStatus.SEN_SUPPORT, notes=long_note(MAX_NOTE), today=TODAY)),
        "maryam": checked(person_from_form(
            given_name=ARABIC_GIVEN, family_name=ARABIC_FAMILY, relationship=Relationship.MOTHER,
            phone="07700 900457", preferred_contact=ContactMethod.TEXT,
            interpreter_language="\u0627\u0644\u0639\u0631\u0628\u064a\u0629", today=TODAY)),
        "yusuf": checked(child_from_form(
            given_name=EMOJI_CHILD, family_name=ARABIC_FAMILY, date_of_birth="30/06/2012",
            status=ChildStatus.EHC_PLAN, ehc_plan_issued="15/03/2021",
            ehc_plan_last_reviewed="14/03/2026", notes="Prefers \u201cYusuf\u201d.",
            today=TODAY)),
    }


def _case_details(summary: str, opened: date, child_ids: list[str]) -> Any:
    from adviser_app.domain.records import CaseDetails
    from adviser_app.domain.vocab import CaseIssue

    return CaseDetails(ADVISER, opened, frozenset({CaseIssue.EHC_ASSESSMENT,
                                                   CaseIssue.SEN_SUPPORT}),
                       frozenset(child_ids), summary)


def _casework_by_services(db: Any) -> dict[str, str]:
    """Families, cases, notes and tasks the way the case view makes them."""
    from adviser_app.domain.forms import entry_from_form, task_from_form
    from adviser_app.domain.records import EntryDetails
    from adviser_app.domain.vocab import EntryKind
    from adviser_app.services import casework
    from adviser_app.store import cases

    f = _people_and_children()
    ids: dict[str, str] = {}
    ids["open_case"] = casework.open_new_family_case(
        db, family_name=_family_name("Kowalski"), person=f["lukasz"], children=[f["zoe_child"]],
        case=_case_details("Refused assessment; SEN support not reviewed.",
                           date(2026, 1, 5), []), actor=ADVISER)
    family_id = cases.get_case(db, ids["open_case"]).family_id
    casework.add_person(db, family_id, f["zoe_mother"], ADVISER)
    ids["zoe"] = _only_child(db, family_id)  # the case is about the children made with it

    entry, problems = entry_from_form(kind=EntryKind.HOME_VISIT, entry_date="10/01/2026",
                                      author=ADVISER, body=HOME_VISIT, today=TODAY)
    assert entry is not None, problems
    casework.add_timeline_entry(db, ids["open_case"], entry, ADVISER)
    first = EntryDetails(EntryKind.PHONE_CALL, date(2026, 1, 6), ADVISER,
                         "Spoke to \u0141ukasz; he wants letters in English.")
    edited_id = casework.add_timeline_entry(db, ids["open_case"], first, ADVISER)
    casework.edit_timeline_entry(db, edited_id, EntryDetails(
        EntryKind.PHONE_CALL, date(2026, 1, 6), ADVISER,
        "Spoke to \u0141ukasz; he wants letters in English and Polish."), ADVISER, 1)

    for title, due in (("Chase the speech and language report", "30/01/2026"),
                       (EMOJI_TASK, "")):
        task, problems = task_from_form(title=title, due_on=due)
        assert task is not None, problems
        casework.add_task(db, ids["open_case"], task, ADVISER)
    task, _ = task_from_form(title="Send the consent form", due_on="09/01/2026")
    assert task is not None
    done_id = casework.add_task(db, ids["open_case"], task, ADVISER)
    casework.mark_task(db, done_id, done=True, today=date(2026, 1, 8), actor=ADVISER)

    ids["closed_case"] = casework.open_new_family_case(
        db, family_name=_family_name(ARABIC_FAMILY), person=f["maryam"], children=[f["yusuf"]],
        case=_case_details("Annual review \u2014 transport.", date(2025, 9, 1), []),
        actor=ADVISER)
    closed_family = cases.get_case(db, ids["closed_case"]).family_id
    ids["yusuf"] = _only_child(db, closed_family)
    casework.close_case(db, ids["closed_case"], date(2025, 12, 19), CLOSING_NOTE, ADVISER)
    return ids


def _casework_by_store(db: Any) -> dict[str, str]:
    """The same families with the store functions alone (format 1 has no audit log, which
    today's services write to)."""
    from adviser_app.domain.forms import entry_from_form, task_from_form
    from adviser_app.domain.records import EntryDetails
    from adviser_app.domain.references import REAL_PREFIX
    from adviser_app.domain.vocab import CaseState, EntryKind
    from adviser_app.store import cases, families, tasks, timeline

    f = _people_and_children()
    ids: dict[str, str] = {}
    with db.atomic():
        family_id = families.insert_family(db, _family_name("Kowalski"), ADVISER)
        families.insert_person(db, family_id, f["lukasz"], ADVISER)
        families.insert_person(db, family_id, f["zoe_mother"], ADVISER)
        ids["zoe"] = families.insert_child(db, family_id, f["zoe_child"], ADVISER)
        ids["open_case"], _ = cases.insert_case(db, family_id, _case_details(
            "Refused assessment; SEN support not reviewed.", date(2026, 1, 5), [ids["zoe"]]),
            ADVISER, REAL_PREFIX)
        entry, problems = entry_from_form(kind=EntryKind.HOME_VISIT, entry_date="10/01/2026",
                                          author=ADVISER, body=HOME_VISIT, today=TODAY)
        assert entry is not None, problems
        timeline.insert_entry(db, ids["open_case"], entry, ADVISER)
        edited_id = timeline.insert_entry(db, ids["open_case"], EntryDetails(
            EntryKind.PHONE_CALL, date(2026, 1, 6), ADVISER,
            "Spoke to \u0141ukasz; he wants letters in English."), ADVISER)
        timeline.edit_entry(db, edited_id, EntryDetails(
            EntryKind.PHONE_CALL, date(2026, 1, 6), ADVISER,
            "Spoke to \u0141ukasz; he wants letters in English and Polish."), ADVISER, 1)
        for title, due in (("Chase the speech and language report", "30/01/2026"),
                           (EMOJI_TASK, ""), ("Send the consent form", "09/01/2026")):
            task, problems = task_from_form(title=title, due_on=due)
            assert task is not None, problems
            task_id = tasks.insert_task(db, ids["open_case"], task, ADVISER)
        tasks.set_task_done(db, task_id, date(2026, 1, 8), ADVISER)

        closed_family = families.insert_family(db, _family_name(ARABIC_FAMILY), ADVISER)
        families.insert_person(db, closed_family, f["maryam"], ADVISER)
        ids["yusuf"] = families.insert_child(db, closed_family, f["yusuf"], ADVISER)
        ids["closed_case"], _ = cases.insert_case(db, closed_family, _case_details(
            "Annual review \u2014 transport.", date(2025, 9, 1), [ids["yusuf"]]), ADVISER,
            REAL_PREFIX)
        # what casework.close_case does, less its audit row
        cases.set_case_state(db, ids["closed_case"], CaseState.CLOSED, date(2025, 12, 19),
                             CLOSING_NOTE, ADVISER)
        timeline.insert_entry(db, ids["closed_case"], EntryDetails(
            EntryKind.NOTE, date(2025, 12, 19), ADVISER,
            f"Case closed. Closing note: {CLOSING_NOTE}"), ADVISER)
    return ids


def _family_name(typed: str) -> str:
    from adviser_app.domain.forms import family_name_from_form

    name, problems = family_name_from_form(typed)
    assert not problems, problems
    return name


def _only_child(db: Any, family_id: str) -> str:
    from adviser_app.store import families

    children = families.get_family(db, family_id).children
    assert len(children) == 1
    return children[0].id


def _statutory(db: Any, ids: dict[str, str]) -> None:
    from adviser_app.domain.statutory.event_form import event_from_form
    from adviser_app.domain.statutory.events import DeadlineState, EventKind
    from adviser_app.services import statutory

    def event(kind: EventKind, day: str, case: str, child: str, **extra: Any) -> str:
        details, problems = event_from_form(kind=kind, event_date=day, child_id=child,
                                            today=TODAY, **extra)
        assert details is not None, problems
        return statutory.record_event(db, ids[case], details, ADVISER)

    request = event(EventKind.EHC_REQUEST_RECEIVED, "12/01/2026", "open_case", ids["zoe"],
                    document="Letter from the SEN team", notes="")
    refusal = event(EventKind.ASSESSMENT_DECISION, "06/03/2026", "open_case", ids["zoe"],
                    outcome="refuse", notes="Refused: \u201cneeds can be met\u201d.")
    mistaken = event(EventKind.ADVICE_REQUESTED, "20/01/2026", "open_case", ids["zoe"])
    statutory.remove_event(db, mistaken, ADVISER)  # erased: only its audit row remains
    keys = {item.deadline.key: item.event.id for item in statutory.case_deadlines(
        db, ids["open_case"])}
    first_request_key = next(k for k, e in keys.items() if e == request)
    statutory.mark_deadline(db, request, first_request_key, DeadlineState.NOT_APPLICABLE,
                            on=None, reason="Superseded by the decision letter.", actor=ADVISER,
                            today=TODAY)
    refusal_key = next(k for k, e in keys.items() if e == refusal)
    statutory.mark_deadline(db, refusal, refusal_key, DeadlineState.MET, on=date(2026, 3, 20),
                            reason="", actor=ADVISER, today=TODAY)
    event(EventKind.FINAL_PLAN_ISSUED, "15/03/2021", "closed_case", ids["yusuf"])
    statutory.add_extra_holiday(db, date(2026, 6, 15), "Extra bank holiday (test)")


def _graduated(db: Any, ids: dict[str, str]) -> None:
    from adviser_app.domain.graduated.cycles import EvidenceKind, Progress
    from adviser_app.domain.graduated.expectations import CheckStatus
    from adviser_app.domain.graduated.forms import (CycleForm, EvidenceRow, OutcomeRow,
                                                    SupportRow, check_mark_from_form,
                                                    cycle_from_form, meeting_from_form)
    from adviser_app.domain.graduated.passport import (TargetCheck, TargetRow, TargetStatus,
                                                       passport_from_form, targets_from_form)
    from adviser_app.domain.vocab import AreaOfNeed
    from adviser_app.services import graduated

    child = ids["zoe"]
    cycle, problems = cycle_from_form(CycleForm(
        child_id=child, assessed_on="15/09/2025", assessed_by="Ms O\u2019Brien (SENCO)",
        senco_involved=True,
        evidence=(EvidenceRow(EvidenceKind.TEACHER_ASSESSMENT, "Class teacher observation",
                              "Mr \u0141ukaszewicz", "10/09/2025"),
                  EvidenceRow(EvidenceKind.PARENT_VIEWS, "Parents\u2019 views",
                              ZOE_DECOMPOSED + " Kowalska", "12/09/2025")),
        areas=frozenset({AreaOfNeed.COMMUNICATION}), planned_on="22/09/2025",
        parents_told_on="", agreed_with_parents=True,
        outcomes=(OutcomeRow("Asks for help with a visual card", Progress.SOME, "Most days"),
                  OutcomeRow("Joins in circle time")),  # no progress recorded: NULL
        support=(SupportRow("Speech and language group", "TA", "Twice a week",
                            "29/09/2025"),),
        review_due="15/12/2025", reviewed_on="15/12/2025",
        parent_views="Happier at home \U0001f642"), TODAY)  # no next step chosen: NULL
    assert cycle is not None, problems
    graduated.record_cycle(db, cycle, ADVISER)
    meeting, problems = meeting_from_form(child_id=child, met_on="22/09/2025",
                                          led_by="SENCO", senco_present=True,
                                          notes="Plan shared with " + LUKASZ + ".", today=TODAY)
    assert meeting is not None, problems
    graduated.record_meeting(db, meeting, ADVISER)
    mark, problems = check_mark_from_form(key="parents_told", status=CheckStatus.NOT_MET,
                                          evidence="No letter on file.")
    assert mark is not None, problems
    graduated.mark_expectation(db, child, "parents_told", mark, ADVISER)
    passport, problems = passport_from_form(
        made_on="01/10/2025", texts={"strengths": "Drawing \U0001f3a8 and Lego",
                                     "own_words": "I like it when it\u2019s quiet."},
        today=TODAY)  # no review date: NULL
    assert passport is not None, problems
    targets, problems = targets_from_form([TargetRow(None, "Use the visual timetable",
                                                     "01/10/2025")], TODAY)
    assert targets, problems
    graduated.save_passport(db, child, passport, targets, ADVISER)
    target_id = graduated.overview(db, child, TODAY).targets[0].id
    graduated.record_target_review(db, [(target_id, TargetCheck(
        date(2025, 12, 15), TargetStatus.PARTLY, "Most mornings"))], ADVISER)


def _document(db: Any, ids: dict[str, str]) -> None:
    from adviser_app.services import documents

    documents.save_letterhead(db, {
        "name": "Example SENDIASS", "address": "1 Example Street\nLeeds LS1 1AA",
        "phone": "0113 496 0000", "email": "help@example.org", "footer": "",
        "signature_name": "", "signature_role": "SEND adviser", "logo_hex": ""})
    draft = documents.start(db, ids["open_case"], "certificate_request", TODAY)
    assert not draft.missing and not draft.to_type, (draft.missing, draft.to_type)
    letter = documents.compose(db, ids["open_case"], "certificate_request", draft.wording, {},
                               "Mediation adviser\nExample Mediation Ltd", TODAY)
    documents.produce(db, ids["open_case"], letter, draft.wording, ADVISER, TODAY)


def _disagreements(db: Any, ids: dict[str, str]) -> None:
    from adviser_app.domain.mediation import Choice, Decision, MediationDraft, Step
    from adviser_app.services import mediation

    mediation.save(db, ids["open_case"], MediationDraft(
        child_id=ids["zoe"], decision=Decision.REFUSE_ASSESS, letter_dated=date(2026, 3, 5),
        letter_sent=date(2026, 3, 6), choice=Choice.CERTIFICATE_ONLY,
        adviser_told=date(2026, 3, 16), certificate_issued=date(2026, 3, 20),
        step=Step.SUMMARY), ADVISER)
    # left at the first step before a child was chosen: child_id is NULL
    mediation.save(db, ids["open_case"], MediationDraft(step=Step.DECISION), ADVISER)


def _figures(db: Any, ids: dict[str, str]) -> None:
    from dataclasses import replace

    from adviser_app.domain.records import EntryDetails
    from adviser_app.domain.vocab import (ContactWay, EntryKind, EvaluationAnswer, HeardFrom,
                                          ServiceUser, SupportLevel)
    from adviser_app.services import case_progress, casework
    from adviser_app.store import cases

    details = cases.get_case(db, ids["open_case"]).details
    casework.update_case(db, ids["open_case"], replace(
        details, level=SupportLevel.ADVICE, service_user=ServiceUser.PARENT_CARER,
        heard_from=HeardFrom.SCHOOL), ADVISER, level_changed_on=date(2026, 1, 5))
    details = cases.get_case(db, ids["open_case"]).details
    casework.update_case(db, ids["open_case"], replace(details, level=SupportLevel.TRIBUNAL),
                         ADVISER, level_changed_on=date(2026, 3, 6))
    casework.add_timeline_entry(db, ids["open_case"], EntryDetails(
        EntryKind.MEETING, date(2026, 3, 10), ADVISER, "Video call with \u0141ukasz.", 45,
        ContactWay.ONLINE), ADVISER)
    case_progress.set_inactive(db, ids["open_case"], True, date(2026, 4, 1), ADVISER)
    case_progress.save_lists(db, ["Resolved \u2014 agreed", "Other"],
                             ["Did we listen? \U0001f642"], ADVISER)
    # what casework.close_case now writes on closing, for the case closed above (closing it
    # again would change the rows the older formats' checks expect)
    from adviser_app.store import case_progress as progress_store

    with db.atomic():
        progress_store.record_closing(db, ids["closed_case"], "Resolved \u2014 agreed",
                                      [("Did we listen? \U0001f642", EvaluationAnswer.PARTLY)],
                                      ADVISER)


if __name__ == "__main__":
    sys.exit(main())
