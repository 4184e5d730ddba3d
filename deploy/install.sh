#!/usr/bin/env bash
# Installs the kiosk as a service on a branch machine (Debian, systemd), from this checkout (e.g. /opt/kiosk):
#   - the Debian package cage (the single-application Wayland compositor) and the kiosk's own (scripts/setup.sh);
#   - the unprivileged user "kiosk" (no password, no login shell, home and data folder /var/lib/kiosk), in the
#     groups its devices need (video, render, input, dialout, lp, audio, plugdev where they exist);
#   - /etc/kiosk/kiosk.toml from config/kiosk.toml, data_dir /var/lib/kiosk (an existing one is kept);
#   - kiosk-compositor.service (cage on tty7), kiosk.service (the kiosk, restarted when it dies or hangs),
#     /etc/pam.d/kiosk-compositor; both enabled, graphical.target the default.
# Idempotent: a second run changes only what differs. Run as root: sudo deploy/install.sh [--start]
# README.md "Deploying on a branch kiosk". Never run by the tests (deploy/supervise.py stands in for systemd).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
USER_NAME=kiosk
DATA_DIR=/var/lib/kiosk
CONFIG=/etc/kiosk/kiosk.toml
START=no
[ "${1:-}" = "--start" ] && START=yes

say() { echo "install: $*"; }
[ "$(id -u)" -eq 0 ] || { echo "install: run as root (sudo $0)" >&2; exit 1; }
[ -d /run/systemd/system ] || { echo "install: systemd is not running here; try deploy/supervise.py instead" >&2; exit 1; }

if ! dpkg-query -W -f='${Status}' cage 2>/dev/null | grep -q "install ok installed"; then
    say "installing cage"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends cage
fi
"$ROOT/scripts/setup.sh"

if ! id -u "$USER_NAME" >/dev/null 2>&1; then
    say "creating the user $USER_NAME"
    useradd --system --user-group --home-dir "$DATA_DIR" --create-home --shell /usr/sbin/nologin \
        --comment "smart teller kiosk" "$USER_NAME"
fi
for group in video render input dialout lp audio plugdev; do
    if getent group "$group" >/dev/null && ! id -nG "$USER_NAME" | tr ' ' '\n' | grep -qx "$group"; then
        usermod -aG "$group" "$USER_NAME"
    fi
done
install -d -o "$USER_NAME" -g "$USER_NAME" -m 0750 "$DATA_DIR"
if [ ! -f "$CONFIG" ]; then
    say "writing $CONFIG (data in $DATA_DIR): edit it for this branch's devices and host"
    install -d -m 0755 "$(dirname "$CONFIG")"
    sed "s|^data_dir = .*|data_dir = \"$DATA_DIR\"|" "$ROOT/config/kiosk.toml" > "$CONFIG.new"
    chmod 0644 "$CONFIG.new"
    mv "$CONFIG.new" "$CONFIG"
fi

uid=$(id -u "$USER_NAME")
changed=no
put() {  # put SOURCE TARGET MODE: the unit with this checkout's path and the user's uid, if it differs
    local text
    text=$(sed -e "s|/opt/kiosk|$ROOT|g" -e "s|%U|$uid|g" "$1")
    if [ ! -f "$2" ] || [ "$(cat "$2")" != "$text" ]; then
        say "installing $2"
        printf '%s\n' "$text" > "$2.new"
        chmod "$3" "$2.new"
        mv "$2.new" "$2"
        changed=yes
    fi
}
put "$ROOT/deploy/pam-kiosk-compositor" /etc/pam.d/kiosk-compositor 0644
put "$ROOT/deploy/kiosk-compositor.service" /etc/systemd/system/kiosk-compositor.service 0644
put "$ROOT/deploy/kiosk.service" /etc/systemd/system/kiosk.service 0644
[ "$changed" = yes ] && systemctl daemon-reload
systemctl enable --quiet kiosk-compositor.service kiosk.service
[ "$(systemctl get-default)" = graphical.target ] || systemctl set-default graphical.target
if [ "$START" = yes ]; then
    systemctl restart kiosk-compositor.service kiosk.service
    say "started: systemctl status kiosk; journalctl -u kiosk -f"
else
    say "installed and enabled; start now with: systemctl start kiosk-compositor kiosk (or reboot)"
fi
