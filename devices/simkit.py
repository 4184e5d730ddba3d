"""What the behavioural simulators share: waiting on an injected clock, status, faults, events.

Every simulator reads time only from the :class:`~kiosk.core.clock.Clock` it is given. A call
computes its deadline on that clock and polls in short real-time steps, so a test or a headless
scenario advances a ``ManualClock`` instead of sleeping, and a cancellation is noticed within one
step. A cancelled call raises ``DeviceError(CANCELLED, "cancelled")``; a call whose deadline passes
raises ``DeviceError(TIMEOUT, reason)``.

Fault conventions (QA's ``inject(reason, times)`` from :class:`~devices.api.FaultInjection`):

* ``offline`` is sticky whatever ``times`` says: the device stays offline (status OFFLINE, every
  call NOT_READY) until :meth:`SimulatedDevice.reset` or ``clear_faults()``.
* an injected ``timeout`` fails the next call with TIMEOUT at once, without waiting for a deadline.
* a HARDWARE_ERROR or FRAUD_ATTEMPT leaves the device in FAULT (status shows the reason) until the
  next successful call or ``reset()``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from devices.api import (
    CallGuard,
    Cancellation,
    DeviceError,
    DeviceEvent,
    DeviceState,
    DeviceStatus,
    ErrorCode,
    EventSink,
    FaultInjection,
)
from kiosk.core.clock import Clock

POLL_SECONDS = 0.01
OFFLINE = "offline"


class QAControlError(RuntimeError):
    """A QA control asked for something the device cannot do (a second card into a full slot)."""


def wait_for(
    predicate: Callable[[], bool],
    clock: Clock,
    timeout: float,
    cancel: Cancellation,
    poll: float = POLL_SECONDS,
) -> bool:
    """Wait until ``predicate()`` holds (True), or the deadline on ``clock`` passes or ``cancel`` is
    set (False). Cancellation wins over a predicate that holds; the predicate is always checked once,
    so a zero timeout still sees what is already there."""
    deadline = clock.monotonic() + max(timeout, 0.0)
    while True:
        if cancel.cancelled:
            return False
        if predicate():
            return True
        if clock.monotonic() >= deadline:
            return False
        cancel.wait(poll)


class SimulatedDevice(FaultInjection):
    """Base of the in-process simulators: one call at a time, status, reset, close, events."""

    def __init__(self, clock: Clock, name: str) -> None:
        self.name = name
        self.clock = clock
        self._lock = threading.RLock()
        self._guard = CallGuard(self._lock)
        self._closed = False
        self._init_faults()

    # -- Device ------------------------------------------------------------------------------
    def status(self) -> DeviceStatus:
        with self._lock:
            if self._closed:
                return DeviceStatus(self.name, DeviceState.OFFLINE, "closed", "closed")
            counters = self._counters()
            if self.is_offline():
                return DeviceStatus(self.name, DeviceState.OFFLINE, OFFLINE, "offline", counters)
            fault = self._guard.latched or self._standing_fault()
            if fault is not None:
                state = DeviceState.FAULT
            else:
                state = DeviceState.BUSY if self._guard.busy else DeviceState.OK
            return DeviceStatus(self.name, state, fault, self._detail(), counters)

    def reset(self) -> None:
        """Staff servicing: clear every fault and return to idle."""
        self.clear_faults()
        with self._lock:
            self._guard.clear()
            self._on_reset()

    def close(self) -> None:
        """Release the device; a call still waiting ends with NOT_READY ``closed``."""
        with self._lock:
            self._closed = True

    def is_offline(self) -> bool:
        return OFFLINE in self.armed_faults()

    # -- hooks for subclasses ----------------------------------------------------------------
    def _counters(self) -> dict[str, int]:
        return {}

    def _detail(self) -> str:
        return ""

    def _standing_fault(self) -> str | None:
        """A condition that keeps the device from working until serviced (paper out, bin full)."""
        return None

    def _on_reset(self) -> None:
        """Device-specific return to idle, called under the lock."""

    # -- helpers for calls -------------------------------------------------------------------
    def _error(self, code: ErrorCode, reason: str, detail: str = "") -> DeviceError:
        return DeviceError(self.name, code, reason, detail)

    def _check_ready(self) -> None:
        if self._closed:
            raise self._error(ErrorCode.NOT_READY, "closed", "the device was closed")
        if self.is_offline():
            raise self._error(ErrorCode.NOT_READY, OFFLINE, "injected by QA")

    @contextmanager
    def _operation(self) -> Iterator[None]:
        """One call at a time: BUSY while it runs; a hardware or fraud error latches FAULT."""
        with self._lock:
            self._check_ready()
        with self._guard.call(lambda: self._error(ErrorCode.NOT_READY, "busy", "another call is running")):
            yield

    def _fail_if_armed(self, *reasons: str) -> None:
        """Raise the first armed fault among ``reasons`` (consuming one of its ``times``)."""
        if not reasons:
            raise ValueError("name the faults this step can fail with")
        reason = self._take_fault(*reasons)
        if reason is not None:
            self._raise_fault(reason)

    def _await(self, predicate: Callable[[], bool], timeout: float, cancel: Cancellation) -> bool:
        """True once ``predicate`` holds, False when the deadline passes; raises CANCELLED, or
        NOT_READY ``closed`` when the device is closed meanwhile."""

        def settled() -> bool:
            with self._lock:
                return self._closed or predicate()

        arrived = wait_for(settled, self.clock, timeout, cancel)
        if cancel.cancelled:
            raise self._error(ErrorCode.CANCELLED, "cancelled")
        if self._closed:
            raise self._error(ErrorCode.NOT_READY, "closed", "the device was closed")
        return arrived

    def _wait(self, predicate: Callable[[], bool], timeout: float, cancel: Cancellation, reason: str) -> None:
        """Like :meth:`_await`, but a passed deadline raises TIMEOUT ``reason``."""
        if not self._await(predicate, timeout, cancel):
            raise self._error(ErrorCode.TIMEOUT, reason, f"nothing within {timeout:g} s")

    def _emit(self, on_event: EventSink, kind: str, **data: Any) -> None:
        on_event(DeviceEvent(self.name, kind, dict(data)))
