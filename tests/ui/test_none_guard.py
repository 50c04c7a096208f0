"""The Qt bindings' reference-count fault on Python 3.11, and the guard that keeps the app
alive through it (adviser_app/none_guard.py). Each run is a fresh interpreter, so the guard
applied in this test process does not hide the fault."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CALLS = 400_000  # None's count in a bare script starts near 3,700; this is far beyond it

SCRIPT = f"""
import sys
{{guard}}
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel("x")
for _ in range({CALLS}):
    label.setText("y")  # returns nothing: the bindings hand back an uncounted None
print("alive")
"""


def run(guard: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", SCRIPT.format(guard=guard)], env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_without_the_guard_python_aborts() -> None:
    """If this starts passing the other way, the pinned bindings count None correctly and
    the guard can go."""
    done = run(guard="")
    assert done.returncode != 0 and "none_dealloc" in done.stderr


def test_with_the_guard_the_app_survives() -> None:
    done = run(guard="import adviser_app.ui  # applies the guard")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "alive"


def test_the_guard_is_applied_once() -> None:
    from adviser_app import none_guard

    before = sys.getrefcount(None)
    none_guard.keep_none_alive()  # already applied when adviser_app.ui was imported
    assert abs(sys.getrefcount(None) - before) < none_guard.MARGIN // 2


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="immortal from Python 3.12")
def test_true_and_false_have_the_margin_too() -> None:
    from adviser_app import none_guard

    assert none_guard._applied
    for singleton in (None, True, False):
        assert sys.getrefcount(singleton) > none_guard.MARGIN
