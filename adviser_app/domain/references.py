"""Human-readable case references such as SA-2026-0042."""

from __future__ import annotations

import re
from collections.abc import Iterable

REAL_PREFIX = "SA"
TRAINING_PREFIX = "TR"


def next_reference(prefix: str, year: int, existing: Iterable[str]) -> str:
    """The next free reference for *year*: one more than the highest already used that year."""
    pattern = re.compile(rf"^{re.escape(prefix)}-{year}-(\d+)$")
    highest = 0
    for ref in existing:
        match = pattern.match(ref)
        if match:
            highest = max(highest, int(match.group(1)))
    return f"{prefix}-{year}-{highest + 1:04d}"
