#!/usr/bin/env bash
# Set up everything and start Adviser Toolkit. Extra arguments go to the app (e.g. --training).
# The first run sets up for about half a minute and says what it is doing; after that the app
# is installed again only when its code, resources or pyproject.toml have changed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
STAMP=.venv/.adviser-app-installed

say() { echo "run-app: $*" >&2; }

source_fingerprint() {
    find pyproject.toml adviser_app resources db -type f ! -name '*.pyc' ! -path '*/__pycache__/*' \
        -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}

say "checking the system libraries Qt needs"
ensure_debian_packages $QT_LIBS
wanted="$(source_fingerprint)"
if [ -x .venv/bin/adviser-app ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$wanted" ]; then
    say "nothing changed since the last start: starting"
else
    if [ ! -x .venv/bin/python ]; then
        say "first run: making the Python environment in .venv (about half a minute)"
    fi
    ensure_venv
    say "installing the app and its libraries into .venv"
    .venv/bin/python -m pip install -q .
    echo "$wanted" > "$STAMP"
    say "installed: starting"
fi
exec .venv/bin/adviser-app "$@"
