"""Choosing a passphrase (new case book, change, or after using the recovery key), and
showing the recovery key once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QShowEvent, QTextDocument
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QLabel, QLineEdit,
                               QPlainTextEdit, QPushButton, QSizePolicy, QVBoxLayout,
                               QWidget)

from adviser_app.domain.passphrase import passphrase_problems, suggest
from adviser_app.domain.recovery_key import (WORD_COUNT, looks_like_character_key,
                                             recovery_key_problem, typing_progress, word_lines)
from adviser_app.domain.validation import Problem
from adviser_app.ui.form_support import ValidatingForm
from adviser_app.ui.theme import HINT_STYLE, RECOVERY_KEY_NUMBER_COLOUR, RECOVERY_KEY_STYLE

GUIDANCE = ("Use three random words, such as \u201c{example}\u201d: long is what makes a "
            "passphrase strong, not symbols. Don't use a passphrase you use anywhere else. If "
            "you forget it, {fallback}")
NEW_BOOK_FALLBACK = "the recovery key you will print next can open the case book."
LATER_FALLBACK = "the printed recovery key can still open the case book."


RECOVERY_ENTRY_HELP = (
    "Type the 12 words from the printed recovery sheet, in order. You can type them on one "
    "line or three, as on the sheet; capitals and extra spaces don't matter. An older sheet "
    "shows 32 letters and digits in groups of four instead: type those.")



def _secret(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(name)
    return edit


class RecoveryKeyEdit(QPlainTextEdit):
    """The box the recovery key is typed into: room for three lines of four words, as on the
    printed sheet. text() and setText() work as on a one-line box."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setAccessibleName("Recovery key")
        self.setAccessibleDescription(RECOVERY_ENTRY_HELP)
        self.setPlaceholderText("The 12 words from the printed sheet, in order")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        lines = self.fontMetrics().lineSpacing() * 3
        self.setFixedHeight(lines + 2 * int(self.document().documentMargin()) + 8)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # matches QLineEdit
        self.setPlainText(text)


