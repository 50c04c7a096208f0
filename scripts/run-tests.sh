#!/usr/bin/env bash
# Set up everything and run the whole test suite, the import-layer rules included.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
ensure_debian_packages $QT_LIBS poppler-utils fiu-utils postgresql  # postgresql: the hub tests start their own
ensure_venv
.venv/bin/python -m pip install -q -e ".[test]"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
echo "== import layers"; .venv/bin/lint-imports --no-cache
echo "== ruff"; .venv/bin/ruff check adviser_app tests scripts benchmarks
echo "== mypy --strict (the whole app, the UI included)"
.venv/bin/mypy --strict adviser_app
echo "== pytest"
exec .venv/bin/python -m pytest "$@"
