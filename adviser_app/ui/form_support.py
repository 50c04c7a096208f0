"""Form plumbing shared by every dialog: labelled fields with inline plain-English errors."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, TypeVar

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QShowEvent, QWheelEvent
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QMessageBox, QPlainTextEdit, QPushButton, QScrollArea, QSpinBox,
                               QTableView, QVBoxLayout, QWidget)

from adviser_app.domain.validation import Problem, format_date, plural
from adviser_app.store.errors import CaseBookError
from adviser_app.ui.record_table import selected_record
from adviser_app.ui.theme import ERROR_STYLE

log = logging.getLogger(__name__)
W = TypeVar("W", bound=QWidget)


def date_field(name: str, value: date | None = None) -> QLineEdit:
    edit = QLineEdit(format_date(value))
    edit.setPlaceholderText("dd/mm/yyyy")
    edit.setAccessibleName(name)
    edit.setMaxLength(12)
    return edit


class DateBox(QLineEdit):
    """A box just wide enough for a date in its own font, whatever that is (presenting mode
    makes it 150 %): a fixed pixel width clipped "28/11/2026" to "8/11/2026"."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()  # Qt's: 17 "x" wide, plus the frame, margins and padding
        metrics = self.fontMetrics()
        text = metrics.horizontalAdvance("00/00/0000") + metrics.averageCharWidth()
        return QSize(hint.width() - 17 * metrics.horizontalAdvance("x") + text, hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self.sizeHint().width(), super().minimumSizeHint().height())


def text_field(name: str, value: str = "", *, max_len: int = 500) -> QLineEdit:
    edit = QLineEdit(value)
    edit.setAccessibleName(name)
    edit.setMaxLength(max_len)
    return edit


def text_area(name: str, value: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit(value)
    edit.setAccessibleName(name)
    edit.setTabChangesFocus(True)
    return edit


class ChoiceBox(QComboBox):
    """A combo box that hands back the Python object behind each choice (enums stay enums;
    Qt's own item data would turn a StrEnum into a plain str). The mouse wheel scrolls the
    form it sits in and never changes the choice: scrolling past a year group once saved
    "Year 2" for a 9-year-old without anyone noticing."""

    def __init__(self) -> None:
        super().__init__()
        self._choices: list[object] = []
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # not WheelFocus

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        event.ignore()  # handed on to the scroll area behind

    def add_choice(self, label: str, value: object) -> None:
        self._choices.append(value)
        self.addItem(label)

    def choice(self) -> Any:
        index = self.currentIndex()
        return self._choices[index] if 0 <= index < len(self._choices) else None

    def select(self, value: object) -> bool:
        if value in self._choices:
            self.setCurrentIndex(self._choices.index(value))
            return True
        return False

    def refill(self, items: Iterable[tuple[str, object]], fallback: object = None) -> None:
        """Replace the choices, keeping the one chosen if it is still offered (else
        *fallback*, else the first), without signalling a change on the way."""
        current = self.choice()
        was_blocked = self.blockSignals(True)
        try:
            self._choices.clear()
            self.clear()
            for label, value in items:
                self.add_choice(label, value)
            if not self.select(current) and not (fallback is not None
                                                 and self.select(fallback)):
                self.setCurrentIndex(0 if self._choices else -1)
        finally:
            self.blockSignals(was_blocked)


class NumberBox(QSpinBox):
    """A whole-number box; like ChoiceBox, the mouse wheel never changes it."""

    def __init__(self, low: int, high: int, value: int, name: str) -> None:
        super().__init__()
        self.setRange(low, high)
        self.setValue(value)
        self.setAccessibleName(name)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        event.ignore()


def combo(name: str, items: Sequence[tuple[str, object]], current: object = None) -> ChoiceBox:
    box = ChoiceBox()
    box.setAccessibleName(name)
    for label, data in items:
        box.add_choice(label, data)
    if current is not None:
        box.select(current)
    return box


def confirmation(parent: QWidget | None, title: str, question: str) -> QMessageBox:
    """A Yes/No question whose default is No: Enter or Escape leaves things as they are."""
    box = QMessageBox(QMessageBox.Icon.Question, title, question,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setEscapeButton(QMessageBox.StandardButton.No)
    return box


def confirm(parent: QWidget | None, title: str, question: str) -> bool:
    """Ask before deleting, clearing or doing something many times over; True for Yes."""
    box = confirmation(parent, title, question)
    box.exec()
    return box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes


def check_list(name: str, items: Sequence[tuple[str, object]],
               checked: Sequence[object] = ()) -> QListWidget:
    widget = QListWidget()
    widget.setAccessibleName(name)
    for label, data in items:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, data)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if data in checked else Qt.CheckState.Unchecked)
        widget.addItem(item)
    widget.setMaximumHeight(22 * max(3, len(items)) + 6)
    return widget


