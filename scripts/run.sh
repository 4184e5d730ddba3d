#!/usr/bin/env bash
# Installs everything (scripts/setup.sh, idempotent) and starts the kiosk on simulated devices with
# the embedded host simulator. Extra arguments go to `kiosk run` (e.g. --windowed, --config PATH).
# Without a display ($DISPLAY unset) it runs under a virtual X server (xvfb-run) and says so.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    exec .venv/bin/kiosk run "$@"
fi
echo "run: no display (\$DISPLAY is not set): starting the kiosk under xvfb-run on a virtual 1920x1080 screen;" \
     "nothing will appear on a monitor. Set DISPLAY to use a real one." >&2
exec xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/kiosk run "$@"
