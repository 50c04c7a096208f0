"""The one table model for lists of records, run through Qt's own model tester (which checks
every answer the model gives a view: counts, indexes, parents, headers, roles) while its rows
are set, emptied and coloured."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush
from PySide6.QtTest import QAbstractItemModelTester

from adviser_app.ui.record_table import Column, RecordTableModel, record_view, selected_record


@dataclass(frozen=True)
class Meeting:
    led_by: str
    late: bool


def _model() -> RecordTableModel[Meeting]:
    return RecordTableModel([
        Column("Led by", lambda m: m.led_by),
        Column("Late", lambda m: "Yes" if m.late else "No",
               lambda m: "#b00020" if m.late else None)])


def test_the_model_passes_qts_model_tester(qtbot, qtlog):
    model = _model()
    tester = QAbstractItemModelTester(
        model, QAbstractItemModelTester.FailureReportingMode.Warning)
    model.set_rows([Meeting("Ms Reid", False), Meeting("Mr Khan", True)])
    model.set_rows([])
    model.set_rows([Meeting("Ms Reid", True)])
    failures = [r.message for r in qtlog.records if "FAIL" in r.message or
                r.type.name in ("QtWarningMsg", "QtCriticalMsg", "QtFatalMsg")]
    assert failures == []
    assert tester is not None


def test_what_the_model_answers(qtbot):
    model = _model()
    model.set_rows([Meeting("Ms Reid", False), Meeting("Mr Khan", True)])
    assert (model.rowCount(), model.columnCount()) == (2, 2)
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Late"
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.data(model.index(1, 0)) == "Mr Khan"
    brush = model.data(model.index(1, 1), Qt.ItemDataRole.ForegroundRole)
    assert isinstance(brush, QBrush) and brush.color().name() == "#b00020"
    assert model.data(model.index(0, 1), Qt.ItemDataRole.ForegroundRole) is None
    assert model.data(model.index(0, 0), RecordTableModel.RecordRole) == Meeting("Ms Reid", False)
    assert model.data(QModelIndex()) is None
    view = record_view(model, "Meetings")
    qtbot.addWidget(view)
    assert selected_record(view) is None
    view.selectRow(1)
    assert selected_record(view) == Meeting("Mr Khan", True)


def test_the_case_list_model_passes_it_too_while_searching(window, qtbot, qtlog):
    model = window.workspace.case_list.model
    tester = QAbstractItemModelTester(
        model, QAbstractItemModelTester.FailureReportingMode.Warning)
    for text in ("okafor", "zz-nobody", ""):
        window.workspace.case_list.search.setText(text)
    assert model.rowCount() == 4  # every case again
    assert [r.message for r in qtlog.records if "FAIL" in r.message] == []
    assert tester is not None


def test_a_long_list_is_fetched_a_page_at_a_time(qtbot):
    everyone = [Meeting(f"Adviser {n}", n % 3 == 0) for n in range(45)]
    asked: list[int] = []

    def more(held: int) -> list[Meeting]:
        asked.append(held)
        return everyone[held:held + 20]

    model = _model()
    # (Qt's model tester is not used here: it calls fetchMore itself, while it still counts
    # the reset that announced the rows as under way.)
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    model.set_rows(everyone[:20], more)
    assert model.rowCount() == 20 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 40 and model.record(39) == everyone[39]
    model.fetch_all()
    assert model.records() == everyone and not model.canFetchMore()
    assert asked == [20, 40, 45]  # the last answer, empty, ends the fetching
    assert inserted == [(20, 39), (40, 44)]
    model.set_rows(everyone[:2])  # no more: a plain list again
    assert not model.canFetchMore()
