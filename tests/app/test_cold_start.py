"""`kiosk run` reaches its home screen without the heavy modules only later steps need (issue 11):
numpy and OpenCV (camera pictures, chip photos, the face check), requests (the host client's first
call), Pillow (receipts), cryptography (PIN blocks), the statechart library (the first session), text to
speech (started after the paint), and staff mode and the simulate-mode panel, which
`kiosk run` builds right after the first paint. They load after the first paint or on first use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LATER = ("cv2", "numpy", "requests", "PIL", "cryptography", "statemachine", "pyttsx3", "kiosk.identity.verifier",
         "devices.camera.scenes", "kiosk.app.gui_staff", "kiosk.app.staffdesk", "kiosk.ui.staff", "kiosk.ui.simpanel", "kiosk.app.gui_panel")


def test_the_start_path_imports_nothing_the_home_screen_does_not_need():
    code = ("import json, sys\n"
            "import kiosk.app.cli, kiosk.app.host_start, kiosk.app.gui, kiosk.app.compose\n"
            "import devices.camera.sim, devices.printer.sim, devices.pinpad.sim, kiosk.identity.chip\n"
            f"print(json.dumps([m for m in {LATER!r} if m in sys.modules]))")
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60, check=True)
    assert json.loads(done.stdout) == []
