"""Tools › Subject access requests: record a request, stop and restart the one-month clock for
clarification, extend it, mark it answered, and see how each date was worked out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QLabel,
                               QVBoxLayout, QWidget)

from adviser_app.domain.disclosure import Redaction

from adviser_app.domain.validation import Checker, Problem, format_date
from adviser_app.services import disclosure_export as export
from adviser_app.services import preferences
from adviser_app.services import subject_access as sar
from adviser_app.services.disclosure_export import ExportResult
from adviser_app.ui.case_view.explain_dialog import ExplainDialog
from adviser_app.ui.form_support import (MessageLabel, ValidatingForm, button_row, check_list,
                                         checked_data, combo, date_field,
                                         text_area, text_field)
from adviser_app.ui.record_table import Column, RecordTableModel, record_view
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.theme import ERROR_STYLE, RED

_NOT_KNOWN = ""


class NewRequestForm(ValidatingForm):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__("Record a subject access request", parent)
        self.session = session
        self.requester = self.add_row("Who asked:", "requester", text_field("Who asked"))
        self.about = self.add_row("About whom:", "about", text_field("About whom"))
        families = [("Not in the case book, or not known yet", _NOT_KNOWN),
                    *sar.family_choices(session.db)]
        self.family = self.add_row("Family in the case book:", "family",
                                   combo("Family in the case book", families))
        self.received = self.add_row("Date received:", "received",
                                     date_field("Date received", session.today()))
        self.identity = self.add_row("How identity was checked:", "identity",
                                     text_area("How identity was checked"))
        self.resize(520, 360)

    def save(self) -> list[Problem]:
        c = Checker()
        requester = c.text("requester", "Who asked", self.requester.text(), required=True)
        about = c.text("about", "About whom", self.about.text(), required=True)
        received = c.date("received", "Date received", self.received.text(), required=True,
                          not_after=self.session.today())
        identity = c.text("identity", "How identity was checked",
                          self.identity.toPlainText())
        if not c.ok or received is None:
            return c.problems
        self.request_id = sar.record_request(
            self.session.db, family_id=self.family.choice() or None, requester=requester,
            about=about, received_on=received, identity_check=identity,
            today=self.session.today(), actor=self.session.actor)
        return []


class DateForm(ValidatingForm):
    """One date (and a reason where one is needed), then a service call."""

    def __init__(self, title: str, label: str, session: Session,
                 action: Callable[[date, str], None], *, with_reason: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.session, self.action, self.label = session, action, label
        self.day = self.add_row(label + ":", "day", date_field(label, session.today()))
        self.reason = (self.add_row("Reason (the person is told it):", "reason",
                                    text_area("Reason")) if with_reason else None)
        self.resize(460, 200 if with_reason else 130)

    def save(self) -> list[Problem]:
        c = Checker()
        day = c.date("day", self.label, self.day.text(), required=True,
                     not_after=self.session.today())
        reason = ""
        if self.reason is not None:
            reason = c.text("reason", "Reason", self.reason.toPlainText(), required=True)
        if not c.ok or day is None:
            return c.problems
        self.action(day, reason)
        return []


class SubjectAccessDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Subject access requests")
        self.setAccessibleName("Subject access requests")
        layout = QVBoxLayout(self)
        intro = QLabel("A person may ask for everything the service holds about them. The answer "
                       "is due one month after the request arrives (the day it arrives is day "
                       "one), or three months when extended while the first month runs. The "
                       "clock stops while you wait for clarification you need.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model: RecordTableModel[sar.RequestClock] = RecordTableModel([
            Column("Received", lambda r: format_date(r.request.received_on)),
            Column("Who asked", lambda r: r.request.requester),
            Column("About", lambda r: r.request.about),
            Column("Status", lambda r: r.status(session.today()), self._colour),
            Column("Identity checked", lambda r: r.request.identity_check or "not recorded")])
        self.view = record_view(self.model, "Subject access requests")
        self.view.doubleClicked.connect(lambda _index: self.explain())
        layout.addWidget(self.view)
        layout.addLayout(button_row((("&New request…", self.new_request),
                                      ("&Clock stopped for clarification…", self.pause),
                                      ("Clarification &received…", self.resume),
                                      ("E&xtend…", self.extend), ("&Answered…", self.answered),
                                      ("Ex&port everything held…", self.export),
                                      ("How is the date &worked out?", self.explain))))
        self.message = MessageLabel()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 460)
        self.refresh()

    def _colour(self, clock: sar.RequestClock) -> str | None:
        if clock.request.answered_on or clock.due is None:
            return None
        return RED if clock.due.due <= self.session.today() else None

    def refresh(self) -> None:
        self.model.set_rows(sar.all_clocks(self.session.db))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.say(text, error=error)

    def _selected(self) -> sar.RequestClock | None:
        return self.message.chosen(self.view, "Choose a request in the list first.")  # type: ignore[no-any-return]

    def new_request(self) -> None:
        if NewRequestForm(self.session, self).exec():
            self._say("The request is recorded.")
            self.refresh()

    def _date_action(self, title: str, label: str,
                     call: Callable[[str, date, str], None], *, with_reason: bool = False
                     ) -> None:
        clock = self._selected()
        if clock is None:
            return
        rid = clock.request.id
        form = DateForm(title, label, self.session, lambda day, reason: call(rid, day, reason),
                        with_reason=with_reason, parent=self)
        if form.exec():
            self._say("Saved.")
            self.refresh()

    def pause(self) -> None:
        db, actor = self.session.db, self.session.actor
        self._date_action("Clock stopped for clarification", "Clarification asked for on",
                          lambda rid, day, _r: sar.ask_clarification(db, rid, day, actor))

    def resume(self) -> None:
        db, actor = self.session.db, self.session.actor
        self._date_action("Clarification received", "Clarification received on",
                          lambda rid, day, _r: sar.clarification_received(db, rid, day, actor))

    def extend(self) -> None:
        db, actor = self.session.db, self.session.actor
        self._date_action("Extend by two months", "Extension decided on",
                          lambda rid, day, reason: sar.extend(db, rid, day, reason, actor),
                          with_reason=True)

    def answered(self) -> None:
        db, actor = self.session.db, self.session.actor
        self._date_action("Request answered", "Answer sent on",
                          lambda rid, day, _r: sar.mark_answered(db, rid, day, actor))

    def choose_folder(self) -> Path | None:
        """Where the export goes (tests replace this)."""
        folder = QFileDialog.getExistingDirectory(
            self, "Export into which folder?", str(preferences.export_folder(self.session.db)))
        return Path(folder) if folder else None

    def export(self) -> None:
        clock = self._selected()
        if clock is None:
            return
        if not clock.request.family_id:
            self._say("This request is not linked to a family in the case book, so there is "
                      "nothing to export.", error=True)
            return
        form = ExportForm(self.session, clock.request.id, self.choose_folder, self)
        if form.exec() and form.exported is not None:
            result = form.exported
            self._say(f"Exported {len(result.files)} files to {result.folder}. Remember: "
                      "these files are not encrypted.")

    def explain(self) -> None:
        clock = self._selected()
        if clock is None:
            return
        if clock.due is None:
            self._say(clock.status(self.session.today()) + ". Record when it arrives and the "
                      "date is worked out again.")
            return
        ExplainDialog(clock.due, self).exec()


class ExportForm(ValidatingForm):
    """The redaction step, then the export into a folder the adviser chooses."""

    def __init__(self, session: Session, request_id: str,
                 choose_folder: Callable[[], Path | None], parent: QWidget | None = None
                 ) -> None:
        super().__init__("Export everything held", parent, scroll=True)
        self.session, self.request_id, self.choose_folder = session, request_id, choose_folder
        self.exported: ExportResult | None = None
        warning = QLabel("The exported files are NOT encrypted. Save them only where the "
                         "service keeps such files, and hand them over securely.")
        warning.setWordWrap(True)
        warning.setStyleSheet(ERROR_STYLE)
        self.form.addRow(warning)
        self.add_heading("Words to withhold")
        self.phrases = self.add_row("Names or words (one a line):", "phrases",
                                    text_area("Names or words to withhold"))
        self.phrases.setMaximumHeight(110)
        self.phrase_reason = self.add_row("Why:", "phrase_reason",
                                          text_field("Why the words are withheld"))
        self.add_heading("Records to leave out")
        self.records = self.add_row("Tick any to leave out:", "records", check_list(
            "Records to leave out", export.withholdable(session.db, request_id)))
        self.records.setMaximumHeight(260)
        self.record_reason = self.add_row("Why:", "record_reason",
                                          text_field("Why the records are left out"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Export…")

    def save(self) -> list[Problem] | None:
        redaction = Redaction(
            phrases=tuple(self.phrases.toPlainText().splitlines()),
            phrase_reason=self.phrase_reason.text().strip(),
            records=tuple(tuple(k) for k in checked_data(self.records)),
            record_reason=self.record_reason.text().strip())
        problems = redaction.problems()
        if problems:
            fields = ["phrase_reason" if "words" in p else "record_reason" for p in problems]
            return [Problem(f, p) for f, p in zip(fields, problems, strict=True)]
        folder = self.choose_folder()
        if folder is None:
            return None
        self.exported = export.export_everything(self.session.db, self.request_id, folder,
                                               redaction, self.session.today(),
                                               self.session.actor)
        preferences.remember_export_folder(self.session.db, folder)
        return []
