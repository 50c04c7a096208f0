"""./scripts/run-app.sh says what it is doing and installs the app again only when something
changed (issue 21: it printed nothing for its first 30 s and reinstalled on every start)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_app(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ROOT / "scripts" / "run-app.sh"), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, check=True)


@pytest.mark.slow
def test_a_second_start_with_nothing_changed_skips_the_install() -> None:
    first = run_app("--help")
    assert "run-app:" in first.stderr  # it says what it is doing
    assert "usage: adviser-app" in first.stdout
    second = run_app("--help")
    assert "nothing changed" in second.stderr
    assert "installing" not in second.stderr
    assert "usage: adviser-app" in second.stdout
