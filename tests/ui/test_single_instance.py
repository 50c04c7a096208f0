"""T8: a second start on the same data folder hands over to the first window."""

from __future__ import annotations

from pathlib import Path

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
