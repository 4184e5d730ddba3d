#!/usr/bin/env bash
# Installs everything (scripts/setup.sh) and runs the checks and the whole test suite headless.
# Idempotent; extra arguments go to pytest (e.g. scripts/test.sh -k scenarios -x).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
echo "test: import layering (import-linter)"
.venv/bin/lint-imports --no-cache
echo "test: lint (ruff)"
.venv/bin/ruff check .
echo "test: types of the Qt-free layers (mypy)"
.venv/bin/mypy
echo "test: pytest"
.venv/bin/python -m pytest "$@"
