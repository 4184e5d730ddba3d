"""Bank cards and PINs: insert the card, enter the PIN, keep the card, pick and deliver a new card."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from devices.api import Cancellation, DeviceError, DeviceEvent, EventSink
from devices.dispenser.api import StockCard
from devices.pinpad.api import PinBlock
from devices.smartcard.api import BankCard
from kiosk.core import i18n
from kiosk.core.masking import mask_pan
from kiosk.engine import txn
from kiosk.engine.flow import Fail, Next, Stay, Step, Verdict
from kiosk.engine.ops import Operation, OpResult
from kiosk.engine.screens import Outcome, Row, ScreenKind
from kiosk.engine.steps.basic import device_verdict
from kiosk.engine.steps.identity import customer_wait

if TYPE_CHECKING:
    from kiosk.engine.session import Session


class InsertBankCard(Step):
    """Insert the bank card; its payment application is read."""

    kind = ScreenKind.BANK_CARD
    text_key = "bank_card"

    def screen(self, s: Session) -> dict[str, Any]:
        return {"data": {"device_hint": "smartcard", "inserted": s.slots.card_inserted}}

    def begin(self, s: Session) -> Operation:
        reader = s.services.devices.smartcard
        assert reader is not None
        wait = customer_wait(s)

        def read(cancel: Cancellation, on_event: EventSink) -> BankCard:
            return reader.read_card(wait, cancel, on_event)

        return Operation("smartcard.read_card", read, device="smartcard", waits_for_customer=True)

    def on_event(self, s: Session, event: DeviceEvent) -> bool:
        if event.kind == "card_inserted":
            s.slots.card_inserted = True
            return True
        return False

    def on_result(self, s: Session, result: OpResult) -> Verdict:
        if not result.ok:
            err = result.error
            if isinstance(err, DeviceError) and err.reason == "card_blocked":
                return Fail("card.blocked")
            return device_verdict(s, result, waits_for_customer=True, retry="card.read_again")
        card: BankCard = result.value
        s.slots.bank_card = card
        s.slots.card_inserted = True
        return Next()


class EnterPin(Step):
    """The customer types the PIN on the PIN pad; the kiosk receives only the encrypted PIN block, which goes
    to the flow data attribute ``store``."""

    kind = ScreenKind.PIN_ENTRY
    timeout = "pin_s"
    text_key = "pin"

    def __init__(self, id: str, *, pan: Callable[[Session], str], store: str, **kw: Any) -> None:
        super().__init__(id, **kw)
        self.pan = pan
        self.store = store

    def screen(self, s: Session) -> dict[str, Any]:
        return {"data": {"device_hint": "pinpad", "digits": s.slots.pin_digits, "length": 6}}

    def begin(self, s: Session) -> Operation:
        pinpad = s.services.devices.pinpad
        assert pinpad is not None
        pan = self.pan(s)
        wait = customer_wait(s, "pin_s")
        s.slots.pin_digits = 0

        def read(cancel: Cancellation, on_event: EventSink) -> PinBlock:
            return pinpad.read_pin(pan, wait, cancel, on_event, min_length=6, max_length=6)

        return Operation("pinpad.read_pin", read, device="pinpad", waits_for_customer=True)

    def on_event(self, s: Session, event: DeviceEvent) -> bool:
        if event.kind != "key":
            return False
        if "count" in event.data:
            s.slots.pin_digits = int(event.data["count"])
        elif event.data.get("key") == "digit":
            s.slots.pin_digits += 1
        elif event.data.get("key") == "clear":
            s.slots.pin_digits = 0
        return True

    def on_result(self, s: Session, result: OpResult) -> Verdict:
        s.slots.pin_digits = 0
        if not result.ok:
            return device_verdict(s, result, waits_for_customer=True)
        block: PinBlock = result.value
        s.store(self.store, block)
        return Next()

    def stores(self) -> tuple[tuple[str, type], ...]:
        return ((self.store, PinBlock),)


class RetainBankCard(Step):
    """Keep the customer's bank card: it goes into the reader's retain bin and is never returned (a card
    handed in for replacement, the card of a closed account). The journal keeps its masked number and the
    reason."""

    kind = ScreenKind.PROCESSING
    timeout = None
    text_key = "retain_card"

    def __init__(self, id: str, *, reason: str, **kw: Any) -> None:
        super().__init__(id, **kw)
        self.reason = reason

    def begin(self, s: Session) -> Operation:
        reader, card = s.services.devices.smartcard, s.slots.bank_card
        assert reader is not None
        assert card is not None
        reason, pan_masked = self.reason, mask_pan(card.pan)

        def retain(cancel: Cancellation, on_event: EventSink) -> Mapping[str, str]:
            reader.retain_card(reason)
            return {"pan_masked": pan_masked, "reason": reason}

        return Operation("smartcard.retain_card", retain, critical=True, device="smartcard")

    def on_result(self, s: Session, result: OpResult) -> Verdict:
        if not result.ok:
            return Fail("error.device.smartcard", Outcome.DEVICE_FAULT)
        s.slots.bank_card_retained = True
        return Next()


class PickCard(Step):
    """Take the next blank card from the hopper to the read position and read its number."""

    kind = ScreenKind.PROCESSING
    customer_step = False  # the kiosk works (or prints) by itself: not a step of "step x of y"
    timeout = None
    text_key = "pick_card"

    def begin(self, s: Session) -> Operation:
        dispenser = s.services.devices.dispenser
        assert dispenser is not None
        wait = s.services.settings.timeouts.device_s

        def pick(cancel: Cancellation, on_event: EventSink) -> StockCard:
            return dispenser.pick_card(wait, cancel)

        return Operation("dispenser.pick_card", pick, critical=True, device="dispenser")

    def on_result(self, s: Session, result: OpResult) -> Verdict:
        if not result.ok:
            return device_verdict(s, result, waits_for_customer=False)
        card: StockCard = result.value
        s.slots.picked_card = card
        return Next()


class DeliverCard(Step):
    """Present the new card at the gate; a card not taken in time is retained.

    The card is bound to the account by the posting before it: once that committed, a dispenser that
    fails to hand it over (jammed, offline, timed out) does not fail the business. The card is put in the
    retain bin if the dispenser still can, staff are called, and the customer gets the result and the
    receipt with the card's fate on them (:func:`card_fate_rows`), as when the card is not taken in time.
    """

    kind = ScreenKind.PROCESSING
    timeout = None
    text_key = "deliver_card"
    delivers = "card"

    def screen(self, s: Session) -> dict[str, Any]:
        return {"data": {"device_hint": "dispenser", "at_gate": s.slots.card_at_gate}}

    def begin(self, s: Session) -> Operation:
        dispenser = s.services.devices.dispenser
        assert dispenser is not None
        if s.slots.card_not_dispensed:
            def keep(cancel: Cancellation, on_event: EventSink) -> str:
                dispenser.retain_card(NOT_DISPENSED)
                return "retained"

            return Operation(RETAIN_NEW_CARD, keep, critical=True, device="dispenser")
        wait = customer_wait(s, "card_take_s") - 5.0
        txn.delivery_started(s, self.delivers)

        def deliver(cancel: Cancellation, on_event: EventSink) -> bool:
            return dispenser.deliver_card(wait, cancel, on_event)

        return Operation("dispenser.deliver_card", deliver, critical=True, device="dispenser",
                         waits_for_customer=True)

    def on_event(self, s: Session, event: DeviceEvent) -> bool:
        if event.kind == "card_at_gate":
            s.slots.card_at_gate = True
            return True
        return False

    def on_result(self, s: Session, result: OpResult) -> Verdict:
        if result.name == RETAIN_NEW_CARD:
            s.slots.card_retained = result.ok
            return Next()
        if result.error is not None and not isinstance(result.error, DeviceError):
            raise result.error  # a bug, not a dispenser fault
        txn.delivery_finished(s, self.delivers, result.ok,
                              {"card": "fault" if not result.ok else "taken" if result.value else "retained"})
        if not result.ok:
            if s.outcome != Outcome.COMPLETED:  # nothing posted (a flow delivering before it posts)
                return Fail("error.device.dispenser", Outcome.DEVICE_FAULT)
            s.slots.card_not_dispensed = True
            s.call_staff(self.id, NOT_DISPENSED)
            return Stay(restart=True)  # now into the retain bin, if the dispenser still can
        if result.value:
            s.slots.card_delivered = True
        else:
            s.slots.card_retained = True
            s.call_staff(self.id, "card_not_taken")
        return Next()


RETAIN_NEW_CARD = "dispenser.retain_card"
NOT_DISPENSED = "not_dispensed"


def card_fate(s: Session) -> str | None:
    """What became of the new card when the customer did not get it: ``not_taken`` (retained when not taken
    in time), ``retained`` (the dispenser failed to hand it over and kept it) or ``not_dispensed`` (the
    dispenser failed and could not even keep it); None when it was handed over or there is none."""
    if s.slots.card_not_dispensed:
        return "retained" if s.slots.card_retained else NOT_DISPENSED
    return "not_taken" if s.slots.card_retained else None


def card_fate_rows(s: Session) -> list[Row]:
    """The card's fate for a result screen and its receipt (none when the customer took the card): the
    flow's own words (``flow.<id>.card_fate.<fate>``) or the shared ones (``card.fate.<fate>``)."""
    fate = card_fate(s)
    if fate is None:
        return []
    own = s.flow_key(f"card_fate.{fate}")
    return [Row(s.t("row.card_status"), s.t(own if i18n.has_text(s.lang, own) else f"card.fate.{fate}"))]
