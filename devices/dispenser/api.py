"""Card issuing module: a hopper of pre-personalised blank cards, a gate, a retain bin."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from devices.api import Cancellation, Device, EventSink, LastOperation, ignore_events


@dataclass(frozen=True)
class StockCard:
    """The card at the read position, as read from its chip before it is bound to an account."""

    pan: str = field(repr=False)
    expiry: str  # YYMM


@dataclass(frozen=True)
class RetainedCard:
    pan_masked: str
    reason: str
    at: datetime

    def to_json(self) -> dict[str, str]:
        return {"pan_masked": self.pan_masked, "reason": self.reason, "at": self.at.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RetainedCard:
        """Raises KeyError, ValueError or TypeError for a record that is not one."""
        return cls(pan_masked=str(data["pan_masked"]), reason=str(data["reason"]),
                   at=datetime.fromisoformat(data["at"]))


class CardDispenser(Device, Protocol):
    def pick_card(self, timeout: float, cancel: Cancellation) -> StockCard:
        """Move the next stock card to the read position and read its number. Raises NOT_READY
        (``empty``), HARDWARE_ERROR (``jam``), TIMEOUT."""
        ...

    def deliver_card(self, timeout: float, cancel: Cancellation, on_event: EventSink = ignore_events) -> bool:
        """Present the picked card at the gate and wait up to ``timeout`` for it to be taken.
        Returns True when taken; False when not taken in time, in which case the card has been
        pulled back into the retain bin (reason ``not_taken``). Emits ``card_at_gate``."""
        ...

    def retain_card(self, reason: str) -> None:
        """Move the picked card (if any) to the retain bin."""
        ...

    def retained(self) -> list[RetainedCard]: ...

    def last_operation(self) -> LastOperation | None:
        """What the dispenser last did with a card (operation ``dispense``: ``picked``, ``at_gate``,
        ``taken``, ``retained``), from its durable state: it survives a restart of the kiosk."""
        ...

    def recover_card(self, reason: str) -> RetainedCard | None:
        """Recovery before service: retain a card left at the read position or the gate (also one the
        durable state says was left there before a restart). Returns the card retained, None if none."""
        ...


class RetainBin:
    """The cards a device has captured (a card reader's or the dispenser's bin), for staff to empty."""

    def __init__(self, cards: Iterable[RetainedCard] = ()) -> None:
        self._lock = threading.Lock()
        self._cards: list[RetainedCard] = list(cards)

    def add(self, card: RetainedCard) -> None:
        with self._lock:
            self._cards.append(card)

    def cards(self) -> list[RetainedCard]:
        with self._lock:
            return list(self._cards)

    def empty(self) -> list[RetainedCard]:
        """Staff take the cards out; returns what was in the bin."""
        with self._lock:
            cards, self._cards = self._cards, []
            return cards

    def __len__(self) -> int:
        with self._lock:
            return len(self._cards)
