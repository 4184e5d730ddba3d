"""销户 — close a personal account and hand in its card.

Counter rules: consent, ID card, face or staff; the account's card in the reader. The host checks the card
is the customer's and the account can be closed: no card of it under a loss report, no loan repaid from it,
no deposit certificate (存单) held under it. The balance must be zero, or the customer moves it to
another of their own open accounts at this bank, chosen from the host's list — the kiosk never pays out
cash (with no other own account, the balance is taken at the counter first). A supervisor approves every
closing (counter practice: 销户 is authorised by a supervisor). Confirmation (the balance shown is the
balance posted, in fen), the PIN on the PIN pad (a wrong PIN returns to PIN entry; the third of the day
locks it), the host closes the account (posting); the card is then kept in the reader's retain bin
(journaled masked), never returned; result with the closing reference; receipt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devices.pinpad.api import PinBlock
from devices.printer.api import Receipt
from devices.smartcard.api import BankCard
from flows.common import (
    ACCOUNTS,
    IDENTITY_PREDICATES,
    approval_ref,
    holder_rows,
    id_card,
    identify,
    local_time,
    pin_refusals,
    yuan,
)
from kiosk.core.masking import mask_pan
from kiosk.engine.flow import Fail, Flow
from kiosk.engine.screens import Choice, Row
from kiosk.engine.session import Session, later
from kiosk.engine.steps import (
    Choose,
    Confirm,
    EnterPin,
    HostCall,
    InsertBankCard,
    PrintReceipt,
    Result,
    RetainBankCard,
    StaffApproval,
)
from kiosk.engine.steps.receipt import build_receipt
from kiosk.host.api import AccountCloseCheckResult, AccountCloseResult


@dataclass
class AccountClosing:
    """What this visit gathers: the account and where its balance may go, the choice, the PIN, the closing."""

    account: AccountCloseCheckResult = later()
    transfer_to: str | None = None  # an account_ref of the host's list; None when the balance is zero
    pin_block: PinBlock = later()
    closed: AccountCloseResult = later()


def visit(s: Session) -> AccountClosing:
    return s.data_as(AccountClosing)


def bank_card(s: Session) -> BankCard:
    card = s.slots.bank_card
    if card is None:
        raise LookupError("no bank card read yet in this session")
    return card


def check_request(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number, "pan": bank_card(s).pan}


def has_balance(s: Session) -> bool:
    return visit(s).account.balance_fen > 0


def require_somewhere_for_balance(s: Session) -> Fail | None:
    if has_balance(s) and not visit(s).account.targets:
        return Fail("flow.account_close.no_other_account", params={"amount": yuan(s, visit(s).account.balance_fen)})
    return None


def target_options(s: Session) -> list[Choice]:
    return [Choice(t.account_ref, t.account_masked, s.t("flow.account_close.transfer_to.detail"))
            for t in visit(s).account.targets]


def target_masked(s: Session) -> str:
    return next(t.account_masked for t in visit(s).account.targets if t.account_ref == visit(s).transfer_to)


def close_request(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number, "pan": bank_card(s).pan, "pin_block": visit(s).pin_block,
            "balance_fen": visit(s).account.balance_fen, "transfer_to": visit(s).transfer_to,
            "approval_ref": approval_ref(s, "close_approval")}


def summary(s: Session) -> list[Row]:
    account = visit(s).account
    rows = [*holder_rows(s),
            Row(s.t("row.closed_account"), account.account_masked),
            Row(s.t("row.card"), mask_pan(bank_card(s).pan)), Row(s.t("row.balance"), yuan(s, account.balance_fen))]
    if has_balance(s):
        rows.append(Row(s.t("row.transfer_to"), target_masked(s)))
    rows.append(Row(s.t("row.card_status"), s.t("flow.account_close.card_kept")))
    return rows


def result_rows(s: Session) -> list[Row]:
    closed = visit(s).closed
    rows = [Row(s.t("row.close_ref"), closed.close_ref), Row(s.t("row.closed_account"), closed.account_masked),
            Row(s.t("row.closed_at"), local_time(closed.closed_at))]
    if closed.transfer_to_masked:
        rows += [Row(s.t("row.transferred"), yuan(s, closed.transferred_fen)),
                 Row(s.t("row.transfer_to"), closed.transfer_to_masked)]
    return rows


def receipt(s: Session) -> Receipt:
    rows = [*summary(s)[:1], Row(s.t("row.card"), mask_pan(bank_card(s).pan)), *result_rows(s)]
    return build_receipt(s, "flow.account_close.receipt_title", rows, visit(s).closed.close_ref)


account_close = Flow(
    id="account_close", category=ACCOUNTS, data=AccountClosing,
    devices=frozenset({"idcard", "camera", "smartcard", "pinpad", "printer"}),
    face_check=True, staff_approval="every closing; face check declined or failed",
    steps=[
        *identify(face=True),
        InsertBankCard("card"),
        HostCall("account", op="accounts.close_check", payload=check_request, store="account",
                 check=require_somewhere_for_balance),
        Choose("transfer_to", options=target_options, store="transfer_to", when="has_balance"),
        StaffApproval("close_approval", rule="account_close", reason="approval.reason.account_close"),
        Confirm("confirm", rows=summary),
        EnterPin("pin", pan=lambda s: bank_card(s).pan, store="pin_block"),
        HostCall("close_account", op="accounts.close", payload=close_request, store="closed", reference="close_ref",
                 branches=("pin",),
                 refusals={**pin_refusals(),
                           "amount_mismatch": lambda s, e: Fail("flow.account_close.balance_changed")}),
        RetainBankCard("retain_card", reason="account_closed"),
        Result("result", rows=result_rows),
        PrintReceipt("receipt", receipt=receipt),
    ],
    predicates={**IDENTITY_PREDICATES, "has_balance": has_balance},
)
