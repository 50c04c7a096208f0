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
echo "== ruff"; .venv/bin/ruff check adviser_app tests scripts
echo "== mypy (strict outside the UI, and for the UI's modules that hold no widgets)"
.venv/bin/mypy --strict adviser_app/domain adviser_app/store adviser_app/services adviser_app/pdf \
    adviser_app/ui/access.py adviser_app/ui/jobs.py adviser_app/ui/layout_memory.py \
    adviser_app/ui/record_table.py adviser_app/ui/theme.py \
    adviser_app/ui/case_view/case_table.py adviser_app/ui/case_view/case_picker.py \
    adviser_app/ui/mediation/wizard_state.py adviser_app/ui/case_book/session.py \
    adviser_app/ui/case_book/single_instance.py adviser_app/ui/case_book/training_titles.py
.venv/bin/mypy adviser_app
echo "== pytest"
exec .venv/bin/python -m pytest "$@"
