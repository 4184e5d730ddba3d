#!/usr/bin/env bash
# Installs everything the kiosk needs on Debian (bookworm or newer): system packages, the
# virtualenv in .venv and the Python packages. Idempotent: a second run only checks.
# Run as root, or as a user with sudo for the system packages.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
    build-essential python3-dev python3-venv pkg-config swig
    espeak-ng libespeak-ng1 alsa-utils libpcsclite-dev pcscd vsmartcard-vpcd libusb-1.0-0
    xvfb xauth fonts-noto-cjk graphviz
    cups cups-client printer-driver-cups-pdf poppler-utils
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
    libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon0 libxkbcommon-x11-0
    libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0
    ca-certificates
)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else echo "setup: Debian packages missing and no sudo here: run this as root" >&2; exit 1
    fi
}
# Under `sudo scripts/...` the checkout stays its owner's: only the Debian packages need root, and a
# root-owned .venv would break the owner's later runs without sudo. (As root in a root-owned clone, as CI
# runs, as_owner is plain root.)
owner=$(stat -c %U .)
if [ "$(id -u)" -eq 0 ] && [ "$owner" != root ] && home=$(getent passwd "$owner" | cut -d: -f6) && [ -n "$home" ]; then
    as_owner() { runuser -u "$owner" -- env HOME="$home" "$@"; }
else
    owner=$(id -un)
    as_owner() { "$@"; }
fi

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PYTHON=${KIOSK_PYTHON:-/usr/bin/python3}
if [ -d .venv ] && [ "$(id -u)" -eq 0 ] && [ "$(stat -c %U .venv)" != "$owner" ]; then
    echo "setup: .venv is not $owner's (an earlier run as root made it): making it anew"
    rm -rf .venv
fi
# A venv without pip is what a failed `python3 -m venv` (no python3-venv) leaves: make it anew.
if [ ! -x .venv/bin/python ] || [ ! -e .venv/bin/pip ]; then
    echo "setup: creating .venv with $PYTHON"
    as_owner "$PYTHON" -m venv --clear .venv
fi
PIP=(as_owner .venv/bin/python -m pip --disable-pip-version-check -q)

# Reinstall the Python packages only when what asks for them has changed.
stamp=.venv/.kiosk-installed
want=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "setup: installing Python packages into .venv"
    "${PIP[@]}" install --upgrade pip "setuptools<82" wheel
    "${PIP[@]}" install -e ".[dev]"
    # face_recognition: prebuilt dlib, then the package without its dlib-from-source dependency.
    "${PIP[@]}" install dlib-bin
    "${PIP[@]}" install --no-deps face-recognition face-recognition-models
    as_owner sh -c 'echo "$1" > "$2"' sh "$want" "$stamp"
fi
.venv/bin/python -c "import PySide6, cv2, smartcard, statemachine, cryptography" \
    || { echo "setup: the virtualenv in .venv is broken; remove it and run again" >&2; exit 1; }
# The kiosk's own modules compiled ahead (as a package install does): a start does not compile them, even
# where PYTHONDONTWRITEBYTECODE is set. Quick when nothing changed.
as_owner .venv/bin/python -m compileall -q -j 0 kiosk devices flows >/dev/null
