"""The first-run screen: create a case book, or open the training case book."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from adviser_app.ui.theme import ERROR_STYLE, HINT_STYLE, WARNING_BOX_STYLE

if TYPE_CHECKING:
    from adviser_app.services import disk_encryption
    from adviser_app.services.disk_encryption import DiskEncryption
else:  # the check (and its subprocess calls) loads when it runs, after the first paint
    from adviser_app.lazy_import import lazy_module

    disk_encryption = lazy_module("adviser_app.services.disk_encryption")

SELECTABLE_BY_MOUSE = 1
"""Qt::TextSelectableByMouse, the value of Qt.TextInteractionFlag.TextSelectableByMouse."""


def selectable(label: QLabel) -> None:
    """Lets the adviser select and copy the label's text (a folder's path, a warning).

    Set through Qt's property system with the flag's value: naming Qt.TextInteractionFlag
    would make PySide build every enum of the Qt namespace (some 90 types, about a tenth of a
    bare window's start) before the first screen could show."""
    label.setProperty("textInteractionFlags", SELECTABLE_BY_MOUSE)


def centred_column(page: QWidget, min_width: int, max_width: int) -> QVBoxLayout:
    """A readable column in the middle of a full-window page (welcome, unlock)."""
    outer = QHBoxLayout(page)
    column = QWidget()
    column.setMinimumWidth(min_width)
    column.setMaximumWidth(max_width)
    outer.addStretch(1)
    outer.addWidget(column, 3)
    outer.addStretch(1)
    layout = QVBoxLayout(column)
    layout.setContentsMargins(40, 40, 40, 20)
    layout.setSpacing(14)
    return layout


_DISK_TOOL = {"win32": "BitLocker (or Device encryption)", "darwin": "FileVault"}


class _DiskChecks(QObject):
    """Runs each folder's check once, on a daemon thread (PowerShell can take seconds, and a
    check still running when the app quits must not hold it open), and remembers the answer."""

    finished = Signal(str, object)
    """The folder, and its DiskEncryption; delivered on the GUI thread."""

    def __init__(self) -> None:
        super().__init__()
        self.results: dict[str, DiskEncryption] = {}
        self.pending: set[str] = set()
        self.finished.connect(self.results.setdefault)

    def start(self, key: str, check: Callable[[Path], DiskEncryption]) -> None:
        if key in self.pending:
            return
        self.pending.add(key)

        def work() -> None:
            try:
                result = check(Path(key))
            except Exception as exc:  # the real check never raises; be sure
                result = disk_encryption.DiskEncryption(disk_encryption.Encryption.UNKNOWN,
                                        f"the check itself failed ({type(exc).__name__})")
            try:
                self.finished.emit(key, result)
            except RuntimeError:  # the app is closing
                pass

        threading.Thread(target=work, name="disk-encryption-check", daemon=True).start()


_disk_checks: _DiskChecks | None = None


def _checks() -> _DiskChecks:
    global _disk_checks
    if _disk_checks is None:
        _disk_checks = _DiskChecks()
    return _disk_checks


class DiskWarning(QLabel):
    """A calm note, shown only when we could not confirm that the laptop's disk is encrypted.
    The check runs off the GUI thread, once per folder; the page never waits for it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: DiskEncryption | None = None
        self._folder = ""
        self.setWordWrap(True)
        self.setAccessibleName("Disk encryption")
        selectable(self)
        self.setStyleSheet(WARNING_BOX_STYLE)
        self.hide()

    def watch(self, folder: Path,
              check: Callable[[Path], DiskEncryption] | None = None) -> None:
        """Check *folder*'s disk in the background (with *check*, by default the real one)
        and show the note if it is not confirmed."""
        self._folder = key = str(folder)
        checks = _checks()
        if key in checks.results:
            self.show_result(checks.results[key])
            return
        checks.finished.connect(self._finished)
        checks.start(key, check or disk_encryption.check)  # (loaded here, not on the thread)

    def watch_soon(self, folder: Path) -> None:
        """watch(), once the window is on screen: the first screen is not held up."""
        QTimer.singleShot(250, self, lambda: self.watch(folder))  # dropped if self is gone

    def _finished(self, key: str, result: object) -> None:
        if key == self._folder and isinstance(result, disk_encryption.DiskEncryption):
            self.show_result(result)

    def show_result(self, result: DiskEncryption) -> None:
        self.result = result
        if result.confirmed:
            self.clear()
            self.hide()
            return
        tool = _DISK_TOOL.get(sys.platform, "disk encryption (for example LUKS)")
        found = result.reason[:1].upper() + result.reason[1:]
        self.setText("We couldn't confirm that this laptop's disk is encrypted. Your case book "
                     "is always encrypted, but other files on the laptop may not be. Please ask "
                     f"your IT team to check that {tool} is turned on.\n\n"
                     f"What we found: {found}.")
        self.show()


class WelcomePage(QWidget):
    create_requested = Signal()
    """The user asked to create a new, empty case book."""
    training_requested = Signal()
    """The user asked to open the training case book of fictional families."""
    open_requested = Signal()
    """The user asked to open the existing case book on this laptop."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = centred_column(self, 520, 760)
        title = QLabel("Welcome to Adviser Toolkit")
        title.setStyleSheet("font-size: 20pt; font-weight: 700;")
        title.setAccessibleName("Welcome to Adviser Toolkit")
        layout.addWidget(title)
        intro = QLabel(
            "Adviser Toolkit keeps your service's case book on this laptop, encrypted, so you "
            "can find a family, read the case and add notes on a home visit with no internet."
            "\n\nTo begin, create a case book for real families, or open the training case "
            "book to practise with fictional families.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.create_button = QPushButton("Create a new case book")
        self.create_button.setAccessibleName("Create a new case book")
        self.create_button.setMinimumHeight(44)
        self.open_button = QPushButton("Open my case book")
        self.open_button.setAccessibleName("Open my case book")
        self.open_button.setMinimumHeight(44)
        self.training_button = QPushButton("Open the training case book (fictional families)")
        self.training_button.setAccessibleName("Open the training case book")
        self.training_button.setMinimumHeight(44)
        for button in (self.create_button, self.open_button, self.training_button):
            layout.addWidget(button)
        self.create_button.clicked.connect(self.create_requested)
        self.open_button.clicked.connect(self.open_requested)
        self.training_button.clicked.connect(self.training_requested)
        self.where = QLabel()
        self.where.setWordWrap(True)
        selectable(self.where)
        self.where.setStyleSheet(HINT_STYLE)
        layout.addWidget(self.where)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problem")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        layout.addWidget(self.error)
        self.disk_warning = DiskWarning()
        layout.addWidget(self.disk_warning)
        layout.addStretch()
        self.set_state(data_dir, has_case_book=False)
        self.disk_warning.watch_soon(data_dir)

    def set_state(self, data_dir: Path, *, has_case_book: bool) -> None:
        self.create_button.setVisible(not has_case_book)
        self.open_button.setVisible(has_case_book)
        (self.open_button if has_case_book else self.create_button).setDefault(True)
        self.where.setText(f"Case books are kept in: {data_dir}")

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
