"""Tasks on a case, with due dates and done dates."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlite_utils import Database

from adviser_app.domain.records import Task, TaskDetails
from adviser_app.store.rows import get_row, iso, new_id, stamps, to_date
from adviser_app.store.cases import touch_case
from adviser_app.store.search import index_task


def _task(row: dict[str, Any]) -> Task:
    return Task(row["id"], row["case_id"], TaskDetails(row["title"], to_date(row["due_on"])),
                to_date(row["done_on"]))


def insert_task(db: Database, case_id: str, details: TaskDetails, actor: str) -> str:
    task_id = new_id()
    db.table("task").insert({"id": task_id, "case_id": case_id, "title": details.title,
                             "due_on": iso(details.due_on), "done_on": None,
                             **stamps(actor, created=True)})
    index_task(db, case_id, task_id, details.title)
    touch_case(db, case_id, actor)
    return task_id


def update_task(db: Database, task_id: str, details: TaskDetails, actor: str) -> None:
    case_id = get_row(db, "task", task_id, "task", "case_id")["case_id"]
    db.table("task").update(task_id, {"title": details.title, "due_on": iso(details.due_on),
                                      **stamps(actor, created=False)})
    index_task(db, case_id, task_id, details.title)
    touch_case(db, case_id, actor)


def set_task_done(db: Database, task_id: str, done_on: date | None, actor: str) -> None:
    case_id = get_row(db, "task", task_id, "task", "case_id")["case_id"]
    db.table("task").update(task_id, {"done_on": iso(done_on),
                                      **stamps(actor, created=False)})
    touch_case(db, case_id, actor)


def list_tasks(db: Database, case_id: str) -> list[Task]:
    """Open tasks first (soonest due first), then done ones."""
    return [_task(r) for r in db.query(
        "SELECT * FROM task WHERE case_id = ? ORDER BY done_on IS NOT NULL, "
        "due_on IS NULL, due_on, created_at", [case_id])]
