"""Benchmarks measure this checkout's code: imported, this puts the project folder on the
import path after PYTHONPATH's entries (a before/after comparison names its trees there) and
before site-packages, where the README's start command installs a copy of the app that does
not follow the checkout (a benchmark run after it measured that copy, silently)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _use_checkout() -> None:
    if str(ROOT) in sys.path:
        return
    sites = [n for n, entry in enumerate(sys.path) if "-packages" in entry]
    sys.path.insert(sites[0] if sites else len(sys.path), str(ROOT))


_use_checkout()
