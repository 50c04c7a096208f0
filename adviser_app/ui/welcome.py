"""The first-run screen: create a case book, or open the training case book."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


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
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.where.setStyleSheet("color: #444;")
        layout.addWidget(self.where)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problem")
        self.error.setStyleSheet("color: #b00020; font-weight: 600;")
        self.error.hide()
        layout.addWidget(self.error)
        layout.addStretch()
        self.set_state(data_dir, has_case_book=False)

    def set_state(self, data_dir: Path, *, has_case_book: bool) -> None:
        self.create_button.setVisible(not has_case_book)
        self.open_button.setVisible(has_case_book)
        (self.open_button if has_case_book else self.create_button).setDefault(True)
        self.where.setText(f"Case books are kept in: {data_dir}")

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
