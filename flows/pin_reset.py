"""密码重置 — reset a forgotten PIN.

Counter procedure: consent, the ID card, the face check (when it is declined or fails, staff verify the
customer in person), the card, the host confirms it is this customer's, a supervisor authorises the
reset (授权), the new PIN twice, the host resets it, result, receipt; the card comes back at the end.
At a Chinese bank's counter a reset of a forgotten PIN always needs the holder in person with the ID
card and a supervisor's authorisation; there is no old PIN to give.

Rules (the host's): the card must be the customer's (another person's card is refused) and active (not
yet activated or reported lost: refused); the reset needs a recorded supervisor approval; the two
entries must match; a weak PIN is refused (six same digits, a run up or down, the holder's birth date
as YYMMDD). The new PIN takes effect at once and the old PIN's wrong-try count is cleared (a PIN locked
for the day is unlocked).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devices.pinpad.api import PinBlock
from devices.printer.api import Receipt
from flows.common import (
    CARDS,
    IDENTITY_PREDICATES,
    NEW_PIN_REFUSALS,
    approval_ref,
    card_holder_request,
    card_pan,
    holder_rows,
    id_card,
    identify,
    local_time,
    new_pin_twice,
)
from kiosk.engine.flow import Fail, Flow
from kiosk.engine.screens import Row
from kiosk.engine.session import Session, later
from kiosk.engine.steps import HostCall, InsertBankCard, PrintReceipt, Result, StaffApproval
from kiosk.engine.steps.receipt import build_receipt
from kiosk.host.api import CardHolderResult, PinResetResult


@dataclass
class PinReset:
    """What this visit gathers: the host's word on the card, the new PIN twice, the reset."""

    holder: CardHolderResult = later()
    pin_block: PinBlock = later()
    pin_block_confirm: PinBlock = later()
    reset: PinResetResult = later()


def visit(s: Session) -> PinReset:
    return s.data_as(PinReset)



def require_active(s: Session) -> Fail | None:
    status = visit(s).holder.status
    return None if status == "active" else Fail(f"card.not_usable.{status}")


def reset_request(s: Session) -> dict[str, Any]:
    data = visit(s)
    return {"id_number": id_card(s).id_number, "pan": card_pan(s), "pin_block": data.pin_block,
            "pin_block_confirm": data.pin_block_confirm, "approval_ref": approval_ref(s, "reset_approval")}


def result_rows(s: Session) -> list[Row]:
    reset = visit(s).reset
    return [Row(s.t("row.card"), reset.pan_masked), Row(s.t("row.reference"), reset.reset_ref),
            Row(s.t("row.effective_at"), local_time(reset.reset_at))]


def receipt(s: Session) -> Receipt:
    rows = holder_rows(s) + result_rows(s)
    return build_receipt(s, "flow.pin_reset.receipt_title", rows, visit(s).reset.reset_ref)


pin_reset = Flow(
    id="pin_reset", category=CARDS, devices=frozenset({"idcard", "camera", "smartcard", "pinpad", "printer"}),
    face_check=True, staff_approval="every PIN reset; face check declined or failed", data=PinReset,
    steps=[
        *identify(face=True),
        InsertBankCard("card"),
        HostCall("holder", op="cards.verify_holder", payload=card_holder_request, store="holder", check=require_active),
        StaffApproval("reset_approval", rule="pin_reset", reason="approval.reason.pin_reset"),
        *new_pin_twice(),
        HostCall("reset", op="pins.reset", payload=reset_request, store="reset", reference="reset_ref",
                 branches=("new_pin",), refusals=NEW_PIN_REFUSALS),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=receipt),
    ],
    predicates=IDENTITY_PREDICATES,
)
