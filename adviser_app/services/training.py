"""Loading the fictional families in resources/training/ into the training case book."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from adviser_app.domain.forms import case_from_form, child_from_form, entry_from_form, \
    person_from_form, task_from_form
from adviser_app.domain.records import ChildDetails
from adviser_app.domain.validation import Problem, format_date
from adviser_app.domain.vocab import CONTACT_FOR_KIND, AreaOfNeed, CaseIssue, CaseState, \
    ChildStatus, ContactMethod, EntryKind, HeardFrom, Relationship, ServiceUser, SupportLevel
from adviser_app.paths import TRAINING_FAMILIES_FILE
from adviser_app.domain.statutory.event_form import event_from_form
from adviser_app.domain.statutory.events import DeadlineMark, DeadlineState, EventKind
from adviser_app.domain.statutory.ehc_plan_rules import TransferKind
from adviser_app.domain.statutory.mediation_rules import AgreedAction
from adviser_app.domain.graduated.cycles import EvidenceKind, NextStep, Progress
from adviser_app.domain.graduated.expectations import CheckStatus
from adviser_app.domain.graduated.forms import (CycleForm, EvidenceRow, OutcomeRow, SupportRow,
                                                check_mark_from_form, cycle_from_form,
                                                meeting_from_form)
from adviser_app.domain.graduated.passport import (TargetCheck, TargetRow, TargetStatus,
                                                   passport_from_form, targets_from_form)
from adviser_app.store import case_progress, cases, events, families, graduated, \
    graduated_passport, tasks, timeline
from adviser_app.store.db import Database
from adviser_app.services.documents import LETTERHEAD_SETTING
from adviser_app.store.settings import get_setting, is_training, set_setting

TRAINER = "Training"


class TrainingDataError(ValueError):
    """A fictional family in the training files is not valid; says which and why."""


def _dmy(value: str | None) -> str:
    return format_date(date.fromisoformat(value)) if value else ""


def _check(where: str, result: tuple[Any, list[Problem]]) -> Any:
    details, problems = result
    if problems:
        raise TrainingDataError(f"{where}: " + "; ".join(p.message for p in problems))
    return details


def read_training_file(path: Path = TRAINING_FAMILIES_FILE) -> list[dict[str, Any]]:
    body = json.loads(path.read_text(encoding="utf-8"))
    return list(body["families"])


def load_training_families(db: Database, today: date,
                           path: Path = TRAINING_FAMILIES_FILE) -> int:
    """Insert every fictional family, in one transaction; returns the number of families."""
    if not is_training(db):
        raise TrainingDataError("Fictional families can only go into the training case book.")
    records = read_training_file(path)
    head = json.loads(path.read_text(encoding="utf-8")).get("letterhead")
    with db.atomic():
        for index, fam in enumerate(records, start=1):
            _load_family(db, fam, today, f"family {index} ({fam.get('family_name', '?')})")
        if head:  # a fictional service, so a trainee's first letter can be made
            set_setting(db, LETTERHEAD_SETTING, json.dumps(head, sort_keys=True))
    return len(records)


def _load_family(db: Database, fam: dict[str, Any], today: date, where: str) -> None:
    family_id = families.insert_family(db, fam["family_name"], TRAINER, fam.get("notes", ""))
    for p in fam.get("people", []):
        details = _check(where, person_from_form(
            given_name=p["given_name"], family_name=p["family_name"],
            relationship=Relationship(p["relationship"]),
            parental_responsibility=p.get("parental_responsibility", False),
            address=p.get("address", ""), postcode=p.get("postcode", ""),
            phone=p.get("phone", ""), email=p.get("email", ""),
            preferred_contact=ContactMethod(p["preferred_contact"])
            if p.get("preferred_contact") else None,
            access_needs=p.get("access_needs", ""),
            interpreter_language=p.get("interpreter_language", ""),
            consent_to_share=p.get("consent_to_share", False),
            consent_date=_dmy(p.get("consent_date")), today=today))
        families.insert_person(db, family_id, details, TRAINER)
    child_ids: dict[str, str] = {}
    for c in fam.get("children", []):
        child: ChildDetails = _check(where, child_from_form(
            given_name=c["given_name"], family_name=c["family_name"],
            date_of_birth=_dmy(c["date_of_birth"]), school=c.get("school", ""),
            year_group=c.get("year_group", ""), local_authority=c.get("local_authority", ""),
            areas_of_need=[AreaOfNeed(a) for a in c.get("areas_of_need", [])],
            status=ChildStatus(c["status"]), ehc_plan_issued=_dmy(c.get("ehc_plan_issued")),
            ehc_plan_last_reviewed=_dmy(c.get("ehc_plan_last_reviewed")),
            notes=c.get("notes", ""), today=today))
        child_ids[c["key"]] = families.insert_child(db, family_id, child, TRAINER)
        if "graduated" in c:
            _load_graduated(db, child_ids[c["key"]], c["graduated"], today,
                            f"{where}, {c['given_name']}'s graduated approach")
    for k in fam.get("cases", []):
        unknown = [key for key in k.get("children", []) if key not in child_ids]
        if unknown:
            raise TrainingDataError(f"{where}: case names unknown children {unknown}")
        details = _check(where, case_from_form(
            adviser=k["adviser"], opened_on=_dmy(k["opened_on"]),
            issues=[CaseIssue(i) for i in k["issues"]],
            child_ids=[child_ids[key] for key in k.get("children", [])],
            summary=k.get("summary", ""), today=today,
            level=SupportLevel(k["level"]) if "level" in k else None,
            service_user=ServiceUser(k["service_user"]) if "service_user" in k else None,
            heard_from=HeardFrom(k["heard_from"]) if "heard_from" in k else None))
        case_id, _ = cases.insert_case(db, family_id, details, TRAINER, "TR")
        for e in k.get("timeline", []):
            entry = _check(where, entry_from_form(
                kind=EntryKind(e["kind"]), entry_date=_dmy(e["entry_date"]),
                author=e["author"], body=e["body"], today=today,
                minutes=str(e.get("minutes", "")),
                contact=CONTACT_FOR_KIND[EntryKind(e["kind"])]))
            timeline.insert_entry(db, case_id, entry, e["author"])
        for t in k.get("tasks", []):
            task_id = tasks.insert_task(db, case_id, _check(where, task_from_form(
                title=t["title"], due_on=_dmy(t.get("due_on")))), TRAINER)
            if t.get("done_on"):
                tasks.set_task_done(db, task_id, date.fromisoformat(t["done_on"]), TRAINER)
        for e in k.get("events", []):
            if e.get("child") not in child_ids:
                raise TrainingDataError(f"{where}: event names unknown child {e.get('child')}")
            p = e.get("params", {})
            event = _check(where, event_from_form(
                kind=EventKind(e["kind"]), event_date=_dmy(e["event_date"]),
                child_id=child_ids[e["child"]], outcome=p.get("outcome", ""),
                transfer_kind=TransferKind(p["transfer_kind"]) if "transfer_kind" in p
                else None, transfer_year=str(p.get("transfer_year", "")),
                move_date=_dmy(p.get("move_date")),
                action=AgreedAction(p["action"]) if "action" in p else None,
                contents=bool(p.get("contents")), document=e.get("document", ""),
                notes=e.get("notes", ""), today=today))
            event_id = events.insert_event(db, case_id, event, TRAINER)
            for m in e.get("marks", []):
                events.set_mark(db, DeadlineMark(
                    event_id, m["deadline"], DeadlineState(m["state"]),
                    date.fromisoformat(m["on"]) if m.get("on") else None,
                    m.get("reason", "")), TRAINER)
        for n, dis in enumerate(k.get("disagreements", []), start=1):
            _load_disagreement(db, case_id, child_ids, dis, today, f"{where}, disagreement {n}")
        if k.get("trainer_notes"):
            set_setting(db, trainer_notes_key(case_id), k["trainer_notes"])
        if k.get("state") == CaseState.CLOSED.value:
            closed_on = date.fromisoformat(k["closed_on"])
            cases.set_case_state(db, case_id, CaseState.CLOSED, closed_on,
                                 k.get("closing_note", ""), TRAINER)
            case_progress.record_closing(db, case_id, k.get("outcome"), [], TRAINER)


def trainer_notes_key(case_id: str) -> str:
    return f"trainer_notes:{case_id}"


def trainer_notes(db: Database, case_id: str) -> str:
    """What the trainer should point out and ask about this scenario ("" for none)."""
    return get_setting(db, trainer_notes_key(case_id))


def _load_disagreement(db: Database, case_id: str, child_ids: dict[str, str],
                       dis: dict[str, Any], today: date, where: str) -> None:
    """A mediation wizard record, checked step by step as the wizard would."""
    from adviser_app.domain.mediation import Step, problems, steps_for
    from adviser_app.store import disagreements

    if dis.get("child") not in child_ids:
        raise TrainingDataError(f"{where}: names unknown child {dis.get('child')}")
    answers = {k: v for k, v in dis.items() if k not in ("child", "step")}
    draft = disagreements.from_row({"answers": json.dumps(answers),
                                    "child_id": child_ids[dis["child"]],
                                    "step": int(dis.get("step", Step.SUMMARY))})
    for step in steps_for(draft):
        if step is Step.SUMMARY or step > draft.step:
            continue
        found = problems(draft, step, today)
        if found:
            raise TrainingDataError(f"{where}: " + "; ".join(p.message for p in found))
    disagreements.save(db, case_id, draft, TRAINER)


def _support(rows: list[dict[str, Any]]) -> tuple[SupportRow, ...]:
    return tuple(SupportRow(r["what"], r.get("who", ""), r.get("how_often", ""),
                            _dmy(r.get("starts_on"))) for r in rows)


def _cycle_form(child_id: str, c: dict[str, Any]) -> CycleForm:
    return CycleForm(
        child_id=child_id, assessed_on=_dmy(c.get("assessed_on")),
        assessed_by=c.get("assessed_by", ""), senco_involved=c.get("senco_involved", False),
        evidence=tuple(EvidenceRow(EvidenceKind(e["kind"]), e["description"], e["author"],
                                   _dmy(e.get("given_on"))) for e in c.get("evidence", [])),
        areas=frozenset(AreaOfNeed(a) for a in c.get("areas", [])),
        planned_on=_dmy(c.get("planned_on")), parents_told_on=_dmy(c.get("parents_told_on")),
        agreed_with_parents=c.get("agreed_with_parents", False),
        outcomes=tuple(OutcomeRow(o["description"], Progress(o["progress"])
                                  if o.get("progress") else None, o.get("note", ""))
                       for o in c.get("outcomes", [])),
        support=_support(c.get("support", [])), review_due=_dmy(c.get("review_due")),
        on_passport=c.get("on_passport", False),
        on_provision_map=c.get("on_provision_map", False),
        provision=_support(c.get("provision", [])), senco_support=c.get("senco_support", ""),
        reviewed_on=_dmy(c.get("reviewed_on")), parent_views=c.get("parent_views", ""),
        pupil_views=c.get("pupil_views", ""),
        next_step=NextStep(c["next_step"]) if c.get("next_step") else None,
        review_notes=c.get("review_notes", ""))


def _load_graduated(db: Database, child_id: str, g: dict[str, Any], today: date,
                    where: str) -> None:
    """Cycles, parent meetings, adviser marks, passport and targets of one child, through the
    same checks as the app's forms."""
    for n, c in enumerate(g.get("cycles", []), start=1):
        graduated.insert_cycle(db, _check(f"{where}, cycle {n}", cycle_from_form(
            _cycle_form(child_id, c), today)), TRAINER)
    for m in g.get("meetings", []):
        graduated.insert_meeting(db, _check(where, meeting_from_form(
            child_id=child_id, met_on=_dmy(m["met_on"]), led_by=m.get("led_by", ""),
            senco_present=m.get("senco_present", False), notes=m.get("notes", ""),
            today=today)), TRAINER)
    for k in g.get("checks", []):
        graduated.set_check(db, child_id, _check(where, check_mark_from_form(
            key=k["key"], status=CheckStatus(k["status"]), evidence=k.get("evidence", ""))),
                            TRAINER)
    if "passport" in g:
        p = g["passport"]
        graduated_passport.save_passport(db, child_id, _check(where, passport_from_form(
            made_on=_dmy(p.get("made_on")), review_on=_dmy(p.get("review_on")),
            texts=p.get("texts", {}), consent_to_share=p.get("consent_to_share", False),
            today=today)), TRAINER)
    targets = g.get("targets", [])
    if not targets:
        return
    rows = _check(where, targets_from_form([TargetRow(None, t["description"],
                                                      _dmy(t.get("set_on")))
                                            for t in targets], today))
    graduated_passport.replace_targets(db, child_id, rows, TRAINER)
    for target, t in zip(graduated_passport.targets_for_child(db, child_id), targets,
                         strict=True):
        for r in t.get("reviews", []):
            day = date.fromisoformat(r["on"])
            if day > today:
                raise TrainingDataError(f"{where}: a target review is after today")
            graduated_passport.add_target_check(db, target.id, TargetCheck(
                day, TargetStatus(r["status"]), r.get("note", "")), TRAINER)
