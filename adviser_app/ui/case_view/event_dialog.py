"""Recording a statutory event on a child (a letter, meeting or plan), or editing one."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from adviser_app.domain.statutory.event_form import event_from_form
from adviser_app.domain.statutory.events import OUTCOMES, RECORDABLE, EventKind, StatutoryEvent
from adviser_app.domain.records import Family
from adviser_app.domain.statutory.ehc_plan_rules import TransferKind
from adviser_app.domain.statutory.mediation_rules import AgreedAction, UnopposedAppeal
from adviser_app.domain.validation import Problem, format_date
from adviser_app.services import statutory
from adviser_app.ui.form_support import (ValidatingForm, combo, date_field, text_area,
                                         text_field)
from adviser_app.ui.case_book.session import Session


class EventDialog(ValidatingForm):
    def __init__(self, session: Session, case_id: str, family: Family, child_ids: set[str],
                 event: StatutoryEvent | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Edit statutory event" if event else "Record a statutory event",
                         parent)
        self.session, self.case_id, self.existing = session, case_id, event
        d = event.details if event else None
        self.kind = self.add_row("What happened:", "kind", combo(
            "What happened", [(k.label, k) for k in RECORDABLE], d.kind if d else None))
        children = [c for c in family.children if c.id in child_ids] or list(family.children)
        self.child = self.add_row("Child or young person:", "child", combo(
            "Child or young person", [(c.details.full_name, c.id) for c in children],
            d.child_id if d else None))
        self.event_date = self.add_row("Date:", "event_date",
                                       date_field("Date", d.event_date if d else None))
        self.outcome = self.add_row("Decision:", "outcome", combo("Decision", []))
        self.transfer_kind = self.add_row("Kind of move:", "transfer_kind", combo(
            "Kind of move", [(t.label, t) for t in TransferKind]))
        self.transfer_year = self.add_row("Year of the move:", "transfer_year",
                                          text_field("Year of the move", max_len=4))
        self.move_date = self.add_row("Date of the move:", "move_date",
                                      date_field("Date of the move"))
        self.action = self.add_row("The order says the LA must:", "action", combo(
            "What the order says", [(a.label, a) for a in AgreedAction
                                    if a is not AgreedAction.NOT_APPEALABLE]))
        self.order_sent = self.add_row("Date the order was sent:", "order_sent",
                                       date_field("Date the order was sent (if different)"))
        self.appealed = self.add_row("The appeal was about:", "appealed", combo(
            "Which decision was appealed", [("Choose…", None)]
            + [(a.label, a) for a in UnopposedAppeal]))
        self.document = self.add_row("Document it came from:", "document",
                                     text_field("Document it came from",
                                                d.document if d else ""))
        self.document.setPlaceholderText("e.g. LA letter dated 03/03/2025")
        self.notes = self.add_row("Notes:", "notes", text_area("Notes", d.notes if d else ""))
        self.notes.setMaximumHeight(80)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.transfer_kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        if d:
            self.outcome.select(d.params.get("outcome"))
            if "transfer_kind" in d.params:
                self.transfer_kind.select(TransferKind(d.params["transfer_kind"]))
                self.transfer_year.setText(str(d.params.get("transfer_year", "")))
                if "move_date" in d.params:
                    from datetime import date

                    self.move_date.setText(format_date(date.fromisoformat(
                        d.params["move_date"])))
            if "action" in d.params:
                self.action.select(AgreedAction(d.params["action"]))
            if d.params.get("sent"):
                from datetime import date as _date

                self.order_sent.setText(format_date(_date.fromisoformat(d.params["sent"])))
            if d.params.get("appealed"):
                self.appealed.select(UnopposedAppeal(d.params["appealed"]))
            elif d.params.get("contents"):
                self.appealed.select(UnopposedAppeal.CONTENTS)
        self.resize(640, 480)
        self.saved_id: str | None = None

    def _kind_changed(self) -> None:
        kind = self.kind.choice()
        outcomes = OUTCOMES.get(kind, {})
        self.outcome.refill([("Choose…", ""), *((label, value)
                                                for value, label in outcomes.items())])
        self.set_row_visible("outcome", bool(outcomes))
        transfer = kind is EventKind.PHASE_TRANSFER
        post16 = self.transfer_kind.choice() is TransferKind.POST16_TO_POST16
        self.set_row_visible("transfer_kind", transfer)
        self.set_row_visible("transfer_year", transfer and not post16)
        self.set_row_visible("move_date", transfer and post16)
        self.set_row_visible("action", kind is EventKind.TRIBUNAL_ORDER)
        self.set_row_visible("order_sent", kind is EventKind.TRIBUNAL_ORDER)
        self.set_row_visible("appealed", kind is EventKind.UNOPPOSED_APPEAL)

    def save(self) -> list[Problem]:
        kind = self.kind.choice()
        details, problems = event_from_form(
            kind=kind, event_date=self.event_date.text(), child_id=self.child.choice(),
            outcome=self.outcome.choice() or "", transfer_kind=self.transfer_kind.choice(),
            transfer_year=self.transfer_year.text(), move_date=self.move_date.text(),
            action=self.action.choice(), appealed=self.appealed.choice(),
            order_sent=self.order_sent.text(),
            document=self.document.text(), notes=self.notes.toPlainText(),
            today=self.session.today())
        if details is None:
            return problems
        if self.existing:
            statutory.change_event(self.session.db, self.existing.id, details, self.session.actor)
            self.saved_id = self.existing.id
        else:
            self.saved_id = statutory.record_event(self.session.db, self.case_id, details,
                                                   self.session.actor)
        return []
