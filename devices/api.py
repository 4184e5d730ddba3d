"""What every device shares: status, one closed set of error codes, cancellation, events.

Modelled on XFS4IoT: a call takes a typed request, a timeout and a cancellation token, returns a
typed result or raises :class:`DeviceError` with a code from :class:`ErrorCode`, and may report
events while it runs (card inserted, key pressed) through an ``on_event`` callback.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol


class ErrorCode(StrEnum):
    """The closed set of outcomes a device call can fail with."""

    HARDWARE_ERROR = "hardware_error"  # the device is broken or jammed
    USER_ERROR = "user_error"  # the customer did something the device cannot use (bad card, card removed)
    FRAUD_ATTEMPT = "fraud_attempt"  # a tampered or foreign object, a forged card
    NOT_READY = "not_ready"  # offline, not connected, out of stock or paper
    CANCELLED = "cancelled"  # the caller cancelled
    TIMEOUT = "timeout"  # nothing happened in time


class DeviceError(Exception):
    """A device call that did not succeed.

    ``reason`` is the device's finer code (``no_card``, ``jam``, ``paper_out``, ``checksum``...)
    for the journal and for choosing the message shown to the customer.
    """

    def __init__(self, device: str, code: ErrorCode, reason: str, detail: str = "") -> None:
        self.device = device
        self.code = ErrorCode(code)
        self.reason = reason
        self.detail = detail
        super().__init__(f"{device}: {self.code.value} ({reason}){': ' + detail if detail else ''}")


class DeviceState(StrEnum):
    OK = "ok"
    BUSY = "busy"
    OFFLINE = "offline"
    FAULT = "fault"


@dataclass(frozen=True)
class DeviceStatus:
    device: str
    state: DeviceState
    fault: str | None = None  # the fault's reason code when state is FAULT or OFFLINE
    detail: str = ""  # one line for staff, e.g. "paper low", "stock 12"
    counters: dict[str, int] = field(default_factory=dict)  # stock, retained, paper...


@dataclass(frozen=True)
class DeviceEvent:
    """Something that happened during a call: ``card_inserted``, ``key``, ``card_at_gate``..."""

    device: str
    kind: str
    data: dict[str, Any] = field(default_factory=dict)


EventSink = Callable[[DeviceEvent], None]


def ignore_events(event: DeviceEvent) -> None:
    """Default event sink."""


class Cancellation:
    """Handed to every device call; the caller sets it, the device checks it while waiting."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True when cancelled meanwhile."""
        return self._event.wait(seconds)


class Device(Protocol):
    """What every device adapter and simulator offers."""

    name: str

    def status(self) -> DeviceStatus: ...

    def reset(self) -> None:
        """Clear a fault and return to a known state (staff servicing)."""
        ...

    def close(self) -> None: ...


class FaultInjection:
    """Mixin for simulators: QA arms a fault that the next call(s) raise.

    ``inject("jam")`` makes the next operation fail with the device's mapping for ``jam``;
    ``times=-1`` keeps the fault until :meth:`clear_faults`. Simulators list what they accept in
    ``FAULTS`` (reason -> error code).
    """

    FAULTS: dict[str, ErrorCode] = {}
    name: str

    def _init_faults(self) -> None:
        self._faults: dict[str, int] = {}
        self._fault_lock = threading.Lock()

    def inject(self, reason: str, times: int = 1) -> None:
        if reason not in self.FAULTS:
            allowed = ", ".join(sorted(self.FAULTS))
            raise ValueError(f"{self.name}: unknown fault {reason!r}; allowed: {allowed}")
        with self._fault_lock:
            self._faults[reason] = times

    def clear_faults(self) -> None:
        with self._fault_lock:
            self._faults.clear()

    def armed_faults(self) -> list[str]:
        with self._fault_lock:
            return sorted(self._faults)

    def _take_fault(self, *reasons: str) -> str | None:
        """Consume and return the first armed fault among ``reasons`` (all when none given)."""
        with self._fault_lock:
            for reason in reasons or tuple(self._faults):
                left = self._faults.get(reason)
                if left is None:
                    continue
                if left > 0:
                    left -= 1
                    if left == 0:
                        del self._faults[reason]
                    else:
                        self._faults[reason] = left
                return reason
        return None

    def _raise_fault(self, reason: str, detail: str = "injected by QA") -> None:
        raise DeviceError(self.name, self.FAULTS[reason], reason, detail)


LATCHING = frozenset({ErrorCode.HARDWARE_ERROR, ErrorCode.FRAUD_ATTEMPT})


