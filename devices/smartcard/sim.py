"""Behavioural motorised bank card reader: insert, read, return to the slot or capture.

QA inserts a card (optionally with a blocked payment application) and takes it back when it is at
the slot. A ``take()`` that comes before the card is ejected is remembered, and the next eject is
taken at once, so headless scripts can type ahead. A card that fails to read stays in the reader
until it is returned or retained.

With a ``state_dir`` the reader's last operation (``read_card``: card_inside, ejected, taken, captured, with
the masked card number) is durable (devices/durable.py), written before the card moves on. A reader built
on a state that says a card was left inside or at the slot still holds that card (known by its masked
number only): it reports FAULT ``card_left``, reads and ejects nothing, and ``recover_card`` (or
``retain_card``) captures it. Its capture bin (masked card, reason, time) is kept in the same state, so
it still holds what it captured after a restart, until staff empty it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from devices.api import Cancellation, ErrorCode, EventSink, LastOperation, OperationStage, ignore_events
from devices.dispenser.api import RetainedCard
from devices.durable import DurableBin, LastOperationStore
from devices.simkit import QAControlError, SimulatedDevice
from devices.smartcard.api import BankCard, CardReturn
from kiosk.core.clock import Clock
from kiosk.core.crash import crash_point
from kiosk.core.masking import mask_pan

NOT_TAKEN = "not_taken"
CARD_LEFT = "card_left"
STAFF_RESET = "staff_reset"
READ_CARD = "read_card"


def left_card(last: LastOperation | None) -> LastOperation | None:
    """The card a reader's durable state says it was left holding (None: the reader was left empty)."""
    return last if last is not None and last.holds_card else None


def left_card_detail(left: LastOperation) -> str:
    where = "at slot" if left.stage is OperationStage.EJECTED else "in reader"
    return f"card {left.card_masked or '(not read)'} left {where} before restart: capture it"


class CardPosition(StrEnum):
    INSIDE = "inside"  # in the reader, at the contacts
    AT_SLOT = "at_slot"  # ejected, waiting for the customer to take it


@dataclass
class _CardInReader:
    card: BankCard
    blocked: bool
    position: CardPosition = CardPosition.INSIDE


