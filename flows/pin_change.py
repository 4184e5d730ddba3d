"""密码修改 — change a bank card's PIN with the card and the old PIN.

Counter procedure (as at a Chinese bank's ATM or smart counter, where a PIN change needs no ID card: the
card and its PIN are the proof): insert the card, the old PIN, the new PIN twice, the host changes it,
result; the card comes back at the end. The host checks every PIN; the kiosk only carries PIN blocks.

Rules (the host's): the card must be active (not yet activated or reported lost: refused); the old PIN
is checked and counted like any PIN entry (three wrong in a day lock the card until midnight); the two
new entries must match; a weak new PIN is refused: six same digits, a run up or down (123456, 654321),
or the holder's birth date as YYMMDD; the new PIN must differ from the old. It takes effect at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devices.pinpad.api import PinBlock
from flows.common import CARDS, NEW_PIN_REFUSALS, card_pan, local_time, new_pin_twice
from kiosk.engine.flow import Fail, Flow, Goto
from kiosk.engine.screens import Row
from kiosk.engine.session import Session, later
from kiosk.engine.steps import EnterPin, HostCall, InsertBankCard, Result
from kiosk.host.api import PinChangeResult
from kiosk.host.errors import HostRejected


@dataclass
class PinChange:
    """What this visit gathers: the old PIN block, the new one twice, the host's answer."""

    old_pin_block: PinBlock = later()
    pin_block: PinBlock = later()
    pin_block_confirm: PinBlock = later()
    change: PinChangeResult = later()


def visit(s: Session) -> PinChange:
    return s.data_as(PinChange)


def change_request(s: Session) -> dict[str, Any]:
    data = visit(s)
    return {"pan": card_pan(s), "old_pin_block": data.old_pin_block, "pin_block": data.pin_block,
            "pin_block_confirm": data.pin_block_confirm}


def wrong_old_pin(s: Session, error: HostRejected) -> Goto:
    return Goto("old_pin", "pin.wrong", {"tries_left": error.details.get("tries_left", 0)})


def result_rows(s: Session) -> list[Row]:
    change = visit(s).change
    return [Row(s.t("row.card"), change.pan_masked), Row(s.t("row.reference"), change.change_ref),
            Row(s.t("row.effective_at"), local_time(change.changed_at))]


pin_change = Flow(
    id="pin_change", category=CARDS, devices=frozenset({"smartcard", "pinpad"}), data=PinChange,
    steps=[
        InsertBankCard("card"),
        EnterPin("old_pin", pan=card_pan, store="old_pin_block"),
        *new_pin_twice(),
        HostCall("change", op="pins.change", payload=change_request, store="change", reference="change_ref",
                 branches=("old_pin", "new_pin"),
                 refusals={**NEW_PIN_REFUSALS, "pin_wrong": wrong_old_pin,
                           "pin_same_as_old": lambda s, e: Goto("new_pin", "pin.same_as_old"),
                           "pin_locked": lambda s, e: Fail("pin.locked")}),
        Result("result", rows=result_rows),
    ],
)
