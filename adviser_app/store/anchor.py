"""How far the case book had got, kept in a small file beside it (casebook.anchor).

After every committed change that added to the audit log, the newest entry's number, MAC and
time are written here (atomically, fsynced, owner-only), and whether the app closed the case
book cleanly. A rollback of the database file (a write-ahead log lost or damaged in a crash,
or an older copy of the whole file put in its place) cannot take this file back with it, so
opening compares the two: the file may be ahead of the anchor (a crash between the commit and
the anchor write) but never behind it. No case data is kept here: numbers, a MAC and a time.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from adviser_app.store.files import atomic_write

FORMAT = "adviser-toolkit-anchor/1"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Head:
    """The newest audit entry: its number, MAC and time (ISO, UTC). seq 0: no entries."""

    seq: int
    mac: str
    at: str


@dataclass(frozen=True)
class Anchor:
    head: Head
    closed_cleanly: bool


def anchor_path(db_path: Path) -> Path:
    return db_path.with_suffix(".anchor")


def read_anchor(db_path: Path) -> Anchor | None:
    """The recorded state, or None when there is none (a case book made before anchors, or
    an unreadable anchor: logged, and a new one is written at the next save)."""
    path = anchor_path(db_path)
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        if body.get("format") != FORMAT:
            raise ValueError("unknown format")
        head = Head(int(body["seq"]), str(body["mac"]), str(body["at"]))
        return Anchor(head, bool(body["closed_cleanly"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        log.warning("The case book's anchor file could not be read; a new one will be written")
        return None


def write_anchor(db_path: Path, anchor: Anchor) -> None:
    body = {"format": FORMAT, **asdict(anchor.head), "closed_cleanly": anchor.closed_cleanly}
    atomic_write(anchor_path(db_path), json.dumps(body, sort_keys=True).encode("utf-8"))
