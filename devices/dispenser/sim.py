"""Behavioural card issuing module: a hopper of stock cards, a read position, a gate, a retain bin.

``pick_card`` moves the next stock card to the read position; ``deliver_card`` presents it at the
gate and waits for the customer to ``take()`` it (a take that comes first is remembered: the next
delivery is taken at once), else pulls it back into the retain bin. The dispenser will not pick a
card when its retain bin is full, so a card it cannot hand over always has somewhere to go.
"""

from __future__ import annotations

from collections import deque

from devices.api import Cancellation, ErrorCode, EventSink, ignore_events
from devices.dispenser.api import RetainBin, RetainedCard, StockCard
from devices.simkit import SimulatedDevice
from kiosk.core.clock import Clock
from kiosk.core.masking import mask_pan

EMPTY = "empty"
BIN_FULL = "retain_bin_full"
NOT_TAKEN = "not_taken"


class SimCardDispenser(SimulatedDevice):
    FAULTS = {
        "jam": ErrorCode.HARDWARE_ERROR,  # a card stuck in the transport
        EMPTY: ErrorCode.NOT_READY,  # the hopper reports empty (whatever the counter says)
        "timeout": ErrorCode.TIMEOUT,
        "offline": ErrorCode.NOT_READY,
    }

    def __init__(
        self, clock: Clock, stock: list[StockCard], retain_capacity: int = 50, name: str = "dispenser"
    ) -> None:
        super().__init__(clock, name)
        self.retain_capacity = retain_capacity
        self._stock: deque[StockCard] = deque(stock)
        self._picked: StockCard | None = None
        self._at_gate = False
        self._take_ahead = False
        self._bin = RetainBin()

    # -- QA and staff controls ---------------------------------------------------------------
    def load(self, cards: list[StockCard]) -> None:
        """Staff add stock cards to the hopper."""
        with self._lock:
            self._stock.extend(cards)

    def take(self) -> None:
        """The customer takes the card from the gate; before a delivery, the next one is taken at once."""
        with self._lock:
            if self._picked is not None and self._at_gate:
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
            return self._picked is not None and self._at_gate

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
                if len(self._bin) >= self.retain_capacity:
                    raise self._error(ErrorCode.NOT_READY, BIN_FULL, "empty the retain bin")
                if not self._stock:
                    raise self._error(ErrorCode.NOT_READY, EMPTY, "load stock cards")
                self._picked = self._stock.popleft()
                return self._picked

    def deliver_card(self, timeout: float, cancel: Cancellation, on_event: EventSink = ignore_events) -> bool:
        """Present the picked card; a cancelled wait leaves it at the gate."""
        with self._operation():
            self._fail_if_armed("jam", "timeout")
            with self._lock:
                if self._picked is None:
                    raise self._error(ErrorCode.NOT_READY, "no_card", "pick a card first")
                self._at_gate = True
            self._emit(on_event, "card_at_gate")
            with self._lock:
                if self._take_ahead:
                    self._picked, self._at_gate, self._take_ahead = None, False, False
            if not self._await(lambda: self._picked is None, timeout, cancel):
                self._move_to_bin(NOT_TAKEN)
                self._emit(on_event, "card_retained", reason=NOT_TAKEN)
                return False
            self._emit(on_event, "card_taken")
            return True

    def retain_card(self, reason: str) -> None:
        with self._lock:
            self._check_ready()
            if self._picked is not None:
                self._move_to_bin(reason)

    def retained(self) -> list[RetainedCard]:
        return self._bin.cards()

    # -- internals ---------------------------------------------------------------------------
    def _move_to_bin(self, reason: str) -> None:
        with self._lock:
            if self._picked is None:
                return
            if len(self._bin) >= self.retain_capacity:
                raise self._error(ErrorCode.HARDWARE_ERROR, BIN_FULL, "the retain bin is full")
            card = RetainedCard(pan_masked=mask_pan(self._picked.pan), reason=reason, at=self.clock.now())
            self._bin.add(card)
            self._picked, self._at_gate, self._take_ahead = None, False, False

    def _counters(self) -> dict[str, int]:
        return {"stock": len(self._stock), "retained": len(self._bin)}

    def _standing_fault(self) -> str | None:
        if len(self._bin) >= self.retain_capacity:
            return BIN_FULL
        if not self._stock and self._picked is None:
            return EMPTY
        return None

    def _detail(self) -> str:
        if self._picked is not None:
            return "card at gate" if self._at_gate else "card at read position"
        return f"stock {len(self._stock)}"

    def _on_reset(self) -> None:
        self._take_ahead = False
