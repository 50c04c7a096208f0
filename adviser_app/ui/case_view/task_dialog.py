"""Adding or editing a task with an optional due date."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from adviser_app.domain.forms import task_from_form
from adviser_app.domain.records import Task
from adviser_app.domain.validation import Problem
from adviser_app.services import casework
from adviser_app.ui.form_support import ValidatingForm, date_field, text_field
from adviser_app.ui.case_book.session import Session


class TaskDialog(ValidatingForm):
    def __init__(self, session: Session, case_id: str, task: Task | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Edit task" if task else "Add a task", parent)
        self.session, self.case_id, self.task = session, case_id, task
        d = task.details if task else None
        self.title = self.add_row("Task:", "title", text_field("Task", d.title if d else ""))
        self.due_on = self.add_row("Due by:", "due_on",
                                   date_field("Due date", d.due_on if d else None))
        self.resize(480, 160)

    def save(self) -> list[Problem]:
        details, problems = task_from_form(title=self.title.text(), due_on=self.due_on.text())
        if details is None:
            return problems
        if self.task:
            casework.update_task(self.session.db, self.task.id, details, self.session.actor)
        else:
            casework.add_task(self.session.db, self.case_id, details, self.session.actor)
        return []
