"""Bank IC card reader (motorised, with capture): what a read returns and what a reader offers."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from devices.api import Cancellation, Device, EventSink, LastOperation, ignore_events
from devices.dispenser.api import RetainedCard


class CardType(StrEnum):
    DEBIT = "debit"
    CREDIT = "credit"
    QUASI_CREDIT = "quasi_credit"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SocialSecurityApp:
    """The social-security application (SSSE, DF name "sx1.sh.社会保障") of a social-security card
    (社会保障卡): what its files EF05 and EF06 say. The social-security number is the holder's ID number."""

    card_number: str  # EF05 tag 07, 9 characters (社会保障卡卡号)
    ss_number: str = field(repr=False)  # EF06 tag 08, 18 characters (社会保障号码)
    holder_name: str = field(default="", repr=False)  # EF06 tag 09

    def __repr__(self) -> str:
        from kiosk.core.masking import mask_id_number

        return f"SocialSecurityApp(ss_number={mask_id_number(self.ss_number)!r})"


@dataclass(frozen=True)
class BankCard:
    pan: str
    expiry: str  # "YYMM" as on the chip (5F24 gives YYMMDD; the day is dropped)
    holder_name: str
    label: str
    card_type: CardType
    aid: str
    track2: str = field(default="", repr=False)  # sensitive: never journaled or logged
    social_security: SocialSecurityApp | None = None  # a social-security card's SSSE, when the card has one

    def __repr__(self) -> str:
        from kiosk.core.masking import mask_pan

        return f"BankCard(pan={mask_pan(self.pan)!r}, type={self.card_type.value})"


class CardReturn(StrEnum):
    TAKEN = "taken"
    RETAINED = "retained"


class BankCardReader(Device, Protocol):
    def read_card(self, timeout: float, cancel: Cancellation, on_event: EventSink = ignore_events) -> BankCard:
        """Wait for a card to be inserted and read its payment application.

        Emits ``card_inserted``. Raises DeviceError: TIMEOUT, USER_ERROR (mute card, blocked
        application ``card_blocked``, unsupported card), HARDWARE_ERROR, NOT_READY, CANCELLED.
        """
        ...

    def return_card(self, timeout: float, cancel: Cancellation, on_event: EventSink = ignore_events) -> CardReturn:
        """Eject the card to the slot and wait for the customer to take it; retain it when not taken
        within ``timeout``. Emits ``card_at_slot``, then ``card_taken`` or ``card_retained``."""
        ...

    def retain_card(self, reason: str) -> None:
        """Capture the card in the reader's retain bin (fraud, blocked card, not taken)."""
        ...

    def has_card(self) -> bool: ...

    def last_operation(self) -> LastOperation | None:
        """What the reader last did with a card (operation ``read_card``: ``card_inside``, ``ejected``,
        ``taken``, ``captured``), from its durable state: it survives a restart of the kiosk."""
        ...

    def recover_card(self, reason: str) -> RetainedCard | None:
        """Recovery before service: capture a card left inside the reader or at its slot (also one the
        durable state says was left there before a restart). Returns the card captured, None if none."""
        ...
