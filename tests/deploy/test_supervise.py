"""The kiosk under its service unit (deploy/kiosk.service), run by the stand-in supervisor (deploy/supervise.py)
since no systemd runs here: killed, it comes back through recovery before it serves; hung, the watchdog it
stops feeding kills it and it comes back; `systemctl stop` (SIGTERM) stops it cleanly. The real `kiosk run`,
full screen on the offscreen platform, with its data in a temporary folder."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "kiosk.service"
SUPERVISE = ROOT / "deploy" / "supervise.py"
WAIT_S = 60.0  # the longest any one thing is waited for (a loaded machine); nothing is timed


@dataclass
class Supervised:
    process: subprocess.Popen[bytes]
    events_file: Path
    journal: Path

    def events(self) -> list[dict[str, Any]]:
        if not self.events_file.exists():
            return []
        return [json.loads(line) for line in self.events_file.read_text(encoding="utf-8").splitlines() if line]

    def wait_for(self, found: Callable[[list[dict[str, Any]]], Any], what: str) -> Any:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            result = found(self.events())
            if result:
                return result
            if self.process.poll() is not None:
                raise AssertionError(f"the supervisor exited ({self.process.returncode}) before {what}")
            time.sleep(0.1)
        raise AssertionError(f"no {what} in {WAIT_S:.0f} s: {self.events()}")

    def ready(self, run: int) -> int:
        """The pid of the ``run``-th start (1 is the first), once it has said READY=1."""
        def found(events: list[dict[str, Any]]) -> int | None:
            started = [e["pid"] for e in events if e["event"] == "started"]
            if len(started) < run:
                return None
            pid = started[run - 1]
            said = any(e["event"] == "notify" and e["pid"] == pid and "READY=1" in e["fields"] for e in events)
            return pid if said else None

        return self.wait_for(found, f"READY=1 from start {run}")

    def recoveries(self) -> int:
        with sqlite3.connect(self.journal) as db:
            return db.execute("SELECT count(*) FROM entries WHERE kind = 'system' AND name = 'recovery'").fetchone()[0]

    def stop(self) -> int:
        """`systemctl stop`: SIGTERM to the supervisor; its exit code."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(WAIT_S)


def kiosk_config(tmp: Path) -> Path:
    """The shipped configuration with its data in ``tmp`` and the in-process simulators (no pcscd, no face worker)."""
    text = (ROOT / "config" / "kiosk.toml").read_text(encoding="utf-8")
    for pattern, value in ((r"^data_dir = .*$", f'data_dir = "{tmp / "data"}"'),
                           (r'^backend = "pcsc-sim".*$', 'backend = "sim"'),
                           (r"^matcher = .*$", 'matcher = "sim"'),
                           (r"^enabled = true.*$", "enabled = false")):
        text, count = re.subn(pattern, value, text, count=1, flags=re.MULTILINE)
        assert count == 1, pattern
    config = tmp / "kiosk.toml"
    config.write_text(text, encoding="utf-8")
    return config


@pytest.fixture
def supervise(tmp_path: Path) -> Iterator[Callable[..., Supervised]]:
    """Starts deploy/supervise.py on the real unit, its ExecStart= running this checkout's `kiosk run` offscreen."""
    started: list[Supervised] = []

    def start(**properties: str) -> Supervised:
        config = kiosk_config(tmp_path)
        runtime = tmp_path / "run"
        runtime.mkdir(mode=0o700, exist_ok=True)
        overrides = {
            "ExecStart": f"{sys.executable} -m kiosk.app.cli run --config {config}",
            "ExecStartPre": "",  # no compositor here: nothing to wait for
            "WorkingDirectory": str(ROOT),
            "RestartSec": "0.5",
            **properties,
        }
        command = [sys.executable, str(SUPERVISE), str(UNIT), "--events", str(tmp_path / "events.jsonl"),
                   "-p", f"Environment=QT_QPA_PLATFORM=offscreen PYTHONPATH={ROOT} XDG_RUNTIME_DIR={runtime}"]
        for key, value in overrides.items():
            command += ["-p", f"{key}={value}"]
        log = (tmp_path / "supervise.log").open("wb")
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        supervised = Supervised(process, tmp_path / "events.jsonl", tmp_path / "data" / "journal.sqlite")
        started.append(supervised)
        return supervised

    yield start
    for supervised in started:
        if supervised.process.poll() is None:
            supervised.process.kill()  # the kiosk (its own process group) stops with its host when orphaned
            supervised.process.wait(WAIT_S)


def exits(events: list[dict[str, Any]], pid: int) -> dict[str, Any] | None:
    return next((e for e in events if e["event"] == "exited" and e["pid"] == pid), None)


@pytest.mark.slow
def test_a_killed_kiosk_is_restarted_through_recovery_and_stops_cleanly_on_sigterm(supervise: Any) -> None:
    service = supervise()
    first = service.ready(1)
    assert service.recoveries() == 1
    os.kill(first, signal.SIGKILL)
    gone = service.wait_for(lambda events: exits(events, first), "the killed kiosk's exit")
    assert (gone["signal"], gone["result"]) == ("SIGKILL", "signal")
    second = service.ready(2)
    assert second != first
    assert service.recoveries() == 2  # the restarted kiosk reconciled before its READY=1 (the home screen)
    assert service.stop() == 0
    events = service.events()
    assert any(e["event"] == "notify" and e["pid"] == second and "STOPPING=1" in e["fields"] for e in events)
    last = exits(events, second)
    assert last is not None
    assert (last["code"], last["result"]) == (0, "stop")  # SIGTERM: the kiosk closed itself, exit code 0


@pytest.mark.slow
def test_a_hung_kiosk_stops_feeding_the_watchdog_and_is_killed_and_restarted(supervise: Any) -> None:
    service = supervise(WatchdogSec="4", TimeoutAbortSec="1")
    first = service.ready(1)
    service.wait_for(lambda events: any(e["event"] == "notify" and e["pid"] == first and e["fields"] == ["WATCHDOG=1"]
                                        for e in events), "WATCHDOG=1 from the running kiosk")
    os.kill(first, signal.SIGSTOP)  # frozen: its event loop no longer runs
    gone = service.wait_for(lambda events: exits(events, first), "the hung kiosk's end")
    assert gone["result"] == "watchdog"
    kinds = [(e["event"], e.get("signal")) for e in service.events() if e.get("pid") == first]
    assert ("watchdog", None) in kinds
    assert ("signal", "SIGABRT") in kinds  # as systemd: WatchdogSignal, then SIGKILL after TimeoutAbortSec
    service.ready(2)
    assert service.recoveries() == 2
    assert service.stop() == 0
