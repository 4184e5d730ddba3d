"""The bank card reader simulated at the protocol level: the real :class:`PcscBankCardReader` reads a
virtual PBOC card that sits in vsmartcard's virtual reader behind pcscd.

It offers the behavioural simulator's QA controls (``insert``, ``take``, ``has_card``, ``position``,
``retained``, ``empty_retain_bin``) and its FAULTS, so scenarios and the simulator console work
unchanged; ``insert_profile`` adds any card file of ``assets/sim/cards`` (no PSE, 61xx, 6Cxx...).

What goes through the real stack and what is simulated here:

* ``mute_card``: the virtual card is put back as a mute card (no valid ATR); the adapter's
  SCardConnect fails and it reports ``mute_card`` itself. ``read_failed``: the card answers READ
  RECORD with 6581 and the adapter's EMV reading reports ``read_failed``. A blocked card answers 6A81.
* ``jam``, ``timeout``, ``offline``: a PC/SC reader has no transport to jam and vpcd cannot be made to
  time out or vanish on demand, so these fail here, before the adapter, exactly as in the behavioural
  simulator.
* Capture: the virtual reader, like any plain PC/SC reader, has no motor. When the adapter reports a
  card not taken (RETAINED, ``not_taken``) or ``retain_card`` is called, this simulator plays the
  motorised reader the kiosk will have: it pulls the virtual card out into its retain bin.

The durable last operation (devices/durable.py, with a ``state_dir``) is this simulator's record, as the
motorised reader's, shared with the adapter (which records what PC/SC shows it): card_inside when the card
comes (then with its masked number), ejected, taken, captured. The virtual
card lives in this process's connection to vpcd and goes with it, but a motorised reader keeps the card
through a crash: a reader built on a state that says a card was left inside or at the slot holds that
card (known by its masked number only), reports FAULT ``card_left`` and reads nothing until
``recover_card`` (or ``retain_card``) captures it, as the behavioural simulator does. The capture bin
(masked card, reason, time) is kept in the same state: it holds what it captured across a restart.

QA controls wait (up to :data:`SETTLE_SECONDS`) until pcscd has seen the card come or go, so a
script that inserts and then reads never races pcscd's presence polling (about 0.4 s).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from devices.api import (
    Cancellation,
    DeviceEvent,
    DeviceState,
    DeviceStatus,
    ErrorCode,
    EventSink,
    LastOperation,
    OperationStage,
    ignore_events,
)
from devices.dispenser.api import RetainedCard
from devices.durable import DurableBin, LastOperationStore
from devices.simkit import QAControlError, SimulatedDevice
from devices.smartcard.api import BankCard, CardReturn
from devices.smartcard.card_app import CardProfile, VirtualPbocCard, profile_from_card
from devices.smartcard.card_files import CARDS_DIR, VARIANTS, load_profiles
from devices.smartcard.pcsc import NOT_TAKEN, PcscBankCardReader
from devices.smartcard.sim import (
    CARD_LEFT,
    READ_CARD,
    STAFF_RESET,
    CardPosition,
    SimBankCardReader,
    left_card,
    left_card_detail,
)
from devices.smartcard.vpcd_card import VPCD_PORT, VpcdCard, VpcdError, vpcd_reader_name
from kiosk.core.clock import Clock
from kiosk.core.crash import crash_point
from kiosk.core.masking import mask_pan

SETTLE_SECONDS = 3.0
_SETTLE_POLL = 0.02


@dataclass
class _Inserted:
    vcard: VpcdCard
    profile: CardProfile
    pan_masked: str
    position: CardPosition = CardPosition.INSIDE

    @property
    def chip(self) -> VirtualPbocCard:
        return self.vcard.card


class PcscSimBankCardReader(SimulatedDevice):
    FAULTS = dict(SimBankCardReader.FAULTS)

    def __init__(self, clock: Clock, name: str = "smartcard", *, port: int = VPCD_PORT,
                 reader_name: str | None = None, cards_dir: Path = CARDS_DIR, unavailable: str = "",
                 state_dir: Path | str | None = None) -> None:
        """``unavailable``: why this run has no virtual reader (one line); the reader then reports
        itself offline with it and QA's hands cannot insert a card."""
        super().__init__(clock, name)
        self.port = port
        self.unavailable = unavailable
        self._ops = LastOperationStore(state_dir, name, clock)  # shared: the adapter records what it sees
        self.adapter = PcscBankCardReader(clock, reader_name or vpcd_reader_name(port), name=name,
                                          operations=self._ops)
        self.profiles = load_profiles(cards_dir)
        variants = tuple(f"_{v}" for v in VARIANTS)
        self._by_pan = {p.pan(): p for p in self.profiles.values() if not p.key.endswith(variants)}
        self._card: _Inserted | None = None
        self._take_ahead = False
        self._pending = {"mute": False, "fail_reads": False}  # faults of the running read
        self._bin = DurableBin(self._ops)  # the capture bin QA and staff see, kept across a restart
        self._settle_lock = threading.Lock()
        self._left = left_card(self._ops.last())

    # -- QA controls -------------------------------------------------------------------------
    def insert(self, card: BankCard, blocked: bool = False) -> None:
        """The customer inserts ``card`` (its card file when there is one); ``blocked``: 6A81."""
        profile = self._by_pan.get(card.pan) or profile_from_card("inserted", card)
        self._insert(profile.with_blocked() if blocked else profile)

    def insert_profile(self, key: str | CardProfile) -> None:
        """Insert any card of ``assets/sim/cards`` by its key (``zhang_wei_1_no_pse``...)."""
        if isinstance(key, CardProfile):
            self._insert(key)
            return
        if key not in self.profiles:
            raise QAControlError(f"{self.name}: no card file {key!r}; cards: {', '.join(sorted(self.profiles))}")
        self._insert(self.profiles[key])

    def take(self) -> None:
        """The customer takes the card from the slot; before an eject, the next eject is taken at once."""
        with self._lock:
            inserted = self._card
            if inserted is None or inserted.position is not CardPosition.AT_SLOT:
                self._take_ahead = True
                return
            self._ops.record(READ_CARD, OperationStage.TAKEN, card_masked=inserted.pan_masked)
            self._card = None
        inserted.vcard.remove()
        self._settle(present=False)

    def has_card(self) -> bool:
        with self._lock:
            return self._card is not None or self._left is not None

    def position(self) -> CardPosition | None:
        with self._lock:
            if self._left is not None:
                return CardPosition.AT_SLOT if self._left.stage is OperationStage.EJECTED else CardPosition.INSIDE
            return self._card.position if self._card is not None else None

    def retained(self) -> list[RetainedCard]:
        return self._bin.cards()

    def empty_retain_bin(self) -> list[RetainedCard]:
        return self._bin.empty()

    # -- Device --------------------------------------------------------------------------------
    def status(self) -> DeviceStatus:
        own = super().status()
        if self.unavailable:
            return DeviceStatus(self.name, DeviceState.OFFLINE, "no_reader", self.unavailable, own.counters)
        if own.state not in (DeviceState.OK, DeviceState.BUSY):
            return own
        real = self.adapter.status()
        if real.state in (DeviceState.OFFLINE, DeviceState.FAULT):
            return DeviceStatus(self.name, real.state, real.fault, real.detail, own.counters)
        return own

    def close(self) -> None:
        super().close()
        self.adapter.close()
        with self._lock:
            inserted, self._card = self._card, None
        if inserted is not None:
            inserted.vcard.remove()

    # -- BankCardReader ------------------------------------------------------------------------
    def read_card(self, timeout: float, cancel: Cancellation, on_event: EventSink = ignore_events) -> BankCard:
        with self._operation():
            self._fail_if_armed("jam", "timeout")
            self._refuse_left_card()
            fault = self._take_fault("mute_card", "read_failed")
            self._prepare_chip(mute=fault == "mute_card", fail_reads=fault == "read_failed")
            try:
                return self.adapter.read_card(timeout, cancel, self._relay(on_event))
            finally:
                self._prepare_chip(mute=None, fail_reads=False)

    def return_card(self, timeout: float, cancel: Cancellation, on_event: EventSink = ignore_events) -> CardReturn:
        """Ask for the card to be taken; one not taken in time is pulled into the retain bin."""
        with self._operation():
            self._fail_if_armed("jam")
            self._refuse_left_card()
            result = self.adapter.return_card(timeout, cancel, self._relay(on_event))
            if result is CardReturn.RETAINED:
                self._capture(NOT_TAKEN)
            return result

    def retain_card(self, reason: str) -> None:
        self.recover_card(reason)

    def last_operation(self) -> LastOperation | None:
        return self._ops.last()

    def recover_card(self, reason: str) -> RetainedCard | None:
        """Capture the card inside or at the slot, or one left there before a restart."""
        with self._lock:
            self._check_ready()
            inserted, left = self._card, self._left
        if inserted is None and left is None:
            return None
        if inserted is None:
            crash_point("card.before_move")  # the adapter passes it when it keeps a card it sees
        else:
            self.adapter.retain_card(reason)
            self.adapter.empty_retain_bin()  # the simulated capture bin below is the one QA sees
        return self._capture(reason)

    # -- internals -----------------------------------------------------------------------------
    def _insert(self, profile: CardProfile) -> None:
        if self.unavailable:
            raise QAControlError(f"{self.name}: no virtual card reader: {self.unavailable}")
        with self._lock:
            if self._card is not None or self._left is not None:
                raise QAControlError(f"{self.name}: a card is already in the reader")
            chip = VirtualPbocCard(profile)
            inserted = _Inserted(VpcdCard(chip, port=self.port), profile, mask_pan(profile.pan()))
            if self._pending["mute"]:
                chip.set_mute(True)
            chip.set_fail_reads(self._pending["fail_reads"])
            self._card = inserted
        before = self.adapter.slot_state()[1]
        try:
            inserted.vcard.insert()
        except VpcdError as exc:
            with self._lock:
                self._card = None
            raise QAControlError(f"{self.name}: {exc}") from exc
        self._settle(present=True, after=before)

    def _prepare_chip(self, mute: bool | None, fail_reads: bool) -> None:
        """Set the faults of this read on the card in the reader (and on one inserted meanwhile).
        ``mute=None`` ends the read: a card muted by a fault stays mute until the next read."""
        with self._lock:
            self._pending = {"mute": bool(mute), "fail_reads": fail_reads}
            inserted = self._card
        if inserted is None:
            return
        inserted.chip.set_fail_reads(fail_reads)
        if mute is None:
            return
        want_mute = mute or inserted.profile.mute
        if inserted.chip.mute != want_mute:
            self._replug(inserted, want_mute)

    def _replug(self, inserted: _Inserted, mute: bool) -> None:
        """Take the card out and put it back with another ATR: pcscd powers it up anew."""
        inserted.vcard.remove()
        self._settle(present=False)
        before = self.adapter.slot_state()[1]
        inserted.chip.set_mute(mute)
        inserted.vcard.insert()
        self._settle(present=True, after=before)

    def _refuse_left_card(self) -> None:
        with self._lock:
            if self._left is not None:
                raise self._error(ErrorCode.NOT_READY, CARD_LEFT, left_card_detail(self._left))

    def _relay(self, on_event: EventSink) -> EventSink:
        def relay(event: DeviceEvent) -> None:
            if event.kind == "card_inserted":
                self._inside()
            if event.kind == "card_at_slot":
                self._at_slot()
            on_event(event)

        return relay

    def _inside(self) -> None:
        with self._lock:
            if self._card is not None:
                self._ops.record(READ_CARD, OperationStage.CARD_INSIDE, card_masked=self._card.pan_masked)

    def _at_slot(self) -> None:
        with self._lock:
            inserted = self._card
            if inserted is None:
                return
            inserted.position = CardPosition.AT_SLOT
            if not self._take_ahead:
                return
            self._ops.record(READ_CARD, OperationStage.TAKEN, card_masked=inserted.pan_masked)
            self._take_ahead = False
            self._card = None
        inserted.vcard.remove()  # the adapter sees it go

    def _capture(self, reason: str) -> RetainedCard | None:
        with self._lock:
            inserted, left, self._card, self._left = self._card, self._left, None, None
            self._take_ahead = False
            if inserted is not None:
                pan = inserted.pan_masked
            elif left is not None:
                pan = left.card_masked
            else:
                return None
            card = RetainedCard(pan_masked=pan, reason=reason, at=self.clock.now())
            self._bin.keep(card, READ_CARD, OperationStage.CAPTURED)
        if inserted is not None:
            inserted.vcard.remove()
            self._settle(present=False)
        return card

    def _settle(self, present: bool, after: int = -1) -> None:
        """Wait (real time) until pcscd sees the slot empty, or sees a card inserted since its event
        count was ``after`` (a card it still shows from before is not the one just inserted)."""

        def settled() -> bool:
            now_present, count = self.adapter.slot_state()
            return now_present == present and (not present or count != after)

        with self._settle_lock:
            if not _poll(settled, SETTLE_SECONDS):
                what = "come" if present else "go"
                raise QAControlError(f"{self.name}: pcscd did not see the card {what} within {SETTLE_SECONDS:g} s "
                                     f"({self.adapter.status().detail or 'is pcscd running?'})")

    def _counters(self) -> dict[str, int]:
        return {"retained": len(self._bin)}

    def _standing_fault(self) -> str | None:
        return CARD_LEFT if self._left is not None else None

    def _detail(self) -> str:
        if self._left is not None:
            return left_card_detail(self._left)
        if self._card is None:
            return ""
        return "card at slot" if self._card.position is CardPosition.AT_SLOT else "card in reader"

    def _on_reset(self) -> None:
        """Staff servicing also captures a card left from before a restart."""
        self._take_ahead = False
        if self._left is not None:
            self._capture(STAFF_RESET)
        self._pending = {"mute": False, "fail_reads": False}


def _poll(predicate: Callable[[], bool], seconds: float) -> bool:
    give_up = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > give_up:
            return False
        time.sleep(_SETTLE_POLL)
    return True
