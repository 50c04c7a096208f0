"""After unlocking, the workspace makes what the case list does not need one part per turn of
the event loop, so no turn holds the window for long: the advisers' names, the case view's
graduated-approach tab, its statutory dates tab, then the case view around them. (Made in one
turn, the case view held the window for about 220 ms on a 20,000-family book; see
benchmarks/README.md.)"""

from __future__ import annotations

from adviser_app.ui.workspace import Workspace


def test_the_case_view_is_made_in_turns_after_the_list(window, qtbot):
    ws = Workspace(window.session, "folder")
    qtbot.addWidget(ws)
    assert not ws.is_complete and ws.case_list.adviser_filter.count() == 0
    ws._build_the_rest()
    assert ws.case_list.adviser_filter.count() > 0 and ws._graduated is None
    ws._build_the_rest()
    assert ws._graduated is not None and ws._statutory is None and not ws.is_complete
    ws._build_the_rest()
    assert ws._statutory is not None and not ws.is_complete
    graduated, statutory = ws._graduated, ws._statutory
    ws._build_the_rest()
    assert ws.is_complete
    assert ws.detail.graduated is graduated and ws.detail.statutory is statutory
    assert ws.detail.tabs.indexOf(graduated) >= 0 and ws.detail.tabs.indexOf(statutory) >= 0


def test_a_case_opened_before_then_gets_the_whole_case_view_at_once(window, qtbot):
    ws = Workspace(window.session, "folder")
    qtbot.addWidget(ws)
    ws._build_the_rest()
    ws._build_the_rest()  # the graduated tab is made; the statutory one is not yet
    detail = ws.detail  # wanted now: made with what there is
    assert ws.is_complete and detail.graduated is ws._graduated
    assert detail.tabs.indexOf(detail.statutory) >= 0
