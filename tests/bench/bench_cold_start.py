"""Cold start: the kiosk (as `kiosk run`: simulators, host simulator, window, simulator panel) against a
bare PySide6 window started the same way, side by side in one farm-bench call (A B A B ...).

    .venv/bin/python tests/bench/bench_cold_start.py [--runs 10]

Each process is timed from outside, start to exit: the kiosk child quits as soon as its home screen is
painted and the event loop is free to take a touch (then closes: host simulator, pcscd); the bare child
quits once its empty window is painted. Target (issue 11): kiosk <= 5x the bare window (median ratio).
Runs offscreen unless $DISPLAY is set. What is derived from assets (face locations in the demo photos)
is cached by content in the user's cache dir; farm-bench's warm-up run fills it, as a kiosk's first start does.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET_RATIO = 5.0


def bare_window() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    window = QWidget()
    window.resize(1920, 1080)
    window.show()
    QTimer.singleShot(0, app.quit)  # runs once the first paint is done and the loop is idle
    return app.exec()


def kiosk_window() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.app.config import load_config
    from kiosk.app.gui import open_kiosk

    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        running = open_kiosk(load_config(None), sim_panel=True, voice=True, data_dir=Path(tmp))  # as `kiosk run`
        running.window.resize(1920, 1080)
        running.window.show()
        running.panel.show()
        home = []
        QTimer.singleShot(0, lambda: (home.append(running.window.model.step), app.quit()))
        app.exec()
        running.close()
    return 0 if home == ["home"] else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--child", choices=["bare", "kiosk"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        if not os.environ.get("DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        return bare_window() if args.child == "bare" else kiosk_window()
    me = [sys.executable, str(Path(__file__).resolve()), "--child"]
    command = ["farm-bench", "-n", str(args.runs), "--warmup", "1", "--timeout", str(30 * args.runs + 60),
               "--vs", shlex.join([*me, "bare"]), "--", *me, "kiosk"]
    print("$", shlex.join(command), flush=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
