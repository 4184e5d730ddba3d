"""Resident ID card reader: what a read returns and what a reader offers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from devices.api import Cancellation, Device, EventSink, ignore_events


@dataclass(frozen=True)
class IdCard:
    """The fields of a second-generation resident ID card, as read from its chip."""

    name: str
    sex: str  # "男" or "女"
    nation: str  # name, e.g. "汉"
    birth_date: date
    address: str
    id_number: str
    issuer: str
    valid_from: date
    valid_to: date | None  # None means 长期 (no expiry)
    photo: bytes | None = field(default=None, repr=False)  # decoded image (JPEG/PNG), None when unavailable

    def __repr__(self) -> str:  # never print personal data by accident
        from kiosk.core.masking import mask_id_number, mask_name

        return f"IdCard(name={mask_name(self.name)!r}, id_number={mask_id_number(self.id_number)!r})"


class IdCardReader(Device, Protocol):
    def read(self, timeout: float, cancel: Cancellation, on_event: EventSink = ignore_events) -> IdCard:
        """Wait up to ``timeout`` seconds for a card in the field and read it.

        Emits ``card_detected`` when a card is found. Raises DeviceError: TIMEOUT (no card),
        USER_ERROR (card moved away / unreadable), HARDWARE_ERROR (SAM or reader fault),
        NOT_READY (reader offline), CANCELLED.
        """
        ...
