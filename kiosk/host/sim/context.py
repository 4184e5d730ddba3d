"""What every host operation handler gets and may raise: its context, and a business refusal."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any


class Refusal(Exception):
    """A business refusal: answered with HTTP 422 and, for a posting, stored under its key.

    Writes a handler made before raising (a wrong-PIN counter, a spent SMS try) are committed
    with the refusal: handlers check everything else before they change anything.
    """

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.details = details

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class SimulatorClock:
    """Wall-clock time that QA can move forward (``POST /sim/clock``), timezone-aware, whole seconds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)

    def now(self) -> datetime:
        with self._lock:
            return (datetime.now().astimezone() + self._offset).replace(microsecond=0)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock does not go back")
        with self._lock:
            self._offset += timedelta(seconds=seconds)

    def reset(self) -> None:
        with self._lock:
            self._offset = timedelta(0)


@dataclass(frozen=True)
class HostLimits:
    """What the simulated bank enforces; the kiosk passes its configured ``[limits]`` at start
    (``--sms-tries``, ``--pin-tries``). A real host has its own."""

    sms_tries: int = 3  # wrong codes before an SMS code is used up
    pin_tries: int = 3  # wrong PINs a card may take in a day before the PIN locks until midnight


@dataclass(frozen=True)
class OpContext:
    """One operation's view of the bank: the open transaction, the time, the working keys, the limits."""

    conn: sqlite3.Connection
    now: datetime
    working_keys: Mapping[str, bytes]
    idempotency_key: str
    limits: HostLimits = HostLimits()


def next_ref(conn: sqlite3.Connection, prefix: str, width: int = 8) -> str:
    """The next reference in the ``prefix`` series: 'P00000001', 'P00000002'..."""
    conn.execute(
        "INSERT INTO counters(name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1",
        (prefix,),
    )
    (value,) = conn.execute("SELECT value FROM counters WHERE name = ?", (prefix,)).fetchone()
    return f"{prefix}{value:0{width}d}"
