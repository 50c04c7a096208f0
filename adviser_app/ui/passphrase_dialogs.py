"""Choosing a passphrase (new case book, change, or after using the recovery key), and
showing the recovery key once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout, QWidget)

from adviser_app.domain.passphrase import passphrase_problems, suggest
from adviser_app.domain.validation import Problem
from adviser_app.ui.form_support import ValidatingForm

GUIDANCE = ("Use three random words, such as \u201c{example}\u201d: long is what makes a "
            "passphrase strong, not symbols. Don't use a passphrase you use anywhere else. If "
            "you forget it, the recovery key you will print next can open the case book.")


def _secret(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(name)
    return edit


class NewPassphraseForm(ValidatingForm):
    """A new passphrase typed twice; *with_old* also asks for the current one, *with_recovery*
    for the printed recovery key."""

    def __init__(self, title: str, parent: QWidget | None = None, *, with_old: bool = False,
                 with_recovery: bool = False) -> None:
        super().__init__(title, parent)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Continue")
        guidance = QLabel(GUIDANCE.format(example=suggest()))
        guidance.setWordWrap(True)
        self.form.addRow(guidance)
        self.old = self.add_row("Current passphrase:", "old", _secret("Current passphrase")) \
            if with_old else None
        self.recovery = self.add_row("Recovery key:", "recovery",
                                     QLineEdit()) if with_recovery else None
        if self.recovery is not None:
            self.recovery.setAccessibleName("Recovery key")
            self.recovery.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.new = self.add_row("New passphrase:", "new", _secret("New passphrase"))
        self.confirm = self.add_row("Type it again:", "confirm", _secret("Type it again"))
        self.show_text = QCheckBox("Show what I type")
        self.show_text.setAccessibleName("Show what I type")
        self.show_text.toggled.connect(self._show)
        self.form.addRow(self.show_text)
        self.resize(560, 300)

    def _show(self, on: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
        for edit in (self.old, self.new, self.confirm):
            if edit is not None:
                edit.setEchoMode(mode)

    def save(self) -> list[Problem]:
        problems = passphrase_problems(self.new.text())
        out = [Problem("new", p) for p in problems]
        if not problems and self.confirm.text() != self.new.text():
            out.append(Problem("confirm", "The two passphrases are not the same."))
        if self.old is not None and not self.old.text():
            out.append(Problem("old", "Type your current passphrase."))
        if self.recovery is not None and not self.recovery.text().strip():
            out.append(Problem("recovery", "Type the recovery key from the printed sheet."))
        return out


class RecoveryKeyDialog(QDialog):
    """Shows the recovery key once, with Print, and a tick that it has been kept safe."""

    def __init__(self, recovery_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recovery_key = recovery_key
        self.setWindowTitle("Your recovery key")
        self.setAccessibleName("Your recovery key")
        layout = QVBoxLayout(self)
        intro = QLabel("This recovery key opens the case book if the passphrase is forgotten. "
                       "It is shown only now. Print it or write it down, seal it in an envelope "
                       "and give it to your data protection lead for the office safe.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.key_label = QLabel(recovery_key)
        font = QFont("DejaVu Sans Mono")
        font.setPointSize(16)
        self.key_label.setFont(font)
        self.key_label.setAccessibleName("Recovery key")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.key_label)
        self.print_button = QPushButton("Print the recovery key…")
        self.print_button.setAccessibleName("Print the recovery key")
        self.print_button.clicked.connect(self.print_key)
        layout.addWidget(self.print_button)
        self.kept = QCheckBox("I have printed or written down the recovery key and will keep "
                              "it somewhere safe, away from this laptop")
        self.kept.setAccessibleName("I have kept the recovery key safe")
        layout.addWidget(self.kept)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Done")
        self.ok.setEnabled(False)
        self.kept.toggled.connect(self.ok.setEnabled)
        self.buttons.accepted.connect(self.accept)
        layout.addWidget(self.buttons)
        self.resize(560, 300)

    def reject(self) -> None:
        """Escape does nothing until the key is kept: it is never shown again."""
        if self.kept.isChecked():
            super().reject()

    def sheet_html(self) -> str:
        return ("<h2>Adviser Toolkit: case book recovery key</h2>"
                "<p>Keep this sheet sealed in the office safe. Anyone with this key and the "
                "laptop's key file can open the case book.</p>"
                f"<p style='font-size:18pt; font-family:monospace'>{self.recovery_key}</p>"
                "<p>Laptop / adviser: ______________________ &nbsp; Date: ____________</p>")

    def print_key(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            document = QTextDocument()
            document.setHtml(self.sheet_html())
            document.print_(printer)
