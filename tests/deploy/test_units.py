"""The deployment kit (deploy/): what the units say, read the way the stand-in supervisor reads them, and the
supervisor's own rules (time spans, results, Restart=, the start limit, NotifyAccess=) on small shell services.
deploy/install.sh is only checked for syntax: it changes the machine it runs on."""

from __future__ import annotations

import importlib.util
import json
import os
import shlex
import signal
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def load_supervise() -> ModuleType:
    spec = importlib.util.spec_from_file_location("supervise", DEPLOY / "supervise.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["supervise"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


supervise = load_supervise()


def test_the_kiosk_unit_restarts_always_and_has_a_watchdog() -> None:
    unit = supervise.Unit.load(DEPLOY / "kiosk.service", [])
    assert (unit.type, unit.restart, unit.restart_s, unit.watchdog_s) == ("notify", "always", 2.0, 20.0)
    assert unit.notify_access == "main"  # `kiosk run` is the main process itself, not under a wrapper
    assert unit.start_limit_interval_s is None  # never gives up restarting
    assert unit.kill_signal == signal.SIGTERM
    assert unit.command == ["/opt/kiosk/.venv/bin/kiosk", "run", "--config", "/etc/kiosk/kiosk.toml"]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["kiosk"] == "kiosk.app.cli:main"
    assert unit.environment["QT_QPA_PLATFORM"] == "wayland"
    assert unit.environment["XDG_RUNTIME_DIR"] == f"/run/user/{os.getuid()}"  # %U: the unit's user
    assert "[Service] User" in unit.ignored  # said, not silently dropped


def test_the_compositor_is_cage_without_vt_switching_and_its_files_are_shipped() -> None:
    sections = supervise.read_unit((DEPLOY / "kiosk-compositor.service").read_text(encoding="utf-8"))
    command = shlex.split(sections["Service"]["ExecStart"][-1])
    assert command[0] == "/usr/bin/cage"
    assert "-s" not in command[:command.index("--")]  # cage -s would let a keyboard switch to a console
    assert sections["Service"]["PAMName"] == ["kiosk-compositor"]
    assert (DEPLOY / "pam-kiosk-compositor").is_file()
    assert os.access(DEPLOY / "wait-for-wayland", os.X_OK)
    kiosk = supervise.read_unit((DEPLOY / "kiosk.service").read_text(encoding="utf-8"))
    assert kiosk["Service"]["ExecStartPre"] == ["/opt/kiosk/deploy/wait-for-wayland"]
    subprocess.run(["bash", "-n", str(DEPLOY / "install.sh")], check=True)
    subprocess.run(["sh", "-n", str(DEPLOY / "wait-for-wayland")], check=True)


def test_overrides_replace_a_key_and_add_to_the_environment() -> None:
    unit = supervise.Unit.load(DEPLOY / "kiosk.service", ["ExecStart=/bin/true x", "Environment=A=1 B='two words'",
                                                           "WatchdogSec=", "Restart=on-failure"])
    assert unit.command == ["/bin/true", "x"]
    assert (unit.environment["A"], unit.environment["B"]) == ("1", "two words")
    assert unit.environment["QT_QPA_PLATFORM"] == "wayland"
    assert (unit.watchdog_s, unit.restart) == (None, "on-failure")


@pytest.mark.parametrize(("text", "seconds"), [("20", 20.0), ("500ms", 0.5), ("1min 30s", 90.0), ("2h", 7200.0),
                                               ("infinity", None), ("0", 0.0)])
def test_time_spans(text: str, seconds: float | None) -> None:
    assert supervise.parse_timespan(text) == seconds


def test_a_bad_time_span_is_refused() -> None:
    with pytest.raises(supervise.UnitError):
        supervise.parse_timespan("5 fortnights")


def test_results_as_systemd_names_them() -> None:
    def exited(code: int) -> int:
        return code << 8

    assert supervise.classify(exited(0)) == "success"
    assert supervise.classify(exited(3)) == "exit-code"
    assert supervise.classify(signal.SIGTERM) == "success"  # a clean signal
    assert supervise.classify(signal.SIGKILL) == "signal"
    assert "watchdog" in supervise.RESTART_ON["always"]
    assert "success" not in supervise.RESTART_ON["on-failure"]


def run_unit(tmp_path: Path, service: str, *, unit: str = "") -> tuple[int, list[dict[str, Any]]]:
    path = tmp_path / "test.service"
    path.write_text(f"[Unit]\n{unit}\n[Service]\n{service}\n", encoding="utf-8")
    events = tmp_path / "events.jsonl"
    done = subprocess.run([sys.executable, str(DEPLOY / "supervise.py"), str(path), "--events", str(events)],
                          capture_output=True, timeout=60, check=False)
    return done.returncode, [json.loads(line) for line in events.read_text(encoding="utf-8").splitlines()]


def test_a_failing_service_is_restarted_until_the_start_limit(tmp_path: Path) -> None:
    code, events = run_unit(tmp_path, "ExecStart=/bin/sh -c 'exit 3'\nRestart=on-failure\nRestartSec=0",
                            unit="StartLimitIntervalSec=60\nStartLimitBurst=3")
    assert code == 1
    assert [e["event"] for e in events if e["event"] in ("started", "start_limit_hit")] == [
        "started", "started", "started", "start_limit_hit"]
    assert all(e["code"] == 3 for e in events if e["event"] == "exited")


def test_a_clean_exit_is_not_restarted_on_failure(tmp_path: Path) -> None:
    code, events = run_unit(tmp_path, "ExecStart=/bin/sh -c 'exit 0'\nRestart=on-failure")
    assert code == 0
    assert [e["event"] for e in events] == ["started", "exited", "not_restarting"]


def test_notifications_from_other_than_the_main_process_are_refused(tmp_path: Path) -> None:
    send = (f'{sys.executable} -c "import os, socket; s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); '
            's.sendto(b\\"READY=1\\", os.environ[\\"NOTIFY_SOCKET\\"])"')
    service = (f"Type=notify\nNotifyAccess=main\nExecStart=/bin/sh -c '{send}; sleep 30'\n"
               "TimeoutStartSec=2\nTimeoutStopSec=2\nRestart=no")
    code, events = run_unit(tmp_path, service)
    assert code == 1
    kinds = [e["event"] for e in events]
    assert "notify_refused" in kinds  # from the shell's child, not the shell
    assert "start_timeout" in kinds  # so the service never became ready
    assert next(e for e in events if e["event"] == "exited")["result"] == "timeout"
