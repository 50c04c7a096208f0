"""The one-folder PyInstaller bundle builds, and starts with no Python of ours: the smoke run
opens the training case book and renders a letter, then exits 0."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from adviser_app.ui.help_dialog import shipped_packages

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_bundle_builds_and_starts(tmp_path: Path) -> None:
    pyinstaller = shutil.which("pyinstaller") or str(Path(sys.executable).parent /
                                                     "pyinstaller")
    build = subprocess.run([pyinstaller, "--noconfirm", "--clean", "--distpath",
                            str(tmp_path / "dist"), "--workpath", str(tmp_path / "build"),
                            str(ROOT / "build.spec")], capture_output=True, text=True,
                           timeout=900, cwd=ROOT)
    assert build.returncode == 0, build.stderr[-3000:]
    exe = tmp_path / "dist" / "AdviserToolkit" / "AdviserToolkit"
    assert exe.exists()
    assert (tmp_path / "dist" / "AdviserToolkit" / "_internal" / "db" /
            "0001_initial.sql").exists()
    # the hub's migrations too: without them the app takes every hub for a newer one
    hub = ROOT / "db" / "hub"
    assert sorted(p.name for p in (tmp_path / "dist" / "AdviserToolkit" / "_internal" / "db" /
                                   "hub").glob("*.sql")) == sorted(p.name for p in
                                                                   hub.glob("*.sql"))
    # the recovery-key word list is package data of `mnemonic` (its PyInstaller hook adds it)
    assert (tmp_path / "dist" / "AdviserToolkit" / "_internal" / "mnemonic" / "wordlist" /
            "english.txt").exists()
    # reportlab's C helpers, which make letters faster (loaded by a guarded import)
    assert list((tmp_path / "dist" / "AdviserToolkit" / "_internal").glob("_rl_accel*"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    run = subprocess.run([str(exe), "--smoke", "--data-dir", str(tmp_path / "data")],
                         capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "smoke: training case book open with" in run.stdout
    assert "smoke: a letter rendered" in run.stdout
    # Help › Version and licences inside the bundle: the app and every library it requires,
    # each with its version and licence, as installed where the bundle was built
    listed = next(line for line in run.stdout.splitlines()
                  if line.startswith("smoke: help lists "))
    expected = shipped_packages()
    assert len(expected) > 10 and expected[0][0] == "adviser-toolkit"
    for name, version, licence in expected:
        assert f"{name} {version} ({licence})" in listed, name
    internal = tmp_path / "dist" / "AdviserToolkit" / "_internal"
    assert (internal / "resources" / "fonts" / "LICENSE-DejaVu.txt").exists()
    # the accessible Word copy of a letter needs python-docx's own template
    assert (internal / "docx" / "templates" / "default.docx").exists()
