"""Where the app's bundled files live: source tree, installed wheel or PyInstaller folder."""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _base_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    installed = _PACKAGE_DIR / "_data"  # the wheel puts db/ and resources/ here
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent  # running from a source checkout


BASE_DIR = _base_dir()
MIGRATIONS_DIR = BASE_DIR / "db"
RESOURCES_DIR = BASE_DIR / "resources"
TRAINING_FAMILIES_FILE = RESOURCES_DIR / "training" / "families.json"
