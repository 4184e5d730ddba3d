"""流水打印 — a statement of a card account's transactions, printed on A4 with the bank's seal and signature.

Counter procedure: insert the card, enter its PIN (checked by the host first: a wrong PIN returns to PIN
entry), choose the period (the last 1, 3, 6 or 12 months, or dates typed as YYYYMMDD; 12 months at most,
ending today at the latest: the host refuses longer or reversed periods and the customer types again),
the host counts the transactions and the pages, then the page count and the fee are shown before the
customer confirms: pages above the free number (``[documents] statement_free_pages``) cost
``statement_page_fen`` each, debited in fen from the same account (a Chinese bank's usual tariff for
self-service statements; the figures are config). The host issues the statement once (its digitally
signed PDF carries the bank's seal and a verification code), the kiosk prints it and waits for the
customer to take it; the card comes back at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from devices.pinpad.api import PinBlock
from flows.bank_documents import PIN_REFUSALS, bank_card, statement_fee_fen
from flows.common import ACCOUNTS, local_time, pin_refusals, yuan
from kiosk.engine.flow import Fail, Flow, Goto, Verdict
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
    PrintDocument,
    Result,
)
from kiosk.host.api_docs14 import StatementIssueResult, StatementPreviewResult
from kiosk.host.errors import HostRejected

PERIODS = ("1", "3", "6", "12")  # months back from today


@dataclass
class StatementPrint:
    pin_block: PinBlock = later()
    period: str = later()  # months ("1", "3", "6", "12") or "custom"
    date_from: str = ""  # YYYYMMDD, typed for a custom period
    date_to: str = ""
    preview: StatementPreviewResult = later()
    statement: StatementIssueResult = later()


def visit(s: Session) -> StatementPrint:
    return s.data_as(StatementPrint)


def period_options(s: Session) -> list[Choice]:
    return [*(Choice(m, s.t(f"flow.statement_print.months.{m}")) for m in PERIODS),
            Choice("custom", s.t("flow.statement_print.custom"), s.t("flow.statement_print.custom.detail"))]


def is_custom(s: Session) -> bool:
    return visit(s).period == "custom"


def typed_date(value: str) -> date:
    return date(int(value[:4]), int(value[4:6]), int(value[6:8]))


def check_date(value: str) -> str | None:
    try:
        typed_date(value)
    except ValueError:
        return "field.date.invalid"
    return None


def preview_request(s: Session) -> dict[str, Any]:
    request: dict[str, Any] = {"pan": bank_card(s).pan, "pin_block": visit(s).pin_block}
    if is_custom(s):
        return {**request, "date_from": typed_date(visit(s).date_from), "date_to": typed_date(visit(s).date_to)}
    return {**request, "months": int(visit(s).period)}


def fee_fen(s: Session) -> int:
    fees = s.services.settings.documents
    return statement_fee_fen(visit(s).preview.pages, fees.statement_free_pages, fees.statement_page_fen)


def issue_request(s: Session) -> dict[str, Any]:
    preview = visit(s).preview
    return {"pan": bank_card(s).pan, "pin_block": visit(s).pin_block, "date_from": preview.date_from,
            "date_to": preview.date_to, "pages": preview.pages, "fee_fen": fee_fen(s), "lang": s.lang}


def period_refused(s: Session, error: HostRejected) -> Verdict:
    return Goto("range" if is_custom(s) else "period", f"flow.statement_print.{error.code}")


def summary(s: Session) -> list[Row]:
    preview, fees = visit(s).preview, s.services.settings.documents
    return [Row(s.t("row.card_account"), preview.account_masked),
            Row(s.t("row.period"), s.t("flow.statement_print.period_value", start=preview.date_from.isoformat(),
                                       end=preview.date_to.isoformat())),
            Row(s.t("row.transactions"), str(preview.transactions)),
            Row(s.t("row.pages"), s.t("flow.statement_print.pages_value", pages=preview.pages,
                                      free=fees.statement_free_pages)),
            Row(s.t("row.fee"), yuan(s, fee_fen(s)) if fee_fen(s) else s.t("flow.statement_print.free"))]


def result_rows(s: Session) -> list[Row]:
    done = visit(s).statement
    return [Row(s.t("row.statement_ref"), done.statement_ref), Row(s.t("row.pages"), str(done.pages)),
            Row(s.t("row.fee"), yuan(s, done.debited_fen)), Row(s.t("row.verification_code"), done.verification_code),
            Row(s.t("row.issued_at"), local_time(done.issued_at))]


statement_print = Flow(
    id="statement_print", category=ACCOUNTS, devices=frozenset({"smartcard", "pinpad", "docprinter"}),
    data=StatementPrint,
    steps=[
        InsertBankCard("card"),
        EnterPin("pin", pan=lambda s: bank_card(s).pan, store="pin_block"),
        Choose("period", options=period_options, store="period"),
        Form("range", fields=[FieldRule("date_from", min_length=8, max_length=8, check=check_date),
                              FieldRule("date_to", min_length=8, max_length=8, check=check_date)],
             when="is_custom", back=True),
        HostCall("preview", op="statements.preview", payload=preview_request, store="preview",
                 branches=("pin", "period", "range"),
                 refusals={**PIN_REFUSALS, "period_too_long": period_refused, "period_invalid": period_refused}),
        Confirm("confirm", rows=summary),
        HostCall("issue", op="statements.issue", payload=issue_request, store="statement", amount=fee_fen,
                 reference="statement_ref", branches=("pin",),
                 refusals={**pin_refusals(),
                           "statement_changed": lambda s, e: Fail("flow.statement_print.statement_changed")}),
        Result("result", rows=result_rows),
        PrintDocument("document", document=lambda s: visit(s).statement.document,
                      pages=lambda s: visit(s).statement.pages, reference=lambda s: visit(s).statement.statement_ref),
    ],
    predicates={"is_custom": is_custom},
)
