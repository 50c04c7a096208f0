"""A case's level of support and active/inactive status over its life (each change kept with
its date), and the outcome and evaluation answers recorded on closing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlite_utils import Database

from adviser_app.domain.vocab import EvaluationAnswer, SupportLevel
from adviser_app.store.rows import new_id, stamps


def current_level(db: Database, case_id: str) -> SupportLevel | None:
    for row in db.execute("SELECT level FROM case_level_change WHERE case_id = ? "
                          "ORDER BY changed_on DESC, created_at DESC LIMIT 1", [case_id]):
        return SupportLevel(row[0])
    return None


def level_history(db: Database, case_id: str) -> list[tuple[date, SupportLevel]]:
    """Each change of level, oldest first."""
    return [(date.fromisoformat(r[0]), SupportLevel(r[1])) for r in db.execute(
        "SELECT changed_on, level FROM case_level_change WHERE case_id = ? "
        "ORDER BY changed_on, created_at", [case_id])]


def record_level(db: Database, case_id: str, level: SupportLevel, on: date,
                 actor: str) -> None:
    db.table("case_level_change").insert({
        "id": new_id(), "case_id": case_id, "level": int(level), "changed_on": on.isoformat(),
        **stamps(actor, created=True)})


def is_inactive(db: Database, case_id: str) -> bool:
    for row in db.execute("SELECT status FROM case_status_change WHERE case_id = ? "
                          "ORDER BY changed_on DESC, created_at DESC LIMIT 1", [case_id]):
        return bool(row[0] == "inactive")
    return False


def record_status(db: Database, case_id: str, inactive: bool, on: date, actor: str) -> None:
    db.table("case_status_change").insert({
        "id": new_id(), "case_id": case_id, "status": "inactive" if inactive else "open",
        "changed_on": on.isoformat(), **stamps(actor, created=True)})


def record_closing(db: Database, case_id: str, outcome: str | None,
                   answers: Sequence[tuple[str, EvaluationAnswer]], actor: str) -> None:
    """The outcome and the evaluation answers, each with its question's wording (a case
    closed again replaces those of its earlier closing)."""
    db.execute("UPDATE case_file SET outcome = ? WHERE id = ?", [outcome, case_id])
    db.execute("DELETE FROM case_evaluation_answer WHERE case_id = ?", [case_id])
    for position, (question, answer) in enumerate(answers):
        db.table("case_evaluation_answer").insert({
            "id": new_id(), "case_id": case_id, "position": position, "question": question,
            "answer": answer.value, **stamps(actor, created=True)})


def evaluation_answers(db: Database, case_id: str) -> list[tuple[str, EvaluationAnswer]]:
    return [(r[0], EvaluationAnswer(r[1])) for r in db.execute(
        "SELECT question, answer FROM case_evaluation_answer WHERE case_id = ? "
        "ORDER BY position", [case_id])]
