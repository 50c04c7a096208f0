"""A new laptop's first load of the office register, shown as its own bar in the status bar
("Loading the office register: 12,400 of 66,600 records (1,000 of 1,000 families)"). The
register comes parents first (families, then their people and children, cases, notes), so
the bar counts records; the families already in say what can be searched. Nothing waits for
it: the case book can be searched and worked in while the pages arrive."""

from __future__ import annotations

from PySide6.QtWidgets import QProgressBar, QWidget

WORTH_A_BAR = 500
"""Records still to fetch from the hub before the bar is shown (fewer arrive in one page)."""


def load_text(records: int, records_total: int, families: int, families_total: int) -> str:
    return (f"Loading the office register: {records:,} of {records_total:,} records "
            f"({families:,} of {families_total:,} families)")


class FirstLoadBar(QProgressBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstLoad")
        self.setAccessibleName("Loading the office register")
        self.setMinimumWidth(360)
        self.setTextVisible(True)
        self.total = 0
        self.families_total = 0
        self.records_here = 0
        self.hide()

    def start(self, families_here: int, families_on_hub: int, waiting: int,
              first_load: bool = False, records_here: int = 0) -> bool:
        """Show the bar if this laptop has most of the register still to fetch: a first
        load (*records_here* already in from an interrupted one), or families missing."""
        if waiting < WORTH_A_BAR or (families_here >= families_on_hub and not first_load):
            self.total = 0
            self.hide()
            return False
        self.families_total = families_on_hub
        self.records_here = records_here
        self.total = records_here + waiting
        self.setRange(0, max(1, self.total))
        self.show()
        self.step(families_here, 0)
        return True

    def step(self, families_here: int, pulled: int) -> None:
        """*pulled*: records fetched so far in this sync."""
        if not self.total:
            return
        done = min(self.records_here + pulled, self.total)
        # the text first: valueChanged sees the new text
        self.setFormat(load_text(done, self.total, min(families_here, self.families_total),
                                 self.families_total))
        self.setValue(done)
        self.setToolTip("The office's records are arriving a page at a time, families first. "
                        "Keep working: search and open cases as usual; the rest come in the "
                        "background.")

    def finish(self) -> None:
        self.total = 0
        self.hide()
