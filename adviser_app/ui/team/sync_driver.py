"""The sync nobody has to think about: on unlocking, every few minutes, soon after a save and
on demand. The hub is called on a worker thread; the case book is read and written only here,
on the GUI thread, between the calls (engine.sync_steps), one short page at a time. Locking
or closing stops it at once: a call still out is let finish and its answer is dropped.

No network is never an error: the status bar just says the work is waiting."""

from __future__ import annotations

import html
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QLabel, QStatusBar

from adviser_app.domain.validation import format_date, plural
from adviser_app.ui.case_book.session import Session
from adviser_app.ui.jobs import JobRunner, QuietCollector
from adviser_app.ui.team.first_load import FirstLoadBar

if TYPE_CHECKING:
    from adviser_app.store import sync_log
    from adviser_app.sync import engine, joining
    from adviser_app.sync.connection_file import HubSettings
    from adviser_app.sync.errors import HubError
    from adviser_app.sync.hub import Hub
else:  # the network code loads only once a case book that has joined a hub is open
    from adviser_app.lazy_import import lazy_module

    engine = lazy_module("adviser_app.sync.engine")
    joining = lazy_module("adviser_app.sync.joining")
    sync_log = lazy_module("adviser_app.store.sync_log")

log = logging.getLogger(__name__)
EVERY_MINUTES = 5
AFTER_SAVE_SECONDS = 20
GUI_PAGE = 500
"""At most this many records pulled per page; each page is written on the GUI thread in
steps (one transaction each, its commit included) of about PAGE_SECONDS."""
PAGE_SECONDS = 0.04
PUSH_BATCH = 200
"""Changes sent per call: reading them and marking them answered are GUI-thread steps."""
UNREACHABLE = "cannot be reached"
SLOW_STEP = 0.05


@dataclass(frozen=True)
class _Answer:
    run: int
    value: Any = None
    error: BaseException | None = None


@dataclass(frozen=True)
class _Opened:
    """A sync's connection to the hub, and the register's size (families on the hub,
    records this laptop has still to fetch; None from an older hub)."""
    hub: Hub
    size: tuple[int, int] | None


def _open_hub(settings: HubSettings, device: str, cursor: int) -> _Opened:
    """Worker thread: connect, and ask how much is waiting (network only)."""
    from adviser_app.sync.hub import Hub

    hub = Hub(settings)
    try:
        return _Opened(hub, hub.register_size(device, cursor))
    except BaseException:
        hub.close()
        raise


def status_text(status: joining.TeamStatus, problem: str = "") -> str:
    """One line for the status bar: what has reached the office."""
    if not status.joined:
        return ""
    if problem and UNREACHABLE not in problem:
        line = f"Not synced: {problem}"
    elif status.waiting or problem:
        line = f"Working offline: {plural(status.waiting, 'change')} waiting"
    elif status.last_synced is None:
        line = "Not yet synced with the office"
    else:
        line = f"Synced with the office at {status.last_synced.strftime('%H:%M')}"
    if status.decisions:
        needs = "needs" if status.decisions == 1 else "need"
        line += f" \u2014 {status.decisions} {needs} a decision"
    return line


