"""The shared form helpers: refilling a choice box, and the Yes/No question before deleting
(No by default), down to their use on a real case."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from adviser_app.domain.statutory.events import EventKind
from adviser_app.ui.case_view.event_dialog import EventDialog
from adviser_app.ui.form_support import combo, confirmation


def test_refill_keeps_the_choice_falls_back_and_signals_nothing(qtbot):
    box = combo("Adviser", [("Any adviser", ""), ("Sam", "Sam"), ("Ali", "Ali")], "Ali")
    qtbot.addWidget(box)
    changes: list[int] = []
    box.currentIndexChanged.connect(changes.append)
    box.refill([("Any adviser", ""), ("Ali", "Ali"), ("Jo", "Jo")])
    assert box.choice() == "Ali" and box.count() == 3  # still offered: kept
    box.refill([("Any adviser", ""), ("Jo", "Jo")], fallback="Jo")
    assert box.choice() == "Jo"  # gone: the fallback
    box.refill([("Any adviser", ""), ("Sam", "Sam")])
    assert box.choice() == ""  # gone, no fallback: the first
    assert changes == []
    box.refill([])
    assert box.choice() is None and box.currentIndex() == -1


def test_the_question_before_deleting_defaults_to_no(qtbot):
    box = confirmation(None, "Delete this meeting?", "Delete the meeting of 01/10/2026?")
    qtbot.addWidget(box)
    no = box.button(QMessageBox.StandardButton.No)
    assert box.defaultButton() is no and box.escapeButton() is no
    assert box.button(QMessageBox.StandardButton.Yes) is not None
    assert box.text() == "Delete the meeting of 01/10/2026?"


def test_deleting_an_event_asks_and_no_keeps_it(window, qtbot, monkeypatch):
    window.workspace.case_list.search.setText("okafor")
    window.workspace.open_case(window.workspace.case_list.model.summary(0).id)
    detail = window.workspace.detail
    dialog = EventDialog(window.session, detail.case.id, detail.family,
                         set(detail.case.details.child_ids))
    qtbot.addWidget(dialog)
    dialog.kind.select(EventKind.ADVICE_REQUESTED)
    dialog.event_date.setText("02/11/2026")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    detail.show_case(detail.case.id)
    tab = detail.statutory
    tab.events_view.selectRow(0)
    asked: list[str] = []
    monkeypatch.setattr("adviser_app.ui.case_view.statutory_tab.confirm",
                        lambda parent, title, question: asked.append(question) or False)
    tab._delete()
    assert asked and "The deadlines it produced will go too." in asked[0]
    assert tab.events_model.rowCount() == 1  # No: kept
    monkeypatch.setattr("adviser_app.ui.case_view.statutory_tab.confirm",
                        lambda parent, title, question: True)
    tab._delete()
    assert tab.events_model.rowCount() == 0


def test_a_list_window_asks_for_a_choice_before_acting_on_one(qtbot):
    from adviser_app.ui.form_support import MessageLabel
    from adviser_app.ui.record_table import Column, RecordTableModel, record_view

    model: RecordTableModel[str] = RecordTableModel([Column("Reference", lambda r: r)])
    view = record_view(model, "Cases")
    message = MessageLabel()
    qtbot.addWidget(view)
    qtbot.addWidget(message)
    model.set_rows(["SA-2026-0001", "SA-2026-0002"])
    assert message.chosen(view, "Choose a case in the list first.") is None
    assert message.text() == "Choose a case in the list first."
    assert "color" in message.styleSheet()  # said as a problem
    view.selectRow(1)
    assert message.chosen(view, "Choose a case in the list first.") == "SA-2026-0002"


def _wheel_down(widget) -> bool:
    """One notch of the wheel over `widget`; True if the widget kept the event. (Qt hands an
    ignored wheel event to the parent only when it came from the system, so a test can see
    that it was ignored, not the scroll area then moving.)"""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    inside = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(inside, QPointF(widget.mapToGlobal(inside.toPoint())), QPoint(0, 0),
                        QPoint(0, -120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def test_the_mouse_wheel_never_changes_a_choice_or_a_number(qtbot):
    """Found walking the new-family form: scrolling it with the wheel over the Year group box
    changed "Not known" to "Year 2", and that was saved. The wheel now goes on to the form."""
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from adviser_app.ui.form_support import NumberBox

    form = QWidget()
    qtbot.addWidget(form)
    column = QVBoxLayout(form)
    year = combo("Year group", [("Not known", "")] + [(f"Year {n}", f"Year {n}")
                                                      for n in range(1, 14)])
    months = NumberBox(1, 120, 24, "Months")
    column.addWidget(year)
    column.addWidget(months)
    form.show()
    qtbot.waitExposed(form)
    for box in (year, months):
        assert not _wheel_down(box)
        box.setFocus()  # even with the focus on it
        assert not _wheel_down(box)
    assert year.choice() == "" and year.currentText() == "Not known"
    assert months.value() == 24
