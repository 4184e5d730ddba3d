"""The safe exit every session goes through: whatever happened, cards go back to the customer or
into the retain bin, and nothing is left half done."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from devices.api import Cancellation, EventSink
from devices.smartcard.api import CardReturn
from kiosk.engine.ops import Operation, OpResult

if TYPE_CHECKING:
    from kiosk.engine.session import Session


class SafeExit:
    def __init__(self, s: Session) -> None:
        self.s = s
        self._plan: list[tuple[str, Callable[[], Operation]]] = []
        self._current: str | None = None
        issued = s.slots.card_delivered or s.slots.card_retained
        if s.slots.picked_card is not None and not issued and s.services.devices.dispenser is not None:
            self._plan.append(("dispenser", self._retain_new_card))
        used = s.flow.devices | (s.continued.devices if s.continued is not None else frozenset())
        if "smartcard" in used and s.services.devices.smartcard is not None:
            self._plan.append(("bank_card", self._return_bank_card))

    def waiting_for(self) -> str | None:
        return self._current

    def next_operation(self) -> Operation | None:
        if not self._plan:
            self._current = None
            return None
        self._current, factory = self._plan.pop(0)
        return factory()

    def finished(self, result: OpResult) -> None:
        if result.ok and result.value == CardReturn.RETAINED:
            self.s.slots.bank_card_retained = True
        if result.name == "dispenser.retain_card":
            self.s.slots.picked_card = None

    def _retain_new_card(self) -> Operation:
        dispenser = self.s.services.devices.dispenser
        assert dispenser is not None

        def retain(cancel: Cancellation, on_event: EventSink) -> str:
            dispenser.retain_card("not_issued")
            return "retained"

        return Operation("dispenser.retain_card", retain, critical=True, device="dispenser")

    def _return_bank_card(self) -> Operation:
        reader = self.s.services.devices.smartcard
        assert reader is not None
        wait = self.s.services.settings.timeouts.for_customer("card_take_s", self.s.elderly)

        def give_back(cancel: Cancellation, on_event: EventSink) -> CardReturn | None:
            if not reader.has_card():
                return None
            return reader.return_card(wait, cancel, on_event)

        return Operation("smartcard.return_card", give_back, critical=True, device="smartcard",
                         waits_for_customer=True)
