"""APSW is a test-only dependency (the power-cut test, T2). The app must never load it: it
brings its own copy of SQLite, and two SQLite libraries in one process is one of the ways
SQLite lists to corrupt a database (and it is not SQLCipher, so it could never open a case
book anyway)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "adviser_app"


def apsw_imports(source: str) -> list[int]:
    """Line numbers of anything in *source* that imports apsw (statements, importlib)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else \
                getattr(node.func, "id", "")
            if called in ("import_module", "__import__"):
                names = [str(node.args[0].value)]
        if any(name.split(".")[0] == "apsw" for name in names):
            lines.append(node.lineno)
    return lines


def test_the_check_sees_each_way_of_importing_apsw() -> None:
    for source in ("import apsw", "import apsw.ext as x", "from apsw import VFS",
                   "import importlib\nimportlib.import_module('apsw')", "__import__('apsw')"):
        assert apsw_imports(source), source
    assert apsw_imports("import apswx\nfrom sqlite_utils import Database") == []


def test_no_app_module_imports_apsw() -> None:
    offenders = [f"{path.relative_to(ROOT)}:{line}" for path in PACKAGE.rglob("*.py")
                 for line in apsw_imports(path.read_text(encoding="utf-8"))]
    assert offenders == [], f"the app imports apsw: {offenders}"


def test_importing_the_whole_app_does_not_load_apsw() -> None:
    # In a fresh interpreter, because this test process may have loaded APSW for T2; this
    # also catches a library the app uses pulling it in.
    script = (
        "import importlib, pkgutil, sys\n"
        "import adviser_app\n"
        "for info in pkgutil.walk_packages(adviser_app.__path__, 'adviser_app.'):\n"
        "    if info.name != 'adviser_app.__main__':\n"
        "        importlib.import_module(info.name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'apsw' or m.startswith('apsw.'))\n"
        "print(len([m for m in sys.modules if m.startswith('adviser_app')]), loaded)\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    count, loaded = done.stdout.split(" ", 1)
    assert int(count) > 20  # the walk really imported the app
    assert loaded.strip() == "[]", f"importing the app loaded {loaded.strip()}"
