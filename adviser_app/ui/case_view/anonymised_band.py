"""A line at the top of a case anonymised under the retention policy: it says so, and the
case view offers nothing that would change it (what is left is kept for the figures only)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLabel, QWidget

from adviser_app.domain.validation import format_date
from adviser_app.ui.theme import WARNING_BOX_STYLE

ANONYMISED_NOTE = ("This case can't be changed: it was anonymised. Only what the service's "
                   "figures count is kept.")


class AnonymisedBand(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("anonymisedBand")
        self.setAccessibleName("This case was anonymised")
        self.setStyleSheet(WARNING_BOX_STYLE)
        self.setWordWrap(True)
        self.hide()

    def show_for(self, anonymised_on: date | None) -> None:
        if anonymised_on is None:
            self.hide()
            return
        self.setText(f"Anonymised on {format_date(anonymised_on)} under the retention "
                     "policy: names, contact details, letters and notes were removed, and "
                     "what is left (dates, levels, issues) is kept only for the service's "
                     "figures. It can't be changed or reopened.")
        self.show()
