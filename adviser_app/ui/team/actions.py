"""What the File menu's team items do: connect to the office hub, disconnect, sync now."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from adviser_app.domain.validation import plural
from adviser_app.ui.access import Access
from adviser_app.ui.case_book.controller import CaseBookController
from adviser_app.ui.team.sync_driver import TeamSync

if TYPE_CHECKING:
    from adviser_app.sync import joining
    from adviser_app.ui.team.decisions_dialog import DecisionsDialog
    from adviser_app.ui.team.join_dialog import JoinDialog
else:
    from adviser_app.lazy_import import lazy_module

    joining = lazy_module("adviser_app.sync.joining")


class TeamActions:
    def __init__(self, window: QWidget, book: CaseBookController, team: TeamSync,
                 access: Access) -> None:
        self.window, self.book, self.team, self.access = window, book, team, access
        self.dialog: JoinDialog | None = None
        self.decisions: DecisionsDialog | None = None
        team.decisions_requested.connect(self.show_decisions)

    def connect_to_hub(self) -> bool:
        """Open the joining dialog (never for the training case book)."""
        session = self.book.session
        if session is None:
            return False
        if session.training:
            self.access.tell("Not for the training case book", joining.TRAINING_REFUSED)
            return False
        held = joining.connected(session.db)
        if held is not None and not self.access.confirm(
                "Already connected", f"This case book is connected to the office hub at "
                f"{held.host}:{held.port} as {held.user}. Connect with another file instead?"):
            return False
        from adviser_app.ui.team.join_dialog import JoinDialog

        dialog = self.dialog = JoinDialog(session, self.access.confirm, self.window)
        dialog.joined.connect(self._joined)
        dialog.open()
        return True

    def _joined(self) -> None:
        self.book.said.emit("Connected to the office hub: syncing now.", 8000)
        self.team.joined()

    def disconnect(self) -> bool:
        session = self.book.session
        if session is None or session.training:
            return False
        held = joining.connected(session.db)
        if held is None:
            self.access.tell("Not connected", "This case book is not connected to an office "
                             "hub.")
            return False
        waiting = joining.status(session.db).waiting
        kept = (f" The {plural(waiting, 'change')} not yet sent stay on this laptop and go if "
                "you connect again." if waiting else "")
        if not self.access.confirm("Disconnect from the office hub?",
                                   f"This laptop will stop syncing with the hub at {held.host}:"
                                   f"{held.port}. Nothing in your case book is removed.{kept}"):
            return False
        self.team.left()
        joining.leave(session.db, session.actor)
        self.team.show_status()
        self.book.said.emit("Disconnected from the office hub.", 8000)
        return True

    def show_decisions(self, case_id: str = "") -> bool:
        """The "Needs a decision" list of clashes the office hub is holding (only those on
        *case_id*'s records when it is given: from the case view)."""
        session = self.book.session
        if session is None or session.training:
            return False
        from adviser_app.ui.team.decisions_dialog import DecisionsDialog

        if self.decisions is None or not self.decisions.isVisible():
            self.decisions = DecisionsDialog(self.team, self.window)
        self.decisions.show_case(case_id)
        self.decisions.show()
        return True

    def sync_now(self) -> bool:
        session = self.book.session
        if session is None or session.training:
            return False
        if joining.connected(session.db) is None:
            self.access.tell("Not connected", "This case book is not connected to an office "
                             "hub yet: use File \u203a Connect to the office hub\u2026 first.")
            return False
        return self.team.sync_now()
