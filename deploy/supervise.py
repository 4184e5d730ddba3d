#!/usr/bin/env python3
"""A stand-in for systemd where none runs (a development machine, a container, the tests): runs a service
unit's ``ExecStart=`` the way systemd would for the keys below, so deploy/kiosk.service's restarts and
watchdog can be tried without installing it.

    python3 deploy/supervise.py deploy/kiosk.service [-p KEY=VALUE ...] [--events FILE]

Read from ``[Service]``: ``Type`` (simple, exec, notify), ``ExecStart``, ``Environment``, ``WorkingDirectory``,
``Restart``, ``RestartSec``, ``WatchdogSec``, ``NotifyAccess``, ``KillSignal``, ``WatchdogSignal``,
``TimeoutStartSec``, ``TimeoutStopSec``, ``TimeoutAbortSec``; from ``[Unit]``: ``StartLimitIntervalSec``,
``StartLimitBurst``. Other keys (``User=``, ``BindsTo=``...) are listed once as not emulated. ``-p`` sets a key
as ``systemd-run -p`` does (``Environment=`` adds to the unit's, any other key replaces it).

As systemd does: the service gets a clean environment (``PATH``, ``HOME``, ``USER``, ``LANG``, then
``Environment=``), ``$NOTIFY_SOCKET`` (a datagram socket; senders are checked against ``NotifyAccess=``) and,
with ``WatchdogSec=``, ``$WATCHDOG_USEC``. The watchdog counts from ``READY=1`` (``Type=notify``) and each
``WATCHDOG=1`` starts it again; when it runs out, ``WatchdogSignal`` (SIGABRT) goes to the service and SIGKILL
after ``TimeoutAbortSec``. The service runs in a process group of its own, which stands for its cgroup: what is
left of it after the main process exits is stopped too. Then ``Restart=`` decides, after ``RestartSec``.
SIGTERM or SIGINT to the supervisor is ``systemctl stop``: ``KillSignal`` (SIGTERM), SIGKILL after
``TimeoutStopSec``; the supervisor exits once the service is gone.

``--events FILE`` appends one JSON object a line for what happened (started, notify, watchdog, exited,
restarting, stopped), for tests and for reading afterwards; the same goes to stderr in words.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import pwd
import re
import selectors
import shlex
import shutil
import signal
import socket
import struct
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

EMULATED = {
    "Service": {"Type", "ExecStart", "Environment", "WorkingDirectory", "Restart", "RestartSec", "WatchdogSec",
                "NotifyAccess", "KillSignal", "WatchdogSignal", "TimeoutStartSec", "TimeoutStopSec",
                "TimeoutAbortSec"},
    "Unit": {"StartLimitIntervalSec", "StartLimitBurst", "Description"},
}
CLEAN_SIGNALS = {signal.SIGHUP, signal.SIGINT, signal.SIGTERM, signal.SIGPIPE}
RESTART_ON = {  # systemd.service(5), Restart=: which results restart the service
    "no": set(),
    "always": {"success", "exit-code", "signal", "timeout", "watchdog"},
    "on-success": {"success"},
    "on-failure": {"exit-code", "signal", "timeout", "watchdog"},
    "on-abnormal": {"signal", "timeout", "watchdog"},
    "on-abort": {"signal"},
    "on-watchdog": {"watchdog"},
}
UNITS_S = {"us": 1e-6, "usec": 1e-6, "ms": 1e-3, "msec": 1e-3, "s": 1, "sec": 1, "second": 1, "seconds": 1,
           "m": 60, "min": 60, "minute": 60, "minutes": 60, "h": 3600, "hr": 3600, "hour": 3600, "hours": 3600}
PR_SET_CHILD_SUBREAPER = 36
POLL_S = 0.5  # the longest the loop sleeps without looking (a lost wake-up costs no more)


class UnitError(ValueError):
    pass


def parse_timespan(text: str) -> float | None:
    """systemd's time span ("20", "500ms", "1min 30s", "infinity") in seconds; None for infinity or 0 where
    systemd reads 0 as off (the callers say which)."""
    text = text.strip()
    if text == "infinity":
        return None
    total = 0.0
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([a-z]*)", text)
    if not parts or re.sub(r"[\d.\s a-z]", "", text):
        raise UnitError(f"not a time span: {text!r}")
    for number, unit in parts:
        if unit not in UNITS_S and unit != "":
            raise UnitError(f"unknown time unit {unit!r} in {text!r}")
        total += float(number) * UNITS_S.get(unit, 1)
    return total


def signal_named(name: str) -> signal.Signals:
    name = name.strip().upper()
    try:
        return signal.Signals[name if name.startswith("SIG") else f"SIG{name}"]
    except KeyError:
        raise UnitError(f"unknown signal {name!r}") from None


def read_unit(text: str) -> dict[str, dict[str, list[str]]]:
    """Sections of key -> values (a key may repeat; an empty assignment resets it, as systemd reads it)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    logical = re.sub(r"\\\n", " ", text)
    for raw in logical.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        if current is None or "=" not in line:
            raise UnitError(f"cannot read {line!r}")
        key, value = (part.strip() for part in line.split("=", 1))
        if value == "":
            current[key] = []
        else:
            current.setdefault(key, []).append(value)
    return sections


