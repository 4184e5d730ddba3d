"""生活缴费 — pay a water, electricity or gas bill from a bank card.

Counter procedure (a Chinese bank's self-service payment terminal): insert the card; hold the bill's
barcode up to the camera (the kiosk reads it from the camera's frames), or, without the bill at hand,
choose water, electricity or gas and type the customer number (户号); the host finds the bill due on
that number: the company that is paid, the months due (all unpaid months, oldest first: a utility
collects arrears together), the amount, and the name on the account masked, so the customer can see it
is the right household. In elderly mode the anti-fraud reminder comes before the payment; above the
kiosk's payment limit (``[limits] kiosk_payment_limit_fen``) a supervisor approves. The customer confirms
the bill and the card, and enters the PIN; the host posts the payment once under its idempotency key;
result and receipt; the card comes back.

Rules: the amount confirmed is the amount posted: when the company changed the bill since it was looked
up (the meter re-read), the host refuses and the kiosk shows the new amount to confirm again. An unknown
customer number goes back to typing it (or to the camera, for a barcode), a barcode that is no bill the
bank collects for back to the camera; nothing due (paid already) ends the visit saying so. A code the
camera sees but cannot read is said on screen while it keeps looking; a camera that fails leaves typing
the number. Card refusals (lost, expired, unknown), a wrong PIN (back to the PIN, with the tries left),
a locked PIN and too little money end the visit with the reason; nothing is paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devices.pinpad.api import PinBlock
from devices.printer.api import Receipt
from flows.common import PAYMENTS, approval_ref, local_time, masked, yuan
from flows.money_common import bank_card
from kiosk.core.digits import ascii_digits
from kiosk.engine.flow import Fail, Flow, Goto, Verdict
from kiosk.engine.screens import Choice, Row
from kiosk.engine.session import Session, later
from kiosk.engine.steps import (
    Confirm,
    EnterPin,
    FieldRule,
    Form,
    FraudWarning,
    HostCall,
    InsertBankCard,
    PrintReceipt,
    Result,
    ScanCode,
    StaffApproval,
)
from kiosk.engine.steps.receipt import build_receipt
from kiosk.host.api_utility import UtilityBillResult, UtilityPayResult
from kiosk.host.errors import HostRejected

KINDS = ("electricity", "water", "gas")
MAX_PERIODS_SHOWN = 3  # more months due than this are shown as a range


@dataclass
class UtilityPayment:
    """What this visit gathers: the bill's barcode or the kind and customer number typed, the bill, the PIN
    block and the payment."""

    barcode: str = ""  # what the bill's barcode says, when it was read
    kind: str = ""  # water, electricity or gas, when the number is typed instead
    customer_no: str = ""
    bill: UtilityBillResult = later()
    pin_block: PinBlock = later()
    paid: UtilityPayResult = later()


def visit(s: Session) -> UtilityPayment:
    return s.data_as(UtilityPayment)


def is_typed(s: Session) -> bool:
    return bool(visit(s).kind)


def kind_options(s: Session) -> list[Choice]:
    return [Choice(kind, s.t(f"flow.utility_payment.type.{kind}")) for kind in KINDS]


def check_customer_no(value: str) -> str | None:
    return None if ascii_digits(value) else "field.customer_no.invalid"


def bill_request(s: Session) -> dict[str, Any]:
    v = visit(s)
    return {"kind": v.kind, "customer_no": v.customer_no} if is_typed(s) else {"barcode": v.barcode}


def not_found(s: Session, error: HostRejected) -> Verdict:
    """An unknown customer number: type it again, or (a barcode) hold up another bill."""
    key = f"flow.utility_payment.{error.code}"
    return Goto("customer_no", key) if is_typed(s) else Goto("scan", key)


def amount_fen(s: Session) -> int:
    return visit(s).bill.amount_fen


def over_kiosk_limit(s: Session) -> bool:
    return amount_fen(s) > s.services.settings.limits.kiosk_payment_limit_fen


def in_elderly_mode(s: Session) -> bool:
    return s.elderly


def periods(s: Session, months: list[str]) -> str:
    if len(months) <= MAX_PERIODS_SHOWN:
        return ("、" if s.lang == "zh_CN" else ", ").join(months)
    return s.t("flow.utility_payment.month_range", first=months[0], last=months[-1], count=len(months))


def bill_rows(s: Session) -> list[Row]:
    bill = visit(s).bill
    return [Row(s.t("row.payee"), bill.company_name),
            Row(s.t("row.item"), s.t(f"flow.utility_payment.kind.{bill.kind}")),
            Row(s.t("flow.utility_payment.row.customer_no"), bill.customer_no),
            Row(s.t("flow.utility_payment.row.holder"), bill.holder_masked),
            Row(s.t("row.period"), periods(s, bill.periods))]


def summary(s: Session) -> list[Row]:
    return [*bill_rows(s), Row(s.t("row.amount"), yuan(s, amount_fen(s))),
            Row(s.t("row.card"), masked("pan", bank_card(s).pan))]


def pay_request(s: Session) -> dict[str, Any]:
    bill = visit(s).bill
    return {"company_code": bill.company_code, "customer_no": bill.customer_no, "periods": bill.periods,
            "amount_fen": bill.amount_fen, "pan": bank_card(s).pan, "pin_block": visit(s).pin_block,
            "approval_ref": approval_ref(s, "limit_approval")}


def bill_changed(s: Session, error: HostRejected) -> Verdict:
    """The company changed the bill since it was looked up: the new amount, to confirm again."""
    v = visit(s)
    amount, periods = error.detail_int("amount_fen", -1), error.details.get("periods")
    if amount < 0 or not isinstance(periods, list) or not all(isinstance(p, str) for p in periods):
        return Fail("host.refused", params={"code": error.code})  # the new bill is not readable: start again
    v.bill = v.bill.model_copy(update={"amount_fen": amount, "periods": periods})
    return Goto("confirm", "flow.utility_payment.amount_changed", {"amount": yuan(s, v.bill.amount_fen)})


def wrong_pin(s: Session, error: HostRejected) -> Verdict:
    return Goto("pin", "pin.wrong", {"tries_left": error.details.get("tries_left", 0)})


def ends_with(message: str) -> Any:
    return lambda s, e: Fail(message)


def result_rows(s: Session) -> list[Row]:
    paid = visit(s).paid
    return [Row(s.t("row.payment_ref"), paid.payment_ref), Row(s.t("row.payee"), paid.company_name),
            Row(s.t("flow.utility_payment.row.customer_no"), paid.customer_no),
            Row(s.t("row.period"), periods(s, paid.periods)), Row(s.t("row.amount"), yuan(s, paid.amount_fen)),
            Row(s.t("row.account"), paid.account_masked), Row(s.t("row.paid_at"), local_time(paid.paid_at))]


def receipt(s: Session) -> Receipt:
    paid = visit(s).paid
    rows = [*result_rows(s), Row(s.t("flow.utility_payment.row.holder"), paid.holder_masked),
            Row(s.t("row.item"), s.t(f"flow.utility_payment.kind.{visit(s).bill.kind}"))]
    return build_receipt(s, "flow.utility_payment.receipt_title", rows, paid.payment_ref)


utility_payment = Flow(
    id="utility_payment", category=PAYMENTS, devices=frozenset({"smartcard", "pinpad", "printer"}),
    staff_approval="amount above the kiosk's limit", data=UtilityPayment,
    steps=[
        InsertBankCard("card"),
        ScanCode("scan", store="barcode", instead=kind_options, instead_store="kind", instead_step="customer_no"),
        Form("customer_no", when="is_typed", back=True,
             fields=[FieldRule("customer_no", min_length=6, max_length=20, check=check_customer_no)]),
        HostCall("bill", op="utility.bill", payload=bill_request, store="bill", branches=("scan", "customer_no"),
                 refusals={"account_unknown": not_found, "barcode_unknown": not_found,
                           "no_bill_due": ends_with("flow.utility_payment.no_bill_due")}),
        StaffApproval("limit_approval", rule="over_limit", reason="approval.reason.over_limit",
                      when="over_kiosk_limit"),
        FraudWarning("fraud_warning", when="in_elderly_mode"),
        Confirm("confirm", rows=summary, back=False),
        EnterPin("pin", pan=lambda s: bank_card(s).pan, store="pin_block"),
        HostCall("pay", op="utility.pay", payload=pay_request, store="paid", amount=amount_fen,
                 reference="payment_ref", branches=("pin", "confirm"), refusals={
                     "pin_wrong": wrong_pin, "pin_locked": ends_with("pin.locked"),
                     "amount_changed": bill_changed, "card_expired": ends_with("flow.utility_payment.card_expired"),
                     "no_bill_due": ends_with("flow.utility_payment.no_bill_due")}),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=receipt),
    ],
    predicates={"is_typed": is_typed, "over_kiosk_limit": over_kiosk_limit, "in_elderly_mode": in_elderly_mode},
)
