"""The notice that the case book is about to lock for lack of use (ui/case_book/idle_lock.py
says when). Made the first time it is needed, not at start: it names the Qt namespace, which
PySide builds in full (some 90 enum types) the first time any of it is named."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from adviser_app.domain.validation import plural


class LockCountdown(QLabel):
    """A small notice over the window in front, without taking the keyboard: "Locking in 20
    seconds: move the mouse or press a key to keep working"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAccessibleName("Lock countdown")
        self.setObjectName("lockCountdown")
        self.setMargin(14)

    def show_left(self, seconds: int) -> None:
        self.setText(f"<b>Locking in {plural(seconds, 'second')}</b> "
                     "because the app has not been used.<br>Move the mouse or press a key to "
                     "keep working.")
        self.adjustSize()
        front = QApplication.activeWindow() or self.parentWidget()
        if front is not None:
            top = front.mapToGlobal(front.rect().topLeft())
            self.move(top.x() + (front.width() - self.width()) // 2, top.y() + 40)
        self.show()  # a tool tip window: always over the others