def expand_specifiers(text: str) -> str:
    """The specifiers this stand-in knows: %U %u %h (the user running it) and %%."""
    user = pwd.getpwuid(os.getuid())
    table = {"U": str(user.pw_uid), "u": user.pw_name, "h": user.pw_dir, "%": "%"}

    def one(match: re.Match[str]) -> str:
        if match.group(1) not in table:
            raise UnitError(f"specifier %{match.group(1)} is not emulated")
        return table[match.group(1)]

    return re.sub(r"%(.)", one, text)


@dataclass
class Unit:
    """What the supervisor does, read from a unit file and its overrides."""

    command: list[str]
    type: str = "simple"
    environment: dict[str, str] = field(default_factory=dict)
    working_directory: str | None = None
    restart: str = "no"
    restart_s: float = 0.1
    watchdog_s: float | None = None
    notify_access: str = "none"
    kill_signal: signal.Signals = signal.SIGTERM
    watchdog_signal: signal.Signals = signal.SIGABRT
    start_timeout_s: float | None = 90.0
    stop_timeout_s: float | None = 90.0
    abort_timeout_s: float | None = 90.0
    start_limit_interval_s: float | None = 10.0
    start_limit_burst: int = 5
    ignored: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path, overrides: list[str]) -> Unit:
        sections = read_unit(path.read_text(encoding="utf-8"))
        service, unit = sections.get("Service", {}), sections.get("Unit", {})
        for assignment in overrides:
            key, _, value = assignment.partition("=")
            target = unit if key in EMULATED["Unit"] else service
            if key == "Environment":
                target.setdefault(key, []).append(value)
            else:
                target[key] = [value] if value else []
        ignored = [f"[{name}] {key}" for name, keys in sections.items() if name in EMULATED
                   for key, values in keys.items() if key not in EMULATED[name] and values]

        def last(section: dict[str, list[str]], key: str, default: str | None = None) -> str | None:
            values = section.get(key)
            return values[-1] if values else default

        exec_start = last(service, "ExecStart")
        if not exec_start:
            raise UnitError(f"{path}: no ExecStart=")
        command = shlex.split(expand_specifiers(exec_start))
        if command and command[0][:1] in "@-:+!":
            raise UnitError(f"ExecStart= prefixes are not emulated: {command[0]!r}")
        environment: dict[str, str] = {}
        for line in service.get("Environment", []):
            for item in shlex.split(expand_specifiers(line)):
                name, _, value = item.partition("=")
                environment[name] = value
        kind = last(service, "Type", "simple") or "simple"
        if kind not in ("simple", "exec", "notify"):
            raise UnitError(f"Type={kind} is not emulated")
        restart = last(service, "Restart", "no") or "no"
        if restart not in RESTART_ON:
            raise UnitError(f"Restart={restart}: one of {', '.join(RESTART_ON)}")
        stop = parse_timespan(last(service, "TimeoutStopSec", "90s") or "90s")
        watchdog = parse_timespan(last(service, "WatchdogSec", "0") or "0")
        limit = parse_timespan(last(unit, "StartLimitIntervalSec", "10s") or "10s")
        working = last(service, "WorkingDirectory")
        abort = last(service, "TimeoutAbortSec")
        return cls(
            command=command, type=kind, environment=environment,
            working_directory=expand_specifiers(working) if working else None, restart=restart,
            restart_s=parse_timespan(last(service, "RestartSec", "100ms") or "100ms") or 0.0,
            watchdog_s=watchdog or None,
            notify_access=last(service, "NotifyAccess", "main" if kind == "notify" else "none") or "none",
            kill_signal=signal_named(last(service, "KillSignal", "SIGTERM") or "SIGTERM"),
            watchdog_signal=signal_named(last(service, "WatchdogSignal", "SIGABRT") or "SIGABRT"),
            start_timeout_s=parse_timespan(last(service, "TimeoutStartSec", "90s") or "90s") or None,
            stop_timeout_s=stop or None,
            abort_timeout_s=(parse_timespan(abort) if abort else stop) or None,
            start_limit_interval_s=limit or None,
            start_limit_burst=int(last(unit, "StartLimitBurst", "5") or "5"),
            ignored=ignored)


