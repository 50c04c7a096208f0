"""A new laptop's first load of the office register, shown as its own bar in the status bar
("Loading the office register: 4,200 of 21,000 families"). Nothing waits for it: the case
book can be searched and worked in while the pages arrive, and families appear as they land."""

from __future__ import annotations

from PySide6.QtWidgets import QProgressBar, QWidget

WORTH_A_BAR = 500
"""Records still to fetch from the hub before the bar is shown (fewer arrive in one page)."""


def load_text(done: int, total: int) -> str:
    return f"Loading the office register: {done:,} of {total:,} families"


class FirstLoadBar(QProgressBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstLoad")
        self.setAccessibleName("Loading the office register")
        self.setMinimumWidth(360)
        self.setTextVisible(True)
        self.total = 0
        self.hide()

    def start(self, families_here: int, families_on_hub: int, waiting: int) -> bool:
        """Show the bar if this laptop has most of the register still to fetch."""
        if waiting < WORTH_A_BAR or families_here >= families_on_hub:
            self.total = 0
            self.hide()
            return False
        self.total = families_on_hub
        self.setRange(0, max(1, families_on_hub))
        self.show()
        self.step(families_here)
        return True

    def step(self, families_here: int) -> None:
        if not self.total:
            return
        done = min(families_here, self.total)
        self.setFormat(load_text(done, self.total))  # first: valueChanged sees the new text
        self.setValue(done)
        self.setToolTip("The office's families are arriving a page at a time. Keep working: "
                        "search and open cases as usual; the rest come in the background.")

    def finish(self) -> None:
        self.total = 0
        self.hide()
