"""File › Connect to the office hub…: the connection file IT gave the adviser (chosen, or its
text pasted), tried against the hub on a worker thread, and kept in the case book only when
everything worked. Whatever goes wrong is one plain sentence, and the case book is untouched."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel,
                               QPlainTextEdit, QProgressBar, QPushButton, QVBoxLayout, QWidget)

from adviser_app.domain.validation import plural
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.jobs import JobRunner
from adviser_app.ui.theme import ERROR_STYLE, HINT_STYLE

if TYPE_CHECKING:
    from adviser_app.sync import joining
    from adviser_app.sync.connection_file import HubSettings
else:
    from adviser_app.lazy_import import lazy_module

    joining = lazy_module("adviser_app.sync.joining")

INTRO = ("IT gives each adviser their own connection file for the office hub (its name ends "
         "in .adviser-hub). Choose it, or paste its whole text below. The app tries the hub "
         "first; the details are then kept inside your encrypted case book, nowhere else.")


@dataclass(frozen=True)
class _Tried:
    settings: HubSettings
    problem: str  # "" when the hub answered and accepted the password


class JoinDialog(QDialog):
    joined = Signal()
    """The case book has joined the hub (its details are kept)."""

    def __init__(self, session: Session, confirm: Callable[[str, str], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.confirm = session, confirm
        self.setWindowTitle("Connect to the office hub")
        self.setMinimumWidth(560)
        self.runner = JobRunner(self)
        self.runner.finished.connect(self._tried)
        self.chosen: Path | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.choose_button = QPushButton("&Choose the connection file\u2026")
        self.choose_button.clicked.connect(self.choose_file)
        self.chosen_label = QLabel("No file chosen")
        self.chosen_label.setStyleSheet(HINT_STYLE)
        row.addWidget(self.choose_button)
        row.addWidget(self.chosen_label, 1)
        layout.addLayout(row)
        paste_label = QLabel("\u2026or &paste the text of the connection file:")
        self.pasted = QPlainTextEdit()
        self.pasted.setPlaceholderText('{"format": "adviser-hub-connection/1", \u2026}')
        self.pasted.setTabChangesFocus(True)
        self.pasted.setAccessibleName("Text of the connection file")
        paste_label.setBuddy(self.pasted)
        layout.addWidget(paste_label)
        layout.addWidget(self.pasted, 1)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: a connection either answers or times out
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.working = QLabel()
        self.working.hide()
        layout.addWidget(self.working)
        layout.addWidget(self.progress)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.hide()
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = self.buttons.addButton(
            "C&onnect", QDialogButtonBox.ButtonRole.AcceptRole)
        self.connect_button.setDefault(True)
        self.buttons.accepted.connect(self.connect_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    # ----- input -----------------------------------------------------------------------------
    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Choose your connection file", str(Path.home()),
            "Connection files (*.adviser-hub);;All files (*)")
        if name:
            self.chosen = Path(name)
            self.chosen_label.setText(self.chosen.name)
            self.connect_to(self.chosen)

    def connect_clicked(self) -> None:
        text = self.pasted.toPlainText()
        if text.strip() or self.chosen is None:
            self.connect_to(text)
        else:
            self.connect_to(self.chosen)

    def connect_to(self, source: Path | str) -> None:
        """Read *source* (a file, or pasted text) and try the hub it names."""
        self.show_problem("")
        try:
            joining.refuse_training(self.session.db)
            settings = joining.read_connection(source)
        except joining.HubError as exc:
            self.show_problem(str(exc))
            return
        self._busy(f"Trying the hub at {settings.host}:{settings.port}\u2026")

        def attempt() -> _Tried:
            try:
                joining.try_hub(settings)
            except Exception as exc:
                return _Tried(settings, str(joining.explain(exc)))
            return _Tried(settings, "")
        self.runner.start(attempt)

    # ----- the answer ------------------------------------------------------------------------
    def _tried(self, tried: object) -> None:
        self._busy("")
        if not isinstance(tried, _Tried) or not self.isVisible():
            return  # cancelled (or locked) while the hub was being tried: nothing is kept
        if tried.problem:
            self.show_problem(tried.problem)
            return
        waiting = joining.status(self.session.db).waiting
        if waiting and not self.confirm(
                "Send this laptop's work to the office?",
                f"The hub answered. {plural(waiting, 'change')} made on this laptop will be "
                "sent to the office hub at the first sync, where the rest of the team can see "
                "them. Connect and send them?"):
            self.show_problem("Not connected: nothing was sent and nothing was kept.")
            return
        try:
            joining.join(self.session.db, tried.settings, self.session.actor)
        except joining.HubError as exc:
            self.show_problem(str(exc))
            return
        self.joined.emit()
        self.accept()

    def _busy(self, text: str) -> None:
        for widget in (self.choose_button, self.pasted, self.connect_button):
            widget.setEnabled(not text)
        self.working.setText(text)
        self.working.setVisible(bool(text))
        self.progress.setVisible(bool(text))

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        if text:
            self.choose_button.setFocus()  # ready to choose another file