class NewPassphraseForm(ValidatingForm):
    """A new passphrase typed twice; *with_old* also asks for the current one, *with_recovery*
    for the printed recovery key."""

    def __init__(self, title: str, parent: QWidget | None = None, *, with_old: bool = False,
                 with_recovery: bool = False,
                 check_recovery: Callable[[str], str | None] | None = None) -> None:
        """*check_recovery* says what is wrong with a well-formed recovery key for this case
        book (None if it opens it), so a wrong sheet is named here and the words kept."""
        super().__init__(title, parent)
        self.check_recovery = check_recovery
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Continue")
        self.recovery: RecoveryKeyEdit | None = None
        self.recovery_progress: QLabel | None = None
        if with_recovery:  # the key first, then the new passphrase it lets you set
            self._add_recovery_rows()
        fallback = LATER_FALLBACK if with_old or with_recovery else NEW_BOOK_FALLBACK
        self.example = suggest()  # shown on screen, so never accepted as the passphrase
        guidance = QLabel(("Then choose a new passphrase. " if with_recovery else "")
                          + GUIDANCE.format(example=self.example, fallback=fallback))
        guidance.setWordWrap(True)
        self.form.addRow(guidance)
        self.old = self.add_row("Current passphrase:", "old", _secret("Current passphrase")) \
            if with_old else None
        self.new = self.add_row("New passphrase:", "new", _secret("New passphrase"))
        self.confirm = self.add_row("Type it again:", "confirm", _secret("Type it again"))
        self.show_text = QCheckBox("Show what I type")
        self.show_text.setAccessibleName("Show what I type")
        self.show_text.toggled.connect(self._show)
        self.form.addRow(self.show_text)
        self.resize(600, 300)

    def _add_recovery_rows(self) -> None:
        help_text = QLabel(RECOVERY_ENTRY_HELP)
        help_text.setWordWrap(True)
        self.form.addRow(help_text)
        self.recovery = self.add_row("Recovery key:", "recovery", RecoveryKeyEdit())
        self.recovery_progress = QLabel()
        self.recovery_progress.setWordWrap(True)
        self.recovery_progress.setStyleSheet(HINT_STYLE)
        self.recovery_progress.setAccessibleName("Recovery key progress")
        column = self._holders["recovery"].layout()
        assert column is not None
        column.addWidget(self.recovery_progress)
        self.recovery.textChanged.connect(self._recovery_typed)
        self._recovery_typed()

    def _recovery_typed(self) -> None:
        """Say as the key is typed how many words are in; a word not on the list (or any
        other problem) is named at once, in the same place as when Continue is pressed."""
        if self.recovery is None or self.recovery_progress is None:
            return
        note, ok = typing_progress(self.recovery.text())
        error = self._errors["recovery"]
        if ok:
            self.recovery_progress.setText(note)
            self.summary.hide()  # an earlier "please fix" list would now be out of date
        else:
            error.setText(note)
        self.recovery_progress.setVisible(ok)
        error.setVisible(not ok)
        self._grow_to_fit()

    def show_problems(self, problems: Sequence[Problem]) -> None:
        super().show_problems(problems)
        self._grow_to_fit()

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        """Tall enough for its wrapped text in the font it is shown in: the fixed starting
        size squeezed the hint under the word box on top of it."""
        super().showEvent(event)
        self._grow_to_fit()

    def _grow_to_fit(self) -> None:
        """Messages that wrap onto more lines make the dialog taller rather than overlap."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() \
            else layout.totalSizeHint().height()
        if needed > self.height():
            self.resize(self.width(), needed)

    def _show(self, on: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
        for edit in (self.old, self.new, self.confirm):
            if edit is not None:
                edit.setEchoMode(mode)

    def save(self) -> list[Problem]:
        problems = passphrase_problems(self.new.text(), shown=[self.example])
        if problems and problems[0].startswith("That is the example"):
            # never the one on the screen; one made just now, for this adviser only, is fine
            problems[0] += f" Or use these, made just now: \u201c{suggest()}\u201d."
        out = [Problem("new", p) for p in problems]
        if not problems and self.confirm.text() != self.new.text():
            out.append(Problem("confirm", "The two passphrases are not the same."))
        if self.old is not None and not self.old.text():
            out.append(Problem("old", "Type your current passphrase."))
        if self.recovery is not None:
            problem = recovery_key_problem(self.recovery.text())
            if problem is None and self.check_recovery is not None and not out:
                problem = self.check_recovery(self.recovery.text())
            if problem:
                out.append(Problem("recovery", problem))
        return out


def _words_table(key: str, word_pt: int, number_pt: int) -> str:
    """The words as a table of numbered cells, a line of four per row."""
    rows = []
    number = 0
    for line in word_lines(key):
        cells = []
        for word in line:
            number += 1
            cells.append(f"<td valign='middle' style='padding: 6px 4px 6px 14px; "
                         f"color: {RECOVERY_KEY_NUMBER_COLOUR}; "
                         f"font-size: {number_pt}pt' align='right'>{number}</td>"
                         f"<td style='padding: 6px 14px 6px 2px; font-size: {word_pt}pt; "
                         f"font-weight: 600'>{escape(word)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "<table cellspacing='0' align='center'>" + "".join(rows) + "</table>"


class RecoveryKeyDialog(QDialog):
    """Shows the recovery key once (12 words in three lines of four), with Print, and a tick
    that it has been kept safe."""

    def __init__(self, recovery_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recovery_key = recovery_key
        self.as_words = not looks_like_character_key(recovery_key)
        self.setWindowTitle("Your recovery key")
        self.setAccessibleName("Your recovery key")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"These {WORD_COUNT} words are the recovery key. They open the case book if the "
            "passphrase is ever forgotten. They are shown only now and are not saved "
            "anywhere. Print them, or write them down in order, seal the sheet in an "
            "envelope and give it to your data protection lead for the office safe."
            if self.as_words else
            "This recovery key opens the case book if the passphrase is forgotten. It is "
            "shown only now. Print it or write it down, seal it in an envelope and give it "
            "to your data protection lead for the office safe.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if self.as_words:
            self.key_label = QLabel(_words_table(recovery_key, 17, 10))
            self.key_label.setTextFormat(Qt.TextFormat.RichText)
            spoken = ", ".join(f"{i} {w}" for i, w in enumerate(
                (w for line in word_lines(recovery_key) for w in line), 1))
            self.key_label.setAccessibleDescription(f"The words in order: {spoken}")
            self.key_label.setStyleSheet(RECOVERY_KEY_STYLE)
        else:
            self.key_label = QLabel(recovery_key)
            font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
            font.setPointSize(16)
            self.key_label.setFont(font)
        self.key_label.setAccessibleName("Recovery key")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.key_label)
        if self.as_words:
            how = QLabel("To use it: on the unlock screen choose \u201cForgotten your "
                         "passphrase? Use the recovery key\u201d, type the words in order, "
                         "then choose a new passphrase.")
            how.setWordWrap(True)
            how.setStyleSheet(HINT_STYLE)
            layout.addWidget(how)
        self.print_button = QPushButton("Print the recovery key\u2026")
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
        self.resize(620, 380)

    def reject(self) -> None:
        """Escape does nothing until the key is kept: it is never shown again."""
        if self.kept.isChecked():
            super().reject()

    def sheet_html(self) -> str:
        if self.as_words:
            key = _words_table(self.recovery_key, 18, 10)
            how = ("<p><b>To use it:</b> on the unlock screen choose \u201cForgotten your "
                   "passphrase? Use the recovery key\u201d. Type the 12 words in order (on "
                   "one line or three; capitals and spacing don't matter), then choose a new "
                   "passphrase. The key keeps working afterwards.</p>")
        else:
            key = (f"<p style='font-size:18pt; font-family:monospace'>"
                   f"{escape(self.recovery_key)}</p>")
            how = ""
        return ("<h2>Adviser Toolkit: case book recovery key</h2>"
                "<p>Keep this sheet sealed in the office safe. Anyone with this key and the "
                "laptop's key file can open the case book.</p>"
                f"{key}{how}"
                "<p>Laptop / adviser: ______________________ &nbsp; Date: ____________</p>")

    def print_key(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            document = QTextDocument()
            document.setHtml(self.sheet_html())
            document.print_(printer)