def clean_environment() -> dict[str, str]:
    """What systemd gives a system service before its Environment= (for the user running this)."""
    user = pwd.getpwuid(os.getuid())
    return {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8",
            "HOME": user.pw_dir, "USER": user.pw_name, "LOGNAME": user.pw_name, "SHELL": user.pw_shell}


def become_subreaper() -> None:
    """Orphans of the service are handed to this process, as systemd is theirs: they are reaped here."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


@dataclass
class Run:
    """One start of the service."""

    pid: int
    started: float
    ready: bool = False
    watchdog_due: float | None = None
    start_due: float | None = None
    kill_due: float | None = None  # SIGKILL then (after a stop, a timeout or the watchdog)
    result: str | None = None  # why it is being stopped: "timeout", "watchdog", "stop"
    status: int | None = None  # waitpid's status once it exited


class Supervisor:
    def __init__(self, unit: Unit, events: Path | None = None) -> None:
        self.unit = unit
        self.events = events
        self.stopping = False
        self.starts: list[float] = []
        self.selector = selectors.DefaultSelector()
        self.tmp = tempfile.TemporaryDirectory(prefix="supervise-")
        self.notify_path = str(Path(self.tmp.name) / "notify")
        self.notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
        self.notify.bind(self.notify_path)
        self.notify.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        self.notify.setblocking(False)
        self.wake_r, self.wake_w = socket.socketpair()
        for end in (self.wake_r, self.wake_w):
            end.setblocking(False)
        self.selector.register(self.notify, selectors.EVENT_READ, "notify")
        self.selector.register(self.wake_r, selectors.EVENT_READ, "wake")
        self.run: Run | None = None

    # -- telling what happened -------------------------------------------------------------
    def event(self, name: str, **detail: object) -> None:
        words = " ".join(f"{k}={v}" for k, v in detail.items())
        sys.stderr.write(f"supervise: {name} {words}\n")
        sys.stderr.flush()
        if self.events is not None:
            with self.events.open("a", encoding="utf-8") as out:
                out.write(json.dumps({"event": name, "at": time.time(), **detail}) + "\n")

    # -- the loop ----------------------------------------------------------------------------
    def main(self) -> int:
        become_subreaper()
        signal.set_wakeup_fd(self.wake_w.fileno())
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._stop_requested)
        signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes the loop through the wake-up fd
        for line in self.unit.ignored:
            self.event("not_emulated", key=line)
        try:
            while True:
                if not self.start():
                    return 1
                result = self.supervise()
                if self.stopping:
                    return 0
                if result not in RESTART_ON[self.unit.restart]:
                    self.event("not_restarting", result=result, restart=self.unit.restart)
                    return 0 if result == "success" else 1
                if not self.pause(self.unit.restart_s):
                    return 0
        finally:
            self.notify.close()
            self.tmp.cleanup()

    def _stop_requested(self, signum: int, frame: object) -> None:
        self.stopping = True

    def start(self) -> bool:
        now = time.monotonic()
        limit = self.unit.start_limit_interval_s
        self.starts = [t for t in self.starts if limit is not None and now - t < limit]
        if limit is not None and len(self.starts) >= self.unit.start_limit_burst:
            self.event("start_limit_hit", burst=self.unit.start_limit_burst, interval_s=limit)
            return False
        self.starts.append(now)
        env = {**clean_environment(), **self.unit.environment}
        if self.unit.type == "notify" or self.unit.notify_access != "none":
            env["NOTIFY_SOCKET"] = self.notify_path
        if self.unit.watchdog_s:
            env["WATCHDOG_USEC"] = str(round(self.unit.watchdog_s * 1_000_000))
        program = shutil.which(self.unit.command[0], path=env["PATH"]) or self.unit.command[0]
        pid = os.fork()
        if pid == 0:  # the service: its own process group (its "cgroup"), default signal handling
            try:
                os.setsid()
                for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD):
                    signal.signal(sig, signal.SIG_DFL)
                signal.set_wakeup_fd(-1)
                if self.unit.working_directory:
                    os.chdir(self.unit.working_directory)
                os.execve(program, self.unit.command, env)
            except OSError as exc:
                os.write(2, f"supervise: cannot run {program}: {exc}\n".encode())
            finally:
                os._exit(203)  # systemd's EXIT_EXEC
        self.run = Run(pid, now)
        if self.unit.type == "notify" and self.unit.start_timeout_s:
            self.run.start_due = now + self.unit.start_timeout_s
        if self.unit.type != "notify":
            self._ready()
        self.event("started", pid=pid, command=shlex.join(self.unit.command))
        return True

    def _ready(self) -> None:
        assert self.run is not None
        self.run.ready, self.run.start_due = True, None
        if self.unit.watchdog_s:  # the watchdog counts from the end of start-up
            self.run.watchdog_due = time.monotonic() + self.unit.watchdog_s

    def supervise(self) -> str:
        """Until the service's main process has exited and the rest of its group is gone: the result."""
        run = self.run
        assert run is not None
        while run.status is None:
            if self.stopping and run.result != "stop":
                self.kill("stop", self.unit.kill_signal, self.unit.stop_timeout_s)
            self.wait(self.next_due(run))
            self.reap()
            now = time.monotonic()
            if run.status is not None:
                break
            if run.kill_due is not None and now >= run.kill_due:
                self.event("killing", pid=run.pid, signal="SIGKILL", why=run.result)
                self.signal_group(signal.SIGKILL)
                run.kill_due = None
            elif run.watchdog_due is not None and now >= run.watchdog_due:
                self.event("watchdog", pid=run.pid, timeout_s=self.unit.watchdog_s)
                self.kill("watchdog", self.unit.watchdog_signal, self.unit.abort_timeout_s)
            elif run.start_due is not None and now >= run.start_due:
                self.event("start_timeout", pid=run.pid, timeout_s=self.unit.start_timeout_s)
                self.kill("timeout", self.unit.kill_signal, self.unit.stop_timeout_s)
        result = run.result or classify(run.status)
        self.event("exited", pid=run.pid, **describe(run.status), result=result)
        self.clear_group(run)
        if self.stopping:
            self.event("stopped", pid=run.pid)
        return result

    def kill(self, why: str, sig: signal.Signals, timeout_s: float | None) -> None:
        run = self.run
        assert run is not None
        run.result, run.watchdog_due, run.start_due = why, None, None
        run.kill_due = time.monotonic() + timeout_s if timeout_s else None
        self.event("signal", pid=run.pid, signal=sig.name, why=why)
        self.signal_group(sig)

    def signal_group(self, sig: int) -> None:
        assert self.run is not None
        try:
            os.killpg(self.run.pid, sig)
        except ProcessLookupError:
            pass

    def clear_group(self, run: Run) -> None:
        """What the main process left in its group gets KillSignal, then SIGKILL (systemd's cgroup clean-up)."""
        for sig, timeout_s in ((self.unit.kill_signal, self.unit.stop_timeout_s or 90.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(run.pid, sig)
            except ProcessLookupError:
                return
            deadline = time.monotonic() + timeout_s
            while time.monotonic() < deadline:
                self.wait(min(time.monotonic() + 0.1, deadline))
                self.reap()
                try:
                    os.killpg(run.pid, 0)
                except ProcessLookupError:
                    return
        self.event("left_behind", group=run.pid)  # unkillable (an uninterruptible sleep), as systemd reports it

    def next_due(self, run: Run) -> float:
        dues = [d for d in (run.kill_due, run.watchdog_due, run.start_due) if d is not None]
        return min([*dues, time.monotonic() + POLL_S])

    def wait(self, until: float) -> None:
        for key, _ in self.selector.select(max(0.0, until - time.monotonic())):
            if key.data == "wake":
                try:
                    while self.wake_r.recv(512):
                        pass
                except BlockingIOError:
                    pass
            else:
                self.read_notifications()

    def reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if self.run is not None and pid == self.run.pid:
                self.run.status = status

    def read_notifications(self) -> None:
        space = socket.CMSG_SPACE(struct.calcsize("3i"))
        while True:
            try:
                data, ancillary, _, _ = self.notify.recvmsg(4096, space)
            except BlockingIOError:
                return
            sender = None
            for level, kind, payload in ancillary:
                if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                    sender = struct.unpack("3i", payload[:struct.calcsize("3i")])[0]
            self.notified(sender, data.decode(errors="replace").split("\n"))

    def notified(self, sender: int | None, fields: list[str]) -> None:
        run = self.run
        if run is None or run.status is not None:
            return
        access = self.unit.notify_access
        if access == "none" or (access == "main" and sender != run.pid):
            self.event("notify_refused", sender=sender, access=access, fields=fields)
            return
        self.event("notify", pid=sender, fields=[f for f in fields if f])
        if "READY=1" in fields and not run.ready and run.result is None:
            self._ready()
        if "WATCHDOG=1" in fields and run.ready and run.result is None and self.unit.watchdog_s:
            run.watchdog_due = time.monotonic() + self.unit.watchdog_s

    def pause(self, seconds: float) -> bool:
        """Wait ``seconds`` before the next start; False when a stop came meanwhile."""
        self.event("restarting", in_s=seconds)
        until = time.monotonic() + seconds
        while time.monotonic() < until and not self.stopping:
            self.wait(until)
            self.reap()
        return not self.stopping


def classify(status: int | None) -> str:
    """systemd's result for a main process that exited with ``status`` (waitpid's)."""
    if status is None:
        return "exit-code"
    if os.WIFSIGNALED(status):
        return "success" if os.WTERMSIG(status) in CLEAN_SIGNALS else "signal"
    return "success" if os.waitstatus_to_exitcode(status) == 0 else "exit-code"


def describe(status: int | None) -> dict[str, object]:
    if status is not None and os.WIFSIGNALED(status):
        return {"signal": signal.Signals(os.WTERMSIG(status)).name}
    return {"code": os.waitstatus_to_exitcode(status) if status is not None else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("unit", type=Path, help="the service unit file (deploy/kiosk.service)")
    parser.add_argument("-p", "--property", action="append", default=[], metavar="KEY=VALUE",
                        help="set a [Service] or [Unit] key (Environment= adds); repeatable")
    parser.add_argument("--events", type=Path, help="append what happens to this file, a JSON object a line")
    args = parser.parse_args(argv)
    try:
        unit = Unit.load(args.unit, args.property)
    except (OSError, UnitError) as exc:
        sys.stderr.write(f"supervise: {exc}\n")
        return 2
    return Supervisor(unit, args.events).main()


if __name__ == "__main__":
    sys.exit(main())
