"""个人开户并领卡 — open a personal account and take an instant debit card.

Counter procedure: consent, ID card (valid, correct check digit), under 16 with a guardian's ID
card and staff approval, face or staff, mobile number with an SMS code, the account agreement,
a new card from the hopper, the PIN set twice, confirmation, the host opens the account, the card
comes out at the gate (retained when not taken), result, receipt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devices.dispenser.api import StockCard
from devices.pinpad.api import PinBlock
from devices.printer.api import Receipt
from flows.common import (
    ACCOUNTS,
    IDENTITY_PREDICATES,
    approval_ref,
    check_mobile,
    consent_and_id_card,
    face_or_staff,
    id_card,
    masked,
)
from kiosk.engine.flow import Fail, Flow, Goto
from kiosk.engine.screens import Row
from kiosk.engine.session import Session, later
from kiosk.engine.steps import (
    Agreement,
    Confirm,
    DeliverCard,
    EnterPin,
    FieldRule,
    Form,
    HostCall,
    Info,
    PickCard,
    PrintReceipt,
    ReadIdCard,
    Result,
    StaffApproval,
)
from kiosk.engine.steps.cards import card_fate_rows
from kiosk.engine.steps.receipt import build_receipt
from kiosk.host.api import (
    AccountOpenResult,
    CustomerLookupResult,
    PinCheckNewResult,
    SmsSendResult,
    SmsVerifyResult,
)


@dataclass
class AccountOpening:
    """What this visit gathers: the host's answers, the mobile number and SMS code, the two PIN blocks."""

    customer: CustomerLookupResult = later()
    mobile: str = later()
    sms: SmsSendResult = later()
    sms_code: str = later()
    sms_verified: SmsVerifyResult = later()
    pin_block: PinBlock = later()
    pin_block_confirm: PinBlock = later()
    pin_checked: PinCheckNewResult = later()
    account: AccountOpenResult = later()


def visit(s: Session) -> AccountOpening:
    return s.data_as(AccountOpening)


def is_minor(s: Session) -> bool:
    age = s.slots.age
    if age is None:
        raise LookupError("no ID card read yet in this session")
    return age < s.services.settings.limits.minor_age


def new_card(s: Session) -> StockCard:
    card = s.slots.picked_card
    if card is None:
        raise LookupError("no card picked from the hopper yet in this session")
    return card


def new_card_pan(s: Session) -> str:
    return new_card(s).pan


def lookup_request(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number}


def refuse_existing_customer(s: Session) -> Fail | None:
    return Fail("account.class1_exists") if visit(s).customer.has_class1_account else None


def sms_request(s: Session) -> dict[str, Any]:
    return {"mobile": visit(s).mobile, "purpose": "account_opening"}


def verify_request(s: Session) -> dict[str, Any]:
    return {"sms_ref": visit(s).sms.sms_ref, "code": visit(s).sms_code}


def pin_check_request(s: Session) -> dict[str, Any]:
    return {"pan": new_card_pan(s), "pin_block": visit(s).pin_block, "pin_block_confirm": visit(s).pin_block_confirm}


def open_request(s: Session) -> dict[str, Any]:
    card = id_card(s)
    guardian = s.slots.guardian
    return {
        "id_number": card.id_number, "name": card.name, "sex": card.sex, "nation": card.nation,
        "birth_date": card.birth_date.isoformat(), "address": card.address,
        "id_valid_to": card.valid_to.isoformat() if card.valid_to else "长期",
        "mobile": visit(s).mobile, "sms_ref": visit(s).sms.sms_ref, "card_pan": new_card_pan(s),
        "pin_block": visit(s).pin_block,
        "guardian_id_number": guardian.id_number if guardian else None,
        "approval_ref": approval_ref(s, "minor_approval"),
    }


def summary(s: Session) -> list[Row]:
    card = id_card(s)
    rows = [
        Row(s.t("row.name"), masked("name", card.name)),
        Row(s.t("row.id_number"), masked("id", card.id_number)),
        Row(s.t("row.mobile"), masked("phone", visit(s).mobile)),
        Row(s.t("row.product"), s.t("flow.account_opening.product")),
        Row(s.t("row.new_card"), masked("pan", new_card_pan(s))),
    ]
    if s.slots.guardian:
        rows.append(Row(s.t("row.guardian"), masked("name", s.slots.guardian.name)))
    return rows


def result_rows(s: Session) -> list[Row]:
    account = visit(s).account
    rows = [Row(s.t("row.account_no"), masked("pan", account.account_no)),
            Row(s.t("row.new_card"), account.card_pan_masked)]
    return [*rows, *card_fate_rows(s)]  # not taken, or not dispensed: kept for staff to hand over


def receipt(s: Session) -> Receipt:
    rows = summary(s)[:3] + result_rows(s)
    return build_receipt(s, "flow.account_opening.receipt_title", rows, visit(s).account.customer_id)


account_opening = Flow(
    id="account_opening", category=ACCOUNTS, popularity=3, data=AccountOpening,
    devices=frozenset({"idcard", "camera", "dispenser", "pinpad", "printer"}),
    face_check=True, staff_approval="applicant under 16 (with a guardian); face check declined or failed",
    steps=[
        *consent_and_id_card(),
        Info("minor_notice", when="is_minor"),
        ReadIdCard("guardian_id", role="guardian", when="is_minor"),
        *face_or_staff(),
        HostCall("lookup", op="customers.lookup", payload=lookup_request, store="customer",
                 check=refuse_existing_customer),
        Form("mobile", fields=[FieldRule("mobile", "phone", 11, 11, check=check_mobile)]),
        HostCall("send_sms", op="sms.send_code", payload=sms_request, store="sms"),
        Form("sms_code", fields=[FieldRule("sms_code", "code", 6, 6)], back=True),
        HostCall("verify_sms", op="sms.verify_code", payload=verify_request, store="sms_verified",
                 branches=("sms_code", "mobile"),
                 refusals={"sms_code_wrong": lambda s, e: Goto("sms_code", "sms.wrong", dict(e.details)),
                           "sms_code_expired": lambda s, e: Goto("mobile", "sms.expired")}),
        Agreement("agreement", document="doc.account_agreement"),
        StaffApproval("minor_approval", rule="minor", reason="approval.reason.minor", when="is_minor"),
        PickCard("pick_card"),
        EnterPin("new_pin", pan=new_card_pan, store="pin_block", text="pin_new"),
        EnterPin("confirm_pin", pan=new_card_pan, store="pin_block_confirm", text="pin_confirm"),
        HostCall("check_pin", op="pins.check_new", payload=pin_check_request, store="pin_checked",
                 branches=("new_pin",),
                 refusals={"pin_mismatch": lambda s, e: Goto("new_pin", "pin.mismatch"),
                           "pin_too_simple": lambda s, e: Goto("new_pin", "pin.too_simple")}),
        Confirm("confirm", rows=summary),
        HostCall("open_account", op="accounts.open", payload=open_request, store="account", reference="account_no"),
        DeliverCard("deliver_card"),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=receipt),
    ],
    predicates={**IDENTITY_PREDICATES, "is_minor": is_minor},
)
