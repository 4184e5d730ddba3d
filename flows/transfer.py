"""转账汇款 — transfer from a bank card to an account at this bank or another bank.

Counter procedure: consent, ID card, the bank card (it must be the customer's own), the host lists the
card's past payees and the banks it can send to; a past payee, or a new one: bank, account (or card)
number and the holder's name, which must match the account at the host (this bank's books, or the
interbank directory for another bank); the amount in whole yuan and the purpose (a Chinese counter asks
it for every remittance); the host checks the payee and gives the fee and what the card sent today.
Rules: the per-transaction and daily limits are `[limits] transfer_per_transaction_fen` and
`transfer_daily_fen` (the host checks the day's total again when it posts); above the kiosk's limit
(`kiosk_payment_limit_fen`) a supervisor approves; the fraud warning pauses before Continue in elderly
mode and always for a first transfer to a payee the card never paid (the host knows past payees), longer
in elderly mode; the amount and fee shown before confirm are what is posted (the host refuses another
fee); PIN; the host posts once under its idempotency key; result and receipt; the card comes back.
A transfer within the bank is free; to another bank the kiosk's schedule applies (kiosk.core.rates).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devices.pinpad.api import PinBlock
from devices.printer.api import Receipt
from flows.common import (
    IDENTITY_PREDICATES,
    PAYMENTS,
    approval_ref,
    id_card,
    identify,
    local_time,
    masked,
    pin_refusals,
    yuan,
)
from flows.money_common import MAX_YUAN_DIGITS, bank_card, check_yuan, yuan_to_fen
from kiosk.engine.flow import Fail, Flow, Goto, Verdict
from kiosk.engine.screens import Choice, Row
from kiosk.engine.session import Session, later
from kiosk.engine.steps import (
    Choose,
    Confirm,
    EnterPin,
    FieldRule,
    Form,
    FraudWarning,
    HostCall,
    InsertBankCard,
    PrintReceipt,
    Result,
    StaffApproval,
)
from kiosk.engine.steps.receipt import build_receipt
from kiosk.host.api import TransferCheckResult, TransferPayeesResult, TransferSendResult
from kiosk.host.errors import HostRejected

NEW_PAYEE = "new"
PURPOSES = ("living", "family", "goods", "loan_repay", "other")


@dataclass
class Transfer:
    """What this visit gathers: past payees and banks, the payee, amount, purpose, the host's check, the PIN
    block and the transfer."""

    payees: TransferPayeesResult = later()
    payee_choice: str = later()  # a past payee's reference, or "new"
    bank_code: str | None = None
    payee_account: str | None = None
    payee_name: str | None = None
    amount_yuan: str = later()
    purpose: str = later()
    checked: TransferCheckResult = later()
    pin_block: PinBlock = later()
    sent: TransferSendResult = later()


def visit(s: Session) -> Transfer:
    return s.data_as(Transfer)


def is_new_payee(s: Session) -> bool:
    return visit(s).payee_choice == NEW_PAYEE


def amount_fen(s: Session) -> int:
    return yuan_to_fen(visit(s).amount_yuan)


def payees_request(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number, "pan": bank_card(s).pan}


def payee_options(s: Session) -> list[Choice]:
    options = [Choice(p.payee_ref, f"{p.name_masked} {p.account_masked}", p.bank_name)
               for p in visit(s).payees.payees]
    return [*options, Choice(NEW_PAYEE, s.t("flow.transfer.new_payee"), s.t("flow.transfer.new_payee.detail"))]


def bank_options(s: Session) -> list[Choice]:
    return [Choice(b.code, b.name, s.t("flow.transfer.this_bank") if b.this_bank else "")
            for b in visit(s).payees.banks]


def purpose_options(s: Session) -> list[Choice]:
    return [Choice(p, s.t(f"flow.transfer.purpose.{p}")) for p in PURPOSES]


def payee(s: Session) -> dict[str, Any]:
    v = visit(s)
    if is_new_payee(s):
        return {"bank_code": v.bank_code, "account_no": v.payee_account, "name": v.payee_name}
    return {"payee_ref": v.payee_choice}


def check_request(s: Session) -> dict[str, Any]:
    return {"pan": bank_card(s).pan, "payee": payee(s), "amount_fen": amount_fen(s)}


def within_limits(s: Session) -> Verdict | None:
    """The kiosk's per-transaction and daily limits, on the amount typed and what the card sent today."""
    limits = s.services.settings.limits
    if amount_fen(s) > limits.transfer_per_transaction_fen:
        return Goto("amount", "flow.transfer.over_per_transaction",
                    {"limit": yuan(s, limits.transfer_per_transaction_fen)})
    left = max(limits.transfer_daily_fen - visit(s).checked.sent_today_fen, 0)
    if amount_fen(s) > left:
        return Goto("amount", "flow.transfer.over_daily", {"left": yuan(s, left)})
    return None