class TeamSync(QObject):
    status_changed = Signal(str)
    """The status bar's line about the office (empty: not joined)."""
    synced = Signal(object)
    """A sync finished (its engine.SyncResult)."""
    failed = Signal(str)
    """A sync stopped part way: the sentence saying why (unreachable is one of them)."""
    decisions_requested = Signal()
    """The adviser clicked "… need a decision" in the status bar."""
    register_arriving = Signal()
    """A page of a first load of the office register is in (the case list may show more)."""

    def __init__(self, status_bar: QStatusBar | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session: Session | None = None
        self.runner = JobRunner(self)
        self._quiet: QuietCollector | None = None
        """Held while a sync runs: a first load makes and drops a great many records, and
        each full garbage collection meanwhile walked everything the window holds to free
        nothing (17 to 50 ms each, on the loaded machine; see QuietCollector)."""
        # one worker, so a hub is closed only after the call still out on it has returned
        self.runner.pool = QThreadPool(self)
        self.runner.pool.setMaxThreadCount(1)
        self.runner.finished.connect(self._answered)
        self.timer = QTimer(self)
        self.timer.setInterval(EVERY_MINUTES * 60 * 1000)
        self.timer.timeout.connect(self.sync_now)
        self.after_save = QTimer(self)
        self.after_save.setSingleShot(True)
        self.after_save.setInterval(AFTER_SAVE_SECONDS * 1000)
        self.after_save.timeout.connect(self.sync_now)
        self._run = 0  # each sync (and each stop) moves it on: older answers are dropped
        self._steps: engine.SyncSteps | None = None
        self._hub: Hub | None = None
        self._again = False
        self._problem = ""
        self.longest_step = 0.0
        """The longest time (seconds) one step of a sync held the GUI thread (benchmarks)."""
        self.slow_steps: list[tuple[float, str]] = []
        """Steps over SLOW_STEP seconds, with the hub call that followed (benchmarks)."""
        self.label = QLabel()
        self.label.setObjectName("teamStatus")
        self.first_load = FirstLoadBar()
        if status_bar is not None:
            status_bar.addPermanentWidget(self.first_load)
            status_bar.addPermanentWidget(self.label)
        self.label.linkActivated.connect(lambda _link: self.decisions_requested.emit())
        self.status_changed.connect(self._show_line)

    @property
    def busy(self) -> bool:
        return self._steps is not None

    # ----- the case book's life --------------------------------------------------------------
    def opened(self, session: Session) -> None:
        """A case book was unlocked: sync now if it has joined a hub, then every few minutes."""
        self.stop()
        if session.training:
            return
        self.session = session
        self._problem = ""
        self.show_status()
        if sync_log.hub_settings(session.db) is not None:
            self.timer.start()
            self.sync_now()

    def stop(self, _session: object = None) -> None:
        """Locking or closing: no more reading or writing the case book from here."""
        self.timer.stop()
        self.after_save.stop()
        self._run += 1
        self._drop_steps()
        self._let_hub_go()
        self.session = None
        self._again = False
        self.status_changed.emit("")

    def saved(self) -> None:
        """Something was saved: sync a little later (a burst of saves makes one sync)."""
        if self.session is not None and self.timer.isActive():
            self.after_save.start()
            self.show_status()

    def joined(self) -> None:
        """The case book has just joined a hub: sync now and from now on."""
        if self.session is not None:
            self._problem = ""
            self.timer.start()
            self.sync_now()

    def left(self) -> None:
        self.timer.stop()
        self.after_save.stop()
        self._run += 1
        self._drop_steps()
        self._let_hub_go()
        self.show_status()

    # ----- one sync ---------------------------------------------------------------------------
    def sync_now(self) -> bool:
        """Start a sync unless one is running (then one more follows it)."""
        session = self.session
        if session is None:
            return False
        if self._steps is not None:
            self._again = True
            return True
        return self._start(engine.sync_steps(session.db, push_batch=PUSH_BATCH, page_size=GUI_PAGE,
                                             page_seconds=PAGE_SECONDS,
                                             on_page=self._page_arrived))

    def resolve(self, conflict_id: int, choice: str, value: Any = None) -> bool:
        """A decision on an open conflict, made by the adviser at this laptop (choice
        engine.TYPED: *value*, one they typed), then a sync (False while another sync is
        running: try again when it ends)."""
        session = self.session
        if session is None or self._steps is not None:
            return False
        return self._start(engine.resolve_steps(session.db, conflict_id, choice,
                                                f"Decided by {session.actor}", value))

    def _page_arrived(self, progress: engine.SyncResult) -> None:
        """A page of the office's records is in (a new laptop loads the register this way,
        usable as it arrives)."""
        if self.first_load.total and self.session is not None:
            self.first_load.step(_families_here(self.session), progress.pulled)
            self.register_arriving.emit()
        elif progress.pulled >= 2 * GUI_PAGE:
            self.status_changed.emit(f"Loading the office's records: {progress.pulled:,} so "
                                     "far (you can keep working)")

    def _start(self, steps: engine.SyncSteps) -> bool:
        assert self.session is not None
        settings = joining.connected(self.session.db)
        if settings is None:
            steps.close()
            return False
        self._run += 1
        self._steps = steps
        self._quiet = self._quiet or QuietCollector()
        self.status_changed.emit("Syncing with the office\u2026")
        import adviser_app.sync.hub  # noqa: F401  (loaded here, on the GUI thread)

        device, cursor = sync_log.device_id(self.session.db), sync_log.pull_cursor(self.session.db)
        self._call(self._run, lambda: _open_hub(settings, device, cursor))
        return True

    def _call(self, run: int, fn: Any) -> None:
        def job() -> _Answer:
            try:
                return _Answer(run, fn())
            except BaseException as exc:
                return _Answer(run, error=exc)
        self.runner.start(job)

    def _answered(self, answer: object) -> None:
        if not isinstance(answer, _Answer):
            return
        if answer.run != self._run or self._steps is None:
            if isinstance(answer.value, _Opened):  # connected after a stop: not wanted
                self.runner.start(answer.value.hub.close)
            return
        if answer.error is not None:
            self._finish(None, answer.error)
            return
        steps = self._steps
        started = time.perf_counter()
        label = "the end of the sync (with what the window does then)"
        try:
            if self._hub is None:
                opened: _Opened = answer.value
                self._hub = opened.hub
                if opened.size is not None and self.session is not None:
                    self.first_load.start(_families_here(self.session), *opened.size,
                                          *_first_load_here(self.session))
                step = next(steps)
            else:
                step = steps.send(answer.value)
            label = getattr(getattr(step, "func", step), "__name__", "a step")
        except StopIteration as done:
            self._finish(done.value, None)
            return
        except Exception as exc:  # the case book refused a page: say so, keep what is done
            self._finish(None, exc)
            return
        finally:
            took = time.perf_counter() - started
            self.longest_step = max(self.longest_step, took)
            if took > SLOW_STEP:
                self.slow_steps.append((took, f"before {label}"))
        hub = self._hub
        assert hub is not None
        if step is engine.pause:  # one turn of the event loop, no trip to the worker
            QTimer.singleShot(0, self, lambda run=answer.run: self._answered(_Answer(run)))
            return
        self._call(answer.run, lambda: step(hub))

    def _finish(self, result: engine.SyncResult | None, error: BaseException | None) -> None:
        self._drop_steps()  # (and the first load's bar: an unfinished load resumes next time)
        self._let_hub_go()
        if error is None:
            self._problem = ""
            self.synced.emit(result)
        else:
            from adviser_app.sync.errors import explain

            problem: HubError = explain(error)
            self._problem = str(problem)
            log.info("sync stopped: %s", type(error).__name__)
            self.failed.emit(self._problem)
        self.show_status()
        if self._again:
            self._again = False
            self.sync_now()

    def _drop_steps(self) -> None:
        if self._quiet is not None:
            self._quiet.release()
            self._quiet = None
        self.first_load.finish()
        steps, self._steps = self._steps, None
        if steps is not None:
            steps.close()

    def _let_hub_go(self) -> None:
        hub, self._hub = self._hub, None
        if hub is not None:
            self.runner.start(hub.close)  # after any call still out on it

    def show_status(self) -> None:
        # (a case book that has not joined a hub never loads the network code)
        if self.session is None or sync_log.hub_settings(self.session.db) is None:
            self.status_changed.emit("")
            self.label.setToolTip("")
            return
        status = joining.status(self.session.db)
        self.status_changed.emit(status_text(status, self._problem))
        last = (f"Last synced with the office at {status.last_synced.strftime('%H:%M')} on "
                f"{format_date(status.last_synced.date())}." if status.last_synced else
                "Not yet synced with the office.")
        where = f"Connected to the hub at {status.where} as {status.user}. " if status.joined \
            else ""
        self.label.setToolTip(f"{where}{last} {self._problem}".strip())

    def _show_line(self, line: str) -> None:
        head, dash, tail = line.partition(" \u2014 ")
        if dash:  # the open conflicts: a link to the list
            self.label.setText(f'{html.escape(head)} \u2014 <a href="decisions">'
                               f"{html.escape(tail)}</a>")
        else:
            self.label.setText(line)

    @property
    def problem(self) -> str:
        return self._problem

    def wait(self) -> None:
        """Tests and quitting: let calls still out finish."""
        self.runner.wait()


def _families_here(session: Session) -> int:
    return int(session.db.execute("SELECT count(*) FROM family").fetchone()[0])


def _first_load_here(session: Session) -> tuple[bool, int]:
    """(a first load is due, the records an interrupted one already brought)."""
    if sync_log.pull_cursor(session.db) != 0:
        return False, 0
    from adviser_app.store import sync_first_load

    if sync_first_load.position(session.db) is None:
        return True, 0
    return True, int(session.db.execute("SELECT count(*) FROM sync_row").fetchone()[0])
