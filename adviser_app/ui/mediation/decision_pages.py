"""The mediation wizard's first three pages: the decision disagreed with, the decision
letter's dates (or the conduct complained of), and the parent's choice about mediation."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QLabel

from adviser_app.domain.mediation import Choice, Decision, Issue, Step, rights, who_arranges
from adviser_app.domain.validation import Checker
from adviser_app.ui.form_support import check_list, checked_data, combo, date_field, text_field
from adviser_app.ui.mediation.page import Page, why_panel
from adviser_app.ui.mediation.wizard_state import WizardState


class DecisionPage(Page):
    step = Step.DECISION

    def __init__(self, state: WizardState) -> None:
        super().__init__(state, "The decision",
                         "Which decision of the local authority does the parent or young "
                         "person disagree with? That decides whether they can appeal, whether "
                         "a mediation certificate is needed first, and what mediation can "
                         "cover. <i>CFA 2014 s.51(2)</i>")
        d = state.draft
        self.child = combo("Child or young person", [(c.details.full_name, c.id)
                                                    for c in state.children], d.child_id)
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
        self.state.draft = self.state.draft.with_(
            child_id=self.child.choice() or "", decision=self.decision.choice(),
            sections=frozenset(str(s) for s in checked_data(self.sections))
            if self.decision.choice() is Decision.PLAN_CONTENTS else frozenset())
        return Checker()

    def _changed(self) -> None:
        self.read()
        decision = self.state.draft.decision
        self.form.setRowVisible(self.sections, decision is Decision.PLAN_CONTENTS)
        if decision is None:
            self.rights.setText("Choose the decision to see the parent's rights.")
            return
        r = rights(decision, self.state.draft.sections)
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

    def __init__(self, state: WizardState) -> None:
        super().__init__(state, "The decision letter",
                         "The time limits run from the date the decision letter was "
                         "<b>sent</b>; the appeal form asks for the date <b>on</b> the letter. "
                         "Record both if they differ. <i>SEND Regs 2014 reg 33; HESC Rules "
                         "r.20</i>")
        d = state.draft
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
        return self.state.draft.decision is Decision.DISCRIMINATION

    def initializePage(self) -> None:
        claim = self.claim
        self.heading = "The conduct complained of" if claim else "The decision letter"
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
            self.state.draft = self.state.draft.with_(conduct_on=c.date(
                "conduct_on", "Date of the conduct", self.conduct_on.text()))
            return c
        dated = c.date("letter_dated", "Date on the letter", self.letter_dated.text())
        sent = c.date("letter_sent", "Date the letter was sent", self.letter_sent.text())
        if sent is None and dated is not None and not self.letter_sent.text().strip():
            sent = dated  # most letters are sent the day they are dated
        self.state.draft = self.state.draft.with_(letter_dated=dated, letter_sent=sent)
        return c

    def _changed(self) -> None:
        if not self.read().problems:
            self.show_dates()


class ChoicePage(Page):
    step = Step.CHOICE

    def __init__(self, state: WizardState) -> None:
        super().__init__(state, "The parent's choice",
                         "The parent or young person must <b>consider</b> mediation before "
                         "appealing, but taking part is their choice: it is free, voluntary and "
                         "confidential, and saying no does not count against them. Either way "
                         "they get a certificate. <i>SEND Regs 2014 regs 33-34; CoP 11.14</i>")
        d = state.draft
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
        self.state.draft = self.state.draft.with_(
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
        choice = self.state.draft.choice
        mediation = choice is Choice.MEDIATION
        for widget in (self.issues, self.arranger, self.la_told, self.mediation_date,
                       self.attendees, self.supporter):
            self.form.setRowVisible(widget, mediation)
        health = mediation and Issue.HEALTH in self.state.draft.issues
        self.form.setRowVisible(self.health_provision, health)
        self.form.setRowVisible(self.health_body_told, health)
        # reg 33: the parent contacts the mediation adviser whichever they choose
        self.form.setRowVisible(self.adviser_told, choice is not Choice.UNDECIDED)
        self.form.setRowVisible(self.certificate_issued, choice is Choice.CERTIFICATE_ONLY)
        arranger = who_arranges(self.state.draft.issues)
        self.arranger.setText(arranger.label + "." if arranger else "")
        self.show_dates()
