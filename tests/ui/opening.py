"""Opening a case in a test window the way an adviser does: type in the search box, then open
the first case the list shows."""

from __future__ import annotations


def open_first_match(window, words: str):
    window.workspace.case_list.search.setText(words)
    window.workspace.open_case(window.workspace.case_list.model.summary(0).id)
    return window.workspace.detail


def open_okafor(window):
    """The Okafor family's case (every populated test book has it)."""
    return open_first_match(window, "okafor")
