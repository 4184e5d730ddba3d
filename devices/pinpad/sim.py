"""Behavioural encrypting PIN pad: QA (or the on-screen sim keypad) presses keys; a read returns
only an encrypted PIN block.

Keys: digits, ``C`` clear, ``B`` backspace, ``E`` or ``#`` enter, ``X`` cancel. Keys pressed before
a read starts stay queued for it (headless scripts type ahead); keys left after enter stay for the
next read (a new PIN and its confirmation). Events report only what kind of key was pressed and
how many digits are held, never a digit. The clear PIN lives in a local buffer that is wiped when
the call ends; no attribute of the PIN pad ever holds it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from devices.api import Cancellation, ErrorCode, EventSink, ignore_events
from devices.pinpad.api import PinBlock
from devices.pinpad.pinblock import encrypt_pin, format0_clear
from devices.simkit import SimulatedDevice
from kiosk.core.clock import Clock

DIGITS = frozenset("0123456789")
ENTER_KEYS = frozenset("E#")
CANCEL_KEY = "X"
KEYS = DIGITS | ENTER_KEYS | {"C", "B", CANCEL_KEY}
MIN_PIN, MAX_PIN = 4, 12
_CHECK_PAN = "4111111111111111"


@dataclass
class _PinEntry:
    """The digits of one entry, held in a buffer that :meth:`wipe` overwrites."""

    min_length: int
    max_length: int
    digits: bytearray = field(default_factory=bytearray)

    def press(self, key: str) -> str:
        """Apply one key; return what the event may say about it."""
        if key in DIGITS:
            if len(self.digits) >= self.max_length:
                return "rejected"
            self.digits.append(ord(key))
            return "digit"
        if key == "C":
            self.wipe()
            return "clear"
        if key == "B":
            if self.digits:
                self.digits[-1] = 0
                del self.digits[-1]
            return "backspace"
        return "enter" if len(self.digits) >= self.min_length else "rejected"

    def wipe(self) -> None:
        self.digits[:] = bytes(len(self.digits))
        self.digits.clear()


class SimPinPad(SimulatedDevice):
    FAULTS = {
        "offline": ErrorCode.NOT_READY,
        "tamper": ErrorCode.FRAUD_ATTEMPT,  # the tamper switch tripped: a skimmer or an opened case
        "timeout": ErrorCode.TIMEOUT,
        "hardware": ErrorCode.HARDWARE_ERROR,
    }

    def __init__(
        self, clock: Clock, working_key: bytes, key_id: str, algorithm: str = "SM4", name: str = "pinpad"
    ) -> None:
        super().__init__(clock, name)
        encrypt_pin("0000", _CHECK_PAN, working_key, algorithm)  # a bad key or algorithm fails here
        self._working_key = working_key
        self.key_id = key_id
        self.algorithm = algorithm
        self._keys: deque[str] = deque()

    # -- QA controls -------------------------------------------------------------------------
    def press(self, keys: str) -> None:
        """Queue key presses, e.g. ``press("147258E")``."""
        unknown = sorted(set(keys) - KEYS)
        if unknown:
            raise ValueError(f"{self.name}: unknown keys {''.join(unknown)!r}; allowed: 0-9 C B E # X")
        with self._lock:
            self._keys.extend(keys)

    def flush(self) -> None:
        """Drop keys pressed but not yet read."""
        with self._lock:
            self._keys.clear()

    # -- PinPad ------------------------------------------------------------------------------
    def read_pin(
        self,
        pan: str,
        timeout: float,
        cancel: Cancellation,
        on_event: EventSink = ignore_events,
        min_length: int = 6,
        max_length: int = 6,
    ) -> PinBlock:
        if not MIN_PIN <= min_length <= max_length <= MAX_PIN:
            raise ValueError(f"PIN lengths must satisfy {MIN_PIN} <= min <= max <= {MAX_PIN}")
        format0_clear("0000", pan)  # a PAN the block cannot be bound to fails before any key is read
        with self._operation():
            self._fail_if_armed("tamper", "hardware", "timeout")
            deadline = self.clock.monotonic() + timeout
            entry = _PinEntry(min_length, max_length)
            try:
                return self._collect(entry, pan, deadline, cancel, on_event)
            finally:
                entry.wipe()

    def _collect(
        self, entry: _PinEntry, pan: str, deadline: float, cancel: Cancellation, on_event: EventSink
    ) -> PinBlock:
        while True:
            key = self._next_key(deadline, cancel)
            if key == CANCEL_KEY:
                raise self._error(ErrorCode.CANCELLED, "customer_cancel", "the customer pressed cancel")
            outcome = entry.press(key)
            self._emit(on_event, "key", key=outcome, count=len(entry.digits))
            if outcome == "enter":
                return self._encrypt(entry, pan)

    def _next_key(self, deadline: float, cancel: Cancellation) -> str:
        while True:  # a flush() between the wait and the pop sends us back to waiting
            remaining = deadline - self.clock.monotonic()
            self._wait(lambda: bool(self._keys), remaining, cancel, "no_entry")
            with self._lock:
                if self._keys:
                    return self._keys.popleft()

    def _encrypt(self, entry: _PinEntry, pan: str) -> PinBlock:
        pin_length = len(entry.digits)
        ciphertext = encrypt_pin(entry.digits.decode("ascii"), pan, self._working_key, self.algorithm)
        return PinBlock(ciphertext, self.key_id, self.algorithm, pin_length)

    # -- status ------------------------------------------------------------------------------
    def _detail(self) -> str:
        return f"key {self.key_id} ({self.algorithm})"

    def _on_reset(self) -> None:
        self._keys.clear()
