"""Writing or editing a timeline entry: visit notes, calls, emails, meetings, letters, notes."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QWidget

from adviser_app.domain.forms import entry_from_form
from adviser_app.domain.records import TimelineEntry
from adviser_app.domain.validation import Problem
from adviser_app.domain.vocab import CONTACT_FOR_KIND, ContactWay, EntryKind
from adviser_app.services import casework
from adviser_app.ui.form_support import ValidatingForm, combo, date_field, text_area, text_field
from adviser_app.ui.case_book.session import Session


class EntryDialog(ValidatingForm):
    def __init__(self, session: Session, case_id: str, entry: TimelineEntry | None = None,
                 kind: EntryKind = EntryKind.HOME_VISIT, parent: QWidget | None = None) -> None:
        title = "Edit timeline entry" if entry else (
            "Add a home visit note" if kind is EntryKind.HOME_VISIT else "Add to the timeline")
        super().__init__(title, parent)
        self.session, self.case_id, self.entry = session, case_id, entry
        d = entry.details if entry else None
        self.kind = self.add_row("Kind:", "kind", combo("Kind of entry",
                                                        [(k.label, k) for k in EntryKind],
                                                        d.kind if d else kind))
        self.entry_date = self.add_row("Date:", "entry_date",
                                       date_field("Date", d.entry_date if d else session.today()))
        self.author = self.add_row("Written by:", "author",
                                   text_field("Written by", d.author if d else session.actor))
        self.contact = self.add_row("How:", "contact", combo(
            "How the contact happened",
            [("Not a contact (a note)", None)] + [(w.label, w) for w in ContactWay],
            d.contact if d else CONTACT_FOR_KIND[self.kind.choice()]))
        self.minutes = self.add_row("Time spent:", "minutes", text_field(
            "Time spent in minutes", "" if d is None or d.minutes is None else str(d.minutes),
            max_len=12))
        self.minutes.setPlaceholderText("minutes, e.g. 45")
        self._contact_chosen = entry is not None
        self.contact.activated.connect(self._contact_picked)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.body = self.add_row("Note:", "body", text_area("Note", d.body if d else ""))
        self.body.setMinimumHeight(220)
        self.resize(620, 520)
        self.body.setFocus()
        self.saved_id: str | None = None

    def _contact_picked(self) -> None:
        self._contact_chosen = True

    def _kind_changed(self) -> None:
        """Until someone picks how the contact happened, it follows the kind of entry."""
        if not self._contact_chosen:
            self.contact.select(CONTACT_FOR_KIND[self.kind.choice()])

    def draft_payload(self) -> dict[str, object]:
        """What has been typed, to keep as an encrypted draft when the app locks."""
        return {"case_id": self.case_id, "entry_id": self.entry.id if self.entry else None,
                "version": self.entry.version if self.entry else None,
                "kind": self.kind.choice().value, "entry_date": self.entry_date.text(),
                "author": self.author.text(), "body": self.body.toPlainText(),
                "minutes": self.minutes.text(),
                "contact": c.value if (c := self.contact.choice()) else ""}

    def fill_from_draft(self, draft: dict[str, object]) -> None:
        self.kind.select(EntryKind(str(draft.get("kind", EntryKind.NOTE.value))))
        self.entry_date.setText(str(draft.get("entry_date", "")))
        self.author.setText(str(draft.get("author", "")))
        self.body.setPlainText(str(draft.get("body", "")))
        self.body.moveCursor(QTextCursor.MoveOperation.End)  # to carry on typing
        self.minutes.setText(str(draft.get("minutes", "")))
        contact = str(draft.get("contact", ""))
        self.contact.select(ContactWay(contact) if contact in list(ContactWay) else None)
        self._contact_chosen = True

    def focus_first_field(self) -> None:
        self.body.setFocus()  # the note is what people came to write

    def save(self) -> list[Problem]:
        details, problems = entry_from_form(
            kind=self.kind.choice(), entry_date=self.entry_date.text(),
            author=self.author.text(), body=self.body.toPlainText(), today=self.session.today(),
            minutes=self.minutes.text(), contact=self.contact.choice())
        if details is None:
            return problems
        if self.entry:
            if details == self.entry.details:
                self.saved_id = self.entry.id
                return []  # nothing changed: no new version
            casework.edit_timeline_entry(self.session.db, self.entry.id, details,
                                         self.session.actor, self.entry.version)
            self.saved_id = self.entry.id
        else:
            self.saved_id = casework.add_timeline_entry(self.session.db, self.case_id, details,
                                                        self.session.actor)
        return []
