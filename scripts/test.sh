#!/usr/bin/env bash
# Installs everything (scripts/setup.sh) and runs the checks and the whole test suite headless.
# Idempotent; extra arguments go to pytest (e.g. scripts/test.sh -k scenarios -x).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Under `sudo scripts/test.sh` the checks run as the checkout's owner, so their caches (.mypy_cache,
# .ruff_cache, __pycache__) stay theirs; as root in a root-owned clone (CI) they run as root.
owner=$(stat -c %U .)
if [ "$(id -u)" -eq 0 ] && [ "$owner" != root ] && home=$(getent passwd "$owner" | cut -d: -f6) && [ -n "$home" ]; then
    as_owner() { runuser -u "$owner" -- env HOME="$home" "$@"; }
else
    as_owner() { "$@"; }
fi
export QT_QPA_PLATFORM=offscreen
echo "test: import layering (import-linter)"
as_owner .venv/bin/lint-imports --no-cache
echo "test: lint (ruff)"
as_owner .venv/bin/ruff check .
echo "test: types of the Qt-free layers (mypy)"
as_owner .venv/bin/mypy
echo "test: pytest"
as_owner .venv/bin/python -m pytest "$@"