def checked_data(widget: QListWidget) -> list[Any]:
    out = []
    for row in range(widget.count()):
        item = widget.item(row)
        if item.checkState() == Qt.CheckState.Checked:
            out.append(item.data(Qt.ItemDataRole.UserRole))
    return out


def set_checked(widget: QListWidget, data: object, checked: bool) -> None:
    for row in range(widget.count()):
        item = widget.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == data:
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


def check_box(text: str, checked: bool = False) -> QCheckBox:
    box = QCheckBox(text)
    box.setChecked(checked)
    box.setAccessibleName(text)
    return box


def save_failure_message(exc: Exception) -> str:
    """Plain words for a save that failed below the app (the transaction was rolled back)."""
    text = str(exc).lower()
    if "full" in text or "no space" in text:
        return ("Not enough free space on this laptop to save. This change was not saved; "
                "everything saved before it is safe. Free some space (for example empty the "
                "Downloads folder) and press Save again: your typing is still here.")
    if "disk i/o" in text or "i/o error" in text or "readonly" in text:
        return ("Couldn't save because of a disk problem. Nothing was changed; your typing "
                "is still here, so you can try again in a moment.")
    return (f"Couldn't save because of a problem with the case book ({type(exc).__name__}). "
            "Nothing was changed; your typing is still here, so you can try again.")


