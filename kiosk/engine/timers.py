"""The session's inactivity timer, on the engine's injected clock (tests advance a ManualClock).

A screen's time comes from its step (``Step.timeout`` names a field of the ``[timeouts]`` section),
scaled for elderly mode by :meth:`Timeouts.for_customer`. The warning appears when the screen has
``Timeouts.warning_for(elderly)`` seconds left (20, elderly mode 30). It is spoken first: its
countdown starts when its speech ends (the engine gives the speech's estimated length), so the
customer has the whole countdown after hearing it, and the screen's time is extended to match. Any
input starts the screen's time again.
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
        self.countdown_from: float | None = None  # the warning is up; its countdown starts then

    def screen_time(self, kind: str | None, elderly: bool) -> float | None:
        """The time for a screen whose step names ``kind`` (None: the step has no timeout)."""
        return None if kind is None else self.timeouts.for_customer(kind, elderly)

    def arm(self, seconds: float | None = KEEP) -> None:
        """Start the screen's time again; with ``seconds``, the screen has that time from now on."""
        if seconds is None or seconds >= 0:
            self.seconds = seconds
        self.warned_left = None
        self.countdown_from = None
        self.deadline = None if self.seconds is None else self.clock.monotonic() + self.seconds

    def stop(self) -> None:
        self.deadline = None
        self.countdown_from = None

    def left(self) -> float | None:
        return None if self.deadline is None else self.deadline - self.clock.monotonic()

    def warning_changed(self, left: float, warning_s: float, speech_s: float = 0.0) -> bool:
        """Whether the warning has something new to show: it appears (``left`` <= ``warning_s``),
        or its countdown has a new whole second. When it appears, the countdown of ``warning_s``
        is set to start once its speech (``speech_s``) has ended, and the screen's end with it."""
        now = self.clock.monotonic()
        if self.countdown_from is None:
            if left > warning_s:
                return False
            self.countdown_from = now + speech_s
            self.deadline = self.countdown_from + warning_s
            left = self.deadline - now
        shown = int(min(left, warning_s) + 0.999)
        if self.warned_left != shown:
            self.warned_left = shown
            return True
        return False
