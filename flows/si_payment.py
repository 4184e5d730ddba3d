"""社保缴费 — pay social-insurance contributions from a bank card.

Counter procedure: consent, ID card, the host lists what is payable (type, period, amount), choose
an item or all, insert the bank card, staff approval above the kiosk's limit, the fraud warning,
confirmation, PIN, the host posts once (a wrong PIN returns to PIN entry), result, receipt; the
card comes back at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devices.pinpad.api import PinBlock
from devices.printer.api import Receipt
from devices.smartcard.api import BankCard
from flows.common import (
    IDENTITY_PREDICATES,
    PAYMENTS,
    holder_rows,
    id_card,
    identify,
    local_time,
    masked,
    pin_refusals,
    yuan,
)
from kiosk.engine.flow import Fail, Flow
from kiosk.engine.screens import Choice, Row
from kiosk.engine.session import Session, later
from kiosk.engine.steps import (
    Choose,
    Confirm,
    EnterPin,
    FraudWarning,
    HostCall,
    InsertBankCard,
    PrintReceipt,
    Result,
    StaffApproval,
)
from kiosk.engine.steps.receipt import build_receipt
from kiosk.host.api import SiBill, SiBillsResult, SiPayResult


@dataclass
class SiPayment:
    """What this visit gathers: what is payable, what the customer chose, the PIN block, the payment."""

    bills: SiBillsResult = later()
    bill_choice: str = later()  # a bill id, or "all"
    pin_block: PinBlock = later()
    payment: SiPayResult = later()


def visit(s: Session) -> SiPayment:
    return s.data_as(SiPayment)


def bills_request(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number}


def require_bills(s: Session) -> Fail | None:
    return None if visit(s).bills.items else Fail("flow.si_payment.nothing_due")


def bill_options(s: Session) -> list[Choice]:
    items = visit(s).bills.items
    options = [Choice(b.bill_id, f"{b.type} {b.period}", yuan(s, b.amount_fen)) for b in items]
    if len(items) > 1:
        options.append(Choice("all", s.t("flow.si_payment.all"), yuan(s, sum(b.amount_fen for b in items))))
    return options


def chosen_bills(s: Session) -> list[SiBill]:
    items = visit(s).bills.items
    choice = visit(s).bill_choice
    return items if choice == "all" else [b for b in items if b.bill_id == choice]


def amount_fen(s: Session) -> int:
    return sum(b.amount_fen for b in chosen_bills(s))


def over_limit(s: Session) -> bool:
    return amount_fen(s) > s.services.settings.limits.kiosk_payment_limit_fen


def bank_card(s: Session) -> BankCard:
    card = s.slots.bank_card
    if card is None:
        raise LookupError("no bank card read yet in this session")
    return card


def pay_request(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number, "bill_ids": [b.bill_id for b in chosen_bills(s)],
            "amount_fen": amount_fen(s), "pan": bank_card(s).pan, "pin_block": visit(s).pin_block}


def summary(s: Session) -> list[Row]:
    rows = holder_rows(s)
    rows += [Row(s.t("row.item"), f"{b.type} {b.period} {yuan(s, b.amount_fen)}") for b in chosen_bills(s)]
    rows += [Row(s.t("row.amount"), yuan(s, amount_fen(s))), Row(s.t("row.card"), masked("pan", bank_card(s).pan))]
    return rows


def result_rows(s: Session) -> list[Row]:
    paid = visit(s).payment
    return [Row(s.t("row.payment_ref"), paid.payment_ref), Row(s.t("row.amount"), yuan(s, paid.debited_fen)),
            Row(s.t("row.account"), paid.account_masked), Row(s.t("row.paid_at"), local_time(paid.paid_at))]


def receipt(s: Session) -> Receipt:
    items = [row for row in summary(s) if row.label == s.t("row.item")]
    card = Row(s.t("row.card"), masked("pan", bank_card(s).pan))
    return build_receipt(s, "flow.si_payment.receipt_title", [*items, card, *result_rows(s)],
                         visit(s).payment.payment_ref)


si_payment = Flow(
    id="si_payment", category=PAYMENTS, popularity=1, devices=frozenset({"idcard", "smartcard", "pinpad", "printer"}),
    face_check=False, staff_approval="amount above the kiosk's limit", data=SiPayment,
    steps=[
        *identify(face=False),
        HostCall("bills", op="si.bills", payload=bills_request, store="bills", check=require_bills),
        Choose("bill", options=bill_options, store="bill_choice"),
        InsertBankCard("card"),
        StaffApproval("limit_approval", rule="over_limit", reason="approval.reason.over_limit", when="over_limit"),
        FraudWarning("fraud_warning"),
        Confirm("confirm", rows=summary),
        EnterPin("pin", pan=lambda s: bank_card(s).pan, store="pin_block"),
        HostCall("pay", op="si.pay", payload=pay_request, store="payment", amount=amount_fen,
                 reference="payment_ref", branches=("pin",),
                 refusals=pin_refusals()),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=receipt),
    ],
    predicates={**IDENTITY_PREDICATES, "over_limit": over_limit},
)
