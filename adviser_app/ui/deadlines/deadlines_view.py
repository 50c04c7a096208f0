"""The Deadlines view: every open deadline across open cases, soonest first, in colour."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from adviser_app.domain.statutory.urgency import Urgency, urgency
from adviser_app.domain.statutory.events import GROUPS
from adviser_app.domain.graduated.due_reviews import REVIEW_GROUP
from adviser_app.domain.validation import format_date, plural
from adviser_app.services.consent_renewals import CONSENT_GROUP, open_consent_rows
from adviser_app.services.due_rows import Dated, DueRow
from adviser_app.services.graduated import open_review_rows
from adviser_app.services.statutory import calendar_for, open_deadlines
from adviser_app.services.subject_access import SAR_GROUP, open_request_rows
from adviser_app.ui.form_support import combo
from adviser_app.ui.record_table import Column, RecordTableModel, record_view
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.theme import urgency_colour

WINDOWS = [("Overdue, and due in the next 4 weeks", {Urgency.OVERDUE, Urgency.TODAY,
                                                      Urgency.SOON, Urgency.NEXT_4_WEEKS}),
           ("Overdue only", {Urgency.OVERDUE}),
           ("Due in the next 5 working days", {Urgency.TODAY, Urgency.SOON}),
           ("All open deadlines", set(Urgency))]
# statutory deadlines, SEN support reviews (CoP 6.52-6.54), subject access requests and
# consent to share due for renewal (the service's own policy)
Row = DueRow[Dated]


class DeadlinesView(QWidget):
    case_chosen = Signal(str)
    """The adviser asked to open the case of a deadline (its id)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        self.window_filter = combo("Which deadlines", [(label, label) for label, _ in WINDOWS])
        self.adviser_filter = combo("Filter deadlines by adviser", [("Any adviser", "")])
        self.kind_filter = combo("Filter deadlines by kind",
                                 [("Any kind", "")] + [(g, g) for g in GROUPS]
                                 + [(REVIEW_GROUP, REVIEW_GROUP), (SAR_GROUP, SAR_GROUP),
                                    (CONSENT_GROUP, CONSENT_GROUP)])
        for box in (self.window_filter, self.adviser_filter, self.kind_filter):
            filters.addWidget(box)
            box.currentIndexChanged.connect(lambda _: self.refresh(now=True))
        filters.addStretch()
        layout.addLayout(filters)
        self.count = QLabel()
        self.count.setAccessibleName("Number of deadlines shown")
        layout.addWidget(self.count)
        today = session.today
        self._calendar = calendar_for(session.db)

        def colour(row: Row) -> str:
            return urgency_colour(urgency(row.item.deadline.due, today(), self._calendar))

        self.model: RecordTableModel[Row] = RecordTableModel([
            Column("Due", lambda r: format_date(r.item.deadline.due), colour),
            Column("When", lambda r: urgency(r.item.deadline.due, today(),
                                             self._calendar).label, colour),
            Column("Deadline", lambda r: r.item.deadline.label
                   + ("  (check this date)" if r.item.deadline.needs_check else "")),
            Column("Child", lambda r: r.child_name),
            Column("Case", lambda r: f"{r.reference} {r.family_name}"),
            Column("Adviser", lambda r: r.adviser),
            Column("Rule", lambda r: r.item.deadline.source),
        ])
        self.table = record_view(self.model, "Deadlines across open cases")
        # Sizing every column to its contents reads every row: too slow for a big case book.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.size_columns()
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(self._open)
        layout.addWidget(self.table)
        self._stale = True
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.refresh(now=True)
        super().showEvent(event)

    def size_columns(self) -> None:
        """Widths from the font in use (it grows in presenting mode): the date and the
        longest "When" label always fit whole; the others by their usual share."""
        metrics = self.table.fontMetrics()
        pad = 2 * metrics.averageCharWidth() + 12
        fitted = [metrics.horizontalAdvance("00/00/0000") + pad,
                  max(metrics.horizontalAdvance(u.label) for u in Urgency) + pad]
        char = metrics.averageCharWidth()
        for column, width in enumerate(fitted + [c * char for c in (42, 19, 24, 14)]):
            self.table.setColumnWidth(column, width)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.size_columns()

    def eventFilter(self, watched: object, event: object) -> bool:
        if watched is self.table and isinstance(event, QKeyEvent) and \
                event.type() == QKeyEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._open(self.table.currentIndex())
            return True
        return False

    def refresh(self, now: bool = False) -> None:
        """Reload the deadlines; while the view is hidden this waits until it is shown (on a
        big case book deriving every deadline takes a few hundred milliseconds)."""
        if not now and not self.isVisible():
            self._stale = True
            return
        self._stale = False
        self._calendar = calendar_for(self.session.db)
        rows: list[Row] = sorted([*open_deadlines(self.session.db),
                                  *open_review_rows(self.session.db),
                                  *open_request_rows(self.session.db),
                                  *open_consent_rows(self.session.db)],
                                 key=lambda r: r.item.deadline.due)
        advisers = sorted({r.adviser for r in rows})
        self.adviser_filter.refill([("Any adviser", ""), *((name, name) for name in advisers)])
        wanted = dict(WINDOWS)[self.window_filter.choice()]
        adviser, group = self.adviser_filter.choice(), self.kind_filter.choice()
        today = self.session.today()
        shown = [r for r in rows
                 if urgency(r.item.deadline.due, today, self._calendar) in wanted
                 and (not adviser or r.adviser == adviser)
                 and (not group or r.group == group)]
        self.model.set_rows(shown)
        overdue = sum(1 for r in shown if r.item.deadline.due < today)
        self.count.setText(f"{plural(len(shown), 'deadline')}"
                           + (f", {overdue} overdue" if overdue else ""))

    def _open(self, index: QModelIndex) -> None:
        if index.isValid() and self.model.record(index.row()).case_id:
            self.case_chosen.emit(self.model.record(index.row()).case_id)
