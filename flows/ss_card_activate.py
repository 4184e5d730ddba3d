"""社保卡金融账户激活 — activate the financial account of a social-security card (社会保障卡) and change
its medical-account PIN.

Counter procedure: consent, the ID card, the face check (when it is declined or fails, staff verify the
customer in person), insert the social-security card (the kiosk reads its payment application and its
social-security application), the host confirms it is this customer's card waiting to be activated,
the new medical-account PIN twice, the host activates the financial account and sets the PIN, result,
receipt; the card comes back at the end.

Rules: the card must hold the social-security application and its social-security number must be the
ID card's number (checked on the chip by the kiosk, and by the host against its records: its SS card
number, the holder, not yet activated); every social-security card is issued with the medical-account
PIN 123456, which a Chinese issuing bank has the holder change when the financial account is
activated; the two entries must match, and a weak PIN is refused (123456 itself, six same digits, a run,
the holder's birth date as YYMMDD). The financial account's own PIN is the one the holder set when
applying for the card, and is not touched here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devices.pinpad.api import PinBlock
from devices.printer.api import Receipt
from devices.smartcard.api import SocialSecurityApp
from flows.common import (
    CARDS,
    IDENTITY_PREDICATES,
    NEW_PIN_REFUSALS,
    bank_card,
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
from kiosk.host.api import CardHolderResult, SsCardActivateResult


@dataclass
class SsCardActivation:
    """What this visit gathers: the host's word on the card, the new medical PIN twice, the activation."""

    holder: CardHolderResult = later()
    pin_block: PinBlock = later()
    pin_block_confirm: PinBlock = later()
    activation: SsCardActivateResult = later()


def visit(s: Session) -> SsCardActivation:
    return s.data_as(SsCardActivation)


def social_security(s: Session) -> SocialSecurityApp:
    ss = bank_card(s).social_security
    if ss is None:
        raise LookupError("the card has no social-security application")
    return ss



def require_own_inactive_ss_card(s: Session) -> Fail | None:
    ss, holder = bank_card(s).social_security, visit(s).holder
    if ss is None or not holder.social_security:
        return Fail("flow.ss_card_activate.not_ss_card")
    if ss.ss_number != id_card(s).id_number:
        return Fail("host.refused.card_not_yours")
    if holder.status == "active":
        return Fail("flow.ss_card_activate.already_active")
    return None if holder.status == "inactive" else Fail(f"card.not_usable.{holder.status}")


def activate_request(s: Session) -> dict[str, Any]:
    data = visit(s)
    return {"id_number": id_card(s).id_number, "pan": card_pan(s), "ss_card_no": social_security(s).card_number,
            "pin_block": data.pin_block, "pin_block_confirm": data.pin_block_confirm}


def result_rows(s: Session) -> list[Row]:
    done = visit(s).activation
    return [Row(s.t("row.ss_card_no"), done.ss_card_no_masked), Row(s.t("row.card"), done.pan_masked),
            Row(s.t("row.reference"), done.activation_ref), Row(s.t("row.effective_at"), local_time(done.activated_at))]


def receipt(s: Session) -> Receipt:
    rows = holder_rows(s) + result_rows(s)
    return build_receipt(s, "flow.ss_card_activate.receipt_title", rows, visit(s).activation.activation_ref)


ss_card_activate = Flow(
    id="ss_card_activate", category=CARDS,
    devices=frozenset({"idcard", "camera", "smartcard", "pinpad", "printer"}),
    face_check=True, staff_approval="face check declined or failed", data=SsCardActivation,
    steps=[
        *identify(face=True),
        InsertBankCard("card"),
        HostCall("holder", op="cards.verify_holder", payload=card_holder_request, store="holder",
                 check=require_own_inactive_ss_card),
        *new_pin_twice(),
        HostCall("activate", op="ss_cards.activate", payload=activate_request, store="activation",
                 reference="activation_ref", branches=("new_pin",), refusals=NEW_PIN_REFUSALS),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=receipt),
    ],
    predicates=IDENTITY_PREDICATES,
)
