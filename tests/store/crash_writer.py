"""A writer process for the SIGKILL test: saves cases through the real services and prints
each case id only after its transaction has committed (the "Saved" an adviser would see).

    python crash_writer.py DATA_DIR [--no-transactions]

With --no-transactions it switches off the protections (no journal, no transaction per
action, a pause between statements): the test's "teeth" run, which must see damage. With
--by-hand it checkpoints by hand, as a window's first load does
(store.checkpoints.checkpoints_by_hand), every few saves."""

from __future__ import annotations

import contextlib
import sys
import time
from datetime import date
from pathlib import Path

from adviser_app.domain.records import CaseDetails, ChildDetails
from adviser_app.domain.vocab import CaseIssue
from adviser_app.services import case_books, casework
from adviser_app.store import checkpoints
from adviser_app.store import db as store_db
from adviser_app.store import families as family_store
from support import PASSPHRASE, create_book, open_book


def main() -> None:
    data_dir = Path(sys.argv[1])
    unsafe = "--no-transactions" in sys.argv
    place = case_books.real_place(data_dir)
    db = open_book(place) if place.exists() else create_book(data_dir)
    assert PASSPHRASE
    if unsafe:
        db.conn.execute("PRAGMA journal_mode = OFF")
        db.atomic = contextlib.nullcontext  # type: ignore[method-assign]
        real_insert = family_store.insert_child

        def slow_insert(*args, **kwargs):  # type: ignore[no-untyped-def]
            time.sleep(0.004)
            return real_insert(*args, **kwargs)

        family_store.insert_child = slow_insert  # type: ignore[assignment]
    if "--by-hand" in sys.argv:
        checkpoints.checkpoints_by_hand(db).__enter__()  # (left only by the kill)
    number = 0
    while True:
        if "--by-hand" in sys.argv and checkpoints.wal_pages(db) >= 20:
            checkpoints.checkpoint_now(db)
        number += 1
        kids = [ChildDetails(f"Child{number}-{k}", "Test", date(2015, 1, k + 1))
                for k in range(3)]
        case_id = casework.open_new_family_case(
            db, family_name=f"Family {number}", person=None, children=kids,
            case=CaseDetails("Writer", date(2026, 11, 1), frozenset({CaseIssue.OTHER})),
            actor="writer")
        print(case_id, flush=True)
    store_db.close_case_book(db)  # never reached: the parent kills us


if __name__ == "__main__":
    main()
