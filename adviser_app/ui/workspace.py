"""The working screen of an open case book: the case list beside the open case."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (QLabel, QSplitter, QStackedWidget, QTabWidget, QVBoxLayout,
                               QWidget)

from adviser_app.services import casework
from adviser_app.services.training import trainer_notes
from adviser_app.store.db import is_open
from adviser_app.ui.case_view.case_detail import CaseDetail
from adviser_app.ui.case_view.case_list import CaseListPanel
from adviser_app.ui.case_view.statutory_tab import StatutoryTab
from adviser_app.ui.deadlines.deadlines_view import DeadlinesView
from adviser_app.ui.graduated.graduated_tab import GraduatedTab
from adviser_app.ui.case_book.idle_lock import unwatched
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.case_book.training_bar import TrainingBar
from adviser_app.ui.theme import TRAINER_NOTES_STYLE, TRAINING_BANNER_STYLE

DEADLINES_TAB = 1
"""The deadlines view's place among the workspace's views (after the cases)."""
TRAINING_BANNER = "TRAINING: fictional families. Nothing here is about a real family."


class Workspace(QWidget):
    saved = Signal(str)
    """A change was committed to the case book (the case id)."""
    complete = Signal()
    """Every part is made, the case view too (after the list's first paint, or on first use
    before): the window puts the remembered dividers back then."""
    decisions_requested = Signal(str)
    """The adviser asked, from the open case, to see its clashes with the office hub."""

    def __init__(self, session: Session, data_dir_text: str,
                 parent: QWidget | None = None, *, shell_later: bool = False) -> None:
        """The case list, filled; and, unless *shell_later*, the rest of the screen around
        it (make_shell: then the workspace can be made over two turns of the event loop
        before it is put on screen)."""
        super().__init__(parent)
        self.session = session
        self._data_dir_text = data_dir_text
        self.case_list = CaseListPanel(session, self)  # (in the splitter once it is made)
        self._detail: CaseDetail | None = None  # built after the list is painted (see detail)
        self._statutory: StatutoryTab | None = None  # the case view's two biggest tabs,
        self._graduated: GraduatedTab | None = None  # made first, each in a turn of its own
        self._shell: CaseDetail | None = None  # then the case view without its lists
        self._case_to_open: str | None = None
        self._deadlines: DeadlinesView | None = None  # made after the case view (deadlines)
        self.training_bar: TrainingBar | None = None
        self.has_shell = False
        # The case list first: what is not on screen yet (the advisers in the list's filter,
        # the case view with its tabs, the case open when the book was locked, the deadlines
        # view behind its tab) is made a part per turn of the event loop after the list is
        # first painted.
        self._rest = QTimer(self)
        self._rest.setSingleShot(True)
        self._rest.timeout.connect(self._build_the_rest)
        self.case_list.table.viewport().installEventFilter(self)
        if not shell_later:
            self.make_shell()

    def make_shell(self) -> None:
        """The screen around the case list: the training banner and bar, the page beside the
        list, the trainer's notes, and the Cases and Deadlines tabs (once)."""
        if self.has_shell:
            return
        self.has_shell = True
        session = self.session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.banner = QLabel(TRAINING_BANNER)
        self.banner.setAccessibleName("Training banner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setStyleSheet(TRAINING_BANNER_STYLE)
        self.banner.setVisible(session.training)
        layout.addWidget(self.banner)
        if session.training:
            self.training_bar = TrainingBar(session.today())
            layout.addWidget(self.training_bar)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.first_steps = QLabel(
            "<h2>Your case book is ready</h2>"
            "<p>What to do first:</p><ol>"
            "<li>Put your service's name, address and signature on every letter: "
            "<b>Tools \u203a Letterhead and signature</b>.</li>"
            "<li>Add your first family and case: <b>Case \u203a New family and case</b> "
            "(Ctrl+N).</li>"
            "<li>On a visit, find a family with <b>Ctrl+F</b>, press Enter to open the case, "
            "and add a visit note with <b>Ctrl+Shift+N</b>.</li></ol>"
            f"<p>Your case book is kept, encrypted, in:<br><tt>{self._data_dir_text}</tt></p>")
        self.first_steps.setWordWrap(True)
        self.first_steps.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.first_steps.setAccessibleName("What to do first")
        self.first_steps.setMargin(20)
        self.placeholder = QLabel("Choose a case from the list, or search for a family.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.right = QStackedWidget()
        for widget in (self.first_steps, self.placeholder):
            self.right.addWidget(widget)
        split.addWidget(self.case_list)
        split.addWidget(self.right)
        self.notes_panel = QLabel()
        self.notes_panel.setWordWrap(True)
        self.notes_panel.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.notes_panel.setAccessibleName("Trainer notes")
        self.notes_panel.setStyleSheet(TRAINER_NOTES_STYLE)
        self.notes_panel.setMinimumWidth(160)
        self.notes_panel.setVisible(session.training)
        split.addWidget(self.notes_panel)
        split.setSizes([520, 680, 260] if session.training else [560, 720, 0])
        self.views = QTabWidget()
        self.views.setAccessibleName("Views")
        self.views.addTab(split, "Cases")
        self.views.addTab(QWidget(), "Deadlines")
        self.views.currentChanged.connect(
            lambda index: index == DEADLINES_TAB and self.deadlines)
        layout.addWidget(self.views, 1)
        self.case_list.case_chosen.connect(self.open_case)
        self._show_start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt
        if event.type() == QEvent.Type.Paint and not self._rest.isActive():
            watched.removeEventFilter(self)
            self._rest.start(0)
        return False

    def _build_the_rest(self) -> None:
        """One step per turn of the event loop, so the window never stands still for long:
        the advisers' names, then the case view (its two biggest tabs, the view without its
        lists, then its lists), the case open at the last lock, then the deadlines view."""
        if not is_open(self.session.db):
            return  # locked or closed before this turn came (the workspace is going)
        with unwatched():  # (no dialog opens in a step)
            more = self._next_part()
        if more:
            self._rest.start(0)

    def _next_part(self) -> bool:
        """Make the next part; False when there was none left."""
        if self.case_list.adviser_filter.count() == 0:
            self.case_list.reload_advisers()
        elif self._detail is None and self._graduated is None:
            self._graduated = GraduatedTab(self.session)
        elif self._detail is None and self._statutory is None:
            self._statutory = StatutoryTab(self.session)
        elif self._detail is None and self._shell is None:
            self._shell = CaseDetail(self.session, self.right, statutory=self._statutory,
                                     graduated=self._graduated, lists_later=True)
        elif self._detail is None:
            self.detail  # noqa: B018 (made here: the property makes it)
        elif self._case_to_open is not None:
            case_id, self._case_to_open = self._case_to_open, None
            if self._detail.case is None:  # not meanwhile opened from the list
                self.open_case(case_id)
        elif self._deadlines is None:
            self.deadlines  # noqa: B018 (made here: the property makes it)
        else:
            return False
        return True

    def open_after_paint(self, case_id: str) -> None:
        """Open *case_id* once the case list has been painted (unlocking: the case on screen
        when the book was locked)."""
        if self._detail is not None:
            self.open_case(case_id)
        else:
            self._case_to_open = case_id

    @property
    def detail(self) -> CaseDetail:
        """The open case's view: made after the case list's first paint, or when first
        wanted before that."""
        if self._detail is None:
            made = self._shell or CaseDetail(self.session, self.right,
                                              statutory=self._statutory,
                                              graduated=self._graduated)
            made.make_lists()
            self._detail = made
            self._detail.changed.connect(self._after_save)
            self._detail.team_band.decisions_requested.connect(self.decisions_requested)
            self.right.addWidget(self._detail)
            self.complete.emit()
        return self._detail

    @property
    def deadlines(self) -> DeadlinesView:
        """The deadlines view: made after the case view, or when its tab is first chosen
        before that (a stand-in fills the tab till then)."""
        if self._deadlines is None:
            view = self._deadlines = DeadlinesView(self.session)
            view.case_chosen.connect(self.open_case_from_deadlines)
            stand_in, current = self.views.widget(DEADLINES_TAB), self.views.currentIndex()
            self.views.blockSignals(True)  # (removing the tab chosen moves the choice)
            self.views.removeTab(DEADLINES_TAB)
            self.views.insertTab(DEADLINES_TAB, view, "Deadlines")
            self.views.setCurrentIndex(current)
            self.views.blockSignals(False)
            if stand_in is not None:
                stand_in.deleteLater()
        return self._deadlines

    @property
    def is_complete(self) -> bool:
        """Whether the case view is made (see complete)."""
        return self._detail is not None

    @property
    def shown_case_id(self) -> str | None:
        """The case on screen, if any (without making the case view)."""
        case = self._detail.case if self._detail is not None else None
        return case.id if case is not None else None

    def _show_start(self) -> None:
        empty = self.case_list.model.rowCount() == 0 and not self.case_list.search.text()
        self.right.setCurrentWidget(self.first_steps if empty else self.placeholder)

    def open_case(self, case_id: str) -> None:
        # One opening is one "viewed" entry: a click selects the row (opening it) and may be
        # followed by a double click or Enter on the same case, already on screen.
        if case_id != self.shown_case_id:
            casework.view_case(self.session.db, case_id, self.session.actor)
        self.detail.show_case(case_id)
        self.right.setCurrentWidget(self.detail)
        if self.session.training:
            notes = trainer_notes(self.session.db, case_id)
            self.notes_panel.setText("<b>Trainer notes</b><br>" + (
                escape(notes) if notes else "<i>No notes for this scenario.</i>"))

    def refresh_all(self) -> None:
        """Everything that depends on "today" (used when the trainer moves it)."""
        self.case_list.refresh()
        self._refresh_deadlines()
        if self.shown_case_id is not None:
            self.detail.show_case(self.shown_case_id)

    def after_records_changed(self) -> None:
        """Cases may have been erased (retention review, or at another laptop) or have
        arrived (a sync): let go of one that is gone, and give the first steps way to the
        cases once there are some (a new laptop's first load brings the office's)."""
        from adviser_app.services.data_protection import case_exists

        shown = self.shown_case_id
        gone = shown is not None and not case_exists(self.session.db, shown)
        if gone:
            self.detail.clear()
        self.refresh_all()
        if gone or self.right.currentWidget() is self.first_steps:
            self._show_start()

    def show_arrivals(self) -> None:
        """Cases arriving from the office (a first load): the list again, and the first
        steps give way once there are some. (Nothing else: the load goes on.)"""
        self.case_list.refresh()
        if self.right.currentWidget() is self.first_steps:
            self._show_start()

    def show_cases(self) -> None:
        self.views.setCurrentIndex(0)

    def _refresh_deadlines(self) -> None:
        if self._deadlines is not None:  # (else made later, from the case book as it is then)
            self._deadlines.refresh()

    def show_deadlines(self) -> None:
        self.deadlines.refresh(now=True)
        self.views.setCurrentWidget(self.deadlines)
        self.deadlines.table.setFocus()

    def open_case_from_deadlines(self, case_id: str) -> None:
        self.show_cases()
        self.open_case(case_id)

    def _after_save(self, case_id: str) -> None:
        self.case_list.reload_advisers()
        self.case_list.refresh()
        self._refresh_deadlines()
        self.saved.emit(case_id)

    def refresh_after_new(self, case_id: str) -> None:
        self.case_list.reload_advisers()
        self.case_list.refresh()
        self._refresh_deadlines()
        self.open_case(case_id)
        self.saved.emit(case_id)

    def open_family(self, family_id: str) -> None:
        from adviser_app.store.cases import case_ids_for_family

        ids = case_ids_for_family(self.session.db, family_id)
        if ids:
            self.open_case(ids[0])
