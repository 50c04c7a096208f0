"""A process the recovery tests kill part-way, as a crash or a power cut would.

    python killed_midway.py DATA_DIR save N       saves N families (printing each id once
                                                   committed), then is killed: the WAL stays
    python killed_midway.py DATA_DIR restore STEP  restores the newest backup and is killed
                                                   at STEP (a name passed to _crash_point)
"""

from __future__ import annotations

import os
import signal
import sys
from datetime import date
from pathlib import Path

from adviser_app.domain.records import CaseDetails
from adviser_app.domain.vocab import CaseIssue
from adviser_app.services import backups, case_books, casework, recovering, restoring
from support import PASSPHRASE, open_book


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main() -> None:
    data_dir, what, arg = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    place = case_books.real_place(data_dir)
    if what == "save":
        db = open_book(place)
        for number in range(int(arg)):
            case_id = casework.open_new_family_case(
                db, family_name=f"Saved {number}", person=None, children=[],
                case=CaseDetails("Sam", date(2026, 11, 1), frozenset({CaseIssue.OTHER})),
                actor="t")
            print(case_id, flush=True)
        die()
    if what == "restore":
        def crash_point(step: str) -> None:
            print(step, flush=True)
            if step == arg:
                die()
        restoring._crash_point = crash_point  # type: ignore[assignment]
        newest = backups.list_backups(place)[0]
        recovering.restore_from_backup(place, newest, PASSPHRASE)
        print("finished", flush=True)
        return
    raise SystemExit(f"unknown: {what}")


if __name__ == "__main__":
    main()
