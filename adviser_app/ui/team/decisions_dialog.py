"""Needs a decision: the clashes the office hub is holding (two people changed the same field,
or one deleted a record another edited), with both values and who made each change. Choosing
one (or typing a third) is sent to the hub in the adviser's name and reaches every laptop at its
next sync."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout, QWidget)

from adviser_app.domain.validation import format_date, plural
from adviser_app.ui.record_table import Column, RecordTableModel, record_view, selected_record
from adviser_app.ui.team.sync_driver import TeamSync
from adviser_app.ui.theme import ERROR_STYLE, HINT_STYLE

if TYPE_CHECKING:
    from adviser_app.sync import decisions, engine
    from adviser_app.sync.decisions import Decision
else:
    from adviser_app.lazy_import import lazy_module

    decisions = lazy_module("adviser_app.sync.decisions")
    engine = lazy_module("adviser_app.sync.engine")

EXPLAIN = ("Two people changed the same thing before either had synced. The office kept the "
           "value it had first and is holding the other beside it, so nothing is lost. Choose "
           "which stays, or type the value it should have: your choice is recorded in your "
           "name and reaches every laptop.")


def _when(d: Decision) -> str:
    return "" if d.raised_at is None else \
        f"{format_date(d.raised_at.date())} {d.raised_at.strftime('%H:%M')}"


COLUMNS: tuple[Column[Decision], ...] = (
    Column("Family", lambda d: d.family or "(not on this laptop)"),
    Column("Record", lambda d: d.record),
    Column("Field", lambda d: d.field),
    Column("At the office now", lambda d: f"{d.office_value}  ({d.office_by})"),
    Column("Held beside it", lambda d: f"{d.other_value}  ({d.other_by}, {_when(d)})"),
)


class DecisionsDialog(QDialog):
    def __init__(self, team: TeamSync, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.team = team
        self.setWindowTitle("Needs a decision")
        self.resize(900, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(EXPLAIN)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.count = QLabel()
        self.count.setStyleSheet(HINT_STYLE)
        self.count.linkActivated.connect(lambda _link: self.show_case(""))
        layout.addWidget(self.count)
        self.case_id = ""
        """Only the clashes on this case's records are listed ("": every clash)."""
        self.model: RecordTableModel[Decision] = RecordTableModel(COLUMNS)
        self.view = record_view(self.model, "Clashes that need a decision")
        self.view.selectionModel().currentChanged.connect(self._row_chosen)
        layout.addWidget(self.view, 1)
        typed_row = QHBoxLayout()
        typed_label = QLabel("Or &type the value it should have:")
        self.typed = QLineEdit()
        self.typed.setAccessibleName("The value it should have")
        self.typed.returnPressed.connect(self.use_typed)
        self.typed.textEdited.connect(self._typing)
        typed_label.setBuddy(self.typed)
        self.typed_button = QPushButton("&Use this value")
        self.typed_button.clicked.connect(self.use_typed)
        typed_row.addWidget(typed_label)
        typed_row.addWidget(self.typed, 1)
        typed_row.addWidget(self.typed_button)
        layout.addLayout(typed_row)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.keep_button = QPushButton("Keep the office's value")
        self.take_button = QPushButton("Take the other value")
        for button, choice in ((self.keep_button, decisions.KEEP),
                               (self.take_button, decisions.TAKE)):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            button.clicked.connect(lambda _=False, c=choice: self.decide(c))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        team.synced.connect(self.refresh)
        team.failed.connect(self._failed)
        self.refresh()

    def show_case(self, case_id: str) -> None:
        """List the clashes on *case_id* only ("": every clash)."""
        self.case_id = case_id
        self.refresh()

    def refresh(self, _result: object = None) -> None:
        session = self.team.session
        every = decisions.open_decisions(session.db) if session is not None else []
        rows = [d for d in every if not self.case_id or self.case_id in d.cases]
        self.model.set_rows(rows)
        text = (f"{plural(len(rows), 'clash', 'clashes')} waiting for a decision"
                if rows else "Nothing needs a decision")
        if self.case_id:
            text += (f" on this case (of {len(every)} in all). "
                     "<a href='all'>Show every clash</a>")
        self.count.setText(text + ("" if self.case_id else "."))
        if rows:
            self.view.selectRow(0)
        self._enable()

    def _enable(self) -> None:
        chosen = selected_record(self.view)
        busy = self.team.busy
        for button in (self.keep_button, self.take_button):
            button.setEnabled(chosen is not None and not busy)
        typable = chosen is not None and chosen.typable
        for widget in (self.typed, self.typed_button):
            widget.setEnabled(typable and not busy)
        if chosen is not None:
            self.keep_button.setText(chosen.keep_label)
            self.take_button.setText(chosen.take_label)
            self.typed.setPlaceholderText(
                "dd/mm/yyyy" if decisions.is_date_field(chosen.column) else
                "" if typable else "restore the record or confirm the delete")

    def _row_chosen(self, *_index: object) -> None:
        """Another clash: what was typed, and what was said about it, were for the last one."""
        self.typed.clear()
        self.problem.hide()
        self._enable()

    def _typing(self, _text: str) -> None:
        self.problem.hide()

    def use_typed(self) -> bool:
        """Settle the chosen clash with the typed value, once the field's rules accept it;
        otherwise say why, here, and send nothing."""
        chosen = selected_record(self.view)
        session = self.team.session
        if chosen is None or session is None or not self.typed.isEnabled():
            return False
        self.problem.hide()
        try:
            value = decisions.read_typed(session.db, chosen, self.typed.text())
        except ValueError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            self.typed.setFocus()
            return False
        if not self.team.resolve(chosen.id, engine.TYPED, value):
            self._failed("A sync is running: choose again when it has finished.")
            return False
        self.typed.clear()
        self._enable()
        return True

    def decide(self, choice: str) -> bool:
        chosen = selected_record(self.view)
        if chosen is None:
            return False
        self.problem.hide()
        if not self.team.resolve(chosen.id, choice):
            self._failed("A sync is running: choose again when it has finished.")
            return False
        self._enable()
        return True

    def _failed(self, why: str) -> None:
        self.problem.setText(f"Not decided: {why}")
        self.problem.show()
        self._enable()
