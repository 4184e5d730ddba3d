"""The safe exit every session goes through: whatever happened, cards go back to the customer or
into the retain bin, and nothing is left half done.

A customer who walked away (the inactivity timeout) after something was posted still gets what the
business hands out: from the step the session timed out on, the safe exit goes through the steps that only
show or hand out what was done (``Step.hands_out``: the result, the receipt, a document) and runs what each
says it owes (``Step.unattended``): the receipt is printed and left at the slot for staff, and the journal
says so (kiosk/engine/steps/receipt.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from devices.api import Cancellation, EventSink
from devices.smartcard.api import CardReturn
from kiosk.engine.flow import step_active
from kiosk.engine.ops import Operation, OpResult
from kiosk.engine.steps.receipt import PRINT_RECEIPT, left_at_slot

if TYPE_CHECKING:
    from kiosk.engine.session import Session


def posted(s: Session) -> bool:
    """Whether a posting of this flow committed in this session (its result is in the flow data)."""
    return any(getattr(s.flow_data, getattr(step, "store", ""), None) is not None
               for step in s.flow.steps if getattr(step, "posting_op", None) is not None)


def owed_after_walking_away(s: Session) -> list[Operation]:
    """What the flow still hands out when the customer walked away after a posting: from the step the session
    timed out on, each ``hands_out`` step in the flow's order (those whose condition holds) says what it owes;
    the first step that needs the customer or the host again ends the walk (what follows was never done)."""
    if s.slots.timed_out_at is None or s.slots.timed_out_at not in {st.id for st in s.flow.steps} or not posted(s):
        return []
    s.services.journal.record(s.id, "step", "walked_away_after_posting", {"step": s.slots.timed_out_at})
    owed: list[Operation] = []
    for step in s.flow.steps[s.flow.index(s.slots.timed_out_at):]:
        if not step.hands_out:
            break
        if not step_active(step, s):
            continue
        op = step.unattended(s)
        if op is not None:
            owed.append(op)
    return owed


def _ready(op: Operation) -> Callable[[], Operation]:
    return lambda: op


class SafeExit:
    def __init__(self, s: Session) -> None:
        self.s = s
        self._plan: list[tuple[str, Callable[[], Operation]]] = []
        self._current: str | None = None
        for op in owed_after_walking_away(s):  # first: the receipt may name the new card picked
            self._plan.append((op.device or "printer", _ready(op)))
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
        if result.name == PRINT_RECEIPT:
            left_at_slot(self.s, result)
            return
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
