"""电子银行签约/解约 — sign a card up for mobile banking or SMS payment, or cancel either.

Counter rules: consent; ID card; the bank card and its PIN (the host checks the card is the customer's, not
reported lost, and the PIN: three wrong a day lock it); the host says what the card has signed; choose a
service: one not signed is signed up, one signed is cancelled. Signing up needs the mobile number on file
(预留手机号): the host sends a code to it, never to a number typed here (a number is changed at 客户信息修改),
and the customer types it (three tries); the host also refuses while the ID card on file has expired, as a
Chinese bank opens no non-counter channel on an expired ID. Cancelling asks why, from a list (the bank keeps
the reason). Confirmation; the host signs or cancels (posting); result; receipt; the card comes back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devices.pinpad.api import PinBlock
from devices.printer.api import Receipt
from flows.common import (
    SERVICES,
    bank_card,
    consent_and_id_card,
    holder_rows,
    id_card,
    local_time,
    masked,
    pin_refusals,
)
from kiosk.engine.flow import Flow, Goto, Verdict
from kiosk.engine.screens import Choice, Row
from kiosk.engine.session import Session, later
from kiosk.engine.steps import (
    Choose,
    Confirm,
    EnterPin,
    FieldRule,
    Form,
    HostCall,
    InsertBankCard,
    PrintReceipt,
    Result,
)
from kiosk.engine.steps.receipt import build_receipt
from kiosk.host.api import (
    EbankingChangeResult,
    EbankingStatusResult,
    ReservedMobileCodeResult,
    SmsVerifyResult,
)
from kiosk.host.errors import HostRejected

REASONS = ("no_longer_used", "security", "other_bank", "phone_changed", "other")


@dataclass
class EbankingSignup:
    """What this visit gathers: the PIN block, what the card has signed, the service chosen, the SMS code or the
    reason, the host's answer."""

    pin_block: PinBlock = later()
    status: EbankingStatusResult = later()
    service: str = later()
    sms: ReservedMobileCodeResult = later()
    sms_code: str = later()
    sms_verified: SmsVerifyResult = later()
    code_expired: bool = False  # the code's five minutes ran out before it was checked: a new one is offered
    resend: str = later()
    reason: str = later()
    change: EbankingChangeResult = later()


def visit(s: Session) -> EbankingSignup:
    return s.data_as(EbankingSignup)


def card_request(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number, "pan": bank_card(s).pan, "pin_block": visit(s).pin_block}


def signed(s: Session, service: str) -> bool:
    return next(x.signed for x in visit(s).status.services if x.service == service)


def is_signing(s: Session) -> bool:
    return not signed(s, visit(s).service)


def is_cancelling(s: Session) -> bool:
    return signed(s, visit(s).service)


def is_code_expired(s: Session) -> bool:
    return visit(s).code_expired


def code_expired(s: Session, _refused: HostRejected) -> Verdict:
    """The code's five minutes ran out: say so, and offer a new code to the same reserved number."""
    visit(s).code_expired = True
    return Goto("resend", "sms.expired")


def resend_options(s: Session) -> list[Choice]:
    return [Choice("resend", s.t("flow.ebanking_signup.resend.again"), visit(s).sms.mobile_masked)]


def send_again(s: Session) -> Verdict:
    visit(s).code_expired = False
    return Goto("send_sms")


def service_options(s: Session) -> list[Choice]:
    return [Choice(x.service, s.t(f"flow.ebanking_signup.{'cancel' if x.signed else 'sign'}.{x.service}"),
                   s.t("flow.ebanking_signup.signed" if x.signed else "flow.ebanking_signup.not_signed"))
            for x in visit(s).status.services]


def reason_options(s: Session) -> list[Choice]:
    return [Choice(r, s.t(f"flow.ebanking_signup.reason.{r}")) for r in REASONS]


def sms_request(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number, "pan": bank_card(s).pan, "purpose": "ebanking_sign"}


def verify_request(s: Session) -> dict[str, Any]:
    return {"sms_ref": visit(s).sms.sms_ref, "code": visit(s).sms_code}


def action(s: Session) -> str:
    return "sign" if is_signing(s) else "cancel"


def change_request(s: Session) -> dict[str, Any]:
    signing = is_signing(s)
    return {**card_request(s), "service": visit(s).service, "action": action(s),
            "sms_ref": visit(s).sms.sms_ref if signing else None, "reason": None if signing else visit(s).reason}


def summary(s: Session) -> list[Row]:
    rows = [*holder_rows(s),
            Row(s.t("row.card"), masked("pan", bank_card(s).pan)),
            Row(s.t("row.service"), s.t(f"flow.ebanking_signup.{action(s)}.{visit(s).service}"))]
    if is_signing(s):
        rows.append(Row(s.t("row.mobile"), visit(s).sms.mobile_masked))
    else:
        rows.append(Row(s.t("row.reason"), s.t(f"flow.ebanking_signup.reason.{visit(s).reason}")))
    return rows


def result_rows(s: Session) -> list[Row]:
    done = visit(s).change
    state = "flow.ebanking_signup.signed" if done.signed else "flow.ebanking_signup.not_signed"
    return [Row(s.t("row.service"), s.t(f"flow.ebanking_signup.service.{done.service}")),
            Row(s.t("row.status"), s.t(state)), Row(s.t("row.mobile"), done.mobile_masked),
            Row(s.t("row.reference"), done.change_ref), Row(s.t("row.effective_at"), local_time(done.changed_at))]


def receipt(s: Session) -> Receipt:
    rows = [*summary(s)[:3], *result_rows(s)]
    return build_receipt(s, "flow.ebanking_signup.receipt_title", rows, visit(s).change.change_ref)


ebanking_signup = Flow(
    id="ebanking_signup", category=SERVICES, devices=frozenset({"idcard", "smartcard", "pinpad", "printer"}),
    face_check=False, staff_approval=None, data=EbankingSignup,
    steps=[
        *consent_and_id_card(),
        InsertBankCard("card"),
        EnterPin("pin", pan=lambda s: bank_card(s).pan, store="pin_block"),
        HostCall("status", op="ebanking.status", payload=card_request, store="status", branches=("pin",),
                 refusals=pin_refusals()),
        Choose("service", options=service_options, store="service"),
        HostCall("send_sms", op="sms.send_to_reserved", payload=sms_request, store="sms", when="is_signing"),
        Form("sms_code", fields=[FieldRule("sms_code", "code", 6, 6)], when="is_signing", back=True),
        HostCall("verify_sms", op="sms.verify_code", payload=verify_request, store="sms_verified", when="is_signing",
                 branches=("sms_code", "resend"),
                 refusals={"sms_code_wrong": lambda s, e: Goto("sms_code", "sms.wrong", dict(e.details)),
                           "sms_code_expired": code_expired}),
        Choose("resend", options=resend_options, store="resend", when="is_code_expired", check=send_again,
               branches=("send_sms",)),
        Choose("reason", options=reason_options, store="reason", when="is_cancelling", back=True),
        Confirm("confirm", rows=summary),
        HostCall("change", op="ebanking.change", payload=change_request, store="change", reference="change_ref"),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=receipt),
    ],
    predicates={"is_signing": is_signing, "is_cancelling": is_cancelling, "is_code_expired": is_code_expired},
)
