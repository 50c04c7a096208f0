"""Where case books live in the data folder. Kept apart from the code that opens them, so the
first screen can tell whether there is a case book without loading the storage code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REAL_NAME = "casebook.db"
TRAINING_NAME = "training-casebook.db"


@dataclass(frozen=True)
class CaseBookPlace:
    """Where one case book lives, and whether it holds fictional training families."""

    path: Path
    training: bool

    @property
    def key_path(self) -> Path:
        from adviser_app.store.key_file_format import key_file_for

        return key_file_for(self.path)

    @property
    def backups(self) -> Path:
        return self.path.parent / "backups"

    @property
    def restore_journal(self) -> Path:
        """Written before a restore moves anything, removed once it is done: while it is
        there, a restore was cut off part-way and is finished at the next start."""
        return self.path.with_suffix(".restore.json")

    def exists(self) -> bool:
        return self.path.exists() or self.restore_journal.exists()


def real_place(data_dir: Path) -> CaseBookPlace:
    return CaseBookPlace(data_dir / REAL_NAME, training=False)


def training_place(data_dir: Path) -> CaseBookPlace:
    return CaseBookPlace(data_dir / "training" / TRAINING_NAME, training=True)
