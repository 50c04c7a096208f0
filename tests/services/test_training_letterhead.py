"""The training case book ships a fictional letterhead, so a trainee's first letter can be
made (issue 21: it was blocked until a letterhead was typed in)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from adviser_app.services import case_books, documents
from adviser_app.store.cases import CaseFilter, find_cases
from adviser_app.store.db import close_case_book

TODAY = date(2026, 12, 6)


def test_a_first_letter_in_the_training_case_book_is_made_on_a_fictional_letterhead(
        data_dir: Path) -> None:
    db = case_books.open_training(data_dir, TODAY)
    try:
        head = documents.letterhead(db)
        assert "fictional" in head["name"] and head["phone"].startswith("0113 496")
        case_id = find_cases(db, CaseFilter()).rows[0].id
        draft = documents.start(db, case_id, "deadline_schedule", TODAY)
        letter = documents.compose(db, case_id, "deadline_schedule", draft.wording, {},
                                   draft.recipient, TODAY)
        text = PdfReader(io.BytesIO(documents.preview(db, letter))).pages[0].extract_text()
        assert "Brookfield SENDIASS" in text
    finally:
        close_case_book(db)
