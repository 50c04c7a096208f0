"""T8: a second start on the same data folder hands over to the first window."""

from __future__ import annotations

import weakref
from pathlib import Path

from PySide6.QtNetwork import QLocalSocket

from adviser_app.ui.case_book.single_instance import SingleInstance, server_name


def test_second_start_asks_the_first_to_come_forward(qtbot, tmp_path: Path):
    first = SingleInstance(tmp_path)
    assert not first.hand_over(wait_ms=100)  # nobody there yet
    assert first.listen()
    raised = []
    first.raise_requested.connect(lambda: raised.append(True))
    second = SingleInstance(tmp_path)
    assert second.hand_over()
    qtbot.waitUntil(lambda: raised == [True], timeout=3000)
    assert first.server is not None
    first.server.close()


def test_each_data_folder_has_its_own_window(tmp_path: Path):
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert server_name(tmp_path / "a") == server_name(tmp_path / "a")


def test_a_window_closing_while_a_second_start_is_connected_is_freed_at_once(qtbot, tmp_path: Path):
    """The connection's handler once kept the window's listener alive until the second start
    hung up; it then died inside its own socket's deletion, which crashed the app (and CI)."""
    first = SingleInstance(tmp_path)
    assert first.listen()
    raised: list[bool] = []
    first.raise_requested.connect(lambda: raised.append(True))
    second_start = QLocalSocket()
    second_start.connectToServer(first.name)
    assert second_start.waitForConnected(500)
    second_start.write(b"raise\n")
    second_start.flush()
    qtbot.waitUntil(lambda: raised == [True], timeout=3000)
    listener = weakref.ref(first)
    del first
    assert listener() is None
    second_start.disconnectFromServer()
    qtbot.wait(50)  # the hang-up reaches a listener that is gone: nothing to crash
