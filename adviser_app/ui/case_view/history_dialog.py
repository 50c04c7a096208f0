"""Every saved version of a timeline entry, oldest first, read-only."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from adviser_app.domain.records import EntryVersion
from adviser_app.domain.validation import format_date
from adviser_app.store.errors import when


def history_text(versions: list[EntryVersion]) -> str:
    parts = []
    for v in versions:
        d = v.details
        parts.append(f"Version {v.version}, saved {when(v.saved_at)} by {v.saved_by}\n"
                     f"{d.kind.label}, {format_date(d.entry_date)}, by {d.author}\n\n{d.body}")
    return ("\n\n" + "\u2500" * 40 + "\n\n").join(parts)


class HistoryDialog(QDialog):
    def __init__(self, versions: list[EntryVersion], parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