def keep_space(widget: QWidget, keep: bool) -> None:
    """Whether a hidden widget still takes its room in the layout."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(keep)
    widget.setSizePolicy(policy)


class ValidatingForm(QDialog):
    """A dialog of labelled fields; shows each problem under its field and keeps the dialog open.

    Subclasses add fields with add_row() and implement save(), which returns the problems
    (empty when saved). OK is only accepted after save() has committed.
    """

    def __init__(self, title: str, parent: QWidget | None = None, *,
                 scroll: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        self._fields: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        self._holders: dict[str, QWidget] = {}
        outer = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setStyleSheet(ERROR_STYLE)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Problems to fix")
        self.summary.hide()
        outer.addWidget(self.summary)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        if scroll:
            body = QWidget()
            body.setLayout(self.form)
            area = QScrollArea()
            area.setWidgetResizable(True)
            area.setWidget(body)
            area.setFrameShape(QScrollArea.Shape.NoFrame)
            area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            outer.addWidget(area)
            self.resize(620, 720)
            self._area: QScrollArea | None = area
        else:
            outer.addLayout(self.form)
            self._area = None
        self._snapshot: list[object] = []
        self._shown_problems: list[Problem] = []
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

    def add_row(self, label: str, field_name: str, widget: W) -> W:
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        self.form.addRow(label, holder)
        if not widget.accessibleName():
            widget.setAccessibleName(label.rstrip(":"))
        self._fields[field_name] = widget
        self._errors[field_name] = error
        self._holders[field_name] = holder
        changed = getattr(widget, "textChanged", None)
        if changed is not None:  # an edited field loses its old message
            changed.connect(lambda *_args, name=field_name: self._field_edited(name))
        return widget

    def _field_edited(self, field_name: str) -> None:
        """The field's message goes but its space stays (nothing below moves under the
        mouse), and the summary at the top counts what is left to fix."""
        error = self._errors[field_name]
        if error.isHidden():
            return
        error.hide()  # its space (and text, for the same size) kept until the next Save
        self._shown_problems = [p for p in self._shown_problems if p.field != field_name]
        self.summary.setMinimumHeight(self.summary.height())  # shorter text, same place
        self._show_summary()

    # ----- focus, and not losing typed work -----------------------------------------------
    def _values(self) -> list[object]:
        values: list[object] = []
        for widget in self._fields.values():
            if isinstance(widget, QLineEdit):
                values.append(widget.text())
            elif isinstance(widget, QPlainTextEdit):
                values.append(widget.toPlainText())
            elif isinstance(widget, QComboBox):
                values.append(widget.currentIndex())
            elif isinstance(widget, QCheckBox):
                values.append(widget.isChecked())
            elif isinstance(widget, QListWidget):
                values.append(tuple(checked_data(widget)))
        return values

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._snapshot:
            self._snapshot = self._values()
            self.focus_first_field()

    def focus_first_field(self) -> None:
        for widget in self._fields.values():
            if widget.isVisibleTo(self) and widget.isEnabled() and \
                    widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                widget.setFocus()
                return

    def has_unsaved_typing(self) -> bool:
        return bool(self._snapshot) and self._values() != self._snapshot

    def confirm_discard(self) -> bool:
        """Ask before throwing typed work away. Tests replace this."""
        answer = QMessageBox.question(
            self, "Discard what you typed?",
            "You have typed things that are not saved. Close and lose them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def reject(self) -> None:
        if self.has_unsaved_typing() and not self.confirm_discard():
            return
        super().reject()

    def discard(self) -> None:
        """Close without asking (the typing has been kept elsewhere, e.g. as a draft)."""
        super().reject()

    def set_row_visible(self, field_name: str, visible: bool) -> None:
        self.form.setRowVisible(self._holders[field_name], visible)

    def add_heading(self, text: str) -> None:
        heading = QLabel(text)
        heading.setProperty("role", "heading")  # its size: ui/theme.py
        heading.setStyleSheet("margin-top: 8px;")
        heading.setAccessibleName(text)
        self.form.addRow(heading)

    def field_error(self, field_name: str) -> str:
        label = self._errors.get(field_name)
        return label.text() if label is not None and not label.isHidden() else ""

    def _show_summary(self) -> None:
        problems, count = self._shown_problems, len(self._shown_problems)
        if count:
            self.summary.setText(f"Please fix {plural(count, 'thing')} "
                                 "before saving:\n"
                                 + "\n".join(f"\u2022 {p.message}" for p in problems))
        else:
            self.summary.setText("All fixed: press Save.")

    def show_problems(self, problems: Sequence[Problem]) -> None:
        for error_label in self._errors.values():
            error_label.clear()
            error_label.hide()
            keep_space(error_label, False)
        self._shown_problems = list(problems)
        self.summary.setMinimumHeight(0)
        if not problems:
            self.summary.hide()
            return
        for problem in problems:
            label = self._errors.get(problem.field)
            if label is not None:
                label.setText((label.text() + "\n" if label.text() else "") + problem.message)
                label.show()
                keep_space(label, True)
        self._show_summary()
        self.summary.show()
        first = self._fields.get(problems[0].field)
        if first is not None:
            first.setFocus()
            if self._area is not None:
                self._area.ensureWidgetVisible(first)

    def save(self) -> list[Problem] | None:  # pragma: no cover - always overridden
        """Save and return [] to close, the problems to stay open, or None to stay open
        quietly (the person chose to go back)."""
        raise NotImplementedError

    def _on_save(self) -> None:
        try:
            result = self.save()
            if result is None:
                self.show_problems([])
                return
            problems = result
        except CaseBookError as exc:
            problems = [Problem("", str(exc))]
        except Exception as exc:  # disk full, I/O error: the transaction was rolled back
            log.error("save failed: %s", type(exc).__name__)
            problems = [Problem("", save_failure_message(exc))]
        self.show_problems(problems)
        if not problems:
            self.accept()


class MessageLabel(QLabel):
    """The line under a list window's buttons: what just happened, or what went wrong."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setAccessibleName("Message")

    def say(self, text: str, *, error: bool = False) -> None:
        self.setStyleSheet(ERROR_STYLE if error else "")
        self.setText(text)

    def chosen(self, view: QTableView, ask: str) -> Any:
        """The record chosen in *view*'s list, or None after saying *ask* as a problem."""
        record = selected_record(view)
        if record is None:
            self.say(ask, error=True)
        return record


def button_row(actions: Sequence[tuple[str, Callable[[], object]]]) -> QHBoxLayout:
    """A row of push buttons, each calling its action when clicked."""
    row = QHBoxLayout()
    for text, action in actions:
        button = QPushButton(text)
        button.clicked.connect(action)
        row.addWidget(button)
    return row
