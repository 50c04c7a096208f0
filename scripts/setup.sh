# Shared set-up for run-app.sh and run-tests.sh (sourced, not run).
# 1. Installs the Debian/Ubuntu libraries Qt needs, if any are missing.
# 2. Makes a Python 3.11+ virtual environment in .venv.
set -euo pipefail

QT_LIBS="libgl1 libegl1 libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1
libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0
libxcb-xinerama0 libxcb-randr0 fonts-dejavu-core"

ensure_debian_packages() {
    command -v dpkg-query >/dev/null 2>&1 || {
        echo "Not a Debian/Ubuntu system: make sure Qt's libraries are installed (see README)."
        return 0
    }
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing system packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

find_python() {
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "Python 3.11 or newer is needed (sudo apt install python3 python3-venv)." >&2
    return 1
}

ensure_venv() {
    local python
    python="$(find_python)"
    if [ ! -x .venv/bin/python ]; then
        "$python" -m venv .venv 2>/dev/null || {
            ensure_debian_packages python3-venv
            "$python" -m venv .venv
        }
    fi
    .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
}
