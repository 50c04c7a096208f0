"""What every screen needs to know about the open case book: the database, who, and when."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the storage code loads once a case book is opened, not at start
    from adviser_app.store.db import Database


@dataclass
class Session:
    db: Database
    actor: str
    training: bool
    today: Callable[[], date]
