"""A new, empty laptop loading the office register: its own progress bar in the status bar,
counting records against the hub's total, with the families in. (That the window is never
held for long while it loads is measured in benchmarks/team_gui_block.py.)"""

from __future__ import annotations

from pathlib import Path

from hub.laptops import Laptop
from hub.pg import HubDb
from hub.team_windows import joined, window
from planting import plant

from adviser_app.store import families
from adviser_app.ui.team.first_load import WORTH_A_BAR, load_text


def test_a_new_laptop_shows_the_register_loading_in_its_own_bar(
        qtbot, hub_db: HubDb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _office(hub_db, tmp_path, families_alone=WORTH_A_BAR + 100, cases=0)
    win = window(qtbot, tmp_path / "new")
    try:
        bar = win.team.first_load
        shown: list[tuple[int, str, bool]] = []
        step = bar.step

        def watched(here: int, pulled: int) -> None:
            step(here, pulled)
            shown.append((bar.value(), bar.format(), bar.isVisible()))
        bar.step = watched  # type: ignore[method-assign]
        joined(qtbot, win, hub_db, "new_laptop")
        total = WORTH_A_BAR + 100
        assert len(shown) > 3, shown  # many pages, each moving the bar on
        values = [v for v, _, _ in shown]
        assert values == sorted(values) and values[-1] == total
        assert shown[0][1].startswith("Loading the office register: ")
        assert shown[-1][1] == load_text(total, total, total, total) == \
            "Loading the office register: 600 of 600 records (600 of 600 families)"
        assert all(visible for _, _, visible in shown)
        assert not bar.isVisible()  # done: the bar goes
        assert win.book.session is not None
        here = win.book.session.db.execute("SELECT count(*) FROM family").fetchone()[0]
        assert here == total
        # the next sync has nothing big to fetch: no bar
        with qtbot.waitSignal(win.team.synced, timeout=30_000):
            win.team.sync_now()
        assert bar.total == 0 and not bar.isVisible()
    finally:
        win.team.wait()
        win.book.close_case_book(show_start=False)


def _office(hub_db: HubDb, tmp_path: Path, families_alone: int, cases: int) -> None:
    """The office sends a register of so many families without a case, and so many open
    cases with their families."""
    office = Laptop(tmp_path, hub_db.add_user(), "office")
    with office.db.atomic():
        for n in range(families_alone):
            families.insert_family(office.db, f"Family {n:04d}", "office")
    for n in range(cases):
        plant(office.db, f"k{n}", closed_on=None)
    office.sync()
    office.close()


def test_the_first_steps_give_way_to_the_register_once_it_has_loaded(
        qtbot, hub_db: HubDb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A new laptop's empty case book shows what to do first ("Add your first family"); once
    the office's cases are in, it says to choose one instead."""
    _office(hub_db, tmp_path, families_alone=0, cases=3)
    win = window(qtbot, tmp_path / "new")
    try:
        workspace = win.workspace
        assert workspace is not None
        assert workspace.right.currentWidget() is workspace.first_steps
        joined(qtbot, win, hub_db, "new_laptop")
        assert workspace.case_list.model.rowCount() == 3
        assert workspace.right.currentWidget() is workspace.placeholder
    finally:
        win.team.wait()
        win.book.close_case_book(show_start=False)


def test_the_case_list_fills_as_the_register_arrives(
        qtbot, hub_db: HubDb, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """While a new laptop loads the register, the case list is shown again every few seconds
    (here at once), so cases appear without waiting for the end of the load."""
    from adviser_app.ui import main_window

    monkeypatch.setattr(main_window, "ARRIVING_EVERY_MS", 0)
    _office(hub_db, tmp_path, families_alone=WORTH_A_BAR + 100, cases=3)
    win = window(qtbot, tmp_path / "new")
    try:
        workspace = win.workspace
        assert workspace is not None
        seen: list[tuple[bool, int, int]] = []  # (loading, rows listed, open cases here)
        shown = workspace.show_arrivals

        def watched() -> None:
            shown()
            db = win.book.session.db
            here = db.execute("SELECT count(*) FROM case_file WHERE state = 'open'").fetchone()
            seen.append((win.team.busy, workspace.case_list.model.rowCount(), here[0]))
        workspace.show_arrivals = watched  # type: ignore[method-assign]
        joined(qtbot, win, hub_db, "new_laptop")
        assert seen and all(loading for loading, _, _ in seen)  # only while it loads
        assert all(listed == here for _, listed, here in seen)  # the list as the book is
        assert seen[-1][1] == 3  # the cases listed before the load ended (their notes after)
        assert workspace.case_list.model.rowCount() == 3
    finally:
        win.team.wait()
        win.book.close_case_book(show_start=False)
