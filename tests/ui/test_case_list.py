"""The case list over a real encrypted case book: search as you type, filters, opening."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from adviser_app.domain.vocab import AreaOfNeed, CaseState, ChildStatus
from adviser_app.ui.case_view.case_table import CaseTableModel


def families_shown(window) -> list[str]:
    model = window.workspace.case_list.model
    return [model.summary(row).family_name for row in range(model.rowCount())]


def test_existing_case_book_opens_straight_to_the_list(window):
    assert window.workspace is not None
    assert sorted(families_shown(window)) == ["O'Brien", "Okafor", "Petrović", "Wiśniewska"]
    assert window.workspace.case_list.count.text() == "4 cases"


def test_typing_narrows_the_list_with_every_letter(window, qtbot):
    search = window.workspace.case_list.search
    counts = []
    for letter in "okaf":
        QTest.keyClicks(search, letter)
        counts.append(window.workspace.case_list.model.rowCount())
    assert families_shown(window) == ["Okafor"]
    assert counts[0] >= counts[-1] == 1


def test_ctrl_f_then_enter_opens_the_best_match(window, qtbot):
    window.workspace.case_list.table.setFocus()
    QTest.keySequence(window, QKeySequence(QKeySequence.StandardKey.Find))
    search = window.workspace.case_list.search
    assert search.hasFocus()
    QTest.keyClicks(search, "okaf")
    QTest.keyClick(search, Qt.Key.Key_Return)
    detail = window.workspace.detail
    assert detail.case is not None and detail.family is not None
    assert detail.family.family_name == "Okafor"
    assert window.workspace.right.currentWidget() is detail  # the case is on screen
    assert detail.isVisible()
    assert "Tobi Okafor" in detail.header.facts.text()
    assert "SEN support" in detail.header.facts.text()


def test_search_ignores_case_and_accents(window):
    case_list = window.workspace.case_list
    for typed, family in [("ZOE", "O'Brien"), ("lucja", "Wiśniewska"), ("dorde", "Petrović"),
                          ("obrien", "O'Brien"), ("harbour", "O'Brien"),
                          ("reading support", "Okafor")]:
        case_list.search.setText(typed)
        assert families_shown(window) == [family], typed
    case_list.search.setText("nobody-called-this")
    assert families_shown(window) == []
    assert case_list.count.text() == "0 cases"


def test_filters_by_status_area_and_adviser(window, qtbot):
    case_list = window.workspace.case_list
    # the advisers' names are filled in after the list is first painted
    qtbot.waitUntil(lambda: case_list.adviser_filter.count() > 1)
    case_list.status_filter.select(ChildStatus.EHC_PLAN)
    assert families_shown(window) == ["O'Brien"]
    case_list.status_filter.setCurrentIndex(0)
    case_list.area_filter.select(AreaOfNeed.SEMH)
    assert sorted(families_shown(window)) == ["Okafor", "Petrović"]
    case_list.adviser_filter.select("Priya Shah")
    assert families_shown(window) == ["Petrović"]


def test_closed_cases_leave_the_open_list(window, qtbot):
    case_list = window.workspace.case_list
    case_list.search.setText("okafor")
    summary = case_list.model.summary(0)
    from adviser_app.services import casework

    casework.close_case(window.session.db, summary.id, summary.opened_on, "", "t")
    case_list.search.clear()
    assert "Okafor" not in families_shown(window)
    case_list.state_filter.select(CaseState.CLOSED)
    assert families_shown(window) == ["Okafor"]
    case_list.state_filter.select(None)
    assert len(families_shown(window)) == 4


def test_a_manager_lists_the_cases_waiting_on_the_family(window, qtbot):
    """Inactive (waiting on the family) is still open: in "Open cases", shown as Inactive,
    alone under "Inactive", and left out of "Open and active"; active again, it moves back."""
    from adviser_app.services import case_progress, casework
    from adviser_app.ui.case_view.case_list import ACTIVE, INACTIVE

    case_list = window.workspace.case_list
    case_list.search.setText("okafor")
    okafor = case_list.model.summary(0)
    case_list.search.clear()
    db = window.session.db
    case_progress.set_inactive(db, okafor.id, True, okafor.opened_on, "t")
    case_list.refresh()
    assert "Okafor" in families_shown(window)  # open cases include the inactive
    model = case_list.model
    states = {model.summary(r).family_name: model.index(r, 7).data()
              for r in range(model.rowCount())}
    assert states["Okafor"] == "Inactive" and states["O'Brien"] == "Open"
    assert case_list.state_filter.select(INACTIVE)
    assert families_shown(window) == ["Okafor"]
    assert case_list.count.text() == "1 case"
    assert case_list.state_filter.select(ACTIVE)
    assert sorted(families_shown(window)) == ["O'Brien", "Petrović", "Wiśniewska"]
    case_progress.set_inactive(db, okafor.id, False, okafor.opened_on, "t")
    case_list.refresh()
    assert "Okafor" in families_shown(window)
    assert case_list.state_filter.select(INACTIVE)
    assert families_shown(window) == []
    casework.close_case(db, okafor.id, okafor.opened_on, "", "t")
    case_list.state_filter.select(CaseState.CLOSED)
    assert families_shown(window) == ["Okafor"]
    assert case_list.model.index(0, 7).data() == "Closed"


def test_case_table_model_passes_qt_model_tester(window, qtmodeltester):
    model = CaseTableModel()
    model.set_rows([window.workspace.case_list.model.summary(r) for r in range(4)])
    qtmodeltester.check(model)
    assert model.index(0, 6).data().count("/") == 2  # dd/mm/yyyy


def test_a_long_list_reads_the_rest_as_it_is_scrolled(window, qtbot, monkeypatch):
    from adviser_app.store.cases import find_cases
    from adviser_app.ui.case_view import case_list

    panel = window.workspace.case_list
    panel.state_filter.setCurrentIndex(len(case_list.STATE_CHOICES) - 1)  # open and closed
    monkeypatch.setattr(case_list, "MOST_SHOWN", 1)
    panel.refresh()
    model = panel.model
    assert model.rowCount() == 1 and model.canFetchMore()
    assert panel.count.text() == "4 cases"  # every case matched, not only those read
    for _ in range(10):  # the view asks for more as it reaches the end
        panel.table.scrollToBottom()
        qtbot.wait(20)
    assert model.rowCount() > 1
    model.fetch_all()
    everything = find_cases(window.session.db, panel.current_filter()).rows
    assert [model.summary(r) for r in range(model.rowCount())] == everything
    assert len(everything) == 4 and not model.canFetchMore()
    monkeypatch.undo()
    panel.state_filter.setCurrentIndex(0)
    qtbot.keyClicks(panel.search, "ok")
    assert families_shown(window) == ["Okafor"]
    assert "Words under 3 letters match names" in panel.count.text()
    qtbot.keyClicks(panel.search, "afor")
    assert panel.count.text() == "1 case"


def test_locking_with_a_long_case_list(window, monkeypatch):
    """The view may ask for the next page after the case book is locked: nothing is read."""
    from adviser_app.ui.case_view import case_list

    panel = window.workspace.case_list
    monkeypatch.setattr(case_list, "MOST_SHOWN", 1)
    panel.refresh()
    assert panel.model.rowCount() == 1 and panel.model.canFetchMore()
    window.book.lock()
    panel.model.fetch_all()  # as the view would, from its layout after the lock
    assert panel.model.rowCount() == 1 and not panel.model.canFetchMore()


def test_the_count_says_when_a_word_was_too_common_to_look_through():
    from adviser_app.ui.case_view.case_list import count_text

    assert count_text(200, 1262, "zoe", complete=False).startswith(
        "Showing 200 of at least 1,262 cases: a word this common is looked for in every "
        "case's names, references and contact details, but only in the newest notes")
    assert count_text(4, 4, "") == "4 cases"
    assert count_text(4, 4, "sa-2021", complete=False).startswith(
        "4 cases or more: a word this common")  # not "Showing 4 of at least 4"


def test_a_search_that_finds_only_closed_cases_says_so(window, qtbot):
    from datetime import date

    from adviser_app.services import casework

    panel = window.workspace.case_list
    names = [panel.model.summary(r).family_name for r in range(panel.model.rowCount())]
    okafor = panel.model.summary(names.index("Okafor")).id
    casework.close_case(window.session.db, okafor, date(2026, 11, 20), "done", "t")
    panel.refresh()
    qtbot.keyClicks(panel.search, "okafor")
    assert panel.model.rowCount() == 0
    assert "1 closed case matches" in panel.count.text()


def test_other_spellings_and_phone_digits_find_the_family(window, qtbot):
    """Issue 21: "djordje" found nobody for Đorđe, and a phone number was found only as
    stored ("07700 900123" but not "07700900123")."""
    search = window.workspace.case_list.search
    search.setText("djordje")
    assert families_shown(window) == ["Petrović"]
    search.setText("dorde")
    assert families_shown(window) == ["Petrović"]
    search.setText("07700900123")
    assert len(families_shown(window)) == 4
    search.setText("07700 900123")
    assert len(families_shown(window)) == 4


def test_a_case_book_indexed_by_an_older_version_is_indexed_again_once(window):
    from adviser_app.domain.search_text import search_tokens
    from adviser_app.store import search
    from adviser_app.store.settings import set_setting

    db = window.session.db
    with db.atomic():  # as an older version left it: no other spellings, no phone digits
        for row in list(db.query("SELECT case_id, source, words FROM search_doc")):
            db.execute("UPDATE search_doc SET words = ? WHERE case_id = ? AND source = ?",
                       [" ".join(search_tokens(row["words"].replace("dj", "d"))),
                        row["case_id"], row["source"]])
        set_setting(db, search.INDEX_VERSION_SETTING, "1")
    window.workspace.case_list.search.setText("djordje")
    assert families_shown(window) == []
    with db.atomic():
        assert search.bring_index_up_to_date(db)
        assert not search.bring_index_up_to_date(db)  # once
    window.workspace.case_list.search.setText("")
    window.workspace.case_list.search.setText("djordje")
    assert families_shown(window) == ["Petrović"]


def test_a_very_common_word_reads_on_until_every_case_is_shown(window, qtbot, monkeypatch):
    """Words in the own details of more cases than are counted in full ("at least" so many):
    the list still reads on as it is scrolled until every matching case is shown."""
    from adviser_app.store import case_search
    from adviser_app.store import search as search_module
    from adviser_app.ui.case_view import case_list

    panel = window.workspace.case_list
    monkeypatch.setattr(case_list, "MOST_SHOWN", 1)
    monkeypatch.setattr(search_module, "MOST_OWN", 1)
    monkeypatch.setattr(case_search, "_MOST_COUNTED", 1)  # the number said: at least 1
    panel.search.setText("07700 900")  # every family's phone number, typed in groups
    model = panel.model
    assert panel.count.text().startswith("1 case or more: ")  # one read, more to come
    model.fetch_all()  # as the view does, page by page, as it is scrolled to the end
    assert sorted(families_shown(window)) == ["O'Brien", "Okafor", "Petrović", "Wiśniewska"]
    assert not model.canFetchMore()
