"""余额及明细查询 — balances and the latest transactions of a bank card's account.

Counter procedure (and what a Chinese bank's self-service terminal does, where the task names no
rule): insert the card, enter its PIN (the host checks it; a wrong PIN returns to PIN entry, the
third wrong PIN of the day locks it), the balance, the frozen part and what is available, then the
latest transactions a page at a time (newest first, at most 50); on request they are printed: a short
list (up to 10 lines) on the receipt printer, or the whole list on A4. Nothing is posted; an
enquiry needs no ID card. The card comes back at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devices.docprinter.api import Document, Section, Table
from devices.pinpad.api import PinBlock
from devices.printer.api import Receipt
from flows.bank_documents import PIN_REFUSALS, bank_card, device_up
from flows.common import ACCOUNTS, masked, yuan
from kiosk.core.money import format_fen
from kiosk.engine.flow import Flow
from kiosk.engine.screens import Choice, Row
from kiosk.engine.session import Session, later
from kiosk.engine.steps import Browse, EnterPin, HostCall, InsertBankCard, PrintDocument, PrintReceipt
from kiosk.engine.steps.receipt import build_receipt
from kiosk.host.api_docs14 import BalancesResult, Transaction

RECEIPT_LINES = 10  # the receipt printer takes this many transactions; more go on A4


@dataclass
class BalanceInquiry:
    pin_block: PinBlock = later()
    balances: BalancesResult = later()
    action: str = ""  # finish, print_receipt or print_a4


def visit(s: Session) -> BalanceInquiry:
    return s.data_as(BalanceInquiry)


def balances_request(s: Session) -> dict[str, Any]:
    return {"pan": bank_card(s).pan, "pin_block": visit(s).pin_block}


def signed(s: Session, amount_fen: int) -> str:
    return ("+" if amount_fen > 0 else "") + yuan(s, amount_fen)


def balance_rows(s: Session) -> list[Row]:
    rows = []
    for account in visit(s).balances.accounts:
        rows.append(Row(s.t("row.card_account"), f"{account.account_masked} {account.product}"))
        rows.append(Row(s.t("row.balance"), yuan(s, account.balance_fen)))
        if account.frozen_fen:
            rows.append(Row(s.t("row.frozen"), yuan(s, account.frozen_fen)))
        rows.append(Row(s.t("row.available"), yuan(s, account.available_fen)))
    return rows


def transaction_row(s: Session, txn: Transaction) -> Row:
    return Row(s.t("txn.row", date=txn.posted_on.isoformat(), kind=s.t("txn." + txn.kind)),
               f"{signed(s, txn.amount_fen)} · {s.t('row.balance')} {format_fen(txn.balance_fen)}")


def transaction_rows(s: Session) -> list[Row]:
    return [transaction_row(s, txn) for txn in visit(s).balances.transactions]


def actions(s: Session) -> list[Choice]:
    """Printing is offered while its printer works (the enquiry itself needs neither printer)."""
    return [Choice("print_receipt", s.t("flow.balance_inquiry.print_receipt"), enabled=device_up(s, "printer")),
            Choice("print_a4", s.t("flow.balance_inquiry.print_a4"), enabled=device_up(s, "docprinter")),
            Choice("finish", s.t("button.finish"))]


def wants(action: str) -> Any:
    return lambda s: visit(s).action == action


def receipt(s: Session) -> Receipt:
    latest = visit(s).balances.transactions[:RECEIPT_LINES]
    card = Row(s.t("row.card"), masked("pan", bank_card(s).pan))
    return build_receipt(s, "flow.balance_inquiry.receipt_title",
                         [card, *balance_rows(s), *(transaction_row(s, t) for t in latest)], "")


def a4_list(s: Session) -> Document:
    settings, found = s.services.settings, visit(s).balances
    head = tuple(s.t(f"docs.col.{c}") for c in ("date", "description", "amount", "balance"))
    rows = tuple((t.posted_on.isoformat(), s.t("txn." + t.kind), format_fen(t.amount_fen), format_fen(t.balance_fen))
                 for t in found.transactions)
    return Document(
        kind="balance_list", lang=s.lang, title=s.t("flow.balance_inquiry.document_title"),
        issuer=(settings.bank_name, f"{settings.branch_name} · {s.t('receipt.kiosk')} {settings.kiosk_id}"),
        fields=tuple((r.label, r.value) for r in [Row(s.t("row.card"), masked("pan", bank_card(s).pan)),
                                                  *balance_rows(s)]),
        sections=(Section(s.t("docs.section.transactions"), table=Table(head, rows, (1.2, 2.4, 1.3, 1.4), (2, 3))),),
        notes=(s.t("flow.balance_inquiry.document_note"),), page_label=s.t("docs.page"),
        issued_at=s.services.clock.now().strftime("%Y-%m-%d %H:%M"))


balance_inquiry = Flow(
    id="balance_inquiry", category=ACCOUNTS, devices=frozenset({"smartcard", "pinpad"}), data=BalanceInquiry,
    steps=[
        InsertBankCard("card"),
        EnterPin("pin", pan=lambda s: bank_card(s).pan, store="pin_block"),
        HostCall("balances", op="accounts.balances", payload=balances_request, store="balances", branches=("pin",),
                 refusals=PIN_REFUSALS),
        Browse("statement", head=balance_rows, rows=transaction_rows, store="action", actions=actions),
        PrintReceipt("receipt", receipt=receipt, when="wants_receipt"),
        PrintDocument("document", document=a4_list, reference=lambda s: "BALANCE-LIST", when="wants_a4"),
    ],
    predicates={"wants_receipt": wants("print_receipt"), "wants_a4": wants("print_a4")},
)
