"""First start: the welcome screen, creating a case book, and the training case book."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from adviser_app.services import case_books
from adviser_app.ui.main_window import MainWindow
from adviser_app.ui.welcome import WelcomePage


def test_first_start_shows_welcome_and_writes_nothing(qtbot, data_dir: Path, today):
    win = MainWindow(data_dir, actor="Sam", today=lambda: today)
    qtbot.addWidget(win)
    win.show()
    assert isinstance(win.stack.currentWidget(), WelcomePage)
    assert win.welcome.create_button.isVisible() and win.welcome.training_button.isVisible()
    assert not win.new_case_action.isEnabled()
    assert list(data_dir.iterdir()) == []


def test_create_case_book_makes_an_encrypted_file_and_shows_first_steps(qtbot, data_dir,
                                                                          today):
    win = MainWindow(data_dir, actor="Sam", today=lambda: today)
    qtbot.addWidget(win)
    win.show()
    qtbot.mouseClick(win.welcome.create_button, Qt.MouseButton.LeftButton)
    assert win.workspace is not None
    assert win.workspace.right.currentWidget() is win.workspace.first_steps
    assert not win.workspace.banner.isVisible()
    path = case_books.real_place(data_dir).path
    assert path.read_bytes()[:16] != b"SQLite format 3\x00"
    assert win.new_case_action.isEnabled()
    win.close_case_book()


def test_training_case_book_is_separate_and_bannered(qtbot, data_dir, today):
    win = MainWindow(data_dir, actor="Sam", today=lambda: today)
    qtbot.addWidget(win)
    win.show()
    qtbot.mouseClick(win.welcome.training_button, Qt.MouseButton.LeftButton)
    assert win.session is not None and win.session.training
    assert win.workspace.banner.isVisible()
    assert "fictional" in win.workspace.banner.text()
    assert "TRAINING" in win.windowTitle()
    assert not case_books.real_place(data_dir).exists()  # no real case book was made
    assert case_books.training_place(data_dir).exists()
    model = win.workspace.case_list.model
    assert model.rowCount() >= 12
    assert all(model.summary(r).reference.startswith("TR-") for r in range(model.rowCount()))
    win.close_case_book()


def test_a_problem_opening_is_shown_on_the_welcome_screen(qtbot, populated_dir, today):
    key = case_books.real_place(populated_dir).key_path
    key.write_text("{ not json")
    win = MainWindow(populated_dir, actor="Sam", today=lambda: today)
    qtbot.addWidget(win)
    win.show()
    assert win.session is None
    assert isinstance(win.stack.currentWidget(), WelcomePage)
    assert "damaged" in win.welcome.error.text()
    assert win.welcome.open_button.isVisible()
    assert case_books.real_place(populated_dir).path.exists()  # never deleted


def test_second_window_on_the_same_case_book_is_refused(qtbot, window, populated_dir,
                                                        today):
    second = MainWindow(populated_dir, actor="Sam", today=lambda: today)
    qtbot.addWidget(second)
    assert second.session is None
    assert "already open" in second.welcome.error.text()
