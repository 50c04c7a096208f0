#!/usr/bin/env bash
# Set up everything and run the whole test suite, the import-layer rules included.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
ensure_debian_packages $QT_LIBS poppler-utils
ensure_venv
.venv/bin/python -m pip install -q -e ".[test]"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
.venv/bin/lint-imports
exec .venv/bin/python -m pytest "$@"
