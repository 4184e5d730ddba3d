#!/usr/bin/env bash
# Installs everything (scripts/setup.sh, idempotent) and starts the kiosk on simulated devices with
# the embedded host simulator. Extra arguments go to `kiosk run` (e.g. --windowed, --config PATH).
# The kiosk says when its window is up, on which display, and where its log is.
# Without a display ($DISPLAY unset) it starts a virtual X server (Xvfb) of its own and says so.
# Ctrl+C or SIGTERM stops the kiosk first (devices, journal, host simulator), then that X server.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    exec .venv/bin/kiosk run "$@"
fi

display=
for n in $(seq 99 199); do
    if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then display=":$n"; break; fi
done
if [ -z "$display" ]; then
    echo "run: no display (\$DISPLAY is not set) and no free X display number in :99-:199 for Xvfb" >&2
    exit 1
fi
echo "run: no display (\$DISPLAY is not set): starting a virtual X server (Xvfb) on $display, 1920x1080;" \
     "nothing appears on a monitor (set DISPLAY to use a real one; to look: x11vnc -display $display)" >&2
# Its own session: Ctrl+C in this terminal reaches the kiosk, not the X server under its window.
setsid Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true; wait "$xvfb" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    [ -e "/tmp/.X11-unix/X${display#:}" ] && break
    kill -0 "$xvfb" 2>/dev/null || { echo "run: Xvfb on $display did not start" >&2; exit 1; }
    sleep 0.1
done

DISPLAY=$display .venv/bin/kiosk run "$@" &
kiosk=$!
trap 'kill -TERM "$kiosk" 2>/dev/null || true' INT TERM
status=0
wait "$kiosk" || status=$?
while kill -0 "$kiosk" 2>/dev/null; do  # a signal ends `wait` early: let the kiosk finish closing
    status=0
    wait "$kiosk" || status=$?
done
exit "$status"
