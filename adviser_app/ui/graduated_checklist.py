"""The checklist of the Code's expectations for one child, with the gaps highlighted, and the
dialog where an adviser sets an expectation's status and the evidence behind it."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from adviser_app.domain.graduated_expectations import ChecklistRow, CheckStatus, Gap
from adviser_app.domain.graduated_forms import check_mark_from_form
from adviser_app.domain.validation import Problem
from adviser_app.services import graduated
from adviser_app.ui.form_support import ValidatingForm, combo, text_area
from adviser_app.ui.record_table import Column, RecordTableModel, record_view, selected_record
from adviser_app.ui.session import Session

STATUS_COLOURS = {CheckStatus.MET: "#1b6e35", CheckStatus.NOT_MET: "#b00020",
                  CheckStatus.NOT_KNOWN: "#44546a"}


def status_text(row: ChecklistRow) -> str:
    return row.status.label + (" (adviser)" if row.mark else "")


def gaps_html(found: list[Gap]) -> str:
    if not found:
        return "<p style='color:#1b6e35'><b>No gaps found in the records.</b></p>"
    items = "".join(f"<li>{escape(g.text)} <span style='color:#44546a'>({escape(g.source)})"
                    "</span></li>" for g in found)
    count = len(found)
    return (f"<p style='color:#b00020'><b>{count} gap{'s' if count != 1 else ''} against "
            f"what the Code expects:</b></p><ul style='color:#b00020'>{items}</ul>")


class CheckDialog(ValidatingForm):
    def __init__(self, session: Session, child_id: str, row: ChecklistRow,
                 parent: QWidget | None = None) -> None:
        super().__init__("Set the status of an expectation", parent)
        self.session, self.child_id, self.row = session, child_id, row
        e = row.expectation
        about = QLabel(f"<b>{escape(e.title)}</b><br>{escape(e.source)} (confidence "
                       f"{escape(e.confidence)})")
        about.setWordWrap(True)
        self.add_row("Expectation:", "about", about)
        shown = row.found.gaps or row.found.evidence or ("Nothing recorded yet.",)
        self.found = QLabel(f"{row.found.status.label}: " + "; ".join(escape(x) for x in shown))
        self.found.setWordWrap(True)
        self.add_row("The records show:", "found", self.found)
        self.status = self.add_row("Status:", "status", combo("Status", [
            ("Work it out from the records", None)] + [(s.label, s) for s in CheckStatus],
            row.mark.status if row.mark else None))
        self.evidence = self.add_row("Evidence:", "evidence", text_area(
            "Evidence", row.mark.evidence if row.mark else ""))
        self.evidence.setPlaceholderText("What shows this, e.g. \u201cletter to parents dated "
                                         "05/02/2026, seen at the home visit\u201d")
        self.evidence.setMaximumHeight(90)
        self.resize(560, 320)

    def save(self) -> list[Problem]:
        key = self.row.expectation.key
        mark, problems = check_mark_from_form(key=key, status=self.status.choice(),
                                              evidence=self.evidence.toPlainText())
        if problems:
            return problems
        graduated.mark_expectation(self.session.db, self.child_id, key, mark,
                                   self.session.actor)
        return []


class ChecklistPanel(QWidget):
    changed = Signal()
    """An expectation's status was saved."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.child_id: str | None = None
        layout = QVBoxLayout(self)
        self.gaps = QLabel()
        self.gaps.setAccessibleName("Gaps found")
        self.gaps.setWordWrap(True)
        self.gaps.setTextFormat(Qt.TextFormat.RichText)
        self.gaps.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.gaps)
        row = QHBoxLayout()
        self.set_button = QPushButton("Set status and evidence…")
        self.set_button.setAccessibleName("Set status and evidence")
        row.addWidget(self.set_button)
        row.addStretch()
        layout.addLayout(row)
        self.model: RecordTableModel[ChecklistRow] = RecordTableModel([
            Column("What the Code expects", lambda r: r.expectation.title),
            Column("Status", status_text, lambda r: STATUS_COLOURS[r.status]),
            Column("Source", lambda r: f"{r.expectation.source} [{r.expectation.confidence}]"),
            Column("Evidence", lambda r: "; ".join(r.found.gaps if r.status is
                                                   CheckStatus.NOT_MET and not r.mark
                                                   else r.evidence)),
        ])
        self.view = record_view(self.model, "Checklist of the Code's expectations")
        layout.addWidget(self.view, 1)
        self.set_button.clicked.connect(self.edit_selected)
        self.view.activated.connect(self.edit_selected)

    def show_rows(self, child_id: str | None, rows: list[ChecklistRow],
                  found: list[Gap]) -> None:
        self.child_id = child_id
        self.model.set_rows(rows)
        self.gaps.setText(gaps_html(found) if child_id else "")
        self.setEnabled(child_id is not None)

    def edit_selected(self) -> None:
        row = selected_record(self.view)
        if row is None or self.child_id is None:
            return
        if CheckDialog(self.session, self.child_id, row, self).exec():
            self.changed.emit()
