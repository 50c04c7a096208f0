"""Disagreement records: the mediation wizard's answers, saved at every step."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlite_utils import Database

from adviser_app.domain.statutory.events import DeadlineMark, DeadlineState
from adviser_app.domain.mediation import (Action, Choice, Decision, Issue, MediationDraft,
                                          Outcome, Step)
from adviser_app.domain.statutory.mediation_rules import AgreedAction
from adviser_app.store.cases import touch_case
from adviser_app.store.rows import get_row, iso, new_id, stamps, to_date


def to_json(d: MediationDraft) -> str:
    return json.dumps({
        "decision": d.decision.value if d.decision else None, "sections": sorted(d.sections),
        "letter_dated": iso(d.letter_dated), "letter_sent": iso(d.letter_sent),
        "choice": d.choice.value, "adviser_told": iso(d.adviser_told),
        "certificate_issued": iso(d.certificate_issued),
        "issues": sorted(i.value for i in d.issues), "health_provision": d.health_provision,
        "la_told": iso(d.la_told), "mediation_date": iso(d.mediation_date),
        "attendees": d.attendees, "supporter": d.supporter, "outcome": d.outcome.value,
        "concluded": iso(d.concluded), "la_party": d.la_party,
        "actions": [{"description": a.description, "kind": a.kind.value,
                     "agreed_due": iso(a.agreed_due)} for a in d.actions],
        "still_open": d.still_open, "health_body_told": iso(d.health_body_told),
        "conduct_on": iso(d.conduct_on), "appeal_registered": iso(d.appeal_registered),
        "marks": [{"key": m.deadline_key, "state": m.state.value, "on": iso(m.on),
                   "reason": m.reason} for m in d.marks]}, sort_keys=True)


def from_row(row: dict[str, Any]) -> MediationDraft:
    a = json.loads(row["answers"])

    def day(key: str) -> date | None:
        return to_date(a.get(key))

    return MediationDraft(
        child_id=row["child_id"] or "",
        decision=Decision(a["decision"]) if a.get("decision") else None,
        sections=frozenset(a.get("sections", [])), letter_dated=day("letter_dated"),
        letter_sent=day("letter_sent"), choice=Choice(a.get("choice", "undecided")),
        adviser_told=day("adviser_told"), certificate_issued=day("certificate_issued"),
        issues=frozenset(Issue(i) for i in a.get("issues", [])),
        health_provision=a.get("health_provision", ""), la_told=day("la_told"),
        mediation_date=day("mediation_date"), attendees=a.get("attendees", ""),
        supporter=a.get("supporter", ""), outcome=Outcome(a.get("outcome", "pending")),
        concluded=day("concluded"), la_party=bool(a.get("la_party", True)),
        actions=tuple(Action(x["description"], AgreedAction(x["kind"]),
                             to_date(x.get("agreed_due"))) for x in a.get("actions", [])),
        step=Step(row["step"]), still_open=a.get("still_open", ""),
        health_body_told=day("health_body_told"), conduct_on=day("conduct_on"),
        appeal_registered=day("appeal_registered"),
        marks=tuple(DeadlineMark("", m["key"], DeadlineState(m["state"]), to_date(m.get("on")),
                                 m.get("reason", "")) for m in a.get("marks", [])))


def save(db: Database, case_id: str, draft: MediationDraft, actor: str,
         disagreement_id: str | None = None) -> str:
    values = {"case_id": case_id, "child_id": draft.child_id or None,
              "answers": to_json(draft), "step": int(draft.step)}
    if disagreement_id is None:
        disagreement_id = new_id()
        db.table("disagreement").insert({"id": disagreement_id, **values,
                                         **stamps(actor, created=True)})
    else:
        db.table("disagreement").update(disagreement_id, {**values,
                                                          **stamps(actor, created=False)})
    touch_case(db, case_id, actor)
    return disagreement_id


def get(db: Database, disagreement_id: str) -> tuple[str, MediationDraft]:
    row = get_row(db, "disagreement", disagreement_id, "disagreement")
    return row["case_id"], from_row(row)


def for_case(db: Database, case_id: str) -> list[tuple[str, MediationDraft]]:
    return [(r["id"], from_row(r)) for r in db.query(
        "SELECT * FROM disagreement WHERE case_id = ? ORDER BY created_at", [case_id])]


def for_open_cases(db: Database) -> list[tuple[str, str, MediationDraft]]:
    return [(r["id"], r["case_id"], from_row(r)) for r in db.query(
        "SELECT d.* FROM disagreement d JOIN case_file c ON c.id = d.case_id "
        "WHERE c.state = 'open' ORDER BY d.created_at")]
