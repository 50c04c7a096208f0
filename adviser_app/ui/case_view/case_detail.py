"""An open case: header, then tabs for timeline, tasks, children and people."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (QDialog, QHeaderView, QPlainTextEdit, QPushButton,
                               QScrollArea, QSplitter, QTabWidget, QTableView, QVBoxLayout,
                               QWidget)

from adviser_app.domain.children import age_on, is_young_person
from adviser_app.domain.statutory.urgency import urgency
from adviser_app.domain.graduated.due_reviews import reviews_due
from adviser_app.domain.records import (Case, Child, Family, Person, Task, TimelineEntry,
                                        contact_text)
from adviser_app.domain.validation import format_date
from adviser_app.domain.vocab import CaseState, EntryKind
from adviser_app.services import casework
from adviser_app.services.data_protection import consent_questions
from adviser_app.store import cases, families, tasks, timeline
from adviser_app.store.data_protection import anonymised_on
from adviser_app.store.graduated import cycles_for_child
from adviser_app.store.db import is_open
from adviser_app.ui.case_view.anonymised_band import AnonymisedBand
from adviser_app.ui.case_view.case_dialog import CaseDialog
from adviser_app.ui.case_view.case_header import CaseHeader
from adviser_app.ui.case_view.child_dialog import ChildDialog
from adviser_app.ui.case_view.close_case_dialog import CloseCaseDialog
from adviser_app.ui.case_view.entry_dialog import EntryDialog
from adviser_app.ui.case_view.explain_dialog import ExplainDialog
from adviser_app.ui.graduated.graduated_tab import GraduatedTab
from adviser_app.ui.case_view.history_dialog import HistoryDialog
from adviser_app.ui.flow_layout import flow_row
from adviser_app.ui.layout_memory import moved_by_hand
from adviser_app.ui.case_view.person_dialog import PersonDialog
from adviser_app.ui.record_table import Column, RecordTableModel, record_view, selected_record
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.case_view.statutory_tab import StatutoryTab
from adviser_app.ui.case_view.task_dialog import TaskDialog
from adviser_app.ui.team.case_band import CaseTeamBand
from adviser_app.ui.team.where_made import WhereMade
from adviser_app.ui.theme import urgency_colour


TIMELINE_PAGE = 200
"""Timeline entries read when a case opens; the rest come a page at a time on scrolling."""


def _button(text: str, name: str | None = None) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name or text.replace("&", ""))
    return button


class CaseDetail(QWidget):
    changed = Signal(str)
    """Something on the case (its id) was saved."""

    def __init__(self, session: Session, parent: QWidget | None = None, *,
                 statutory: StatutoryTab | None = None,
                 graduated: GraduatedTab | None = None, lists_later: bool = False) -> None:
        """*statutory* and *graduated*: the two biggest tabs, when made already (the
        workspace makes each in a turn of its own after unlocking, so no turn is long);
        *lists_later*: the tasks, children and people tabs are made by make_lists (in a
        later turn), or at the latest when a case is first shown."""
        super().__init__(parent)
        self.session = session
        self.case: Case | None = None
        self.family: Family | None = None
        self.anonymised = False  # an anonymised case is shown, never changed
        self._change_buttons: list[QPushButton] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.header = CaseHeader()
        # The header can be long (a summary, several children, what is due next): on a small
        # screen it scrolls, and a splitter lets the adviser give the tabs' lists the room.
        header_area = QScrollArea()
        header_area.setWidgetResizable(True)
        header_area.setFrameShape(QScrollArea.Shape.NoFrame)
        header_area.setWidget(self.header)
        header_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header_area.setAccessibleName("Case summary")
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.setObjectName("caseHeaderSplit")
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(header_area)
        lower = QWidget()
        self.split.addWidget(lower)
        self.split.setStretchFactor(1, 1)
        layout.addWidget(self.split)
        layout = QVBoxLayout(lower)
        layout.setContentsMargins(0, 0, 0, 0)
        self.visit_button = _button("Add &visit note", "Add visit note")
        self.edit_case_button = _button("&Edit case", "Edit case")
        self.close_button = _button("C&lose case", "Close case")
        self.new_case_button = _button("New case for this family")
        self.rename_button = _button("Rename family…", "Rename the family")
        # wraps when narrow: five buttons at presenting's 150 % are wider than a laptop
        self.action_row = flow_row([self.visit_button, self.edit_case_button, self.close_button,
                                 self.new_case_button, self.rename_button])
        self._change_buttons += [self.visit_button, self.edit_case_button, self.close_button,
                                 self.new_case_button, self.rename_button]
        self.anonymised_band = AnonymisedBand()
        layout.addWidget(self.anonymised_band)
        self.team_band = CaseTeamBand()  # a clash on this case held by the office hub
        layout.addWidget(self.team_band)
        layout.addWidget(self.action_row)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Case sections")
        layout.addWidget(self.tabs, 1)
        self._build_timeline_tab()
        self.statutory = statutory or StatutoryTab(session)
        self.statutory.changed.connect(self._after_change)
        self.tabs.addTab(self.statutory, "Statutory &dates")
        self.graduated = graduated or GraduatedTab(session)
        self.graduated.changed.connect(self._after_change)
        self.tabs.addTab(self.graduated, "&Graduated approach")
        self.header.explain_requested.connect(
            lambda item: ExplainDialog(item.deadline, self).exec())
        self._lists_made = False
        if not lists_later:
            self.make_lists()
        self.visit_button.clicked.connect(self.add_visit_note)
        self.edit_case_button.clicked.connect(self._edit_case)
        self.close_button.clicked.connect(self._close_or_reopen)
        self.new_case_button.clicked.connect(self._new_case_for_family)
        self.rename_button.clicked.connect(self.rename_family)
        self.setEnabled(False)

    def make_lists(self) -> None:
        """The tasks, children and people tabs (once)."""
        if not self._lists_made:
            self._lists_made = True
            self._build_tasks_tab()
            self._build_children_tab()
            self._build_people_tab()

    # ----- the header's share of the height ------------------------------------------------
    def fit_header(self) -> None:
        """The header gets what it needs up to a third of the height, the tabs the rest;
        unless the adviser has moved the divider (then it stays where they put it)."""
        total = sum(self.split.sizes())
        if moved_by_hand(self.split) or total <= 0:
            return
        wanted = self.header.sizeHint().height() + 4
        top = min(wanted, max(total // 3, 80))
        self.split.setSizes([top, total - top])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_header()

    # ----- building -------------------------------------------------------------------
    def _tab(self, title: str, view: QTableView, buttons: list[QPushButton],
             extra: QWidget | None = None) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(flow_row(buttons))
        self._change_buttons += [b for b in buttons if "earlier versions" not in b.text()]
        if extra is not None:
            split = QSplitter(Qt.Orientation.Vertical)
            split.addWidget(view)
            split.addWidget(extra)
            split.setSizes([300, 100])  # the list first: it is what is looked through
            column.addWidget(split)
        else:
            column.addWidget(view)
        self.tabs.addTab(page, title)

    def _build_timeline_tab(self) -> None:
        # with an office hub: the laptop of each entry's latest change (asked on a worker)
        self.where_made = WhereMade(self)
        self.where_made.known.connect(self._laptops_known)
        self.timeline_model: RecordTableModel[TimelineEntry] = RecordTableModel([
            Column("Date", lambda e: format_date(e.details.entry_date)),
            Column("Kind", lambda e: e.details.kind.label),
            Column("By", lambda e: e.details.author),
            Column("On", lambda e: self.where_made.name("timeline_entry", e.id)),
            Column("Contact", lambda e: contact_text(e.details)),
            Column("Edits", lambda e: "" if e.version == 1 else f"edited ({e.version - 1})"),
            Column("Note", lambda e: e.details.body.splitlines()[0] if e.details.body else ""),
        ])
        self.timeline_view = record_view(self.timeline_model, "Timeline")
        # entries paging in as the list is scrolled: their laptops are asked about too
        self.timeline_model.rowsInserted.connect(lambda _parent, first, last: (
            self.where_made.add(_entry_records(self.timeline_model.records()[first:last + 1]))))
        # Sizing columns to their contents reads every entry: slow for a case with thousands.
        header = self.timeline_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for number, width in enumerate((90, 105, 115, 230, 150, 75)):
            self.timeline_view.setColumnWidth(number, width)
        self.entry_text = QPlainTextEdit()
        self.entry_text.setReadOnly(True)
        self.entry_text.setAccessibleName("Selected timeline entry")
        add = _button("Add entry…", "Add timeline entry")
        edit = _button("Edit entry…", "Edit timeline entry")
        history = _button("Show earlier versions…", "Show earlier versions")
        add.clicked.connect(lambda: self._open_entry(None, EntryKind.NOTE))
        edit.clicked.connect(self._edit_selected_entry)
        history.clicked.connect(self._show_history)
        self.timeline_view.activated.connect(self._edit_selected_entry)
        self.timeline_view.selectionModel().currentRowChanged.connect(self._show_entry)
        self._tab("&Timeline", self.timeline_view, [add, edit, history], self.entry_text)

    def _build_tasks_tab(self) -> None:
        today = self.session.today
        self.tasks_model: RecordTableModel[Task] = RecordTableModel([
            Column("Done", lambda t: f"Done {format_date(t.done_on)}" if t.done else "Not done"),
            Column("Due", lambda t: format_date(t.details.due_on),
                   lambda t: None if t.done or not t.details.due_on
                   else urgency_colour(urgency(t.details.due_on, today()))),
            Column("Task", lambda t: t.details.title),
        ])
        self.tasks_view = record_view(self.tasks_model, "Tasks")
        add = _button("Add task…", "Add task")
        edit = _button("Edit task…", "Edit task")
        self.toggle_task_button = _button("Mark done / not done", "Mark task done or not done")
        add.clicked.connect(lambda: self._run(TaskDialog(self.session, self._case_id(),
                                                         parent=self)))
        edit.clicked.connect(self._edit_task)
        self.toggle_task_button.clicked.connect(self._toggle_task)
        self.tasks_view.activated.connect(self._edit_task)
        self._tab("T&asks", self.tasks_view, [add, edit, self.toggle_task_button])

    def _build_children_tab(self) -> None:
        today = self.session.today
        self.children_model: RecordTableModel[Child] = RecordTableModel([
            Column("Name", lambda c: c.details.full_name),
            Column("Date of birth", lambda c: format_date(c.details.date_of_birth)),
            Column("Age", lambda c: str(age_on(c.details.date_of_birth, today()))
                   + (" (young person)" if is_young_person(c.details.date_of_birth, today())
                      else "")),
            Column("Year", lambda c: c.details.year_group),
            Column("School or setting", lambda c: c.details.school),
            Column("Local authority", lambda c: c.details.local_authority),
            Column("SEN status", lambda c: c.details.status.label),
            Column("Areas of need", lambda c: "; ".join(
                a.label for a in sorted(c.details.areas_of_need))),
        ])
        self.children_view = record_view(self.children_model, "Children")
        add = _button("Add child…", "Add child")
        edit = _button("Edit child…", "Edit child")
        add.clicked.connect(lambda: self._run(ChildDialog(
            self.session, self._family_id(), add_to_case=self._case_id(), parent=self)))
        edit.clicked.connect(self._edit_child)
        self.children_view.activated.connect(self._edit_child)
        self._tab("Childre&n", self.children_view, [add, edit])

    def _build_people_tab(self) -> None:
        self.people_model: RecordTableModel[Person] = RecordTableModel([
            Column("Name", lambda p: p.details.full_name),
            Column("Relationship", lambda p: p.details.relationship.label),
            Column("Parental responsibility",
                   lambda p: "Yes" if p.details.parental_responsibility else "No"),
            Column("Phone", lambda p: p.details.phone),
            Column("Email", lambda p: p.details.email),
            Column("Prefers", lambda p: p.details.preferred_contact.label
                   if p.details.preferred_contact else ""),
            Column("Needs", lambda p: ", ".join(x for x in (
                p.details.access_needs, f"Interpreter: {p.details.interpreter_language}"
                if p.details.interpreter_language else "") if x)),
            Column("Consent to share", lambda p: f"Yes, {format_date(p.details.consent_date)}"
                   if p.details.consent_to_share else "No"),
        ])
        self.people_view = record_view(self.people_model, "People")
        add = _button("Add person…", "Add person")
        edit = _button("Edit person…", "Edit person")
        add.clicked.connect(lambda: self._run(PersonDialog(self.session, self._family_id(),
                                                           parent=self)))
        edit.clicked.connect(self._edit_person)
        self.people_view.activated.connect(self._edit_person)
        self._tab("&People", self.people_view, [add, edit])

    # ----- showing ----------------------------------------------------------------------
    def show_case(self, case_id: str) -> None:
        self.make_lists()
        db = self.session.db
        self.case = cases.get_case(db, case_id)
        self.family = families.get_family(db, self.case.family_id)
        task_list = tasks.list_tasks(db, case_id)
        deadlines = self.statutory.show_case(self.case, self.family)
        self.graduated.show_case(self.case, self.family)
        reviews = [due for child in self.family.children
                   if child.id in self.case.details.child_ids
                   for due in reviews_due(cycles_for_child(db, child.id),
                                          child.details.full_name)]
        consent = consent_questions(db, self.family, self.case.details.child_ids,
                                    self.session.today())
        self.header.show_case(self.case, self.family, task_list,
                              [*deadlines, *reviews, *consent], self.session.today())
        self.fit_header()
        self.team_band.show_for(db, case_id, self.session.training)
        # The first page now, the rest as the list is scrolled (a case can hold thousands).
        first = timeline.list_entries(db, case_id, TIMELINE_PAGE)
        self.timeline_model.set_rows(first, None if len(first) < TIMELINE_PAGE else (
            lambda held: timeline.list_entries(db, case_id, TIMELINE_PAGE, held)
            if is_open(db) else []))  # locked meanwhile: the view may still ask, once
        self.timeline_view.setColumnHidden(3, not self.where_made.ask(
            self.session, _entry_records(first)))
        self.tasks_model.set_rows(task_list)
        self.children_model.set_rows(self.family.children)
        self.people_model.set_rows(self.family.people)
        anonymised = anonymised_on(db, case_id)
        self.anonymised = anonymised is not None
        self.anonymised_band.show_for(anonymised)
        for button in self._change_buttons:
            button.setEnabled(not self.anonymised)
        for tab in (self.statutory, self.graduated):
            tab.setEnabled(not self.anonymised)
        self.close_button.setText("Re&open case" if self.case.state is CaseState.CLOSED
                                  else "C&lose case")
        self.close_button.setAccessibleName("Reopen case" if self.case.state is CaseState.CLOSED
                                            else "Close case")
        self.entry_text.clear()
        if self.timeline_model.rowCount():
            self.timeline_view.selectRow(0)
        self.setEnabled(True)

    def _laptops_known(self) -> None:
        rows = self.timeline_model.rowCount()
        if rows:
            self.timeline_model.dataChanged.emit(self.timeline_model.index(0, 3),
                                                 self.timeline_model.index(rows - 1, 3))

    def clear(self) -> None:
        self.case = self.family = None
        self.setEnabled(False)

    def _after_change(self) -> None:
        if self.case is not None:
            self.show_case(self.case.id)
            self.changed.emit(self.case.id)

    def _case_id(self) -> str:
        assert self.case is not None
        return self.case.id

    def _family_id(self) -> str:
        assert self.family is not None
        return self.family.id

    def _show_entry(self) -> None:
        entry = selected_record(self.timeline_view)
        if entry is None:
            self.entry_text.clear()
            return
        d = entry.details
        contact = contact_text(d)
        self.entry_text.setPlainText(f"{d.kind.label}, {format_date(d.entry_date)}, "
                                     f"by {d.author}" + (f" ({contact})" if contact else "")
                                     + f"\n\n{d.body}")

    # ----- actions ----------------------------------------------------------------------
    def _run(self, dialog: QDialog) -> bool:
        if self.anonymised:  # a double-click or shortcut on a case that can't change
            return False
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if accepted and self.case is not None:
            self.show_case(self.case.id)
            self.changed.emit(self.case.id)
        return accepted

    def add_visit_note(self) -> None:
        if self.case is not None:
            self._open_entry(None, EntryKind.HOME_VISIT)

    def add_entry(self) -> None:
        if self.case is not None:
            self._open_entry(None, EntryKind.NOTE)

    def _open_entry(self, entry: TimelineEntry | None, kind: EntryKind) -> None:
        self._run(EntryDialog(self.session, self._case_id(), entry, kind, parent=self))

    def _edit_selected_entry(self) -> None:
        entry = selected_record(self.timeline_view)
        if entry is not None:
            self._open_entry(entry, entry.details.kind)

    def _show_history(self) -> None:
        entry = selected_record(self.timeline_view)
        if entry is not None:
            HistoryDialog(timeline.entry_history(self.session.db, entry.id), self,
                          self.session).exec()

    def _edit_task(self) -> None:
        task = selected_record(self.tasks_view)
        if task is not None:
            self._run(TaskDialog(self.session, self._case_id(), task, parent=self))

    def _toggle_task(self) -> None:
        task = selected_record(self.tasks_view)
        if task is None or self.case is None or self.anonymised:
            return
        casework.mark_task(self.session.db, task.id, done=not task.done,
                           today=self.session.today(), actor=self.session.actor)
        self.show_case(self.case.id)
        self.changed.emit(self.case.id)

    def _edit_child(self) -> None:
        child = selected_record(self.children_view)
        if child is not None:
            self._run(ChildDialog(self.session, self._family_id(), child, parent=self))

    def _edit_person(self) -> None:
        person = selected_record(self.people_view)
        if person is not None:
            self._run(PersonDialog(self.session, self._family_id(), person, parent=self))

    def _edit_case(self) -> None:
        if self.case and self.family:
            self._run(CaseDialog(self.session, self.family, self.case, parent=self))

    def rename_family(self) -> None:
        from adviser_app.ui.case_view.family_dialog import FamilyDialog

        if self.case and self.family:
            self._run(FamilyDialog(self.session, self.family, parent=self))

    def _new_case_for_family(self) -> None:
        if not self.family or self.anonymised:
            return
        dialog = CaseDialog(self.session, self.family, parent=self)
        if dialog.exec() and dialog.saved_id:
            self.show_case(dialog.saved_id)
            self.changed.emit(dialog.saved_id)

    def _close_or_reopen(self) -> None:
        if self.case is None or self.anonymised:
            return
        if self.case.state is CaseState.CLOSED:
            casework.reopen_case(self.session.db, self.case.id, self.session.actor,
                                 self.session.today())
            self.show_case(self.case.id)
            self.changed.emit(self.case.id)
            return
        self._run(CloseCaseDialog(self.session, self.case, parent=self))


def _entry_records(entries: list[TimelineEntry]) -> list[tuple[str, str]]:
    """Timeline entries as the change log and the hub name them (table, key)."""
    return [("timeline_entry", json.dumps([e.id])) for e in entries]
