"""Time as an input. The engine and the simulators read time only through a Clock."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds from an arbitrary start; never goes back."""
        ...

    def now(self) -> datetime:
        """Local wall-clock time, for business dates (ID card validity, receipts)."""
        ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now()


class ManualClock:
    """A clock that moves only when told to: tests and scenarios advance it instead of sleeping."""

    def __init__(self, start: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._mono = 1000.0
        self._wall = start or datetime(2026, 11, 28, 10, 0, 0)

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

    def now(self) -> datetime:
        from datetime import timedelta

        with self._lock:
            return self._wall + timedelta(seconds=self._mono - 1000.0)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock cannot go back")
        with self._lock:
            self._mono += seconds
