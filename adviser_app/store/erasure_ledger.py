"""The list of erasures kept in a file beside the case book, where restoring an older backup
cannot take it back: after a restore every erasure on this list is made again.

One JSON object a line (ids, the case reference, when, who and the kind; never the reviewer's
reason, which is free text and stays inside the encrypted case book), appended and synced to
disk before the erasure is committed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from adviser_app.store.data_protection import Erasure
from adviser_app.store.db import Database

SUFFIX = ".erasures"


def ledger_path(db: Database) -> Path:
    """Beside the open case book's file: casebook.db -> casebook.erasures."""
    row = next(r for r in db.conn.execute("PRAGMA database_list") if r[1] == "main")
    path = Path(row[2])
    return path.with_name(path.stem + SUFFIX)


AGAIN = "Made again after an older copy of the case book was opened"


def append(path: Path, erasure: Erasure) -> None:
    entry = erasure.as_json()
    del entry["reason"]  # the file is not encrypted: no free text in it
    line = json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n"
    new = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    if new:
        os.chmod(path, 0o600)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def read(path: Path) -> list[Erasure]:
    """Every erasure on the list; a line cut short by a crash while it was written is skipped
    (its erasure was never committed, since the line is synced first)."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            item = json.loads(line)
            out.append(Erasure(kind=item["kind"], case_id=item["case_id"],
                               case_reference=item["case_reference"], reason=AGAIN,
                               erased_at=item["erased_at"], erased_by=item["erased_by"],
                               id=item["id"]))
        except (ValueError, KeyError, TypeError):
            continue
    return out
