"""The mediation wizard's last two pages: the outcome (with the actions agreed) and what
happens next (the summary, the appeal's registration and the letters that fit)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from adviser_app.domain.mediation import (Action, Arranger, Choice, Outcome, Step, actions_for,
                                          rights, who_arranges)
from adviser_app.domain.validation import Checker, format_date
from adviser_app.ui.form_support import check_box, combo, date_field, text_field
from adviser_app.ui.mediation.page import Page
from adviser_app.ui.mediation.wizard_state import WizardState
from adviser_app.ui.record_table import (Column, RecordTableModel, record_view,
                                         selected_record)


class OutcomePage(Page):
    step = Step.OUTCOME

    def __init__(self, state: WizardState) -> None:
        super().__init__(state, "The outcome",
                         "A mediation agreement must be in writing. Things that could have been "
                         "appealed must then be done within the Tribunal-order limits; other "
                         "things within 2 weeks, unless a different date was agreed in writing. "
                         "<i>SEND Regs 2014 regs 42 and 44</i>")
        d = state.draft
        self.outcome = combo("Outcome", [
            ("Not yet", Outcome.PENDING), ("Agreement on everything", Outcome.AGREEMENT),
            ("Agreement on some issues, not others", Outcome.PARTIAL_AGREEMENT),
            ("No agreement", Outcome.NO_AGREEMENT),
            ("The LA could not arrange mediation within 30 days", Outcome.LA_CANNOT_ARRANGE)],
            d.outcome)
        self.concluded = date_field("Date mediation ended, or the LA said it could not "
                                    "arrange it", d.concluded)
        self.certificate_issued = date_field("Date the certificate was issued",
                                             d.certificate_issued)
        self.la_party = check_box("The local authority was a party to the agreement",
                                  d.la_party)
        self.still_open = text_field("Issues not agreed (still open for an appeal)",
                                     d.still_open)
        self.actions_model: RecordTableModel[Action] = RecordTableModel([
            Column("What was agreed", lambda a: a.description),
            Column("Kind", lambda a: a.kind.label),
            Column("Date agreed in writing", lambda a: format_date(a.agreed_due)),
        ])
        self.actions_model.set_rows(d.actions)
        self.actions_view = record_view(self.actions_model, "Agreed actions")
        self.action_text = text_field("What was agreed")
        self.action_kind = combo("Kind of action", [
            (k.label, k) for k in actions_for(d.decision, d.sections)])
        self.action_due = date_field("Different date agreed in writing (optional)")
        add = QPushButton("Add this action")
        add.setAccessibleName("Add this action")
        add.clicked.connect(self.add_action)
        remove = QPushButton("Remove the selected action")
        remove.setAccessibleName("Remove the selected action")
        remove.clicked.connect(self.remove_action)
        self.actions_box = QWidget()
        box = QVBoxLayout(self.actions_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.actions_view)
        self.action_text.setPlaceholderText("What was agreed")
        self.action_text.setMinimumWidth(200)
        self.action_due.setMinimumWidth(110)
        self.action_due.setToolTip("A different date agreed in writing (optional)")
        row = QHBoxLayout()
        row.addWidget(self.action_text, 3)
        row.addWidget(self.action_due, 1)
        box.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.action_kind, 3)
        row.addWidget(add, 1)
        row.addWidget(remove, 1)
        box.addLayout(row)
        for label, widget in (("Outcome:", self.outcome), ("Date:", self.concluded),
                              ("Certificate issued on:", self.certificate_issued),
                              ("", self.la_party), ("Not agreed:", self.still_open),
                              ("Agreed actions:", self.actions_box)):
            self.form.addRow(label, widget)
        self.outcome.currentIndexChanged.connect(self._changed)
        for edit in (self.concluded, self.certificate_issued, self.still_open):
            edit.textChanged.connect(self._changed)

    def initializePage(self) -> None:
        d = self.state.draft
        self.action_kind.refill([(kind.label, kind)
                                 for kind in actions_for(d.decision, d.sections)])
        super().initializePage()
        self._changed()

    def remove_action(self) -> None:
        chosen = selected_record(self.actions_view)
        if chosen is None:
            self.errors.setText("Select the action to remove in the list first.")
            return
        actions = list(self.state.draft.actions)
        actions.remove(chosen)
        self.state.draft = self.state.draft.with_(actions=tuple(actions))
        self.actions_model.set_rows(self.state.draft.actions)
        self.errors.clear()
        self.show_dates()

    def add_action(self) -> None:
        c = Checker()
        text = c.text("action", "What was agreed", self.action_text.text(), required=True)
        due = c.date("action_due", "Agreed date", self.action_due.text())
        if not c.ok:
            self.errors.setText("\n".join(p.message for p in c.problems))
            return
        actions = self.state.draft.actions + (Action(text, self.action_kind.choice(), due),)
        self.state.draft = self.state.draft.with_(actions=actions)
        self.actions_model.set_rows(actions)
        self.action_text.clear()
        self.action_due.clear()
        self.errors.clear()
        self.show_dates()

    def read(self) -> Checker:
        c = Checker()
        self.state.draft = self.state.draft.with_(
            outcome=self.outcome.choice(),
            concluded=c.date("concluded", "Date", self.concluded.text()),
            certificate_issued=c.date("certificate_issued", "Certificate date",
                                      self.certificate_issued.text()),
            la_party=self.la_party.isChecked(), still_open=self.still_open.text().strip())
        return c

    def _changed(self) -> None:
        self.read()
        outcome = self.state.draft.outcome
        self.form.setRowVisible(self.actions_box, outcome.agreed)
        # health-only mediation is the health body's: the LA is never a party to it
        self.form.setRowVisible(self.la_party, outcome.agreed and who_arranges(
            self.state.draft.issues) is not Arranger.HEALTH_BODY)
        self.form.setRowVisible(self.still_open, outcome is Outcome.PARTIAL_AGREEMENT)
        self.form.setRowVisible(self.concluded, outcome is not Outcome.PENDING)
        # the mediation adviser issues a certificate whatever the outcome
        self.form.setRowVisible(self.certificate_issued, outcome is not Outcome.PENDING)
        self.show_dates()


SEND35 = ("The decision letter (always); the final EHC plan with its appendices (for a plan "
          "appeal); the mediation certificate (unless the appeal is only about Section I); "
          "your reasons for appealing; what you want instead; the school or setting you want "
          "named (for Section I); any health or social care recommendations you want; "
          "evidence with authors and dates. Use form SEND35, or SEND35A for a refusal to "
          "assess.")


class SummaryPage(Page):
    step = Step.SUMMARY
    letter_wanted = Signal(str)
    """A letter's template id: the wizard saves the draft and opens the letter."""

    def __init__(self, state: WizardState) -> None:
        super().__init__(state, "What happens next",
                         "Every date below is kept on the case, appears in the Deadlines view "
                         "and can be clicked to see how it was worked out.")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Summary")
        self.outer.insertWidget(1, self.summary)
        self.appeal_registered = date_field("Date the Tribunal registered the appeal",
                                            state.draft.appeal_registered)
        self.form.addRow("Appeal registered on:", self.appeal_registered)
        self.appeal_registered.textChanged.connect(self._changed)
        row = QHBoxLayout()
        self.letter_buttons: dict[str, QPushButton] = {}
        for title, template in (("Certificate request letter…", "certificate_request"),
                                ("Mediation request letter…", "mediation_request"),
                                ("Agreement follow-up or chase…", "mediation_follow_up"),
                                ("Summary for the family…", "case_summary")):
            button = QPushButton(title)
            button.setAccessibleName(title.rstrip("…"))
            button.clicked.connect(lambda _=False, t=template: self.letter_wanted.emit(t))
            row.addWidget(button)
            self.letter_buttons[template] = button
        self.outer.addLayout(row)

    def letters_that_fit(self) -> set[str]:
        """Only the letters that fit this record: none for a discrimination claim (even if a
        mediation choice was made before the decision changed)."""
        d = self.state.draft
        if d.decision is None:
            return set()
        r = rights(d.decision, d.sections)
        if r.claim:
            return set()
        fit = {"case_summary"}
        if r.certificate_needed and d.choice is Choice.CERTIFICATE_ONLY:
            fit.add("certificate_request")
        if r.mediation_possible and d.choice is Choice.MEDIATION:
            fit.add("mediation_request")
        if d.choice is Choice.MEDIATION and d.outcome.agreed:
            fit.add("mediation_follow_up")
        return fit

    def initializePage(self) -> None:
        super().initializePage()
        d = self.state.draft
        can_appeal = d.decision is not None and rights(d.decision, d.sections).appeal
        self.form.setRowVisible(self.appeal_registered, can_appeal)
        fit = self.letters_that_fit()
        for template, button in self.letter_buttons.items():
            button.setVisible(template in fit)
        parts = []
        if d.decision is not None:
            r = rights(d.decision, d.sections)
            parts.append(f"{d.decision.label}. {r.explanation}")
            if r.claim:
                self.summary.setText("\n\n".join(parts))
                return
        if d.choice is Choice.CERTIFICATE_ONLY:
            parts.append("The parent does not want mediation and asks for a certificate.")
        elif d.choice is Choice.MEDIATION:
            arranger = who_arranges(d.issues)
            parts.append("The parent wants mediation. " + (arranger.label + "."
                                                            if arranger else ""))
        if d.outcome is Outcome.PARTIAL_AGREEMENT:
            parts.append("Agreement was reached on some issues only. The appeal right stays for "
                         f"what is still open ({d.still_open or 'not recorded'}); its deadline "
                         "is below.")
        if d.outcome in (Outcome.NO_AGREEMENT, Outcome.PARTIAL_AGREEMENT,
                         Outcome.LA_CANNOT_ARRANGE) or d.choice is Choice.CERTIFICATE_ONLY:
            parts.append("For the appeal you will need: " + SEND35)
        if d.outcome.agreed:
            parts.append(f"{len(d.actions)} agreed action(s); each has its due date below. "
                         "If one is missed, produce a chasing letter.")
        if d.outcome is Outcome.AGREEMENT:
            parts.append("Everything was agreed. The appeal deadline stays below in case the "
                         "agreement does not settle the matter.")
        self.summary.setText("\n\n".join(parts))

    def read(self) -> Checker:
        c = Checker()
        registered = c.date("appeal_registered", "Date registered",
                            self.appeal_registered.text(), not_after=self.state.today())
        self.state.draft = self.state.draft.with_(appeal_registered=registered)
        return c

    def _changed(self) -> None:
        checker = self.read()
        self.errors.setText("\n".join(f"\u2022 {p.message}" for p in checker.problems))
        self.show_dates()

    def validatePage(self) -> bool:
        checker = self.read()
        if checker.problems:
            self.errors.setText("\n".join(f"\u2022 {p.message}" for p in checker.problems))
            return False
        return True
