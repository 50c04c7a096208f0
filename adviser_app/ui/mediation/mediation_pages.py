"""The pages of the mediation wizard. Each page reads and writes the shared draft; the
domain decides what is missing and which page comes next."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout,
                               QWidget, QWizardPage)

from adviser_app.domain.statutory.events import DeadlineState
from adviser_app.domain.mediation import (Action, Arranger, Choice, Decision, Issue,
                                          Outcome, Step,
                                          actions_for, problems, rights, who_arranges)
from adviser_app.domain.validation import Checker, format_date, format_long_date
from adviser_app.ui.case_view.explain_dialog import ExplainDialog
from adviser_app.ui.theme import ERROR_STYLE, WHY_STYLE
from adviser_app.ui.form_support import (check_box, check_list, checked_data,
                                         combo, date_field, text_field)
from adviser_app.ui.record_table import (Column, RecordTableModel, record_view,
                                         selected_record)

if TYPE_CHECKING:
    from adviser_app.ui.mediation.mediation_wizard import MediationWizard

def why_panel(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setStyleSheet(WHY_STYLE)
    label.setAccessibleName("Why this step")
    return label


class Page(QWizardPage):
    step: Step

    def __init__(self, wizard: MediationWizard, title: str, why: str) -> None:
        super().__init__()
        self.w = wizard
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
        items = self.w.current_dates()
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
        ExplainDialog(self.w.current_dates()[int(link)].deadline, self).exec()

    def validatePage(self) -> bool:
        checker = self.read()
        found = checker.problems + problems(self.w.draft, self.step, self.w.today())
        self.errors.setText("\n".join(f"\u2022 {p.message}" for p in found))
        if found:
            return False
        lost = self.w.cleared_deadlines()
        if lost and not self.w.confirm_cleared(lost):
            return False
        next_step = self.w.next_after(self.step)
        self.w.draft = self.w.draft.with_(step=next_step or self.step)
        self.w.save_draft()
        return True

    def nextId(self) -> int:
        step = self.w.next_after(self.step)
        return -1 if step is None else int(step)

    def initializePage(self) -> None:
        self.errors.clear()
        self.show_dates()


class DecisionPage(Page):
    step = Step.DECISION

    def __init__(self, wizard: MediationWizard) -> None:
        super().__init__(wizard, "1. The decision",
                         "Which decision of the local authority does the parent or young "
                         "person disagree with? That decides whether they can appeal, whether "
                         "a mediation certificate is needed first, and what mediation can "
                         "cover. <i>CFA 2014 s.51(2)</i>")
        d = wizard.draft
        self.child = combo("Child or young person", [(c.details.full_name, c.id)
                                                    for c in wizard.family_children], d.child_id)
        self.decision = combo("Decision", [("Choose…", None)] + [(x.label, x) for x in Decision],
                              d.decision)
        self.sections = check_list("Sections in dispute", [
            ("Section B: the special educational needs", "B"),
            ("Section F: the special educational provision", "F"),
            ("Section I: the school or setting named", "I")], sorted(d.sections))
        self.form.addRow("Child or young person:", self.child)
        self.form.addRow("The decision:", self.decision)
        self.form.addRow("Sections:", self.sections)
        self.rights = why_panel("")
        self.rights.setAccessibleName("Appeal and mediation rights")
        self.outer.insertWidget(2, self.rights)
        self.decision.currentIndexChanged.connect(self._changed)
        self.sections.itemChanged.connect(self._changed)
        self._changed()

    def read(self) -> Checker:
        self.w.draft = self.w.draft.with_(
            child_id=self.child.choice() or "", decision=self.decision.choice(),
            sections=frozenset(str(s) for s in checked_data(self.sections))
            if self.decision.choice() is Decision.PLAN_CONTENTS else frozenset())
        return Checker()

    def _changed(self) -> None:
        self.read()
        decision = self.w.draft.decision
        self.form.setRowVisible(self.sections, decision is Decision.PLAN_CONTENTS)
        if decision is None:
            self.rights.setText("Choose the decision to see the parent's rights.")
            return
        r = rights(decision, self.w.draft.sections)
        yes_no = {True: "Yes", False: "No"}
        first = ("<b>Is this an appeal?</b> No: it is a claim to the SEND Tribunal."
                 if r.claim else
                 f"<b>Can they appeal to the SEND Tribunal?</b> {yes_no[r.appeal]}")
        self.rights.setText(
            f"{first}<br>"
            f"<b>Is a mediation certificate needed first?</b> {yes_no[r.certificate_needed]}"
            f"<br><b>Can mediation help?</b> {yes_no[r.mediation_possible]}<br>"
            f"{escape(r.explanation)} <i>({escape(r.source)})</i>")


class DatesPage(Page):
    step = Step.DATES

    def __init__(self, wizard: MediationWizard) -> None:
        super().__init__(wizard, "2. The decision letter",
                         "The time limits run from the date the decision letter was "
                         "<b>sent</b>; the appeal form asks for the date <b>on</b> the letter. "
                         "Record both if they differ. <i>SEND Regs 2014 reg 33; HESC Rules "
                         "r.20</i>")
        d = wizard.draft
        self.letter_dated = date_field("Date on the decision letter", d.letter_dated)
        self.letter_sent = date_field("Date the letter was sent", d.letter_sent)
        self.conduct_on = date_field("Date of the conduct complained of", d.conduct_on)
        self.form.addRow("Date on the letter:", self.letter_dated)
        self.form.addRow("Date it was sent:", self.letter_sent)
        self.form.addRow("Date of the conduct:", self.conduct_on)
        for edit in (self.letter_dated, self.letter_sent, self.conduct_on):
            edit.textChanged.connect(self._changed)

    @property
    def claim(self) -> bool:
        return self.w.draft.decision is Decision.DISCRIMINATION

    def initializePage(self) -> None:
        claim = self.claim
        self.setTitle("2. The conduct complained of" if claim else "2. The decision letter")
        self.why.setText(
            "A disability discrimination claim must reach the SEND Tribunal within 6 months "
            "<b>starting with</b> the day of the conduct complained of (that day counts as "
            "the first). <i>Equality Act 2010 Sch 17 para 4</i>" if claim else
            "The time limits run from the date the decision letter was <b>sent</b>; the "
            "appeal form asks for the date <b>on</b> the letter. Record both if they differ. "
            "<i>SEND Regs 2014 reg 33; HESC Rules r.20</i>")
        for widget in (self.letter_dated, self.letter_sent):
            self.form.setRowVisible(widget, not claim)
        self.form.setRowVisible(self.conduct_on, claim)
        super().initializePage()

    def read(self) -> Checker:
        c = Checker()
        if self.claim:
            self.w.draft = self.w.draft.with_(conduct_on=c.date(
                "conduct_on", "Date of the conduct", self.conduct_on.text()))
            return c
        dated = c.date("letter_dated", "Date on the letter", self.letter_dated.text())
        sent = c.date("letter_sent", "Date the letter was sent", self.letter_sent.text())
        if sent is None and dated is not None and not self.letter_sent.text().strip():
            sent = dated  # most letters are sent the day they are dated
        self.w.draft = self.w.draft.with_(letter_dated=dated, letter_sent=sent)
        return c

    def _changed(self) -> None:
        if not self.read().problems:
            self.show_dates()


class ChoicePage(Page):
    step = Step.CHOICE

    def __init__(self, wizard: MediationWizard) -> None:
        super().__init__(wizard, "3. The parent's choice",
                         "The parent or young person must <b>consider</b> mediation before "
                         "appealing, but taking part is their choice: it is free, voluntary and "
                         "confidential, and saying no does not count against them. Either way "
                         "they get a certificate. <i>SEND Regs 2014 regs 33-34; CoP 11.14</i>")
        d = wizard.draft
        self.choice = combo("Their choice", [("Not decided yet", Choice.UNDECIDED),
                                             ("No mediation: certificate only",
                                              Choice.CERTIFICATE_ONLY),
                                             ("Mediation", Choice.MEDIATION)], d.choice)
        self.adviser_told = date_field("Date they told the mediation adviser", d.adviser_told)
        self.certificate_issued = date_field("Date the certificate was issued",
                                             d.certificate_issued)
        self.issues = check_list("What mediation is about", [
            ("Education", Issue.EDUCATION), ("Social care", Issue.SOCIAL_CARE),
            ("Health", Issue.HEALTH)], sorted(d.issues))
        self.arranger = QLabel()
        self.arranger.setWordWrap(True)
        self.arranger.setAccessibleName("Who arranges mediation")
        self.health_provision = text_field("Health provision wanted", d.health_provision)
        self.la_told = date_field("Date the LA was told they want mediation", d.la_told)
        self.health_body_told = date_field("Date the LA told the health body (if known)",
                                           d.health_body_told)
        self.mediation_date = date_field("Date of the mediation", d.mediation_date)
        self.attendees = text_field("Who will attend", d.attendees)
        self.supporter = text_field("Supporter or advocate", d.supporter)
        for label, widget in (("Their choice:", self.choice),
                              ("Told the mediation adviser on:", self.adviser_told),
                              ("Certificate issued on:", self.certificate_issued),
                              ("Mediation is about:", self.issues), ("", self.arranger),
                              ("Health provision wanted:", self.health_provision),
                              ("LA told on:", self.la_told),
                              ("Health body told on:", self.health_body_told),
                              ("Mediation held on:", self.mediation_date),
                              ("Attending:", self.attendees), ("Supporter:", self.supporter)):
            self.form.addRow(label, widget)
        self.choice.currentIndexChanged.connect(self._changed)
        self.issues.itemChanged.connect(self._changed)
        for edit in (self.adviser_told, self.certificate_issued, self.la_told,
                     self.health_body_told, self.mediation_date):
            edit.textChanged.connect(self._changed)

    def initializePage(self) -> None:
        super().initializePage()
        self._changed()

    def read(self) -> Checker:
        c = Checker()
        self.w.draft = self.w.draft.with_(
            choice=self.choice.choice(),
            adviser_told=c.date("adviser_told", "Date told", self.adviser_told.text()),
            certificate_issued=c.date("certificate_issued", "Certificate date",
                                      self.certificate_issued.text()),
            issues=frozenset(Issue(i) for i in checked_data(self.issues)),
            health_provision=self.health_provision.text().strip(),
            la_told=c.date("la_told", "Date the LA was told", self.la_told.text()),
            health_body_told=c.date("health_body_told", "Date the health body was told",
                                    self.health_body_told.text()),
            mediation_date=c.date("mediation_date", "Mediation date",
                                  self.mediation_date.text()),
            attendees=self.attendees.text().strip(), supporter=self.supporter.text().strip())
        return c

    def _changed(self) -> None:
        self.read()
        choice = self.w.draft.choice
        mediation = choice is Choice.MEDIATION
        for widget in (self.issues, self.arranger, self.la_told, self.mediation_date,
                       self.attendees, self.supporter):
            self.form.setRowVisible(widget, mediation)
        health = mediation and Issue.HEALTH in self.w.draft.issues
        self.form.setRowVisible(self.health_provision, health)
        self.form.setRowVisible(self.health_body_told, health)
        # reg 33: the parent contacts the mediation adviser whichever they choose
        self.form.setRowVisible(self.adviser_told, choice is not Choice.UNDECIDED)
        self.form.setRowVisible(self.certificate_issued, choice is Choice.CERTIFICATE_ONLY)
        arranger = who_arranges(self.w.draft.issues)
        self.arranger.setText(arranger.label + "." if arranger else "")
        self.show_dates()


class OutcomePage(Page):
    step = Step.OUTCOME

    def __init__(self, wizard: MediationWizard) -> None:
        super().__init__(wizard, "4. The outcome",
                         "A mediation agreement must be in writing. Things that could have been "
                         "appealed must then be done within the Tribunal-order limits; other "
                         "things within 2 weeks, unless a different date was agreed in writing. "
                         "<i>SEND Regs 2014 regs 42 and 44</i>")
        d = wizard.draft
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
        d = self.w.draft
        self.action_kind.refill([(kind.label, kind)
                                 for kind in actions_for(d.decision, d.sections)])
        super().initializePage()
        self._changed()

    def remove_action(self) -> None:
        chosen = selected_record(self.actions_view)
        if chosen is None:
            self.errors.setText("Select the action to remove in the list first.")
            return
        actions = list(self.w.draft.actions)
        actions.remove(chosen)
        self.w.draft = self.w.draft.with_(actions=tuple(actions))
        self.actions_model.set_rows(self.w.draft.actions)
        self.errors.clear()
        self.show_dates()

    def add_action(self) -> None:
        c = Checker()
        text = c.text("action", "What was agreed", self.action_text.text(), required=True)
        due = c.date("action_due", "Agreed date", self.action_due.text())
        if not c.ok:
            self.errors.setText("\n".join(p.message for p in c.problems))
            return
        actions = self.w.draft.actions + (Action(text, self.action_kind.choice(), due),)
        self.w.draft = self.w.draft.with_(actions=actions)
        self.actions_model.set_rows(actions)
        self.action_text.clear()
        self.action_due.clear()
        self.errors.clear()
        self.show_dates()

    def read(self) -> Checker:
        c = Checker()
        self.w.draft = self.w.draft.with_(
            outcome=self.outcome.choice(),
            concluded=c.date("concluded", "Date", self.concluded.text()),
            certificate_issued=c.date("certificate_issued", "Certificate date",
                                      self.certificate_issued.text()),
            la_party=self.la_party.isChecked(), still_open=self.still_open.text().strip())
        return c

    def _changed(self) -> None:
        self.read()
        outcome = self.w.draft.outcome
        self.form.setRowVisible(self.actions_box, outcome.agreed)
        # health-only mediation is the health body's: the LA is never a party to it
        self.form.setRowVisible(self.la_party, outcome.agreed and who_arranges(
            self.w.draft.issues) is not Arranger.HEALTH_BODY)
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

    def __init__(self, wizard: MediationWizard) -> None:
        super().__init__(wizard, "5. What happens next",
                         "Every date below is kept on the case, appears in the Deadlines view "
                         "and can be clicked to see how it was worked out.")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Summary")
        self.outer.insertWidget(1, self.summary)
        self.appeal_registered = date_field("Date the Tribunal registered the appeal",
                                            wizard.draft.appeal_registered)
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
            button.clicked.connect(lambda _=False, t=template: self.w.open_letter(t))
            row.addWidget(button)
            self.letter_buttons[template] = button
        self.outer.addLayout(row)

    def letters_that_fit(self) -> set[str]:
        """Only the letters that fit this record: none for a discrimination claim (even if a
        mediation choice was made before the decision changed)."""
        d = self.w.draft
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
        d = self.w.draft
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
                            self.appeal_registered.text(), not_after=self.w.today())
        self.w.draft = self.w.draft.with_(appeal_registered=registered)
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
        self.w.save_draft()
        return True
