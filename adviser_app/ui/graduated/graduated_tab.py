"""The "Graduated approach" tab of a case: for one child on SEN support, the timeline of
assess-plan-do-review cycles with the current stage, the checklist with its gaps, meetings with
parents and the pupil passport."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMessageBox, QPushButton, QSplitter,
                               QTabWidget, QTextBrowser, QVBoxLayout, QWidget)

from adviser_app.domain.statutory.urgency import urgency
from adviser_app.domain.graduated.cycles import CYCLE, Cycle, Stage, stage_of
from adviser_app.domain.graduated.summary import cycle_sections, cycle_title, current_position, \
    stage_text
from adviser_app.domain.records import Case, Child, Family
from adviser_app.domain.validation import format_date, plural
from adviser_app.domain.vocab import ChildStatus
from adviser_app.services import graduated
from adviser_app.ui.graduated.cycle_dialog import CycleDialog
from adviser_app.ui.form_support import combo, confirm
from adviser_app.ui.graduated.graduated_checklist import ChecklistPanel
from adviser_app.ui.theme import (CURRENT_STAGE_BACKGROUND, GREEN, MUTED, RED,
                                  urgency_colour)
from adviser_app.ui.graduated.graduated_meetings import MeetingsPanel
from adviser_app.ui.graduated.graduated_passport_panel import PassportPanel, sections_html
from adviser_app.ui.record_table import Column, RecordTableModel, record_view, selected_record
from adviser_app.ui.case_book.session import Session


def stages_html(cycle: Cycle | None) -> str:
    """Assess \u2713 \u2192 Plan \u2713 \u2192 Do \u2192 Review: the stage reached in bold, stages
    recorded ticked, stages passed over with nothing recorded in red."""
    if cycle is None:
        return ""
    d = cycle.details
    recorded = {Stage.ASSESS: d.assessed_on is not None, Stage.PLAN: d.has_plan,
                Stage.DO: d.has_do, Stage.REVIEW: d.reviewed_on is not None}
    reached = CYCLE.index(stage_of(d))
    parts = []
    for n, stage in enumerate(CYCLE):
        if recorded[stage]:
            text = f"{stage.label} \u2713"
            parts.append(f"<b style='background:{CURRENT_STAGE_BACKGROUND}'>{text}</b>"
                         if n == reached else f"<span style='color:{GREEN}'>{text}</span>")
        elif n < reached:
            parts.append(f"<span style='color:{RED}'>{stage.label}: no record</span>")
        else:
            parts.append(f"<span style='color:{MUTED}'>{stage.label}</span>")
    after = f" \u2192 <span style='color:{MUTED}'>next cycle</span>" \
        if reached == len(CYCLE) - 1 else ""
    return f"Cycle {cycle.number}: " + " \u2192 ".join(parts) + after


class GraduatedTab(QWidget):
    changed = Signal()
    """Something in the child's graduated approach was saved."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case: Case | None = None
        self.family: Family | None = None
        self.pupils: list[Child] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.child_label = QLabel("Child:")
        self.child_box = combo("Child or young person", [])
        top.addWidget(self.child_label)
        top.addWidget(self.child_box)
        top.addStretch()
        layout.addLayout(top)
        self.position = QLabel()
        self.position.setAccessibleName("Where the SEN support is now")
        self.position.setTextFormat(Qt.TextFormat.RichText)
        self.position.setWordWrap(True)
        layout.addWidget(self.position)
        self.sections = QTabWidget()
        self.sections.setAccessibleName("Graduated approach sections")
        layout.addWidget(self.sections, 1)
        self._build_cycles()
        self.checklist = ChecklistPanel(session)
        self.meetings = MeetingsPanel(session)
        self.passport = PassportPanel(session)
        self.sections.addTab(self.checklist, "Checklist")
        self.sections.addTab(self.meetings, "Parent meetings")
        self.sections.addTab(self.passport, "Pupil passport")
        for panel in (self.checklist, self.meetings, self.passport):
            panel.changed.connect(self.changed.emit)
        self.child_box.currentIndexChanged.connect(self.refresh)

    def _build_cycles(self) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        row = QHBoxLayout()
        self.add_button = QPushButton("New cycle…")
        self.edit_button = QPushButton("Open cycle…")
        self.delete_button = QPushButton("Delete cycle…")
        for b in (self.add_button, self.edit_button, self.delete_button):
            b.setAccessibleName(b.text().rstrip("…"))
            row.addWidget(b)
        row.addStretch()
        column.addLayout(row)
        today = self.session.today
        self.cycles_model: RecordTableModel[Cycle] = RecordTableModel([
            Column("Cycle", lambda c: str(c.number)),
            Column("Started", lambda c: format_date(c.details.starts_on)),
            Column("Parents told", lambda c: format_date(c.details.parents_told_on)
                   or ("no record" if c.details.has_plan else ""),
                   lambda c: RED if c.details.has_plan and not c.details.parents_told_on
                   else None),
            Column("Review due", lambda c: format_date(c.details.review_due),
                   lambda c: urgency_colour(urgency(c.details.review_due, today()))
                   if c.details.review_due and not c.details.reviewed_on else None),
            Column("Reviewed", lambda c: format_date(c.details.reviewed_on)),
            Column("Stage now", stage_text),
        ])
        self.cycles_view = record_view(self.cycles_model, "SEN support cycles")
        self.cycle_text = QTextBrowser()
        self.cycle_text.setAccessibleName("Selected cycle")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.cycles_view)
        split.addWidget(self.cycle_text)
        self.cycles_view.setMinimumHeight(90)
        split.setSizes([130, 300])
        column.addWidget(split, 1)
        self.sections.addTab(page, "Cycles")
        self.add_button.clicked.connect(lambda: self._edit(None))
        self.edit_button.clicked.connect(lambda: self._edit(selected_record(self.cycles_view)))
        self.cycles_view.activated.connect(
            lambda: self._edit(selected_record(self.cycles_view)))
        self.delete_button.clicked.connect(self._delete)
        self.cycles_view.selectionModel().currentRowChanged.connect(self._show_cycle)

    # ----- showing ----------------------------------------------------------------------
    def show_case(self, case: Case, family: Family) -> None:
        self.case, self.family = case, family
        on_case = [c for c in family.children if c.id in case.details.child_ids]
        self.pupils = on_case or list(family.children)
        preferred = [c for c in self.pupils
                     if c.details.status is ChildStatus.SEN_SUPPORT] or self.pupils
        self.child_box.refill([(f"{c.details.full_name} ({c.details.status.label})", c.id)
                               for c in self.pupils],
                              fallback=preferred[0].id if preferred else None)
        several = len(self.pupils) > 1
        self.child_label.setVisible(several)
        self.child_box.setVisible(several)
        self.refresh()

    def child(self) -> Child | None:
        chosen = self.child_box.choice()
        return next((c for c in self.pupils if c.id == chosen), None)

    def refresh(self) -> None:
        child = self.child()
        if child is None:
            self.cycles_model.set_rows([])
            self.position.setText("<i>Add the child or young person first (Children tab).</i>")
            self.checklist.show_rows(None, [], [])
            self.meetings.show_meetings(None, [], [])
            self.passport.show_passport(None, None, [])
            self.cycle_text.clear()
            return
        view = graduated.overview(self.session.db, child.id, self.session.today())
        selected = selected_record(self.cycles_view)
        self.cycles_model.set_rows(view.cycles)
        last = view.cycles[-1] if view.cycles else None
        count = len(view.gaps)
        gaps = (f" &middot; <b style='color:{RED}'>{plural(count, 'gap')}"
                "</b> (see Checklist)" if count else "")
        self.position.setText(f"<b>{escape(child.details.full_name)}</b>: "
                              f"{escape(current_position(view.cycles))}{gaps}<br>"
                              f"{stages_html(last)}")
        self.checklist.show_rows(child.id, view.rows, view.gaps)
        self.meetings.show_meetings(child.id, view.meetings, view.years)
        self.passport.show_passport(child, view.passport, view.targets)
        self.sections.setTabText(1, f"Checklist ({plural(count, 'gap')})"
                                 if count else "Checklist")
        ids = [c.id for c in view.cycles]
        if view.cycles:
            keep = ids.index(selected.id) if selected and selected.id in ids else len(ids) - 1
            self.cycles_view.selectRow(keep)
        self._show_cycle()

    def _show_cycle(self) -> None:
        cycle = selected_record(self.cycles_view)
        if cycle is None:
            self.cycle_text.setHtml("<i>No cycles recorded yet. Use <b>New cycle</b> to "
                                    "record what the school's SEN support records show.</i>")
            return
        self.cycle_text.setHtml(f"<h3>{escape(cycle_title(cycle))}</h3>"
                                + sections_html(cycle_sections(cycle)))

    # ----- actions ----------------------------------------------------------------------
    def _edit(self, cycle: Cycle | None) -> None:
        child = self.child()
        if child is None:
            QMessageBox.information(self, "No children yet",
                                    "Add the child or young person first (Children tab).")
            return
        if CycleDialog(self.session, child, cycle, self).exec():
            self.changed.emit()

    def _delete(self) -> None:
        cycle = selected_record(self.cycles_view)
        if cycle is None:
            return
        if confirm(self, "Delete this cycle?",
                   f"Delete cycle {cycle.number} ({cycle_title(cycle)}) with its evidence, "
                   "outcomes and support?"):
            graduated.remove_cycle(self.session.db, cycle.id, self.session.actor)
            self.changed.emit()
