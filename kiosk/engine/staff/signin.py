"""The work of a staff sign-in, off the engine's thread, and what its outcome means to staff.

By password: one host call. By staff card: read the card in the bank card reader, take its PIN on the
PIN pad (an encrypted PIN block bound to the card, as for a customer), ask the host, give the card back.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from devices.api import Cancellation, DeviceError, DeviceEvent, ErrorCode, EventSink
from devices.pinpad.api import PinPad
from devices.smartcard.api import BankCardReader
from kiosk.core.masking import mask_pan
from kiosk.engine.ops import STAFF_CHANNEL
from kiosk.engine.services import HostApi
from kiosk.host.errors import HostError, HostRejected

log = logging.getLogger(__name__)

Work = Callable[[Cancellation, EventSink], Any]
REFUSALS = {"staff_credentials_wrong": "staff.sign_in.wrong", "staff_locked": "staff.sign_in.locked",
            "pin_block_invalid": "staff.sign_in.card_failed"}
CARD_FAILURES = {ErrorCode.CANCELLED: "staff.sign_in.cancelled", ErrorCode.TIMEOUT: "staff.sign_in.card_timeout"}
CARD_STAGES = {"card_inserted": "reading", "card_read": "pin", "card_at_slot": "take"}


def password_work(host: HostApi, payload: dict[str, Any]) -> Work:
    def work(cancel: Cancellation, on_event: EventSink) -> Any:
        return host.call("staff.sign_in", payload, uuid.uuid4().hex, STAFF_CHANNEL)

    return work


def card_work(reader: BankCardReader, pinpad: PinPad, host: HostApi, card_wait: float, pin_wait: float,
              seen: dict[str, str]) -> Work:
    """``seen["card"]``: the staff card, masked, once read (for the journal when the sign-in fails)."""

    def work(cancel: Cancellation, on_event: EventSink) -> Any:
        card = reader.read_card(card_wait, cancel, on_event)
        seen["card"] = mask_pan(card.pan)
        try:
            on_event(DeviceEvent("staff", "card_read"))
            block = pinpad.read_pin(card.pan, pin_wait, cancel, on_event)
            payload = {"card_pan": card.pan, "pin_block": block}
            return host.call("staff.sign_in", payload, uuid.uuid4().hex, STAFF_CHANNEL)
        finally:
            try:  # the card goes back: taken, or kept in the retain bin; cancelled, left at the slot
                reader.return_card(card_wait, cancel, on_event)
            except DeviceError as exc:
                log.warning("staff card not returned: %s", exc)

    return work


def card_progress(stage: str | None, digits: int, event: DeviceEvent) -> tuple[str | None, int]:
    """The staff card's stage ("insert", "reading", "pin", "take") and PIN digits after a device event."""
    if event.kind in CARD_STAGES:
        return CARD_STAGES[event.kind], 0
    if event.kind == "key":
        key = event.data.get("key")
        return stage, 0 if key == "clear" else digits + (key == "digit")
    return stage, digits


@dataclass(frozen=True)
class SignInFailure:
    code: str  # for the journal
    notice: str  # catalog key for staff
    details: dict[str, Any] = field(default_factory=dict)  # tries_left, locked_until (journal)

    @property
    def params(self) -> dict[str, Any]:
        return {"tries_left": self.details.get("tries_left", 0),
                "until": str(self.details.get("locked_until", ""))[11:16]}


def failure(error: BaseException) -> SignInFailure:
    """What a failed sign-in means; anything but a host refusal, a device error or the host out of reach
    is a bug, and is raised."""
    if isinstance(error, HostRejected):
        details: dict[str, Any] = {k: error.details[k] for k in ("tries_left", "locked_until") if k in error.details}
        notice = REFUSALS.get(error.code, "staff.sign_in.failed")
        if error.code == "staff_credentials_wrong" and "tries_left" in details:
            notice = "staff.sign_in.tries_left"
        return SignInFailure(error.code, notice, details)
    if isinstance(error, DeviceError):
        return SignInFailure(error.reason, CARD_FAILURES.get(error.code, "staff.sign_in.card_failed"))
    if isinstance(error, HostError):
        return SignInFailure("host_unavailable", "staff.sign_in.host_unavailable")
    raise error
