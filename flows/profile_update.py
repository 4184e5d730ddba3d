"""客户信息修改 — change what the bank keeps of a customer: mobile number, address, occupation, ID validity.

Counter rules: consent; ID card (valid, right check digit); face against the chip photo, or staff verify the
customer in person; the host finds the customer (not a customer: nothing to change) and what it keeps; choose
one item:
- mobile number (预留手机号): a new 11-digit number, not the one on file, proven by an SMS code sent to it
  (three tries);
- address: typed in Chinese on the on-screen pinyin keyboard (5 to 60 characters, with Chinese in it);
- occupation: from the national occupation groups banks record for customer due diligence (GB/T 6565);
- ID validity: taken from the ID card just read, never typed; the host takes it only when it is later than
  the one on file (a renewed card), as a counter copies it from the new card.
Confirmation shows the value on file and the new one; the host changes it (posting); result; receipt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from devices.printer.api import Receipt
from flows.common import (
    IDENTITY_PREDICATES,
    SERVICES,
    check_mobile,
    holder_rows,
    id_card,
    identify,
    local_time,
    masked,
)
from kiosk.engine.flow import Fail, Flow, Goto
from kiosk.engine.screens import Choice, Row
from kiosk.engine.session import Session, later
from kiosk.engine.steps import Choose, Confirm, FieldRule, Form, HostCall, PrintReceipt, Result
from kiosk.engine.steps.receipt import build_receipt
from kiosk.host.api import CustomerProfileResult, ProfileUpdateResult, SmsSendResult, SmsVerifyResult

ITEMS = ("mobile", "address", "occupation", "id_validity")
OCCUPATIONS = ("manager", "professional", "clerk", "commerce_service", "agriculture", "production", "military",
               "student", "retired", "unemployed", "other")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class ProfileUpdate:
    """What this visit gathers: what the bank keeps, the item chosen, its new value, the host's answer."""

    profile: CustomerProfileResult = later()
    item: str = later()
    mobile: str = later()
    sms: SmsSendResult = later()
    sms_code: str = later()
    sms_verified: SmsVerifyResult = later()
    address: str = later()
    occupation: str = later()
    update: ProfileUpdateResult = later()


def visit(s: Session) -> ProfileUpdate:
    return s.data_as(ProfileUpdate)


def profile_request(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number}


def require_customer(s: Session) -> Fail | None:
    return None if visit(s).profile.known else Fail("flow.profile_update.not_customer")


def card_valid_to(s: Session) -> str:
    valid_to = id_card(s).valid_to
    return valid_to.isoformat() if valid_to else "长期"


def on_file(s: Session, item: str) -> str:
    profile = visit(s).profile
    value: Any = {"mobile": profile.mobile_masked, "address": profile.address, "occupation": profile.occupation,
                  "id_validity": profile.id_valid_to}[item]
    if value is None:
        return s.t("flow.profile_update.none_on_file")
    if item == "occupation":
        return s.t(f"occupation.{value}")
    return str(value.isoformat() if hasattr(value, "isoformat") else value)


def new_value(s: Session) -> str:
    item = visit(s).item
    if item == "mobile":
        return masked("phone", visit(s).mobile)
    if item == "occupation":
        return s.t(f"occupation.{visit(s).occupation}")
    return visit(s).address if item == "address" else card_valid_to(s)


def item_options(s: Session) -> list[Choice]:
    return [Choice(item, s.t(f"flow.profile_update.item.{item}"), on_file(s, item)) for item in ITEMS]


def occupation_options(s: Session) -> list[Choice]:
    return [Choice(o, s.t(f"occupation.{o}")) for o in OCCUPATIONS]


def is_item(item: str) -> Any:
    return lambda s: visit(s).item == item


def check_address(value: str) -> str | None:
    return None if len(CHINESE.findall(value)) >= 2 else "field.address.invalid"


def sms_request(s: Session) -> dict[str, Any]:
    return {"mobile": visit(s).mobile, "purpose": "profile_mobile"}


def verify_request(s: Session) -> dict[str, Any]:
    return {"sms_ref": visit(s).sms.sms_ref, "code": visit(s).sms_code}


def update_request(s: Session) -> dict[str, Any]:
    item, data = visit(s).item, visit(s)
    return {"id_number": id_card(s).id_number, "item": item,
            "mobile": data.mobile if item == "mobile" else None,
            "sms_ref": data.sms.sms_ref if item == "mobile" else None,
            "address": data.address if item == "address" else None,
            "occupation": data.occupation if item == "occupation" else None,
            "id_valid_to": card_valid_to(s) if item == "id_validity" else None}


def summary(s: Session) -> list[Row]:
    item = visit(s).item
    return [*holder_rows(s),
            Row(s.t("row.profile_item"), s.t(f"flow.profile_update.item.{item}")),
            Row(s.t("row.on_file"), on_file(s, item)), Row(s.t("row.new_value"), new_value(s))]


def result_rows(s: Session) -> list[Row]:
    done = visit(s).update
    return [Row(s.t("row.profile_item"), s.t(f"flow.profile_update.item.{done.item}")),
            Row(s.t("row.new_value"), new_value(s)), Row(s.t("row.reference"), done.update_ref),
            Row(s.t("row.effective_at"), local_time(done.updated_at))]


def receipt(s: Session) -> Receipt:
    return build_receipt(s, "flow.profile_update.receipt_title", [*holder_rows(s), *result_rows(s)],
                         visit(s).update.update_ref)



profile_update = Flow(
    id="profile_update", category=SERVICES, devices=frozenset({"idcard", "camera", "printer"}),
    face_check=True, staff_approval="face check declined or failed", data=ProfileUpdate,
    steps=[
        *identify(face=True),
        HostCall("profile", op="customers.profile", payload=profile_request, store="profile", check=require_customer),
        Choose("item", options=item_options, store="item"),
        Form("mobile", fields=[FieldRule("mobile", "phone", 11, 11, check=check_mobile)], when="is_mobile",
             back=True),
        HostCall("send_sms", op="sms.send_code", payload=sms_request, store="sms", when="is_mobile"),
        Form("sms_code", fields=[FieldRule("sms_code", "code", 6, 6)], when="is_mobile", back=True),
        HostCall("verify_sms", op="sms.verify_code", payload=verify_request, store="sms_verified", when="is_mobile",
                 branches=("sms_code", "mobile"),
                 refusals={"sms_code_wrong": lambda s, e: Goto("sms_code", "sms.wrong", dict(e.details)),
                           "sms_code_expired": lambda s, e: Goto("mobile", "sms.expired")}),
        Form("address", fields=[FieldRule("address", "text", 5, 60, check=check_address)], when="is_address",
             back=True),
        Choose("occupation", options=occupation_options, store="occupation", when="is_occupation", back=True),
        Confirm("confirm", rows=summary),
        HostCall("update", op="customers.update_profile", payload=update_request, store="update",
                 reference="update_ref"),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=receipt),
    ],
    predicates={**IDENTITY_PREDICATES, "is_mobile": is_item("mobile"), "is_address": is_item("address"),
                "is_occupation": is_item("occupation")},
)
