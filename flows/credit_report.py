"""个人征信报告 — the customer's own credit report from the credit bureau, printed on A4.

Counter procedure (as the People's Bank of China credit reference centre sets it for bank terminals):
consent, the authorisation to query the customer's own credit record, the resident ID card, and the
face compared with the ID card's photo. The bureau requires the face: there is no staff fallback, so
when the face is declined or does not match, the flow ends and sends the customer to the counter.
Two reports a calendar year are free; after that the bureau's fee (from the host, shown before
confirm) is paid with a bank card and its PIN, debited once (so the flow declares the card reader and
the PIN pad, and the safe exit gives the card back). The bureau's report (accounts, loans,
credit cards, who queried it; signed, with a verification code) is printed and taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devices.pinpad.api import PinBlock
from flows.bank_documents import PIN_REFUSALS, bank_card
from flows.common import SERVICES, holder_rows, id_card, local_time, yuan
from kiosk.engine.flow import Fail, Flow
from kiosk.engine.screens import Row
from kiosk.engine.session import Session, later
from kiosk.engine.steps import (
    Agreement,
    Confirm,
    EnterPin,
    FaceCheck,
    HostCall,
    InsertBankCard,
    PrintDocument,
    ReadIdCard,
    Result,
)
from kiosk.host.api_docs14 import CreditQuotaResult, CreditReportResult


@dataclass
class CreditReport:
    quota: CreditQuotaResult = later()
    pin_block: PinBlock | None = None
    report: CreditReportResult = later()


def visit(s: Session) -> CreditReport:
    return s.data_as(CreditReport)


def has_fee(s: Session) -> bool:
    return visit(s).quota.fee_fen > 0


def quota_request(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number}


def report_request(s: Session) -> dict[str, Any]:
    card = id_card(s)
    paid = {"pan": bank_card(s).pan, "pin_block": visit(s).pin_block} if has_fee(s) else {}
    return {"id_number": card.id_number, "name": card.name, "fee_fen": visit(s).quota.fee_fen, "lang": s.lang, **paid}


def summary(s: Session) -> list[Row]:
    quota = visit(s).quota
    fee = yuan(s, quota.fee_fen) if quota.fee_fen else s.t("flow.credit_report.free", left=quota.free_left)
    return [*holder_rows(s), Row(s.t("row.fee"), fee)]


def result_rows(s: Session) -> list[Row]:
    done = visit(s).report
    return [Row(s.t("row.report_ref"), done.report_ref), Row(s.t("row.pages"), str(done.pages)),
            Row(s.t("row.fee"), yuan(s, done.debited_fen)), Row(s.t("row.verification_code"), done.verification_code),
            Row(s.t("row.issued_at"), local_time(done.issued_at))]


FACE_REQUIRED = "flow.credit_report.face_required"

credit_report = Flow(
    id="credit_report", category=SERVICES, devices=frozenset({"idcard", "camera", "docprinter", "smartcard", "pinpad"}),
    face_check=True, data=CreditReport,
    steps=[
        Agreement("consent", document="doc.personal_info"),
        Agreement("authorize", document="flow.credit_report.authorization"),
        ReadIdCard("read_id"),
        Agreement("face_consent", document="doc.face"),
        FaceCheck("face", fallback=None, refuse=FACE_REQUIRED),
        HostCall("quota", op="credit.quota", payload=quota_request, store="quota"),
        InsertBankCard("card", when="has_fee"),
        Confirm("confirm", rows=summary),
        EnterPin("pin", pan=lambda s: bank_card(s).pan, store="pin_block", when="has_fee"),
        HostCall("report", op="credit.report", payload=report_request, store="report", amount=lambda s: visit(s).quota.fee_fen,
                 reference="report_ref", branches=("pin",),
                 refusals={**PIN_REFUSALS, "fee_changed": lambda s, e: Fail("flow.credit_report.fee_changed"),
                           "insufficient_funds": lambda s, e: Fail("host.refused.insufficient_funds")}),
        Result("result", rows=result_rows),
        PrintDocument("document", document=lambda s: visit(s).report.document, pages=lambda s: visit(s).report.pages,
                      reference=lambda s: visit(s).report.report_ref),
    ],
    predicates={"has_fee": has_fee},
)
