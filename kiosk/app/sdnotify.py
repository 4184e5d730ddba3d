"""Telling the service manager how the kiosk is: systemd's notify protocol, written out (no libsystemd).

systemd (``Type=notify``) puts the path of a datagram socket in ``$NOTIFY_SOCKET`` (``@name`` is a socket in
the abstract namespace) and, with ``WatchdogSec=``, the watchdog's period in ``$WATCHDOG_USEC``. The kiosk
sends ``READY=1`` once its home screen is up, ``WATCHDOG=1`` every half period from the Qt event loop
(kiosk/app/gui_service.py: a hung window stops feeding it, and systemd kills and restarts the kiosk) and
``STOPPING=1`` when it stops. Without ``$NOTIFY_SOCKET`` (a terminal, the tests) nothing is sent.

The variables are taken out of the environment when read, so the processes the kiosk starts (the host
simulator, the face matcher) do not inherit them. ``$WATCHDOG_PID``, when set, must name this process or
its parent (a compositor that started the kiosk), else the watchdog is not this process's to feed.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import MutableMapping
from dataclasses import dataclass

log = logging.getLogger(__name__)

NOTIFY_SOCKET = "NOTIFY_SOCKET"
WATCHDOG_USEC = "WATCHDOG_USEC"
WATCHDOG_PID = "WATCHDOG_PID"


def socket_address(value: str) -> str | None:
    """Where ``$NOTIFY_SOCKET`` points: a path, or ``@name`` in the abstract namespace (a leading NUL);
    None for what this module does not speak (systemd's ``vsock:`` addresses) or an empty value."""
    if value.startswith("@"):
        return "\0" + value[1:]
    if value.startswith("/"):
        return value
    return None


def watchdog_period(environ: MutableMapping[str, str], pid: int, parent_pid: int) -> float | None:
    """The watchdog's period in seconds (``$WATCHDOG_USEC``), or None when there is none for this process."""
    usec = environ.get(WATCHDOG_USEC, "")
    owner = environ.get(WATCHDOG_PID, "")
    if not usec.isdigit() or int(usec) == 0:
        return None
    if owner and owner not in (str(pid), str(parent_pid)):
        return None
    return int(usec) / 1_000_000


@dataclass
class Notifier:
    """Sends notifications to ``address`` (None: sends nothing). ``watchdog_s``: the watchdog's period."""

    address: str | None = None
    watchdog_s: float | None = None

    @classmethod
    def from_environment(cls, environ: MutableMapping[str, str] | None = None) -> Notifier:
        """Read (and take out of ``environ``, by default this process's environment) what systemd set."""
        env = os.environ if environ is None else environ
        address = socket_address(env.get(NOTIFY_SOCKET, ""))
        if env.get(NOTIFY_SOCKET) and address is None:
            log.warning("%s=%r: not a path or an abstract socket; not notifying", NOTIFY_SOCKET, env[NOTIFY_SOCKET])
        period = watchdog_period(env, os.getpid(), os.getppid()) if address else None
        for name in (NOTIFY_SOCKET, WATCHDOG_USEC, WATCHDOG_PID):
            env.pop(name, None)
        return cls(address, period)

    @property
    def enabled(self) -> bool:
        return self.address is not None

    @property
    def feed_interval_s(self) -> float | None:
        """How often to send ``WATCHDOG=1``: half the period, as sd_watchdog_enabled(3) advises."""
        return self.watchdog_s / 2 if self.watchdog_s else None

    def send(self, *assignments: str) -> bool:
        """One datagram of ``KEY=VALUE`` lines; False when it could not be sent (logged, never raised:
        the kiosk serves customers whether or not its supervisor hears it)."""
        if self.address is None:
            return False
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.sendto("\n".join(assignments).encode(), self.address)
        except OSError as exc:
            log.warning("service manager notification %s not sent: %s", assignments[0].split("=")[0], exc)
            return False
        return True

    def ready(self, status: str = "") -> bool:
        return self.send("READY=1", *([f"STATUS={status}"] if status else []))

    def watchdog(self) -> bool:
        return self.send("WATCHDOG=1")

    def stopping(self, status: str = "") -> bool:
        return self.send("STOPPING=1", *([f"STATUS={status}"] if status else []))
