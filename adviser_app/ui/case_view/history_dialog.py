"""Every saved version of a timeline entry, oldest first, read-only; with an office hub, on
which laptop each was saved."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from adviser_app.domain.records import EntryVersion
from adviser_app.domain.validation import format_date
from adviser_app.store.errors import when
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.team.where_made import WhereMade


def history_text(versions: list[EntryVersion], laptops: dict[int, str] | None = None) -> str:
    """The versions in words; *laptops*: the laptop each version was saved on, by number."""
    parts = []
    for v in versions:
        d = v.details
        on = (laptops or {}).get(v.version, "")
        parts.append(f"Version {v.version}, saved {when(v.saved_at)} by {v.saved_by}"
                     f"{f' on {on}' if on else ''}\n"
                     f"{d.kind.label}, {format_date(d.entry_date)}, by {d.author}\n\n{d.body}")
    return ("\n\n" + "\u2500" * 40 + "\n\n").join(parts)


class HistoryDialog(QDialog):
    def __init__(self, versions: list[EntryVersion], parent: QWidget | None = None,
                 session: Session | None = None) -> None:
        super().__init__(parent)
        self.versions = versions
        self.setWindowTitle("Earlier versions of this entry")
        self.setAccessibleName("Earlier versions of this entry")
        layout = QVBoxLayout(self)
        self.text = QPlainTextEdit(history_text(versions))
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Versions")
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 480)
        self.where_made = WhereMade(self)
        self.where_made.known.connect(self._laptops_known)
        if session is not None:
            self.where_made.ask(session, [
                ("timeline_entry_version",
                 json.dumps([v.entry_id, v.version], separators=(",", ":")))
                for v in versions])

    def _laptops_known(self) -> None:
        self.text.setPlainText(history_text(self.versions, {
            v.version: self.where_made.name("timeline_entry_version", v.entry_id, v.version)
            for v in self.versions}))
