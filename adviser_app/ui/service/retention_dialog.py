"""Tools › Retention review: the service's retention policy, the closed cases due for review,
and for each the reviewer's choice: keep (with a reason and the next review date), anonymise
or erase. Anonymising and erasing ask first, naming the family, with No as the default."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel,
                               QPushButton, QVBoxLayout, QWidget)

from adviser_app.domain.retention import RetentionPolicy
from adviser_app.domain.validation import Checker, Problem, format_date, plural
from adviser_app.services import data_protection as dp
from adviser_app.store.errors import CaseBookError
from adviser_app.ui.case_view.explain_dialog import ExplainDialog
from adviser_app.ui.form_support import (MessageLabel, NumberBox, ValidatingForm, button_row,
                                         confirm, date_field, text_area)
from adviser_app.ui.record_table import Column, RecordTableModel, record_view
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.theme import RED


class KeepForm(ValidatingForm):
    """Keep a case: why, and when to look at it again."""

    def __init__(self, session: Session, item: dp.ReviewItem, parent: QWidget | None = None
                 ) -> None:
        super().__init__(f"Keep case {item.case.reference}", parent)
        self.session, self.item = session, item
        self.reason = self.add_row("Why it is kept:", "reason", text_area("Why it is kept"))
        self.next_review = self.add_row("Next review:", "next_review",
                                        date_field("Next review date"))
        self.resize(480, 260)

    def save(self) -> list[Problem]:
        c = Checker()
        reason = c.text("reason", "Why it is kept", self.reason.toPlainText(), required=True)
        when = c.date("next_review", "Next review", self.next_review.text(), required=True)
        today = self.session.today()
        if when is not None and when <= today:
            c.fail("next_review", "The next review must be after today.")
        if not c.ok or when is None:
            return c.problems
        dp.keep_case(self.session.db, self.item.case.case_id, reason, when, today,
                     self.session.actor)
        return []


class RemoveForm(ValidatingForm):
    """Anonymise or erase a case: the reason, then a confirmation that names the family."""

    def __init__(self, session: Session, item: dp.ReviewItem, kind: str,
                 confirm: Callable[[str, str], bool], parent: QWidget | None = None) -> None:
        verb = "Erase" if kind == "erased" else "Anonymise"
        super().__init__(f"{verb} case {item.case.reference}", parent)
        self.session, self.item, self.kind, self.confirm = session, item, kind, confirm
        self.reason = self.add_row("Reason (kept with the record):", "reason",
                                   text_area("Reason"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(verb + "…")
        self.resize(480, 220)

    def save(self) -> list[Problem] | None:
        c = Checker()
        reason = c.text("reason", "Reason", self.reason.toPlainText(), required=True)
        if not c.ok:
            return c.problems
        db, case_id = self.session.db, self.item.case.case_id
        title = "Erase for good?" if self.kind == "erased" else "Anonymise for good?"
        if not self.confirm(title, dp.confirmation_text(db, case_id, self.kind)):
            return None
        remove = dp.erase_case if self.kind == "erased" else dp.anonymise_case
        remove(db, case_id, reason, self.session.today(), self.session.actor)
        return []


class RetentionDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Retention review")
        self.setAccessibleName("Retention review")
        self.confirm: Callable[[str, str], bool] = lambda title, text: confirm(
            self, title, text)
        layout = QVBoxLayout(self)
        intro = QLabel("Closed cases are kept no longer than the service needs them. A case is "
                       "due for review when both of these have passed:")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(self._policy_row())
        consent = QHBoxLayout()
        self.consent_months = NumberBox(1, 120, dp.consent_renewal_months(session.db),
                                        "Months before consent to share is renewed")
        save_consent = QPushButton("Save")
        save_consent.clicked.connect(self.save_consent)
        for widget in (QLabel("Consent to share is asked for again after"),
                       self.consent_months, QLabel("months."), save_consent):
            consent.addWidget(widget)
        consent.addStretch(1)
        layout.addLayout(consent)
        self.show_all = QCheckBox("Show every closed case, not only those due")
        self.show_all.toggled.connect(self.refresh)
        layout.addWidget(self.show_all)
        self.model: RecordTableModel[dp.ReviewItem] = RecordTableModel([
            Column("Case", lambda i: i.case.reference),
            Column("Family", lambda i: i.case.family_name),
            Column("Closed", lambda i: format_date(i.case.closed_on)),
            Column("Review due", lambda i: format_date(i.due),
                   lambda i: RED if i.due <= self.session.today() else None),
            Column("Why", lambda i: i.why)])
        self.view = record_view(self.model, "Closed cases for review")
        self.view.doubleClicked.connect(lambda _index: self.explain())
        layout.addWidget(self.view)
        self.count = QLabel()
        self.count.setAccessibleName("How many cases are shown")
        layout.addWidget(self.count)
        layout.addLayout(button_row((
            ("&Keep…", self.keep), ("&Anonymise…", self.anonymise), ("&Erase…", self.erase),
            ("How is the date &worked out?", self.explain))))
        self.message = MessageLabel()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(880, 520)
        self.refresh()

    def _policy_row(self) -> QHBoxLayout:
        policy = dp.retention_policy(self.session.db)
        row = QHBoxLayout()
        self.years = NumberBox(1, 100, policy.years_closed, "Years since the case was closed")
        self.age = NumberBox(0, 100, policy.youngest_age, "Age the youngest child has reached")
        save = QPushButton("Save the policy")
        save.clicked.connect(self.save_policy)
        for widget in (QLabel("closed for"), self.years, QLabel("years, and the youngest child "
                                                                "has turned"), self.age, save):
            row.addWidget(widget)
        row.addStretch(1)
        return row

    def save_policy(self) -> None:
        policy = RetentionPolicy(self.years.value(), self.age.value())
        try:
            dp.set_retention_policy(self.session.db, policy, self.session.actor)
        except CaseBookError as exc:
            self._say(str(exc), error=True)
            return
        self._say("The retention policy is saved.")
        self.refresh()

    def save_consent(self) -> None:
        try:
            dp.set_consent_renewal_months(self.session.db, self.consent_months.value(),
                                          self.session.actor)
        except CaseBookError as exc:
            self._say(str(exc), error=True)
            return
        self._say("Saved: each case shows when a consent to share is due for renewal.")

    def refresh(self) -> None:
        db, today = self.session.db, self.session.today()
        items = dp.review_list(db) if self.show_all.isChecked() else dp.due_for_review(db, today)
        self.model.set_rows(items)
        due = sum(1 for i in items if i.due <= today)
        self.count.setText(f"{plural(len(items), 'closed case')} shown, "
                           f"{due} due for review." if items else
                           "No closed case is due for review.")

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.say(text, error=error)

    def _selected(self) -> dp.ReviewItem | None:
        return self.message.chosen(self.view, "Choose a case in the list first.")  # type: ignore[no-any-return]

    def keep(self) -> None:
        item = self._selected()
        if item is not None and KeepForm(self.session, item, self).exec():
            self._say(f"Case {item.case.reference} is kept.")
            self.refresh()

    def anonymise(self) -> None:
        self._remove("anonymised")

    def erase(self) -> None:
        self._remove("erased")

    def _remove(self, kind: str) -> None:
        item = self._selected()
        if item is None:
            return
        if RemoveForm(self.session, item, kind, self.confirm, self).exec():
            self._say(f"Case {item.case.reference} is {kind}. Older backups still hold it "
                      "until they are replaced; a restore from one makes the erasure again.")
            self.refresh()

    def explain(self) -> None:
        item = self._selected()
        if item is None:
            return
        if item.rule is None:
            self._say(item.why)
            return
        ExplainDialog(item.rule, self).exec()
