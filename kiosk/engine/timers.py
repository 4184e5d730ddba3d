"""The session's inactivity timer, on the engine's injected clock (tests advance a ManualClock).

A screen's time comes from its step (``Step.timeout`` names a field of the ``[timeouts]`` section),
scaled for elderly mode by :meth:`Timeouts.for_customer`. The warning shows ``warning_s`` before the
end and counts down in whole seconds; any input starts the screen's time again.
"""

from __future__ import annotations

from kiosk.core.clock import Clock
from kiosk.engine.settings import Timeouts

KEEP = -1.0  # arm(): keep the screen's time, start it again


class InactivityTimer:
    def __init__(self, clock: Clock, timeouts: Timeouts) -> None:
        self.clock = clock
        self.timeouts = timeouts
        self.seconds: float | None = None  # the current screen's time; None: no inactivity timeout
        self.deadline: float | None = None
        self.warned_left: int | None = None  # the whole seconds left the warning last showed

    def screen_time(self, kind: str | None, elderly: bool) -> float | None:
        """The time for a screen whose step names ``kind`` (None: the step has no timeout)."""
        return None if kind is None else self.timeouts.for_customer(kind, elderly)

    def arm(self, seconds: float | None = KEEP) -> None:
        """Start the screen's time again; with ``seconds``, the screen has that time from now on."""
        if seconds is None or seconds >= 0:
            self.seconds = seconds
        self.warned_left = None
        self.deadline = None if self.seconds is None else self.clock.monotonic() + self.seconds

    def stop(self) -> None:
        self.deadline = None

    def left(self) -> float | None:
        return None if self.deadline is None else self.deadline - self.clock.monotonic()

    def warning_changed(self, left: float) -> bool:
        """Whether the warning (shown in the last ``warning_s``) has a new whole second to show."""
        shown = int(left + 0.999)
        if left <= self.timeouts.warning_s and self.warned_left != shown:
            self.warned_left = shown
            return True
        return False
