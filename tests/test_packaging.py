"""`pip install .` gives a working app: db/ and resources/ ship inside the wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                    str(ROOT)], check=True, timeout=300)
    (found,) = out.glob("adviser_toolkit-*.whl")
    return found


@pytest.mark.slow
def test_wheel_carries_migrations_fonts_and_training_families(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for migration in sorted((ROOT / "db").glob("*.sql")):
        assert f"adviser_app/_data/db/{migration.name}" in names
    assert "adviser_app/_data/resources/fonts/DejaVuSans.ttf" in names
    assert "adviser_app/_data/resources/fonts/LICENSE-DejaVu.txt" in names
    assert "adviser_app/_data/resources/training/families.json" in names
    assert not any(n.startswith("tests/") for n in names)


@pytest.mark.slow
def test_installed_wheel_starts_and_opens_the_training_case_book(wheel: Path,
                                                                 tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, timeout=300)
    # The wheel's own copy of adviser_app comes first; the dependencies come from this venv.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target),
                                                        sysconfig.get_paths()["purelib"]]),
           "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-I", "-c",
                             "import sys; sys.path[:0] = __import__('os').environ"
                             "['PYTHONPATH'].split(__import__('os').pathsep);"
                             "import adviser_app.paths as p; print(p.BASE_DIR);"
                             "from adviser_app.app import main;"
                             f"raise SystemExit(main(['--smoke', '--data-dir', "
                             f"{str(tmp_path / 'data')!r}]))"],
                            env=env, capture_output=True, text=True, timeout=120,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert str(target / "adviser_app" / "_data") in result.stdout
    assert "smoke: training case book open with" in result.stdout