class CallGuard:
    """One call at a time on a device. A hardware or fraud error latches (``latched`` holds its reason, the
    device reports FAULT) until the next good call or :meth:`clear`. Shared by adapters and simulators."""

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self.busy = False
        self.latched: str | None = None

    @contextmanager
    def call(self, busy_error: Callable[[], DeviceError]) -> Iterator[None]:
        with self._lock:
            if self.busy:
                raise busy_error()
            self.busy = True
        try:
            yield
        except DeviceError as exc:
            if exc.code in LATCHING:
                with self._lock:
                    self.latched = exc.reason
            raise
        else:
            with self._lock:
                self.latched = None
        finally:
            with self._lock:
                self.busy = False

    def clear(self) -> None:
        with self._lock:
            self.latched = None


class PresentStatus(StrEnum):
    """XFS4IoT's present status: is the last operation's card or paper presented to the customer?"""

    PRESENTED = "presented"  # at the gate, in the slot, in the tray: the customer may take it
    NOT_PRESENTED = "not_presented"  # taken, retained, captured, or still inside the device
    UNKNOWN = "unknown"  # the operation was started or interrupted: where it is is not known


class OperationStage(StrEnum):
    """How far a device's last operation got."""

    STARTED = "started"  # a print job began (no output confirmed yet)
    PICKED = "picked"  # a stock card is at the dispenser's read position
    AT_GATE = "at_gate"  # a card is presented at the dispenser's gate
    TAKEN = "taken"  # the customer took the card, receipt or sheets
    RETAINED = "retained"  # the dispenser pulled its card into the retain bin; a printer retracted sheets
    PRINTED = "printed"  # every page is out (a real printer: the job was handed over)
    INTERRUPTED = "interrupted"  # a print job failed or the kiosk stopped during it
    CARD_INSIDE = "card_inside"  # a bank card is inside the reader
    EJECTED = "ejected"  # the reader ejected the card to its slot
    CAPTURED = "captured"  # the reader captured the card into its retain bin


HOLDS_CARD = frozenset({OperationStage.PICKED, OperationStage.AT_GATE, OperationStage.CARD_INSIDE,
                        OperationStage.EJECTED})
_PRESENTED = frozenset({OperationStage.AT_GATE, OperationStage.EJECTED, OperationStage.PRINTED})
_UNKNOWN = frozenset({OperationStage.STARTED, OperationStage.INTERRUPTED})


@dataclass(frozen=True)
class LastOperation:
    """What a device last did with a card or paper, as its durable state remembers it (devices/durable.py).

    ``card_masked`` is a masked PAN (kiosk.core.masking.mask_pan), never a full one; ``job_id`` and
    ``pages`` belong to print jobs; ``reason`` says why a card was retained or a job interrupted."""

    device: str
    operation: str  # dispense, read_card, print
    stage: OperationStage
    at: datetime
    card_masked: str = ""
    job_id: str = ""
    pages: int = 0
    reason: str = ""

    @property
    def present_status(self) -> PresentStatus:
        if self.stage in _PRESENTED:
            return PresentStatus.PRESENTED
        return PresentStatus.UNKNOWN if self.stage in _UNKNOWN else PresentStatus.NOT_PRESENTED

    @property
    def holds_card(self) -> bool:
        """A card was left in the device (read position, gate, reader, slot): recovery retains it."""
        return self.stage in HOLDS_CARD

    def to_json(self) -> dict[str, Any]:
        return {"device": self.device, "operation": self.operation, "stage": self.stage.value,
                "at": self.at.isoformat(), "card_masked": self.card_masked, "job_id": self.job_id,
                "pages": self.pages, "reason": self.reason}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LastOperation:
        """Raises KeyError, ValueError or TypeError for a record that is not one."""
        return cls(device=str(data["device"]), operation=str(data["operation"]),
                   stage=OperationStage(data["stage"]), at=datetime.fromisoformat(data["at"]),
                   card_masked=str(data.get("card_masked", "")), job_id=str(data.get("job_id", "")),
                   pages=int(data.get("pages", 0)), reason=str(data.get("reason", "")))

    def summary(self) -> str:
        """One line for staff: 'dispense at_gate 622848*********0018 2024-05-01 10:00:00'."""
        what = " ".join(p for p in (self.operation, self.stage.value, self.card_masked, self.job_id) if p)
        pages = f" {self.pages}p" if self.pages else ""
        why = f" ({self.reason})" if self.reason else ""
        return f"{what}{pages}{why} {self.at:%Y-%m-%d %H:%M:%S}"


class RemembersLastOperation(Protocol):
    """A device that moves cards or paper and remembers, durably, what it last did."""

    def last_operation(self) -> LastOperation | None:
        """The last operation as the device's durable state says (None: nothing recorded yet)."""
        ...
