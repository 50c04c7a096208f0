"""Wrong passphrases in a row, counted beside the key file (no secrets), so that after a few
each try must wait longer (domain.passphrase.unlock_delay), across restarts and for the IT
commands too."""

from __future__ import annotations

import json
import math
from pathlib import Path

from adviser_app.domain.passphrase import unlock_delay
from adviser_app.store.files import atomic_write


def attempts_path(key_path: Path) -> Path:
    """Wrong passphrases in a row and when the last was, beside the key file (no secrets)."""
    return key_path.with_suffix(".attempts")


def _read_attempts(key_path: Path) -> tuple[int, float]:
    try:
        body = json.loads(attempts_path(key_path).read_text(encoding="utf-8"))
        return max(int(body["failures"]), 0), float(body["last"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0, 0.0


def write_attempts(key_path: Path, failures: int, last: float) -> None:
    try:
        atomic_write(attempts_path(key_path),
                     json.dumps({"failures": failures, "last": last}).encode("utf-8"))
    except OSError:  # a full or read-only disk: the wait then lasts this run only
        pass


def note_failure(key_path: Path, now: float) -> int:
    failures = _read_attempts(key_path)[0] + 1
    write_attempts(key_path, failures, now)
    return failures


def wait_left(key_path: Path, now: float) -> int:
    """Whole seconds before the next passphrase may be tried (0: now). A clock set back
    never makes the wait longer than the rule's."""
    failures, last = _read_attempts(key_path)
    delay = unlock_delay(failures)
    left = last + delay - now
    if left <= _WAIT_SLACK:  # a countdown on screen may tick a little early
        return 0
    return min(delay, math.ceil(left))


_WAIT_SLACK = 0.5
