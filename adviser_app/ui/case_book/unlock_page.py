"""The unlock screen: passphrase, or the recovery key, or the training case book instead."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (QLabel, QLineEdit, QPushButton, QWidget)

from adviser_app.domain.passphrase import unlock_delay
from adviser_app.ui.case_book.welcome import DiskWarning, centred_column, selectable
from adviser_app.ui.theme import ERROR_STYLE, HINT_STYLE


class UnlockPage(QWidget):
    unlock_requested = Signal(str)
    """The adviser typed a passphrase and asked to unlock (the passphrase)."""
    recovery_requested = Signal()
    """The adviser has forgotten the passphrase and wants to use the recovery key."""
    training_requested = Signal()
    """The adviser wants the training case book instead."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.failures = 0
        layout = centred_column(self, 480, 640)
        title = QLabel("Unlock your case book")
        title.setStyleSheet("font-size: 20pt; font-weight: 700;")
        layout.addWidget(title)
        self.state = QLabel("The case book is locked. Type your passphrase to open it.")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase.setPlaceholderText("Passphrase")
        self.passphrase.setMinimumHeight(34)
        layout.addWidget(self.passphrase)
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setAccessibleName("Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.setMinimumHeight(40)
        layout.addWidget(self.unlock_button)
        self.error = QLabel()
        self.error.setAccessibleName("Problem")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error)
        self.recovery_button = QPushButton("Forgotten your passphrase? Use the recovery key")
        self.recovery_button.setAccessibleName("Use the recovery key")
        self.training_button = QPushButton("Open the training case book instead")
        self.training_button.setAccessibleName("Open the training case book")
        layout.addWidget(self.recovery_button)
        layout.addWidget(self.training_button)
        where = QLabel(f"Case book folder: {data_dir}")
        where.setStyleSheet(HINT_STYLE)
        where.setWordWrap(True)
        selectable(where)
        layout.addWidget(where)
        self.disk_warning = DiskWarning()
        layout.addWidget(self.disk_warning)
        self.disk_warning.watch_soon(data_dir)
        layout.addStretch()
        self._wait = QTimer(self)
        self._wait.setInterval(1000)
        self._wait.timeout.connect(self._tick)
        self._seconds = 0
        self.unlock_button.clicked.connect(self._submit)
        self.passphrase.returnPressed.connect(self._submit)
        self.recovery_button.clicked.connect(self.recovery_requested)
        self.training_button.clicked.connect(self.training_requested)

    def reset(self, message: str = "") -> None:
        """Back to an empty passphrase box; *message* says why (e.g. locked when idle)."""
        self._busy(False)
        self.passphrase.clear()
        self.error.clear()
        self.state.setText((message + " " if message else "")
                           + "Type your passphrase to open the case book.")
        self.passphrase.setFocus()

    def _submit(self) -> None:
        if self._seconds > 0 or not self.passphrase.text() or self.passphrase.isReadOnly():
            return
        self._busy(True)
        self.unlock_requested.emit(self.passphrase.text())

    def _busy(self, on: bool) -> None:
        """While the passphrase is checked (the key derivation runs on a worker thread)."""
        self.passphrase.setReadOnly(on)
        self.unlock_button.setEnabled(not on and self._seconds <= 0)
        self.unlock_button.setText("Unlocking\u2026" if on else "Unlock")

    def wrong_passphrase(self, message: str, wait: int | None = None) -> None:
        """Say so plainly, and make each further try wait a little longer: *wait* seconds as
        the key file's count says (kept beside it, so a restart does not reset it)."""
        self.failures += 1
        self._busy(False)
        self.passphrase.selectAll()
        self.error.setText(message)
        self._seconds = unlock_delay(self.failures) if wait is None else wait
        if self._seconds:
            self.unlock_button.setEnabled(False)
            self._tick(count=False)
            self._wait.start()

    def show_problem(self, message: str) -> None:
        self._busy(False)
        self.error.setText(message)

    def _tick(self, count: bool = True) -> None:
        if count:
            self._seconds -= 1
        if self._seconds <= 0:
            self._wait.stop()
            self.unlock_button.setEnabled(True)
            self.unlock_button.setText("Unlock")
            return
        self.unlock_button.setText(f"Unlock (wait {self._seconds} s)")
