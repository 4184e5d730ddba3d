"""Start and stop the host simulator as a child process (``python -m kiosk.host.sim.simulator``).

    with HostSimulatorProcess(tmp / "host.db") as host:
        client = HostClient(host.base_url, kiosk_id="K-001")

``start()`` is ``spawn()`` then ``wait_ready()``: a kiosk spawns it first thing and waits for it only
once its own start-up work is done. The child is told our pid, so it exits by itself if we die
without stopping it.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import IO

from kiosk.host.sim.context import HostLimits

_PROJECT_ROOT = Path(__file__).resolve().parents[3]
READY_LINE = "host simulator listening on "  # what the simulator prints once it serves


class HostSimulatorError(RuntimeError):
    """The host simulator did not start (exited, or did not report ready in time)."""


def _read_ready_line(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        if line.startswith(READY_LINE):
            lines.put(line.strip())
            return
    lines.put(None)  # end of output: the process has exited


class HostSimulatorProcess:
    def __init__(
        self,
        db_path: str | Path,
        people_path: str | Path | None = None,
        *,
        port: int = 0,
        working_key: str | None = None,
        key_id: str | None = None,
        limits: HostLimits | None = None,
        log_path: str | Path | None = None,
        parent_pid: int | None = None,
        startup_timeout: float = 15.0,
    ) -> None:
        self.db_path = Path(db_path)
        self.people_path = Path(people_path) if people_path is not None else None
        self.port = port
        self.working_key = working_key
        self.key_id = key_id
        self.limits = limits  # None: the simulator's own
        self.log_path = Path(log_path) if log_path is not None else None  # stderr goes here; None = inherit
        self.parent_pid = os.getpid() if parent_pid is None else parent_pid
        self.startup_timeout = startup_timeout
        self._proc: subprocess.Popen[str] | None = None
        self._base_url: str | None = None
        self._ready_lines: queue.Queue[str | None] | None = None
        self._reader: threading.Thread | None = None

    def command(self) -> list[str]:
        cmd = [sys.executable, "-m", "kiosk.host.sim.simulator", "--db", str(self.db_path), "--port", str(self.port),
               "--parent-pid", str(self.parent_pid)]
        if self.people_path is not None:
            cmd += ["--people", str(self.people_path)]
        if self.working_key is not None:
            cmd += ["--working-key", self.working_key]
        if self.key_id is not None:
            cmd += ["--key-id", self.key_id]
        if self.limits is not None:
            cmd += ["--sms-tries", str(self.limits.sms_tries), "--pin-tries", str(self.limits.pin_tries)]
        return cmd

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise HostSimulatorError("the host simulator is not running")
        return self._base_url

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def start(self) -> str:
        """Spawn the simulator and wait for its ready line; returns its base URL."""
        self.spawn()
        return self.wait_ready()

    def spawn(self) -> None:
        """Start the process and return at once; :meth:`wait_ready` waits for it to serve."""
        if self._proc is not None:
            raise HostSimulatorError("the host simulator is already started")
        self._proc = self._spawn()
        assert self._proc.stdout is not None
        self._ready_lines = queue.Queue()
        self._reader = threading.Thread(target=_read_ready_line, args=(self._proc.stdout, self._ready_lines),
                                        daemon=True)
        self._reader.start()

    def wait_ready(self) -> str:
        """Wait (up to ``startup_timeout`` from now) for the spawned simulator's ready line; its base URL."""
        if self._base_url is not None:
            return self._base_url
        if self._proc is None or self._ready_lines is None or self._reader is None:
            raise HostSimulatorError("the host simulator is not started")
        try:
            line = self._ready_lines.get(timeout=self.startup_timeout)
        except queue.Empty:
            line = None
        if line is None:
            self._fail(self._reader)
        self._reader.join(timeout=1.0)
        assert self._proc.stdout is not None
        self._proc.stdout.close()
        self._base_url = str(line).removeprefix(READY_LINE)
        return self._base_url

    def _spawn(self) -> subprocess.Popen[str]:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_PROJECT_ROOT), env.get("PYTHONPATH")) if p)
        stderr = open(self.log_path, "ab") if self.log_path is not None else None  # noqa: SIM115
        try:
            return subprocess.Popen(self.command(), stdout=subprocess.PIPE, stderr=stderr, stdin=subprocess.DEVNULL,
                                    text=True, encoding="utf-8", env=env)
        finally:
            if stderr is not None:
                stderr.close()

    def _fail(self, reader: threading.Thread) -> None:
        assert self._proc is not None
        try:  # stdout closed: the child is exiting or hung; give it a moment to say which
            code: int | None = self._proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            code = None
        self._stop_process(timeout=2.0)
        reader.join(timeout=1.0)
        if self._proc.stdout is not None:
            self._proc.stdout.close()
        self._proc = None
        how = f"exited with code {code}" if code is not None else f"not ready after {self.startup_timeout:.0f} s"
        raise HostSimulatorError(f"the host simulator did not start ({how}); {self._log_hint()}")

    def _log_hint(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return "see its messages on stderr"
        tail = self.log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
        return "its log ends: " + " | ".join(tail)

    def _stop_process(self, timeout: float) -> int | None:
        proc = self._proc
        if proc is None:
            return None
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=timeout)
        return proc.returncode

    def stop(self, timeout: float = 5.0) -> int | None:
        """SIGTERM, then SIGKILL after ``timeout``; returns the exit code (None if never started)."""
        code = self._stop_process(timeout)
        if self._reader is not None:  # spawned and never waited for: its output pipe is still open
            self._reader.join(timeout=1.0)
        if self._proc is not None and self._proc.stdout is not None:
            self._proc.stdout.close()
        self._proc = None
        self._base_url = None
        self._ready_lines = self._reader = None
        return code

    def __enter__(self) -> HostSimulatorProcess:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
