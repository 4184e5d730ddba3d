"""存款证明 — a certificate that an amount is on deposit, frozen until the certificate's end date.

Counter procedure: consent, the holder's ID card, the card and its PIN (the host checks the card is
the ID holder's: a certificate is issued to the account holder only), the amount in whole yuan and
how long the certificate runs (1, 3, 6 or 12 months: the amount stays frozen until then, as a Chinese
bank freezes the certified deposit for the certificate's validity), a supervisor approves, the
summary with the fee (``[documents] deposit_certificate_fen``) is confirmed, and the host posts once:
it debits the fee, freezes the amount, and issues the signed certificate with the bank's seal and a
verification code. Refusals: insufficient balance (the amount and the fee must be on the account),
an account already backing a certificate, a wrong PIN (back to PIN entry). The A4 certificate is
printed and taken; the card comes back at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devices.pinpad.api import PinBlock
from flows.bank_documents import PIN_REFUSALS, bank_card, yuan_to_fen
from flows.common import (
    ACCOUNTS,
    IDENTITY_PREDICATES,
    approval_ref,
    holder_rows,
    id_card,
    identify,
    masked,
    yuan,
)
from kiosk.engine.flow import Fail, Flow
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
    StaffApproval,
)
from kiosk.host.api_docs14 import DepositCertifyResult

TERMS = ("1", "3", "6", "12")  # months the certificate runs


@dataclass
class DepositCertificate:
    pin_block: PinBlock = later()
    cert_amount: str = later()  # whole yuan, as typed
    term: str = later()
    certificate: DepositCertifyResult = later()


def visit(s: Session) -> DepositCertificate:
    return s.data_as(DepositCertificate)


def check_amount(value: str) -> str | None:
    return None if int(value) > 0 else "field.cert_amount.invalid"


def amount_fen(s: Session) -> int:
    return yuan_to_fen(visit(s).cert_amount)


def fee_fen(s: Session) -> int:
    return s.services.settings.documents.deposit_certificate_fen


def term_options(s: Session) -> list[Choice]:
    return [Choice(m, s.t(f"flow.deposit_certificate.term.{m}")) for m in TERMS]


def certify_request(s: Session) -> dict[str, Any]:
    return {"id_number": id_card(s).id_number, "pan": bank_card(s).pan, "pin_block": visit(s).pin_block,
            "amount_fen": amount_fen(s), "months": int(visit(s).term), "fee_fen": fee_fen(s),
            "approval_ref": approval_ref(s, "approval"), "lang": s.lang}


def needs_approval(s: Session) -> bool:
    """Every certificate: the counter's rule. Config may switch it off (``[approvals.deposit_certificate]``),
    which the chart reads through this condition."""
    return True


def summary(s: Session) -> list[Row]:
    return [*holder_rows(s),
            Row(s.t("row.card"), masked("pan", bank_card(s).pan)),
            Row(s.t("row.cert_amount"), yuan(s, amount_fen(s))),
            Row(s.t("row.term"), s.t(f"flow.deposit_certificate.term.{visit(s).term}")),
            Row(s.t("row.fee"), yuan(s, fee_fen(s)))]


def result_rows(s: Session) -> list[Row]:
    done = visit(s).certificate
    return [Row(s.t("row.certificate_ref"), done.certificate_ref), Row(s.t("row.card_account"), done.account_masked),
            Row(s.t("row.frozen"), yuan(s, done.frozen_fen)), Row(s.t("row.frozen_until"), done.frozen_until.isoformat()),
            Row(s.t("row.fee"), yuan(s, done.debited_fen)), Row(s.t("row.verification_code"), done.verification_code)]


deposit_certificate = Flow(
    id="deposit_certificate", category=ACCOUNTS,
    devices=frozenset({"idcard", "smartcard", "pinpad", "docprinter"}),
    staff_approval="every deposit certificate", data=DepositCertificate,
    steps=[
        *identify(face=False),
        InsertBankCard("card"),
        EnterPin("pin", pan=lambda s: bank_card(s).pan, store="pin_block"),
        Form("amount", fields=[FieldRule("cert_amount", min_length=1, max_length=9, check=check_amount)]),
        Choose("term", options=term_options, store="term", back=True),
        StaffApproval("approval", rule="deposit_certificate", reason="approval.reason.deposit_certificate",
                      when="needs_approval"),
        Confirm("confirm", rows=summary),
        HostCall("certify", op="deposits.certify", payload=certify_request, store="certificate", amount=fee_fen,
                 reference="certificate_ref", branches=("pin",),
                 refusals={**PIN_REFUSALS,
                           "insufficient_funds": lambda s, e: Fail("flow.deposit_certificate.insufficient_funds"),
                           "already_frozen": lambda s, e: Fail("flow.deposit_certificate.already_frozen"),
                           "not_card_holder": lambda s, e: Fail("flow.deposit_certificate.not_card_holder")}),
        Result("result", rows=result_rows),
        PrintDocument("document", document=lambda s: visit(s).certificate.document,
                      pages=lambda s: visit(s).certificate.pages,
                      reference=lambda s: visit(s).certificate.certificate_ref),
    ],
    predicates={**IDENTITY_PREDICATES, "needs_approval": needs_approval},
)
