"""The real bank card reader: any PC/SC contact reader through pcscd and pyscard.

Card insertion and removal come from ``SCardGetStatusChange`` (polled in short steps so a deadline
on the injected clock and a cancellation are noticed within :data:`POLL_MS`); the card is read by
:mod:`devices.smartcard.emv` over ``SCardTransmit`` inside a PC/SC transaction.

A plain PC/SC reader has no motor and no capture bin. ``return_card`` therefore tells the customer
to take the card (``card_at_slot``) and waits for its removal (``card_taken``); a card not removed in
time is reported RETAINED with reason ``not_taken`` and stays in the slot until staff remove it
(status says so, and it is not read again while it stays). ``retain_card`` records the card the
same way. A motorised reader with capture (Sankyo, Hyosung, ...) is driven by its vendor's
protocol, not by PC/SC: that would be another adapter; none is faked here.

With a ``state_dir`` the adapter records what it observes as its durable last operation (``read_card``:
card_inside when a card is seen and again when read, ejected when the customer is asked to take it, taken,
captured when it is kept for staff; devices/durable.py). After a restart a card still in the slot is
simply seen by PC/SC: ``recover_card`` keeps it for staff like ``retain_card``.

Without pyscard, or without a running pcscd, calls fail with NOT_READY and one line for staff
(:data:`NO_PYSCARD`, :data:`PCSCD_DOWN`); status() says the same, and the kiosk keeps its other flows.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from devices.api import (
    Cancellation,
    DeviceError,
    DeviceEvent,
    DeviceState,
    DeviceStatus,
    ErrorCode,
    EventSink,
    LastOperation,
    OperationStage,
    ignore_events,
)
from devices.dispenser.api import RetainBin, RetainedCard
from devices.durable import LastOperationStore
from devices.smartcard import emv
from devices.smartcard.api import BankCard, CardReturn
from devices.smartcard.pcsc_link import (
    NO_PYSCARD,
    PCSCD_DOWN,
    CardTransport,
    PcscContext,
    is_usable,
    load_scard,
)
from kiosk.core.clock import Clock
from kiosk.core.crash import crash_point
from kiosk.core.masking import mask_pan

__all__ = ["NOT_TAKEN", "NO_PYSCARD", "PCSCD_DOWN", "PcscBankCardReader", "is_usable"]

log = logging.getLogger(__name__)

POLL_MS = 100
NOT_TAKEN = "not_taken"
READ_CARD = "read_card"


class PcscBankCardReader:
    """BankCardReader on a PC/SC reader. ``reader_name``: the reader's name or part of it; None
    watches every reader and reads the first card that comes."""

    def __init__(self, clock: Clock, reader_name: str | None = None, *, name: str = "smartcard",
                 aids: tuple[emv.SupportedAid, ...] = emv.DEFAULT_AIDS,
                 terminal: emv.Terminal = emv.DEFAULT_TERMINAL, state_dir: Path | str | None = None,
                 operations: LastOperationStore | None = None) -> None:
        """``state_dir``: where the durable last operation is kept; ``operations``: a store shared with a
        simulator that wraps this adapter (it then records in the same one)."""
        self.name = name
        self.clock = clock
        self.reader_name = reader_name or None
        self.aids = aids
        self.terminal = terminal
        self._lock = threading.RLock()
        self._busy = False
        self._closed = False
        self._held: tuple[str, int] | None = None  # (reader, event count) of a kept card still in the slot
        self._last_pan = ""  # masked PAN of the card read last
        self._bin = RetainBin()
        self._ops = operations or LastOperationStore(state_dir, name, clock)

    # -- Device --------------------------------------------------------------------------------
    def status(self) -> DeviceStatus:
        if self._closed:
            return DeviceStatus(self.name, DeviceState.OFFLINE, "closed", "closed")
        counters = {"retained": len(self.retained())}
        try:
            with self._context() as ctx:
                present = self._present(ctx, self._readers(ctx))
        except DeviceError as exc:
            state = DeviceState.OFFLINE if exc.code is ErrorCode.NOT_READY else DeviceState.FAULT
            return DeviceStatus(self.name, state, exc.reason, exc.detail, counters)
        with self._lock:
            detail = "card not taken: staff to remove it" if self._held else ("card in reader" if present else "")
            state = DeviceState.BUSY if self._busy else DeviceState.OK
        return DeviceStatus(self.name, state, None, detail, counters)

    def reset(self) -> None:
        """Nothing to clear on a plain reader; a kept card stays until it is removed."""

    def close(self) -> None:
        with self._lock:
            self._closed = True

    # -- BankCardReader ------------------------------------------------------------------------
    def read_card(self, timeout: float, cancel: Cancellation, on_event: EventSink = ignore_events) -> BankCard:
        with self._operation(), self._context() as ctx:
            deadline = self.clock.monotonic() + max(timeout, 0.0)
            reader, atr = self._wait_for_card(ctx, deadline, cancel)
            with self._lock:
                self._last_pan = ""
            self._ops.record(READ_CARD, OperationStage.CARD_INSIDE)
            on_event(DeviceEvent(self.name, "card_inserted", {"reader": reader, "atr": atr.hex().upper()}))
            card = self._read(ctx, reader)
            with self._lock:
                self._last_pan = mask_pan(card.pan)
            self._ops.record(READ_CARD, OperationStage.CARD_INSIDE, card_masked=self._last_pan)
            return card

    def return_card(self, timeout: float, cancel: Cancellation, on_event: EventSink = ignore_events) -> CardReturn:
        """No motor: ask the customer to take the card and wait for it to leave the reader."""
        with self._operation(), self._context() as ctx:
            deadline = self.clock.monotonic() + max(timeout, 0.0)
            present = self._present(ctx, self._readers(ctx))
            if not present:
                raise DeviceError(self.name, ErrorCode.USER_ERROR, "no_card", "there is no card to return")
            crash_point("card.before_move")
            self._ops.record(READ_CARD, OperationStage.EJECTED, card_masked=self._known_pan())
            crash_point("card.during_move")
            on_event(DeviceEvent(self.name, "card_at_slot"))
            if self._wait_for_removal(ctx, present, deadline, cancel):
                self._ops.record(READ_CARD, OperationStage.TAKEN, card_masked=self._known_pan())
                on_event(DeviceEvent(self.name, "card_taken"))
                return CardReturn.TAKEN
            self._keep(present[0], NOT_TAKEN)
            on_event(DeviceEvent(self.name, "card_retained", {"reason": NOT_TAKEN}))
            return CardReturn.RETAINED

    def retain_card(self, reason: str) -> None:
        """A plain reader cannot capture: the card is recorded as kept and left for staff."""
        self.recover_card(reason)

    def recover_card(self, reason: str) -> RetainedCard | None:
        """A card in the reader (this run's or one from before a restart) is kept for staff, as
        :meth:`retain_card` keeps it; None when PC/SC sees no card."""
        self._check_open()
        with self._context() as ctx:
            present = self._present(ctx, self._readers(ctx))
            if not present:
                return None
            crash_point("card.before_move")
            card = self._keep(present[0], reason)
            log.warning("%s: no capture on a plain PC/SC reader; card %s kept in the slot for staff (%s)",
                        self.name, card.pan_masked or "(not read)", reason)
            return card

    def last_operation(self) -> LastOperation | None:
        return self._ops.last()

    def has_card(self) -> bool:
        """A card in the reader that is the customer's (not one kept for staff)."""
        try:
            with self._context() as ctx:
                return bool(self._present(ctx, self._readers(ctx)))
        except DeviceError:
            return False

    def card_in_slot(self) -> bool:
        """Any card in the reader, kept or not (what the contacts feel)."""
        return self.slot_state()[0]

    def slot_state(self) -> tuple[bool, int]:
        """(a card is in the first matching reader, pcscd's count of insertions and removals there);
        (False, -1) when PC/SC cannot be asked."""
        try:
            with self._context() as ctx:
                states = ctx.states([(r, ctx.scard.SCARD_STATE_UNAWARE) for r in self._readers(ctx)[:1]], 0) or []
                present = ctx.scard.SCARD_STATE_PRESENT
        except DeviceError:
            return False, -1
        return next(((bool(state & present), state >> 16) for _, state, _ in states), (False, -1))

    def retained(self) -> list[RetainedCard]:
        return self._bin.cards()

    def empty_retain_bin(self) -> list[RetainedCard]:
        return self._bin.empty()

    # -- internals -----------------------------------------------------------------------------
    def _check_open(self) -> None:
        if self._closed:
            raise DeviceError(self.name, ErrorCode.NOT_READY, "closed", "the device was closed")

    @contextmanager
    def _operation(self) -> Iterator[None]:
        with self._lock:
            self._check_open()
            if self._busy:
                raise DeviceError(self.name, ErrorCode.NOT_READY, "busy", "another call is running")
            self._busy = True
        try:
            yield
        finally:
            with self._lock:
                self._busy = False

    @contextmanager
    def _context(self) -> Iterator[PcscContext]:
        with PcscContext(load_scard(self.name), self.name) as ctx:
            yield ctx

    def _readers(self, ctx: PcscContext) -> list[str]:
        readers = ctx.readers()
        if self.reader_name is None:
            chosen = readers
        else:
            chosen = [r for r in readers if r == self.reader_name] or [r for r in readers if self.reader_name in r]
        if not chosen:
            wanted = f"named {self.reader_name!r} " if self.reader_name else ""
            listed = ", ".join(readers) or "none"
            raise DeviceError(self.name, ErrorCode.NOT_READY, "no_reader",
                              f"no PC/SC reader {wanted}connected (readers: {listed})")
        return chosen

    def _present(self, ctx: PcscContext, readers: list[str]) -> list[tuple[str, int]]:
        """(reader, event count) of each reader with a card that is not a kept one."""
        states = ctx.states([(r, ctx.scard.SCARD_STATE_UNAWARE) for r in readers], 0) or []
        return [(reader, state >> 16) for reader, state, _ in states if self._customer_card(ctx, reader, state)]

    def _customer_card(self, ctx: PcscContext, reader: str, state: int) -> bool:
        """A card is present and it is not the kept one (which is forgotten once it has left)."""
        present = bool(state & ctx.scard.SCARD_STATE_PRESENT)
        with self._lock:
            if self._held is not None and self._held[0] == reader:
                if present and self._held[1] == state >> 16:
                    return False
                self._held = None
        return present

    def _keep(self, card: tuple[str, int], reason: str) -> RetainedCard:
        with self._lock:
            self._held = card
            pan = self._known_pan()
            kept = RetainedCard(pan_masked=pan, reason=reason, at=self.clock.now())
            self._bin.add(kept)
        self._ops.record(READ_CARD, OperationStage.CAPTURED, card_masked=pan, reason=reason)
        return kept

    def _known_pan(self) -> str:
        """The masked number of the card in the reader: read in this run, or as the last operation says."""
        last = self._ops.last()
        return self._last_pan or (last.card_masked if last is not None and last.holds_card else "")

    def _check_wait(self, cancel: Cancellation) -> None:
        if cancel.cancelled:
            raise DeviceError(self.name, ErrorCode.CANCELLED, "cancelled")
        self._check_open()

    def _wait_for_card(self, ctx: PcscContext, deadline: float, cancel: Cancellation) -> tuple[str, bytes]:
        known = [(r, ctx.scard.SCARD_STATE_UNAWARE) for r in self._readers(ctx)]
        while True:
            self._check_wait(cancel)
            states = ctx.states(known, POLL_MS)
            if states is not None:
                for reader, state, atr in states:
                    if state & (ctx.scard.SCARD_STATE_UNKNOWN | ctx.scard.SCARD_STATE_UNAVAILABLE):
                        raise DeviceError(self.name, ErrorCode.NOT_READY, "no_reader", f"{reader} went away")
                    if self._customer_card(ctx, reader, state):
                        return reader, atr
                known = [(reader, state & ~ctx.scard.SCARD_STATE_CHANGED) for reader, state, _ in states]
            if self.clock.monotonic() >= deadline:
                raise DeviceError(self.name, ErrorCode.TIMEOUT, "no_card", "no card inserted in time")

    def _wait_for_removal(self, ctx: PcscContext, cards: list[tuple[str, int]], deadline: float,
                          cancel: Cancellation) -> bool:
        counts = dict(cards)
        known = [(reader, ctx.scard.SCARD_STATE_UNAWARE) for reader in counts]
        while True:
            self._check_wait(cancel)
            states = ctx.states(known, POLL_MS)
            if states is not None:
                for reader, state, _ in states:
                    if not state & ctx.scard.SCARD_STATE_PRESENT or state >> 16 != counts[reader]:
                        return True
                known = [(reader, state & ~ctx.scard.SCARD_STATE_CHANGED) for reader, state, _ in states]
            if self.clock.monotonic() >= deadline:
                return False

    def _read(self, ctx: PcscContext, reader: str) -> BankCard:
        s = ctx.scard
        hr, card, protocol = s.SCardConnect(ctx.handle, reader, s.SCARD_SHARE_SHARED,
                                            s.SCARD_PROTOCOL_T0 | s.SCARD_PROTOCOL_T1)
        ctx.check(hr, "SCardConnect")
        try:
            ctx.check(s.SCardBeginTransaction(card), "SCardBeginTransaction")
            try:
                transport = CardTransport(ctx, card, protocol, reader)
                return emv.read_bank_card(transport, self.clock.now().date(), aids=self.aids,
                                          terminal=self.terminal, device=self.name)
            finally:
                s.SCardEndTransaction(card, s.SCARD_LEAVE_CARD)
        finally:
            s.SCardDisconnect(card, s.SCARD_LEAVE_CARD)
