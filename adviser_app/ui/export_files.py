"""Asking where an exported file should go. The save dialog opens in the folder the last
export went to (remembered inside the encrypted case book, never in a plain settings file),
and the folder is remembered again once a file has really been written there."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from adviser_app.services import preferences
from adviser_app.store.db import Database


def ask_save_path(parent: QWidget, db: Database, title: str, file_name: str,
                  file_filter: str) -> Path | None:
    """The path chosen, starting in the last export's folder (home if none); None if the
    person cancelled."""
    start = preferences.export_folder(db) / file_name
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(start), file_filter)
    return Path(chosen) if chosen else None


def written(db: Database, path: Path) -> Path:
    """Note that a file was exported to `path`, so its folder is offered first next time."""
    preferences.remember_export_folder(db, path.parent)
    return path
