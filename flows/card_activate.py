"""领卡激活 — activate a debit card issued elsewhere (mailed to the customer, or made at a counter).

Counter procedure: consent, the ID card, the face check (when it is declined or fails, staff verify the
customer in person), insert the new card, the host confirms it is this customer's card waiting to be
activated, the PIN set twice, the host activates the card, result, receipt; the card comes back.
A Chinese bank activates a card only for its holder in person (ID card and face or staff), and the card
gets its PIN then: a mailed card carries none.

Rules (the host's): the bank must know the card as issued to this customer and not yet activated
(anyone else's card is refused, an active one too, a card reported lost as well); a social-security card
is activated by ss_card_activate (its medical-account PIN changes then); the two PIN entries must match;
a weak PIN is refused (six same digits, a run up or down, the holder's birth date as YYMMDD).
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
from kiosk.engine.steps import HostCall, InsertBankCard, PrintReceipt, Result
from kiosk.engine.steps.receipt import build_receipt
from kiosk.host.api import CardActivateResult, CardHolderResult


@dataclass
class CardActivation:
    """What this visit gathers: the host's word on the card, the PIN twice, the activation."""

    holder: CardHolderResult = later()
    pin_block: PinBlock = later()
    pin_block_confirm: PinBlock = later()
    activation: CardActivateResult = later()


def visit(s: Session) -> CardActivation:
    return s.data_as(CardActivation)



def require_inactive(s: Session) -> Fail | None:
    holder = visit(s).holder
    if holder.social_security:
        return Fail("flow.card_activate.ss_card")
    if holder.status == "active":
        return Fail("flow.card_activate.already_active")
    return None if holder.status == "inactive" else Fail(f"card.not_usable.{holder.status}")


def activate_request(s: Session) -> dict[str, Any]:
    data = visit(s)
    return {"id_number": id_card(s).id_number, "pan": card_pan(s), "pin_block": data.pin_block,
            "pin_block_confirm": data.pin_block_confirm}


def result_rows(s: Session) -> list[Row]:
    done = visit(s).activation
    return [Row(s.t("row.card"), done.pan_masked), Row(s.t("row.product"), done.product),
            Row(s.t("row.reference"), done.activation_ref), Row(s.t("row.effective_at"), local_time(done.activated_at))]


def receipt(s: Session) -> Receipt:
    rows = holder_rows(s) + result_rows(s)
    return build_receipt(s, "flow.card_activate.receipt_title", rows, visit(s).activation.activation_ref)


card_activate = Flow(
    id="card_activate", category=CARDS,
    devices=frozenset({"idcard", "camera", "smartcard", "pinpad", "printer"}),
    face_check=True, staff_approval="face check declined or failed", data=CardActivation,
    steps=[
        *identify(face=True),
        InsertBankCard("card"),
        HostCall("holder", op="cards.verify_holder", payload=card_holder_request, store="holder",
                 check=require_inactive),
        *new_pin_twice(),
        HostCall("activate", op="cards.activate", payload=activate_request, store="activation",
                 reference="activation_ref", branches=("new_pin",), refusals=NEW_PIN_REFUSALS),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=receipt),
    ],
    predicates=IDENTITY_PREDICATES,
)
