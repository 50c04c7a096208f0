"""A line at the top of an open case when the office hub holds a clash on it: how many, and a
link that opens the "Needs a decision" list showing only this case's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from adviser_app.domain.validation import plural
from adviser_app.ui.theme import WARNING_BOX_STYLE

if TYPE_CHECKING:
    from adviser_app.store import sync_log
    from adviser_app.store.db import Database
else:  # read only once a case book that has joined a hub is open
    from adviser_app.lazy_import import lazy_module

    sync_log = lazy_module("adviser_app.store.sync_log")


class CaseTeamBand(QLabel):
    decisions_requested = Signal(str)
    """The adviser asked to see the clashes on this case (its id)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case_id = ""
        self.clashes = 0
        self.setObjectName("caseTeamBand")
        self.setAccessibleName("Needs a decision on this case")
        self.setStyleSheet(WARNING_BOX_STYLE)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                     | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.linkActivated.connect(lambda _link: self.decisions_requested.emit(self.case_id))
        self.hide()

    def show_for(self, db: Database, case_id: str, training: bool = False) -> None:
        """Mark *case_id* if the hub holds a clash on one of its records (or its family's)."""
        self.case_id = case_id
        self.clashes = 0
        if not training and sync_log.hub_settings(db) is not None:
            self.clashes = sync_log.case_conflict_count(db, case_id)
        if not self.clashes:
            self.hide()
            return
        self.setText(f"\u26a0 Needs a decision: two people changed the same thing on this "
                     f"case ({plural(self.clashes, 'clash', 'clashes')}). Nothing is lost "
                     "until someone chooses. <a href='decide'>See and decide\u2026</a>")
        self.show()
