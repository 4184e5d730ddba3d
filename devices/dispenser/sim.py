"""Behavioural card issuing module: a hopper of stock cards, a read position, a gate, a retain bin.

``pick_card`` moves the next stock card to the read position; ``deliver_card`` presents it at the
gate and waits for the customer to ``take()`` it (a take that comes first is remembered: the next
delivery is taken at once), else pulls it back into the retain bin. The dispenser will not pick a
card when its retain bin is full, so a card it cannot hand over always has somewhere to go.

With a ``state_dir`` the last operation (``dispense``: picked, at_gate, taken, retained, with the masked
card number) is durable (devices/durable.py), written before the card moves on. A dispenser built on a
state that says a card was left picked or at the gate holds that card (known by its masked number only):
it reports FAULT ``card_left`` and picks nothing until ``recover_card`` (or ``retain_card``) retains it.

Its counts are durable too, in the same file (key ``counts``), so a restarted dispenser holds what it held:
the retain bin (masked card, reason, time) and the hopper. The hopper's cards are one series: the stock list
it was built with, then the next serials (:func:`stock_after`, what staff load: :meth:`next_stock`). Its
state is two numbers, no card number: how many cards of the series were picked and how many were loaded
after the stock list; a dispenser built on the same stock list re-derives the cards left, exactly, and
never picks one picked before. (Cards loaded that are not the series' next ones are counted, with a
warning: after a restart the series' cards stand in for them.)
"""

from __future__ import annotations

import logging
from collections import deque
from pathlib import Path

from devices.api import Cancellation, ErrorCode, EventSink, LastOperation, OperationStage, ignore_events
from devices.dispenser.api import RetainedCard, StockCard
from devices.durable import DurableBin, LastOperationStore
from devices.sim_profiles import luhn_check_digit
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
HOPPER = "hopper"  # the durable counts: {"picked": cards of the series picked, "loaded": cards loaded after the list}
SERIES_START = StockCard(pan="62284809000000000000", expiry="3111")  # a hopper built with no stock list

log = logging.getLogger(__name__)


def stock_after(last: StockCard | None, count: int, skip: int = 0) -> list[StockCard]:
    """``count`` blank cards of the series ``last`` ends (the next serials, Luhn-checked, same expiry),
    after the first ``skip`` of them."""
    last = last or SERIES_START
    width, serial = len(last.pan) - 1, int(last.pan[:-1]) + skip
    bodies = (f"{serial + n:0{width}d}" for n in range(1, count + 1))
    return [StockCard(pan=body + luhn_check_digit(body), expiry=last.expiry) for body in bodies]


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
        self._series_last = stock[-1] if stock else None
        self._picked: StockCard | None = None
        self._at_gate = False
        self._take_ahead = False
        self._ops = LastOperationStore(state_dir, name, clock)
        self._bin = DurableBin(self._ops)
        self._taken, self._loaded = self._saved_hopper(len(stock))
        self._stock: deque[StockCard] = deque([*stock, *stock_after(self._series_last, self._loaded)][self._taken:])
        last = self._ops.last()
        self._left: LastOperation | None = last if last is not None and last.holds_card else None

    # -- QA and staff controls ---------------------------------------------------------------
    def load(self, cards: list[StockCard]) -> None:
        """Staff add stock cards to the hopper (saved before they are in it)."""
        with self._lock:
            if self._ops.path is not None and cards != self.next_stock(len(cards)):
                log.warning("%s: %d cards loaded are not the next of the stock series; after a restart the "
                            "series' cards stand in for them", self.name, len(cards))
            self._ops.save_counts(**{HOPPER: {"picked": self._taken, "loaded": self._loaded + len(cards)}})
            self._loaded += len(cards)
            self._stock.extend(cards)

    def next_stock(self, count: int) -> list[StockCard]:
        """The ``count`` blank cards that come next in this hopper's series: what staff load."""
        with self._lock:
            return stock_after(self._series_last, count, skip=self._loaded)

    def take(self) -> None:
        """The customer takes the card from the gate; before a delivery, the next one is taken at once."""
        with self._lock:
            if self._picked is not None and self._at_gate:
                self._ops.record(DISPENSE, OperationStage.TAKEN, card_masked=mask_pan(self._picked.pan))
                self._picked, self._at_gate = None, False
            else:
                self._take_ahead = True

    def empty_retain_bin(self) -> list[RetainedCard]:
        """Staff empty the retain bin (saved before the cards are handed over); returns what was in it."""
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
                picked = self._stock[0]
                self._ops.record(DISPENSE, OperationStage.PICKED, card_masked=mask_pan(picked.pan),
                                 counts={HOPPER: {"picked": self._taken + 1, "loaded": self._loaded}})
                self._stock.popleft()
                self._taken += 1
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
            self._bin.keep(card, DISPENSE, OperationStage.RETAINED)
            self._picked, self._at_gate, self._take_ahead, self._left = None, False, False, None
            return card

    def _saved_hopper(self, listed: int) -> tuple[int, int]:
        """(cards of the series picked, cards loaded after the stock list) as saved; (0, 0) when fresh."""
        saved = self._ops.counts().get(HOPPER, {})
        try:
            picked, loaded = int(saved.get("picked", 0)), int(saved.get("loaded", 0))
        except (AttributeError, TypeError, ValueError):
            picked, loaded = -1, -1
        if not 0 <= picked <= listed + loaded or loaded < 0:
            log.warning("%s: unreadable hopper count %r in %s; starting with the stock list", self.name, saved,
                        self._ops.path)
            return 0, 0
        return picked, loaded

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
