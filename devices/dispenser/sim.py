"""Behavioural card issuing module: a hopper of stock cards, a read position, a gate, a retain bin.

``pick_card`` moves the next stock card to the read position; ``deliver_card`` presents it at the
gate and waits for the customer to ``take()`` it (a take that comes first is remembered: the next
delivery is taken at once), else pulls it back into the retain bin. The dispenser will not pick a
card when its retain bin is full, so a card it cannot hand over always has somewhere to go.

With a ``state_dir`` the last operation (``dispense``: picked, at_gate, taken, retained, with the masked
card number) is durable (devices/durable.py), written before the card moves on. A dispenser built on a
state that says a card was left picked or at the gate holds that card (known by its masked number only):
it reports FAULT ``card_left`` and picks nothing until ``recover_card`` (or ``retain_card``) retains it.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

from devices.api import Cancellation, ErrorCode, EventSink, LastOperation, OperationStage, ignore_events
from devices.dispenser.api import RetainBin, RetainedCard, StockCard
from devices.durable import LastOperationStore
from devices.simkit import SimulatedDevice
from kiosk.core.clock import Clock
from kiosk.core.crash import crash_point
from kiosk.core.masking import mask_pan

EMPTY = "empty"
BIN_FULL = "retain_bin_full"
NOT_TAKEN = "not_taken"
CARD_LEFT = "card_left"
STAFF_RESET = "staff_reset"
DISPENSE = "dispense"


class SimCardDispenser(SimulatedDevice):
    FAULTS = {
        "jam": ErrorCode.HARDWARE_ERROR,  # a card stuck in the transport
        EMPTY: ErrorCode.NOT_READY,  # the hopper reports empty (whatever the counter says)
        "timeout": ErrorCode.TIMEOUT,
        "offline": ErrorCode.NOT_READY,
    }

    def __init__(
        self, clock: Clock, stock: list[StockCard], retain_capacity: int = 50, name: str = "dispenser",
        state_dir: Path | str | None = None,
    ) -> None:
        super().__init__(clock, name)
        self.retain_capacity = retain_capacity
        self._stock: deque[StockCard] = deque(stock)
        self._picked: StockCard | None = None
        self._at_gate = False
        self._take_ahead = False
        self._bin = RetainBin()
        self._ops = LastOperationStore(state_dir, name, clock)
        last = self._ops.last()
        self._left: LastOperation | None = last if last is not None and last.holds_card else None

    # -- QA and staff controls ---------------------------------------------------------------
    def load(self, cards: list[StockCard]) -> None:
        """Staff add stock cards to the hopper."""
        with self._lock:
            self._stock.extend(cards)

    def take(self) -> None:
        """The customer takes the card from the gate; before a delivery, the next one is taken at once."""
        with self._lock:
            if self._picked is not None and self._at_gate:
                self._ops.record(DISPENSE, OperationStage.TAKEN, card_masked=mask_pan(self._picked.pan))
                self._picked, self._at_gate = None, False
            else:
                self._take_ahead = True

    def empty_retain_bin(self) -> list[RetainedCard]:
        """Staff empty the retain bin; returns what was in it."""
        return self._bin.empty()

    def stock_count(self) -> int:
        with self._lock:
            return len(self._stock)

    def card_at_gate(self) -> bool:
        with self._lock:
            left_at_gate = self._left is not None and self._left.stage is OperationStage.AT_GATE
            return (self._picked is not None and self._at_gate) or left_at_gate

    # -- CardDispenser -----------------------------------------------------------------------
    def pick_card(self, timeout: float, cancel: Cancellation) -> StockCard:
        """The next stock card at the read position (the same one again if it is still there)."""
        with self._operation():
            self._fail_if_armed("jam", EMPTY, "timeout")
            if cancel.cancelled:
                raise self._error(ErrorCode.CANCELLED, "cancelled")
            with self._lock:
                if self._picked is not None:
                    return self._picked
                if self._left is not None:
                    raise self._error(ErrorCode.NOT_READY, CARD_LEFT, "a card left in the dispenser: retain it first")
                if len(self._bin) >= self.retain_capacity:
                    raise self._error(ErrorCode.NOT_READY, BIN_FULL, "empty the retain bin")
                if not self._stock:
                    raise self._error(ErrorCode.NOT_READY, EMPTY, "load stock cards")
                picked = self._stock.popleft()
                self._ops.record(DISPENSE, OperationStage.PICKED, card_masked=mask_pan(picked.pan))
                self._picked = picked
                return picked

    def deliver_card(self, timeout: float, cancel: Cancellation, on_event: EventSink = ignore_events) -> bool:
        """Present the picked card; a cancelled wait leaves it at the gate."""
        with self._operation():
            self._fail_if_armed("jam", "timeout")
            with self._lock:
                if self._picked is None:
                    raise self._error(ErrorCode.NOT_READY, "no_card", "pick a card first")
                masked = mask_pan(self._picked.pan)
            crash_point("card.before_move")
            with self._lock:
                self._at_gate = True
                self._ops.record(DISPENSE, OperationStage.AT_GATE, card_masked=masked)
            crash_point("card.during_move")
            self._emit(on_event, "card_at_gate")
            with self._lock:
                if self._take_ahead:
                    self._ops.record(DISPENSE, OperationStage.TAKEN, card_masked=masked)
                    self._picked, self._at_gate, self._take_ahead = None, False, False
            if not self._await(lambda: self._picked is None, timeout, cancel):
                self._move_to_bin(NOT_TAKEN)
                self._emit(on_event, "card_retained", reason=NOT_TAKEN)
                return False
            self._emit(on_event, "card_taken")
            return True

    def retain_card(self, reason: str) -> None:
        self.recover_card(reason)

    def retained(self) -> list[RetainedCard]:
        return self._bin.cards()

    def last_operation(self) -> LastOperation | None:
        return self._ops.last()

    def recover_card(self, reason: str) -> RetainedCard | None:
        """Retain the card at the read position or the gate, or one left there before a restart."""
        with self._lock:
            self._check_ready()
            if self._picked is None and self._left is None:
                return None
            crash_point("card.before_move")
            return self._move_to_bin(reason)

    # -- internals ---------------------------------------------------------------------------
    def _move_to_bin(self, reason: str) -> RetainedCard | None:
        with self._lock:
            if self._picked is not None:
                masked = mask_pan(self._picked.pan)
            elif self._left is not None:
                masked = self._left.card_masked
            else:
                return None
            if len(self._bin) >= self.retain_capacity:
                raise self._error(ErrorCode.HARDWARE_ERROR, BIN_FULL, "the retain bin is full")
            card = RetainedCard(pan_masked=masked, reason=reason, at=self.clock.now())
            self._bin.add(card)
            self._ops.record(DISPENSE, OperationStage.RETAINED, card_masked=masked, reason=reason)
            self._picked, self._at_gate, self._take_ahead, self._left = None, False, False, None
            return card

    def _counters(self) -> dict[str, int]:
        return {"stock": len(self._stock), "retained": len(self._bin)}

    def _standing_fault(self) -> str | None:
        if len(self._bin) >= self.retain_capacity:
            return BIN_FULL
        if self._left is not None:
            return CARD_LEFT
        if not self._stock and self._picked is None:
            return EMPTY
        return None

    def _detail(self) -> str:
        if self._left is not None:
            where = "at gate" if self._left.stage is OperationStage.AT_GATE else "at read position"
            return f"card {self._left.card_masked} left {where} before restart: retain it"
        if self._picked is not None:
            return "card at gate" if self._at_gate else "card at read position"
        return f"stock {len(self._stock)}"

    def _on_reset(self) -> None:
        """Staff servicing also retains a card left from before a restart (when the bin has room)."""
        self._take_ahead = False
        if self._left is not None and len(self._bin) < self.retain_capacity:
            self._move_to_bin(STAFF_RESET)
