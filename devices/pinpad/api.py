"""Encrypting PIN pad: the kiosk only ever receives an encrypted PIN block, never digits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from devices.api import Cancellation, Device, EventSink, ignore_events


@dataclass(frozen=True)
class PinBlock:
    """An ISO 9564 format 0 PIN block encrypted under the working key ``key_id``."""

    ciphertext: bytes = field(repr=False)
    key_id: str
    algorithm: str  # "SM4" (or "3DES")
    pin_length: int = field(repr=False, default=0)

    def __repr__(self) -> str:
        return f"PinBlock(key_id={self.key_id!r}, algorithm={self.algorithm!r})"


class PinPad(Device, Protocol):
    def read_pin(
        self,
        pan: str,
        timeout: float,
        cancel: Cancellation,
        on_event: EventSink = ignore_events,
        min_length: int = 6,
        max_length: int = 6,
    ) -> PinBlock:
        """Collect a PIN and return it encrypted, bound to ``pan``.

        Key presses are reported only as events ``key`` with ``data={"key": "digit"|"clear"|"enter"}``,
        never the digit. Raises DeviceError CANCELLED when the customer presses cancel or the caller
        cancels, TIMEOUT, HARDWARE_ERROR, NOT_READY.
        """
        ...
