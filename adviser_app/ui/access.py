"""The questions asked around locking: a new passphrase, the recovery key, a changed
passphrase, and whether to carry on with a draft. Tests replace these methods."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from adviser_app.ui.form_support import text_field
from adviser_app.ui.passphrase_dialogs import NewPassphraseForm, RecoveryKeyDialog


class Access:
    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def ask_new_book(self, default_name: str) -> tuple[str, str] | None:
        """(your name, passphrase) for a new case book, or None if cancelled."""
        form = NewPassphraseForm("Create a new case book", self.parent)
        name = text_field("Your name", default_name)
        form.form.insertRow(0, "Your name (shown on notes):", name)
        if not form.exec():
            return None
        return (name.text().strip() or default_name), form.new.text()

    def show_recovery_key(self, recovery_key: str) -> None:
        RecoveryKeyDialog(recovery_key, self.parent).exec()

    def ask_recovery(self) -> tuple[str, str] | None:
        """(recovery key, new passphrase), or None if cancelled."""
        form = NewPassphraseForm("Unlock with the recovery key", self.parent,
                                 with_recovery=True)
        if not form.exec() or form.recovery is None:
            return None
        return form.recovery.text(), form.new.text()

    def ask_passphrase_change(self) -> tuple[str, str] | None:
        """(current passphrase, new passphrase), or None if cancelled."""
        form = NewPassphraseForm("Change the passphrase", self.parent, with_old=True)
        if not form.exec() or form.old is None:
            return None
        return form.old.text(), form.new.text()

    def offer_draft(self, description: str) -> bool:
        answer = QMessageBox.question(
            self.parent, "Carry on with your note?",
            f"You were writing {description} when the case book locked. It was kept, "
            "encrypted. Open it again to finish it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.Yes

    def tell(self, title: str, message: str) -> None:
        QMessageBox.information(self.parent, title, message)
