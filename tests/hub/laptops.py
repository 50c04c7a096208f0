"""Laptops for the hub tests: real encrypted case books that sync with a real hub."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from support import create_book

from adviser_app.store import cases, families, sync_log
from adviser_app.store.db import Database, close_case_book
from adviser_app.sync.connection_file import HubSettings
from adviser_app.sync.engine import SyncResult, sync
from adviser_app.sync.hub import Fault, Hub


class Laptop:
    def __init__(self, folder: Path, settings: HubSettings, name: str = "") -> None:
        self.name = name or uuid.uuid4().hex[:6]
        self.folder = folder / self.name
        self.folder.mkdir(parents=True)
        self.db: Database = create_book(self.folder)
        self.settings = settings

    def sync(self, fault: Fault | None = None, page_size: int = 1000,
             page_check: Any = None, on_page: Any = None) -> SyncResult:
        with Hub(self.settings, fault=fault) as hub:
            return sync(self.db, hub, page_size=page_size, page_check=page_check,
                        on_page=on_page)

    def value(self, table: str, row_id: str, field: str) -> Any:
        row = self.db.execute(f'SELECT "{field}" FROM "{table}" WHERE id = ?',
                              [row_id]).fetchone()
        return None if row is None else row[0]

    def rows(self, table: str) -> dict[str, dict[str, Any]]:
        cur = self.db.execute(f'SELECT * FROM "{table}"')
        names = [d[0] for d in cur.description]
        return {str(r[0]): dict(zip(names, r, strict=True)) for r in cur.fetchall()}

    def change_parents_last(self, case_ids: list[str]) -> None:
        """Each case's family and the case itself change after their children and notes, so
        an ordinary pull would bring the parents last."""
        for case_id in case_ids:
            family_id = cases.get_case(self.db, case_id).family_id
            with self.db.atomic():
                families.update_family(self.db, family_id, f"Renamed {case_id[:4]}", "", "sam")
                self.db.execute("UPDATE case_file SET summary = 'later' WHERE id = ?",
                                [case_id])

    def conflicts(self) -> list[dict[str, Any]]:
        return sync_log.open_conflicts(self.db)

    def close(self) -> None:
        close_case_book(self.db)