class SimBankCardReader(SimulatedDevice):
    FAULTS = {
        "mute_card": ErrorCode.USER_ERROR,  # the chip does not answer (no ATR)
        "read_failed": ErrorCode.USER_ERROR,  # the card application could not be read
        "jam": ErrorCode.HARDWARE_ERROR,  # the transport is jammed
        "timeout": ErrorCode.TIMEOUT,
        "offline": ErrorCode.NOT_READY,
    }

    def __init__(self, clock: Clock, name: str = "smartcard", state_dir: Path | str | None = None) -> None:
        super().__init__(clock, name)
        self._slot: _CardInReader | None = None
        self._take_ahead = False
        self._ops = LastOperationStore(state_dir, name, clock)
        self._bin = DurableBin(self._ops)
        self._left = left_card(self._ops.last())

    # -- QA controls -------------------------------------------------------------------------
    def insert(self, card: BankCard, blocked: bool = False) -> None:
        """The customer inserts ``card``; ``blocked`` makes its payment application answer 6A81."""
        with self._lock:
            if self._slot is not None or self._left is not None:
                raise QAControlError(f"{self.name}: a card is already in the reader")
            self._slot = _CardInReader(card, blocked)

    def take(self) -> None:
        """The customer takes the card from the slot; before an eject, the next eject is taken at once."""
        with self._lock:
            if self._slot is not None and self._slot.position is CardPosition.AT_SLOT:
                self._ops.record(READ_CARD, OperationStage.TAKEN, card_masked=mask_pan(self._slot.card.pan))
                self._slot = None
            else:
                self._take_ahead = True

    def has_card(self) -> bool:
        with self._lock:
            return self._slot is not None or self._left is not None

    def position(self) -> CardPosition | None:
        with self._lock:
            if self._left is not None:
                return CardPosition.AT_SLOT if self._left.stage is OperationStage.EJECTED else CardPosition.INSIDE
            return self._slot.position if self._slot is not None else None

    def retained(self) -> list[RetainedCard]:
        return self._bin.cards()

    def empty_retain_bin(self) -> list[RetainedCard]:
        """Staff take the captured cards out of the reader."""
        return self._bin.empty()

    # -- BankCardReader ----------------------------------------------------------------------
    def read_card(
        self, timeout: float, cancel: Cancellation, on_event: EventSink = ignore_events
    ) -> BankCard:
        with self._operation():
            self._fail_if_armed("jam", "timeout")
            self._refuse_left_card()
            self._wait(self._card_inside, timeout, cancel, "no_card")
            with self._lock:
                if self._slot is not None:
                    self._ops.record(READ_CARD, OperationStage.CARD_INSIDE, card_masked=mask_pan(self._slot.card.pan))
            self._emit(on_event, "card_inserted")
            self._fail_if_armed("mute_card", "read_failed")
            with self._lock:
                inside = self._slot
            if inside is None:
                raise self._error(ErrorCode.USER_ERROR, "card_removed", "the card left the reader")
            if inside.blocked:
                raise self._error(ErrorCode.USER_ERROR, "card_blocked", "the payment application is blocked")
            return inside.card

    def return_card(
        self, timeout: float, cancel: Cancellation, on_event: EventSink = ignore_events
    ) -> CardReturn:
        """Eject to the slot and wait for the customer. A cancelled wait leaves the card at the slot."""
        with self._operation():
            self._fail_if_armed("jam")
            self._refuse_left_card()
            crash_point("card.before_move")
            self._eject()
            crash_point("card.during_move")
            self._emit(on_event, "card_at_slot")
            with self._lock:
                if self._take_ahead and self._slot is not None:
                    self._ops.record(READ_CARD, OperationStage.TAKEN, card_masked=mask_pan(self._slot.card.pan))
                    self._take_ahead = False
                    self._slot = None
            if not self._await(lambda: self._slot is None, timeout, cancel):
                self._capture(NOT_TAKEN)
                self._emit(on_event, "card_retained", reason=NOT_TAKEN)
                return CardReturn.RETAINED
            self._emit(on_event, "card_taken")
            return CardReturn.TAKEN

    def retain_card(self, reason: str) -> None:
        self.recover_card(reason)

    def last_operation(self) -> LastOperation | None:
        return self._ops.last()

    def recover_card(self, reason: str) -> RetainedCard | None:
        """Capture the card inside or at the slot, or one left there before a restart."""
        with self._lock:
            self._check_ready()
            if self._slot is None and self._left is None:
                return None
            crash_point("card.before_move")
            return self._capture(reason)

    # -- internals ---------------------------------------------------------------------------
    def _card_inside(self) -> bool:
        return self._slot is not None and self._slot.position is CardPosition.INSIDE

    def _refuse_left_card(self) -> None:
        with self._lock:
            if self._left is not None:
                raise self._error(ErrorCode.NOT_READY, CARD_LEFT, left_card_detail(self._left))

    def _eject(self) -> None:
        with self._lock:
            if self._slot is None:
                raise self._error(ErrorCode.USER_ERROR, "no_card", "there is no card to return")
            self._ops.record(READ_CARD, OperationStage.EJECTED, card_masked=mask_pan(self._slot.card.pan))
            self._slot.position = CardPosition.AT_SLOT

    def _capture(self, reason: str) -> RetainedCard | None:
        with self._lock:
            if self._slot is not None:
                pan = mask_pan(self._slot.card.pan)
            elif self._left is not None:
                pan = self._left.card_masked
            else:
                return None
            card = RetainedCard(pan_masked=pan, reason=reason, at=self.clock.now())
            self._bin.keep(card, READ_CARD, OperationStage.CAPTURED)
            self._slot, self._left = None, None
            self._take_ahead = False
            return card

    def _counters(self) -> dict[str, int]:
        return {"retained": len(self._bin)}

    def _standing_fault(self) -> str | None:
        return CARD_LEFT if self._left is not None else None

    def _detail(self) -> str:
        if self._left is not None:
            return left_card_detail(self._left)
        if self._slot is None:
            return ""
        return "card at slot" if self._slot.position is CardPosition.AT_SLOT else "card in reader"

    def _on_reset(self) -> None:
        """Staff servicing also captures a card left from before a restart."""
        self._take_ahead = False
        if self._left is not None:
            self._capture(STAFF_RESET)
