"""Shared fixtures: Qt offscreen, a fresh encrypted case book, a fixed 'today'."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from adviser_app.none_guard import keep_none_alive
from adviser_app.store.db import Database, close_case_book
from support import create_book

keep_none_alive()  # pytest-qt's windows run the Qt bindings' None fault too (none_guard.py)

TODAY = date(2026, 11, 28)


@pytest.fixture(autouse=True, scope="session")
def collect_on_the_gui_thread(qapp: object) -> None:
    """As the app does (ui/collector.py): Python's collector never runs on a worker thread,
    where it could delete a widget off its thread."""
    from adviser_app.ui import collector

    collector.install()


@pytest.fixture(autouse=True)
def collect_between_tests(collect_on_the_gui_thread: None) -> Iterator[None]:
    """A test that never turns the event loop gets no timer tick: collect after it, on the
    GUI thread, as the timer would have."""
    yield
    from adviser_app.ui import collector

    collector.install().tick()


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    """A real, new, encrypted case book file, closed after the test."""
    database = create_book(data_dir)
    yield database
    try:
        close_case_book(database)
    except Exception:
        pass  # already closed by the test
