"""Fixtures for service tests: a case book that can be closed and reopened from its file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adviser_app.services import case_books
from adviser_app.store.db import Database, close_case_book
from support import open_book


class Book:
    """The case book under test; reopen() closes it and opens the file again."""

    def __init__(self, db: Database, data_dir: Path) -> None:
        self.db = db
        self.data_dir = data_dir

    def reopen(self) -> Database:
        close_case_book(self.db)
        self.db = open_book(case_books.real_place(self.data_dir))
        return self.db


@pytest.fixture
def book(db: Database, data_dir: Path) -> Iterator[Book]:
    holder = Book(db, data_dir)
    yield holder
    try:
        close_case_book(holder.db)
    except Exception:
        pass  # already closed by the test
