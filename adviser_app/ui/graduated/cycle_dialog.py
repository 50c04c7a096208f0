"""Recording one assess-plan-do-review cycle of SEN support, a page for each stage."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import (QFormLayout, QLabel, QPushButton, QSizePolicy, QTabWidget,
                               QVBoxLayout, QWidget)

from adviser_app.domain.graduated.cycles import (
    Cycle, CycleDetails, EvidenceKind, NextStep, Progress,
                                          Support)
from adviser_app.domain.graduated.forms import (CycleForm, EvidenceRow, OutcomeRow, SupportRow,
                                                cycle_from_form)
from adviser_app.domain.records import Child
from adviser_app.domain.validation import Problem, format_date
from adviser_app.domain.vocab import AreaOfNeed
from adviser_app.services import graduated
from adviser_app.ui.form_support import (ValidatingForm, check_box, check_list, checked_data,
                                         combo, date_field, text_area, text_field)
from adviser_app.ui.rows_editor import Cell, RowsEditor
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.theme import NOTE_STYLE

PAGES = ("Assess", "Plan", "Do", "Review")
SUPPORT_CELLS = (Cell("What"), Cell("Who gives it"), Cell("How often"),
                 Cell("From (dd/mm/yyyy)", width=130))


def _support_rows(items: Sequence[Support]) -> list[list[object]]:
    return [[s.what, s.who, s.how_often, format_date(s.starts_on)] for s in items]


def _support_form(rows: list[list[Any]]) -> tuple[SupportRow, ...]:
    return tuple(SupportRow(*row) for row in rows)


class CycleDialog(ValidatingForm):
    def __init__(self, session: Session, child: Child, cycle: Cycle | None = None,
                 parent: QWidget | None = None) -> None:
        title = f"Cycle {cycle.number} of SEN support" if cycle else "New cycle of SEN support"
        super().__init__(f"{title}: {child.details.full_name}", parent)
        self.session, self.child, self.existing = session, child, cycle
        d = cycle.details if cycle else CycleDetails(child.id,
                                                     areas=child.details.areas_of_need)
        self.pages = QTabWidget()
        self.pages.setAccessibleName("Stages of the cycle")
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        outer.insertWidget(outer.indexOf(self.buttons), self.pages)
        self._page_of: dict[str, int] = {}
        self._build_assess(d)
        self._build_plan(d)
        self._build_do(d)
        self._build_review(d)
        self.resize(940, 660)
        self.saved_id: str | None = None

    def _page(self, title: str, intro: str) -> None:
        page = QWidget()
        self.form = QFormLayout(page)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        note = QLabel(intro)
        note.setWordWrap(True)
        note.setStyleSheet(NOTE_STYLE)
        self.form.addRow(note)
        self.pages.addTab(page, title)

    def add_row(self, label: str, field_name: str, widget: Any) -> Any:
        self._page_of[field_name] = self.pages.count() - 1
        return super().add_row(label, field_name, widget)

    def _build_assess(self, d: CycleDetails) -> None:
        self._page("&Assess", "The class or subject teacher, with the SENCO, analyses the "
                              "pupil's needs (CoP 6.45).")
        self.assessed_on = self.add_row("Date of the assessment:", "assessed_on",
                                        date_field("Date of the assessment", d.assessed_on))
        self.assessed_by = self.add_row("Who assessed:", "assessed_by", text_field(
            "Who assessed", d.assessed_by))
        self.assessed_by.setPlaceholderText("e.g. class teacher with Mrs Farrant (SENCO)")
        self.senco_involved = self.add_row("", "senco_involved", check_box(
            "The SENCO was involved in the assessment", d.senco_involved))
        self.areas = self.add_row("Areas of need:", "areas", check_list(
            "Areas of need", [(a.label, a) for a in AreaOfNeed], sorted(d.areas)))
        self.areas.setFixedHeight(self.areas.sizeHintForRow(0) * len(AreaOfNeed) + 8)
        self._holders["areas"].setSizePolicy(QSizePolicy.Policy.Preferred,
                                             QSizePolicy.Policy.Fixed)
        self.evidence = self.add_row("Evidence:", "evidence", RowsEditor("Evidence", [
            Cell("Kind", [(k.label, k) for k in EvidenceKind], width=250), Cell("What it is"),
            Cell("Who it is from"), Cell("Date (dd/mm/yyyy)", width=130)],
            "Add evidence"))
        self.evidence.set_rows([[e.kind, e.description, e.author, format_date(e.given_on)]
                                for e in d.evidence])

    def _build_plan(self, d: CycleDetails) -> None:
        self._page("&Plan", "Outcomes, support and a review date agreed with the parents and "
                            "pupil; the school must tell parents it is making special "
                            "educational provision (CFA 2014 s.68; CoP 6.48).")
        self.planned_on = self.add_row("Date of the plan:", "planned_on",
                                       date_field("Date of the plan", d.planned_on))
        self.parents_told_on = self.add_row(
            "Parents formally told on:", "parents_told_on",
            date_field("Date parents were told SEN support is being provided",
                       d.parents_told_on))
        self.agreed = self.add_row("", "agreed_with_parents", check_box(
            "The plan was agreed with the parents", d.agreed_with_parents))
        progress = [("Not reviewed yet", None)] + [(p.label, p) for p in Progress]
        self.outcomes = self.add_row("Outcomes:", "outcomes", RowsEditor("Outcomes", [
            Cell("Outcome agreed"), Cell("Progress at the review", progress, width=220),
            Cell("Progress note")], "Add an outcome"))
        self.outcomes.set_rows([[o.description, o.progress, o.progress_note]
                                for o in d.outcomes])
        self.support = self.add_row("Support agreed:", "support",
                                    RowsEditor("Support agreed", SUPPORT_CELLS, "Add support"))
        self.support.set_rows(_support_rows(d.support))
        self.review_due = self.add_row("Review date agreed:", "review_due",
                                       date_field("Review date agreed", d.review_due))
        self.on_passport = self.add_row("Recorded on:", "on_passport", check_box(
            "a pupil passport", d.on_passport))
        self.on_map = self.add_row("", "on_provision_map", check_box(
            "the school's provision map", d.on_provision_map))

    def _build_do(self, d: CycleDetails) -> None:
        self._page("&Do", "The class or subject teacher stays responsible day to day, with "
                          "the SENCO's support (CoP 6.50-6.51).")
        self.provision = self.add_row("Provision delivered:", "provision", RowsEditor(
            "Provision delivered", SUPPORT_CELLS, "Add provision"))
        self.provision.set_rows(_support_rows(d.provision))
        self.copy_button = QPushButton("Copy the support agreed in the plan")
        self.copy_button.setAccessibleName("Copy the support agreed in the plan")
        self.copy_button.clicked.connect(self.copy_planned_support)
        self.form.addRow("", self.copy_button)
        self.senco_support = self.add_row("SENCO support to the teacher:", "senco_support",
                                          text_area("SENCO support to the teacher",
                                                    d.senco_support))

    def _build_review(self, d: CycleDetails) -> None:
        self._page("&Review", "How well the support worked, on the agreed date, with the "
                              "parents and pupil (CoP 6.52-6.54). Progress against each "
                              "outcome goes in the outcomes table on the Plan page.")
        self.reviewed_on = self.add_row("Date of the review:", "reviewed_on",
                                        date_field("Date of the review", d.reviewed_on))
        self.parent_views = self.add_row("Parents' views:", "parent_views",
                                         text_area("Parents' views", d.parent_views))
        self.pupil_views = self.add_row("Pupil's views:", "pupil_views",
                                        text_area("Pupil's views", d.pupil_views))
        self.next_step = self.add_row("Next step:", "next_step", combo(
            "Next step", [("Not decided or not recorded", None)]
            + [(s.label, s) for s in NextStep], d.next_step))
        self.review_notes = self.add_row("Notes:", "review_notes",
                                         text_area("Review notes", d.review_notes))
        for area in (self.parent_views, self.pupil_views, self.review_notes):
            area.setMaximumHeight(90)

    def copy_planned_support(self) -> None:
        for row in self.support.rows():
            if any(str(v).strip() for v in row):
                self.provision.add_row(row)

    def show_problems(self, problems: Sequence[Problem]) -> None:
        super().show_problems(problems)
        if problems and problems[0].field in self._page_of:
            self.pages.setCurrentIndex(self._page_of[problems[0].field])

    def cycle_form(self) -> CycleForm:
        return CycleForm(
            child_id=self.child.id, assessed_on=self.assessed_on.text(),
            assessed_by=self.assessed_by.text(), senco_involved=self.senco_involved.isChecked(),
            evidence=tuple(EvidenceRow(*row) for row in self.evidence.rows()),
            areas=frozenset(AreaOfNeed(a) for a in checked_data(self.areas)),
            planned_on=self.planned_on.text(),
            parents_told_on=self.parents_told_on.text(),
            agreed_with_parents=self.agreed.isChecked(),
            outcomes=tuple(OutcomeRow(*row) for row in self.outcomes.rows()),
            support=_support_form(self.support.rows()), review_due=self.review_due.text(),
            on_passport=self.on_passport.isChecked(), on_provision_map=self.on_map.isChecked(),
            provision=_support_form(self.provision.rows()),
            senco_support=self.senco_support.toPlainText(),
            reviewed_on=self.reviewed_on.text(), parent_views=self.parent_views.toPlainText(),
            pupil_views=self.pupil_views.toPlainText(), next_step=self.next_step.choice(),
            review_notes=self.review_notes.toPlainText())

    def save(self) -> list[Problem]:
        details, problems = cycle_from_form(self.cycle_form(), self.session.today())
        if details is None:
            return problems
        if self.existing:
            graduated.change_cycle(self.session.db, self.existing.id, details,
                                   self.session.actor)
            self.saved_id = self.existing.id
        else:
            self.saved_id = graduated.record_cycle(self.session.db, details,
                                                   self.session.actor)
        return []
