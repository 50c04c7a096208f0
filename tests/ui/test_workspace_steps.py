"""After unlocking, the workspace makes what the case list does not need one part per turn of
the event loop, so no turn holds the window for long: the advisers' names, the case view's
graduated-approach tab, its statutory dates tab, the case view around them without its lists,
then its lists (tasks, children, people), the case open at the last lock, then the deadlines
view behind its tab. (Made in one turn, the case view held the window for about 220 ms on a
20,000-family book; see benchmarks/README.md.)"""

from __future__ import annotations

from adviser_app.ui.deadlines.deadlines_view import DeadlinesView
from adviser_app.ui.workspace import DEADLINES_TAB, Workspace


def test_the_case_view_is_made_in_turns_after_the_list(window, qtbot):
    ws = Workspace(window.session, "folder")
    qtbot.addWidget(ws)
    assert not ws.is_complete and ws.case_list.adviser_filter.count() == 0
    ws._build_the_rest()
    assert ws.case_list.adviser_filter.count() > 0 and ws._graduated is None
    ws._build_the_rest()
    assert ws._graduated is not None and ws._statutory is None and not ws.is_complete
    ws._build_the_rest()
    assert ws._statutory is not None and ws._shell is None and not ws.is_complete
    graduated, statutory = ws._graduated, ws._statutory
    ws._build_the_rest()
    shell = ws._shell
    assert shell is not None and not ws.is_complete
    assert shell.graduated is graduated and shell.statutory is statutory
    assert not hasattr(shell, "tasks_model")  # its lists come in the next turn
    ws._build_the_rest()
    assert ws.is_complete and ws.detail is shell
    assert ws.detail.tabs.indexOf(graduated) >= 0 and ws.detail.tabs.indexOf(statutory) >= 0
    titles = [ws.detail.tabs.tabText(i) for i in range(ws.detail.tabs.count())]
    assert titles == ["&Timeline", "Statutory &dates", "&Graduated approach", "T&asks",
                      "Childre&n", "&People"]
    assert ws._deadlines is None
    ws._build_the_rest()
    assert isinstance(ws.views.widget(DEADLINES_TAB), DeadlinesView)
    assert ws.views.tabText(DEADLINES_TAB) == "Deadlines" and ws.views.currentIndex() == 0


def test_a_case_opened_before_then_gets_the_whole_case_view_at_once(window, qtbot):
    ws = Workspace(window.session, "folder")
    qtbot.addWidget(ws)
    ws._build_the_rest()
    ws._build_the_rest()  # the graduated tab is made; the statutory one is not yet
    detail = ws.detail  # wanted now: made with what there is
    assert ws.is_complete and detail.graduated is ws._graduated
    assert detail.tabs.indexOf(detail.statutory) >= 0
    assert detail.tabs.count() == 6


def test_a_case_shown_before_the_lists_turn_gets_its_lists(window, qtbot):
    ws = Workspace(window.session, "folder")
    qtbot.addWidget(ws)
    for _ in range(4):
        ws._build_the_rest()  # the case view is made without its lists
    case_id = ws.case_list.model.summary(0).id
    ws.open_case(case_id)  # wanted now (say from the list): the whole view, the case in it
    assert ws.is_complete and ws.detail.case is not None and ws.detail.case.id == case_id
    assert ws.detail.children_model.rowCount() > 0 and ws.detail.people_model.rowCount() > 0


def test_the_deadlines_tab_chosen_early_shows_the_deadlines(window, qtbot):
    ws = Workspace(window.session, "folder")
    qtbot.addWidget(ws)
    ws.show()
    ws.views.setCurrentIndex(DEADLINES_TAB)  # before the turns have made its view
    view = ws.views.currentWidget()
    assert isinstance(view, DeadlinesView) and view is ws.deadlines
    assert ws.views.count() == 2 and ws.views.currentIndex() == DEADLINES_TAB
    ws.show_cases()
    for _ in range(8):
        ws._build_the_rest()  # the rest of the turns leave it as it is
    assert ws.deadlines is view and ws.views.widget(DEADLINES_TAB) is view
