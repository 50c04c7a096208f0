"""Screenshots of working as a team (issue 16), against a real hub started here (as the tests
start one): a clash settled with a typed value (and a bad date refused), the case view's
"Needs a decision" line, the timeline's "On" column, an entry's versions by laptop, the whole
service's audit log, and a new laptop's first-load bar.

    Xvfb :71 -screen 0 1600x1000x24 &
    DISPLAY=:71 PYTHONPATH=$PWD .venv/bin/python scripts/team_screenshots.py [OUT]

Throwaway case books with made-up families; nothing real is shown.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hub.laptops import Laptop  # noqa: E402
from hub.pg import HubDb, PgCluster  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from support import CHEAP, PASSPHRASE, create_book  # noqa: E402

from adviser_app.app import load_fonts  # noqa: E402
from adviser_app.domain.records import CaseDetails, ChildDetails, EntryDetails  # noqa: E402
from adviser_app.domain.vocab import CaseIssue, EntryKind  # noqa: E402
from adviser_app.services import casework  # noqa: E402
from adviser_app.store import families, timeline  # noqa: E402
from adviser_app.store.db import Database, close_case_book  # noqa: E402
from adviser_app.sync import admin, joining  # noqa: E402
from adviser_app.ui.case_view.history_dialog import HistoryDialog  # noqa: E402
from adviser_app.ui.main_window import MainWindow  # noqa: E402
from adviser_app.ui.service.audit_dialog import AuditDialog  # noqa: E402

TODAY = date(2026, 11, 28)


def wait(app: QApplication, done: Callable[[], bool], seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while not done():
        if time.monotonic() > end:
            raise SystemExit("timed out")
        app.processEvents()
        time.sleep(0.01)


def shoot(app: QApplication, widget: QWidget, path: Path) -> None:
    for _ in range(30):
        app.processEvents()
    widget.screen().grabWindow(widget.winId()).save(str(path))
    print("wrote", path)


def book(folder: Path, actor: str, names: tuple[str, ...] = ()) -> MainWindow:
    folder.mkdir(parents=True)
    db = create_book(folder)
    for name in names:
        casework.open_new_family_case(
            db, family_name=name, person=None,
            children=[ChildDetails("Zoë", name, date(2015, 3, 14))],
            case=CaseDetails("Sam", date(2026, 11, 1), frozenset({CaseIssue.OTHER})),
            actor=actor)
    close_case_book(db)
    win = MainWindow(folder, actor=actor, today=lambda: TODAY, kdf=CHEAP)
    win.resize(1400, 860)
    win.show()
    assert win.book.unlock(PASSPHRASE)
    return win


def sync(app: QApplication, win: MainWindow) -> None:
    done: list[object] = []
    win.team.synced.connect(done.append)
    win.team.failed.connect(done.append)
    assert win.team.sync_now()
    wait(app, lambda: bool(done))
    win.team.synced.disconnect(done.append)
    win.team.failed.disconnect(done.append)


def join(app: QApplication, win: MainWindow, hub: HubDb, user: str) -> None:
    session = win.book.session
    assert session is not None
    joining.join(session.db, hub.add_user(user), session.actor)
    win.team.joined()
    wait(app, lambda: not win.team.busy)


def db_of(win: MainWindow) -> Database:
    assert win.book.session is not None
    return win.book.session.db


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("adviser-toolkit")
    load_fonts(app)
    cluster = PgCluster()
    folder = Path(tempfile.mkdtemp(prefix="team-shots-"))
    try:
        assert admin.main(cluster.admin_args("adviser_hub", "init", "--public-host",
                                             "127.0.0.1", "--public-port",
                                             str(cluster.port))) == 0
        hub = HubDb(cluster, folder / "hub")
        sam = book(folder / "sam", "Sam Patel", ("Okafor", "Nowak"))
        priya = book(folder / "priya", "Priya Shah")
        join(app, sam, hub, "sam_patel")
        join(app, priya, hub, "priya_shah")
        a, b = db_of(sam), db_of(priya)
        ids = dict(a.execute("SELECT family_name, id FROM family").fetchall())
        case_id = a.execute("SELECT id FROM case_file WHERE family_id = ?",
                            [ids["Okafor"]]).fetchone()[0]
        entry = casework.add_timeline_entry(a, case_id, EntryDetails(
            EntryKind.HOME_VISIT, date(2026, 11, 27), "Sam", "Home visit: talked about the "
            "school bus and the annual review"), "Sam Patel")
        child = a.execute("SELECT id FROM child WHERE family_id = ?",
                          [ids["Okafor"]]).fetchone()[0]
        sync(app, sam)
        sync(app, priya)
        for db, notes, born in ((a, "Mum prefers email", "2015-03-15"),
                                (b, "Call after 4pm", "2015-04-14")):
            with db.atomic():
                families.update_family(db, ids["Okafor"], "Okafor", notes, "x")
                db.execute("UPDATE child SET date_of_birth = ? WHERE id = ?", [born, child])
        [current] = [e for e in timeline.list_entries(b, case_id, 50) if e.id == entry]
        casework.edit_timeline_entry(b, entry, EntryDetails(
            EntryKind.HOME_VISIT, date(2026, 11, 27), "Sam", "Home visit: talked about the "
            "school bus and the annual review. Both parents there."), "Priya Shah",
            current.version)
        casework.add_timeline_entry(b, case_id, EntryDetails(
            EntryKind.PHONE_CALL, date(2026, 11, 28), "Priya", "Rang the school's SENCo"),
            "Priya Shah")
        sync(app, sam)
        sync(app, priya)
        sync(app, sam)
        casework.add_timeline_entry(b, case_id, EntryDetails(
            EntryKind.NOTE, date(2026, 11, 28), "Priya", "Draft of the mediation letter"),
            "Priya Shah")  # not yet sent
        # the case view: the clash line, and the timeline's "On" column
        assert priya.workspace is not None
        priya.workspace.open_case(case_id)
        where = priya.workspace.detail.where_made
        wait(app, lambda: bool(where.changes or where.problem))
        shoot(app, priya, out / "team-case-needs-decision.png")
        # the list, filtered to the case, with a bad date typed
        priya.workspace.detail.team_band.linkActivated.emit("decide")
        chooser = priya.team_actions.decisions
        assert chooser is not None
        chooser.resize(1100, 460)
        rows = chooser.model.records()
        chooser.view.selectRow(next(i for i, d in enumerate(rows) if d.column == "date_of_birth"))
        chooser.typed.setText("31/02/2015")
        chooser.use_typed()
        shoot(app, chooser, out / "team-decision-bad-date.png")
        chooser.view.selectRow(next(i for i, d in enumerate(rows) if d.column == "notes"))
        chooser.typed.setText("Email first, then call after 4pm")
        shoot(app, chooser, out / "team-decision-typed.png")
        chooser.use_typed()
        wait(app, lambda: not priya.team.busy)
        chooser.close()
        # an entry's versions, by laptop
        dialog = HistoryDialog(timeline.entry_history(b, entry), priya, priya.book.session)
        dialog.show()
        wait(app, lambda: "on this laptop" in dialog.text.toPlainText())
        shoot(app, dialog, out / "team-entry-history.png")
        dialog.close()
        # the whole service's audit log
        audit = AuditDialog(priya.book.session, priya)  # type: ignore[arg-type]
        audit.resize(1200, 600)
        audit.show()
        audit.tabs.setCurrentIndex(1)
        assert audit.service is not None
        wait(app, lambda: audit.service is not None and audit.service.model.rowCount() > 0)
        shoot(app, audit, out / "team-audit-whole-service.png")
        audit.close()
        # a new laptop's first load, caught part way
        office = Laptop(folder, hub.add_user(), "office")
        with office.db.atomic():
            for n in range(6000):
                families.insert_family(office.db, f"Family {n:05d}", "office")
        office.sync()
        office.close()
        new = book(folder / "new", "Jo Smith")
        session = new.book.session
        assert session is not None
        joining.join(session.db, hub.add_user("jo_smith"), "Jo Smith")
        new.team.joined()
        bar = new.team.first_load
        wait(app, lambda: bar.isVisible() and bar.value() > 1500)
        shoot(app, new, out / "team-first-load.png")
        wait(app, lambda: not new.team.busy, 300)
        for win in (sam, priya, new):
            win.team.wait()
            win.book.close_case_book(show_start=False)
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
