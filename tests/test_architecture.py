"""The layer rules (import-linter contracts) and the storage rules, checked on the source."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "adviser_app"


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in PACKAGE.rglob("*.py")]


def _imports(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_import_linter_contracts_hold() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run([exe], cwd=PACKAGE.parent, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 kept, 0 broken" in result.stdout


def test_libraries_stay_in_their_layer() -> None:
    where = {"PySide6": ("ui", "app.py"), "sqlite_utils": ("store",),
             "sqlcipher3": ("store",), "reportlab": ("pdf",), "psycopg": ("sync",)}
    for path, tree in _modules():
        rel = path.relative_to(PACKAGE).as_posix()
        for lib, allowed in where.items():
            if lib in _imports(tree):
                assert rel.startswith(allowed), f"{rel} imports {lib}"


def test_stdlib_sqlite3_is_never_used() -> None:
    for path, tree in _modules():
        assert "sqlite3" not in _imports(tree), f"{path.name} imports the stdlib sqlite3"


def test_only_store_db_opens_database_files() -> None:
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr == "connect" and isinstance(node.func.value, ast.Name) and \
                    node.func.value.id == "sqlcipher3":
                assert path.name == "db.py" and path.parent.name == "store", path
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                    node.func.id == "Database":
                assert path.name == "db.py", f"{path}: Database() outside store/db.py"
            for kw in getattr(node, "keywords", []) or []:
                if kw.arg == "alter":
                    raise AssertionError(f"{path}: alter=True is banned (migrations only)")
