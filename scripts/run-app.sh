#!/usr/bin/env bash
# Set up everything and start Adviser Toolkit. Extra arguments go to the app (e.g. --training).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
ensure_debian_packages $QT_LIBS
ensure_venv
.venv/bin/python -m pip install -q .
exec .venv/bin/adviser-app "$@"
