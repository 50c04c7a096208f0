"""What every page of the mediation wizard shares: the "why this step" panel, the dates so
far (each explains itself when clicked) and the problems on the step. Each page reads its
fields into the wizard's state (WizardState); the domain decides what is missing and which
page comes next."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWizardPage

from adviser_app.domain.mediation import Step
from adviser_app.domain.statutory.events import DeadlineState
from adviser_app.domain.validation import Checker, format_long_date
from adviser_app.ui.case_view.explain_dialog import ExplainDialog
from adviser_app.ui.mediation.wizard_state import WizardState
from adviser_app.ui.theme import ERROR_STYLE, WHY_STYLE


def why_panel(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setStyleSheet(WHY_STYLE)
    label.setAccessibleName("Why this step")
    return label


class Page(QWizardPage):
    step: Step

    def __init__(self, state: WizardState, title: str, why: str) -> None:
        super().__init__()
        self.state = state
        self.heading = title
        """The step's title without its number: the number depends on the route."""
        self.setTitle(title)
        self.outer = QVBoxLayout(self)
        self.why = why_panel(why)
        self.outer.addWidget(self.why)
        self.form = QFormLayout()
        self.outer.addLayout(self.form)
        self.errors = QLabel()
        self.errors.setStyleSheet(ERROR_STYLE)
        self.errors.setWordWrap(True)
        self.errors.setAccessibleName("Problems on this step")
        self.dates = QLabel()
        self.dates.setWordWrap(True)
        self.dates.setTextFormat(Qt.TextFormat.RichText)
        self.dates.setAccessibleName("Dates so far")
        self.dates.linkActivated.connect(self._explain)
        self.outer.addWidget(self.dates)
        self.outer.addWidget(self.errors)

    def read(self) -> Checker:  # each page copies its fields into the draft
        return Checker()

    def show_dates(self) -> None:
        items = self.state.dates()
        if not items:
            self.dates.clear()
            return
        rows = []
        for number, item in enumerate(items):
            done = f" \u2014 {escape(item.reason)}" if item.state is not DeadlineState.OPEN else ""
            rows.append(f"<a href='{number}'>{format_long_date(item.deadline.due)}</a>: "
                        f"{escape(item.deadline.label)}{done}")
        self.dates.setText("<b>Dates so far</b> (click one to see how it was worked "
                           "out):<br>" + "<br>".join(rows))

    def _explain(self, link: str) -> None:
        ExplainDialog(self.state.dates()[int(link)].deadline, self).exec()

    def validatePage(self) -> bool:
        """The page's own checks and the rules' for this step; the wizard then moves on
        (MediationWizard.validateCurrentPage)."""
        found = self.read().problems + self.state.problems(self.step)
        self.errors.setText("\n".join(f"\u2022 {p.message}" for p in found))
        return not found

    def nextId(self) -> int:
        step = self.state.next_after(self.step)
        return -1 if step is None else int(step)

    def initializePage(self) -> None:
        self.setTitle(f"{self.state.step_number(self.step)}. {self.heading}")
        self.errors.clear()
        self.show_dates()
