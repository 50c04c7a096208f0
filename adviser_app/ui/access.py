"""The questions asked around locking: a new passphrase, the recovery key, a changed
passphrase, and whether to carry on with a draft. Tests replace these methods."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from adviser_app.domain.validation import plural

if TYPE_CHECKING:
    from adviser_app.services.backups import BackupInfo

# The dialogs below are imported where they are used: the unlock screen appears sooner when
# the window does not load them (and the storage code behind them) at start.


class Access:
    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def ask_new_book(self, default_name: str) -> tuple[str, str] | None:
        """(your name, passphrase) for a new case book, or None if cancelled."""
        from adviser_app.ui.form_support import text_field
        from adviser_app.ui.case_book.passphrase_dialogs import NewPassphraseForm

        form = NewPassphraseForm("Create a new case book", self.parent)
        name = text_field("Your name", default_name)
        form.form.insertRow(0, "Your name (shown on notes):", name)
        if not form.exec():
            return None
        return (name.text().strip() or default_name), form.new.text()

    def show_recovery_key(self, recovery_key: str) -> None:
        from adviser_app.ui.case_book.passphrase_dialogs import RecoveryKeyDialog

        RecoveryKeyDialog(recovery_key, self.parent).exec()

    def ask_recovery(self) -> tuple[str, str] | None:
        """(recovery key, new passphrase), or None if cancelled."""
        from adviser_app.ui.case_book.passphrase_dialogs import NewPassphraseForm

        from adviser_app.services.case_books import real_place, recovery_key_refusal

        # the main window's data folder: a sheet for another case book is named at once,
        # and the words stay in the box
        data_dir = getattr(self.parent, "data_dir", None)
        check = (None if data_dir is None else
                 lambda typed: recovery_key_refusal(real_place(data_dir), typed))
        form = NewPassphraseForm("Unlock with the recovery key", self.parent,
                                 with_recovery=True, check_recovery=check)
        if not form.exec() or form.recovery is None:
            return None
        return form.recovery.text(), form.new.text()

    def ask_passphrase_change(self) -> tuple[str, str] | None:
        """(current passphrase, new passphrase), or None if cancelled."""
        from adviser_app.ui.case_book.passphrase_dialogs import NewPassphraseForm

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

    def choose_backup(self, found: list[BackupInfo]) -> tuple[BackupInfo, str] | None:
        """(backup, passphrase) to go back to, or None."""
        if not found:
            self.tell("No backups yet", "There are no backups of this case book yet.")
            return None
        labels = [f"Backup made on {b.label}" for b in found]
        label, ok = QInputDialog.getItem(self.parent, "Restore from a backup",
                                         "Go back to which backup? The case book as it is now "
                                         "is kept in the quarantine folder.", labels, 0, False)
        if not ok:
            return None
        passphrase, ok = QInputDialog.getText(self.parent, "Restore from a backup",
                                              "Type your passphrase to confirm:",
                                              QLineEdit.EchoMode.Password)
        if not ok or not passphrase:
            return None
        return found[labels.index(label)], passphrase

    def choose_lock_minutes(self, choices: tuple[int, ...], current: float) -> int | None:
        """Minutes without use before the case book locks, or None if cancelled."""
        labels = [plural(m, 'minute') for m in choices]
        at = choices.index(int(current)) if int(current) in choices else 0
        label, ok = QInputDialog.getItem(
            self.parent, "Lock after a time without use",
            "Lock the case book when nobody has used it for (it also locks when the laptop "
            "goes to sleep, and on Ctrl+L):", labels, at, False)
        return choices[labels.index(label)] if ok and label in labels else None

    def choose_folder(self, current: Path | None) -> Path | None:
        folder = QFileDialog.getExistingDirectory(
            self.parent, "Also back up to this folder (for example a USB drive)",
            str(current or Path.home()))
        return Path(folder) if folder else None

    def choose_disagreement(self, existing: list[str]) -> int | None:
        """-1 for a new disagreement, the index of one to carry on, or None."""
        if not existing:
            return -1
        labels = ["A new disagreement"] + existing
        label, ok = QInputDialog.getItem(self.parent, "Mediation and appeal",
                                         "Start a new disagreement, or carry on with one:",
                                         labels, 1, False)
        if not ok:
            return None
        return labels.index(label) - 1

    def confirm(self, title: str, message: str) -> bool:
        from adviser_app.ui.form_support import confirm

        return confirm(self.parent, title, message)

    def tell(self, title: str, message: str) -> None:
        QMessageBox.information(self.parent, title, message)