def payee_refused(s: Session, error: HostRejected) -> Verdict:
    if is_new_payee(s):
        return Goto("payee_account", f"host.refused.{error.code}")
    return Fail(f"host.refused.{error.code}")


def over_kiosk_limit(s: Session) -> bool:
    return amount_fen(s) > s.services.settings.limits.kiosk_payment_limit_fen


def first_to_payee(s: Session) -> bool:
    return visit(s).checked.new_payee


def debited_fen(s: Session) -> int:
    return amount_fen(s) + visit(s).checked.fee_fen


def send_request(s: Session) -> dict[str, Any]:
    return {"pan": bank_card(s).pan, "pin_block": visit(s).pin_block, "payee": payee(s),
            "amount_fen": amount_fen(s), "fee_fen": visit(s).checked.fee_fen, "purpose": visit(s).purpose,
            "daily_limit_fen": s.services.settings.limits.transfer_daily_fen,
            "approval_ref": approval_ref(s, "limit_approval")}


def payee_rows(s: Session) -> list[Row]:
    c = visit(s).checked
    return [Row(s.t("row.payee"), c.name_masked), Row(s.t("row.payee_account"), c.account_masked),
            Row(s.t("row.payee_bank"), c.bank_name)]


def summary(s: Session) -> list[Row]:
    c = visit(s).checked
    return [*payee_rows(s), Row(s.t("row.amount"), yuan(s, amount_fen(s))), Row(s.t("row.fee"), yuan(s, c.fee_fen)),
            Row(s.t("row.debit_total"), yuan(s, debited_fen(s))),
            Row(s.t("row.purpose"), s.t(f"flow.transfer.purpose.{visit(s).purpose}")),
            Row(s.t("row.card"), masked("pan", bank_card(s).pan))]


def result_rows(s: Session) -> list[Row]:
    sent = visit(s).sent
    return [Row(s.t("row.payment_ref"), sent.transfer_ref), Row(s.t("row.payee"), sent.payee_name_masked),
            Row(s.t("row.amount"), yuan(s, sent.amount_fen)), Row(s.t("row.fee"), yuan(s, sent.fee_fen)),
            Row(s.t("row.account"), sent.account_masked), Row(s.t("row.paid_at"), local_time(sent.sent_at))]


def receipt(s: Session) -> Receipt:
    sent = visit(s).sent
    rows = [*result_rows(s), Row(s.t("row.payee_account"), sent.payee_account_masked),
            Row(s.t("row.payee_bank"), sent.bank_name), Row(s.t("row.debit_total"), yuan(s, sent.debited_fen))]
    return build_receipt(s, "flow.transfer.receipt_title", rows, sent.transfer_ref)


_PAYEE_REFUSALS = {code: payee_refused for code in ("payee_not_found", "payee_name_mismatch", "same_account")}

transfer = Flow(
    id="transfer", category=PAYMENTS, devices=frozenset({"idcard", "smartcard", "pinpad", "printer"}),
    face_check=False, staff_approval="amount above the kiosk's limit", data=Transfer,
    steps=[
        *identify(face=False),
        InsertBankCard("card"),
        HostCall("payees", op="transfer.payees", payload=payees_request, store="payees"),
        Choose("payee", options=payee_options, store="payee_choice"),
        Choose("bank", options=bank_options, store="bank_code", when="is_new_payee", back=True),
        Form("payee_account", when="is_new_payee", back=True, fields=[
            FieldRule("payee_account", min_length=8, max_length=19),
            FieldRule("payee_name", input="text", max_length=32)]),
        Form("amount", back=True, fields=[FieldRule("amount_yuan", input="amount", max_length=MAX_YUAN_DIGITS,
                                                    check=check_yuan)]),
        Choose("purpose", options=purpose_options, store="purpose", back=True),
        HostCall("check", op="transfer.check", payload=check_request, store="checked", check=within_limits,
                 branches=("payee_account", "amount"), refusals=_PAYEE_REFUSALS),
        StaffApproval("limit_approval", rule="over_limit", reason="approval.reason.over_limit",
                      when="over_kiosk_limit"),
        FraudWarning("fraud_warning", pause=first_to_payee),
        Confirm("confirm", rows=summary),
        EnterPin("pin", pan=lambda s: bank_card(s).pan, store="pin_block"),
        HostCall("remit", op="transfer.send", payload=send_request, store="sent", amount=debited_fen,
                 reference="transfer_ref", branches=("pin",), refusals={
                     **pin_refusals()}),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=receipt),
    ],
    predicates={**IDENTITY_PREDICATES, "is_new_payee": is_new_payee, "over_kiosk_limit": over_kiosk_limit},
)
