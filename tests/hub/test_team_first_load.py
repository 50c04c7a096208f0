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
    office = Laptop(tmp_path, hub_db.add_user(), "office")
    with office.db.atomic():
        for n in range(WORTH_A_BAR + 100):
            families.insert_family(office.db, f"Family {n:04d}", "office")
    office.sync()
    office.close()
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


def test_the_first_steps_give_way_to_the_register_once_it_has_loaded(
        qtbot, hub_db: HubDb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A new laptop's empty case book shows what to do first ("Add your first family"); once
    the office's cases are in, it says to choose one instead."""
    office = Laptop(tmp_path, hub_db.add_user(), "office")
    for n in range(3):
        plant(office.db, f"k{n}", closed_on=None)
    office.sync()
    office.close()
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
