"""The checklist of the Code's expectations for one child, with the gaps highlighted, and the
dialog where an adviser sets an expectation's status and the evidence behind it."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFormLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QSplitter, QTextBrowser, QVBoxLayout, QWidget)

from adviser_app.domain.graduated.expectations import ChecklistRow, CheckStatus, Gap
from adviser_app.domain.graduated.forms import check_mark_from_form
from adviser_app.domain.validation import Problem, plural
from adviser_app.services import graduated
from adviser_app.ui.form_support import ValidatingForm, combo, text_area
from adviser_app.ui.record_table import Column, RecordTableModel, record_view, selected_record
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.theme import GREEN, GREY_BLUE, RED

STATUS_COLOURS = {CheckStatus.MET: GREEN, CheckStatus.NOT_MET: RED,
                  CheckStatus.NOT_KNOWN: GREY_BLUE}


def status_text(row: ChecklistRow) -> str:
    return row.status.label + (" (adviser)" if row.mark else "")


def gaps_html(found: list[Gap], rows: list[ChecklistRow]) -> str:
    """The gaps, or what the absence of gaps means: with nothing recorded there is nothing to
    check, which is not an all-clear."""
    unknown = sum(1 for r in rows if r.status is CheckStatus.NOT_KNOWN)
    if not found and unknown == len(rows):
        return (f"<p style='color:{GREY_BLUE}'><b>Nothing recorded yet to check against the "
                "Code.</b> Record a SEN support cycle (assess, plan, do, review) or set an "
                "expectation's status below, and any gaps will show here.</p>")
    if not found:
        if unknown:
            return (f"<p style='color:{GREEN}'><b>No gaps found in what is recorded.</b></p>"
                    f"<p style='color:{GREY_BLUE}'>{unknown} of {len(rows)} expectations "
                    "can't be checked yet: nothing recorded shows them met or not met.</p>")
        return f"<p style='color:{GREEN}'><b>No gaps found: every expectation is met.</b></p>"
    items = "".join(f"<li>{escape(g.text)} <span style='color:{GREY_BLUE}'>({escape(g.source)})"
                    "</span></li>" for g in found)
    count = len(found)
    return (f"<p style='color:{RED}'><b>{plural(count, 'gap')} against "
            f"what the Code expects:</b></p><ul style='color:{RED}'>{items}</ul>")


class CheckDialog(ValidatingForm):
    def __init__(self, session: Session, child_id: str, row: ChecklistRow,
                 parent: QWidget | None = None) -> None:
        super().__init__("Set the status of an expectation", parent)
        self.session, self.child_id, self.row = session, child_id, row
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # labels above
        e = row.expectation
        about = QLabel(f"<b>{escape(e.title)}</b><br>{escape(e.source)} (confidence "
                       f"{escape(e.confidence)})")
        shown = row.found.gaps or row.found.evidence or ("Nothing recorded yet.",)
        self.found = QLabel(f"{row.found.status.label}: " + "; ".join(escape(x) for x in shown))
        for label, field_name, text in ((about, "about", "Expectation:"),
                                        (self.found, "found", "The records show:")):
            label.setWordWrap(True)
            label.setMinimumWidth(560)  # so the wrapped height is worked out at full width
            self.add_row(text, field_name, label)
        self.status = self.add_row("Status:", "status", combo("Status", [
            ("Work it out from the records", None)] + [(s.label, s) for s in CheckStatus],
            row.mark.status if row.mark else None))
        self.evidence = self.add_row("Evidence:", "evidence", text_area(
            "Evidence", row.mark.evidence if row.mark else ""))
        self.evidence.setPlaceholderText("What shows this, e.g. \u201cletter to parents dated "
                                         "05/02/2026, seen at the home visit\u201d")
        self.evidence.setMaximumHeight(90)
        self.resize(620, 400)

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
        layout.setContentsMargins(4, 4, 4, 4)
        self.gaps = QTextBrowser()
        self.gaps.setAccessibleName("Gaps found")
        row = QHBoxLayout()
        self.set_button = QPushButton("Set status and evidence…")
        self.set_button.setAccessibleName("Set status and evidence")
        row.addWidget(self.set_button)
        row.addStretch()
        self.model: RecordTableModel[ChecklistRow] = RecordTableModel([
            Column("Status", status_text, lambda r: STATUS_COLOURS[r.status]),
            Column("What the Code expects", lambda r: r.expectation.title),
            Column("Source", lambda r: f"{r.expectation.source} [{r.expectation.confidence}]"),
            Column("Evidence", lambda r: "; ".join(r.found.gaps if r.status is
                                                   CheckStatus.NOT_MET and not r.mark
                                                   else r.evidence)),
        ])
        self.view = record_view(self.model, "Checklist of the Code's expectations")
        self.view.setWordWrap(True)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        for column, width in ((1, 250), (2, 110), (3, 420)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.view.setColumnWidth(column, width)
        self.model.modelReset.connect(self.view.resizeRowsToContents)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(row)
        lower_layout.addWidget(self.view, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.gaps)
        split.addWidget(lower)
        split.setSizes([170, 260])
        layout.addWidget(split, 1)
        self.set_button.clicked.connect(self.edit_selected)
        self.view.activated.connect(self.edit_selected)

    def show_rows(self, child_id: str | None, rows: list[ChecklistRow],
                  found: list[Gap]) -> None:
        self.child_id = child_id
        self.model.set_rows(rows)
        self.gaps.setHtml(gaps_html(found, rows) if child_id else "")
        self.setEnabled(child_id is not None)

    def edit_selected(self) -> None:
        row = selected_record(self.view)
        if row is None or self.child_id is None:
            return
        if CheckDialog(self.session, self.child_id, row, self).exec():
            self.changed.emit()
