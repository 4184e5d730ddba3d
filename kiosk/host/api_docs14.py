"""Host operations for balances and bank documents (issue 14): balances and transactions, statements,
deposit certificates, credit reports, and checking a printed document. Declared here, next to their
request and result models, and added to :data:`kiosk.host.api.OPERATIONS` there.

Documents come back as finished PDF bytes (base64): the bank's host renders and signs them; the kiosk
only prints. A result's ``journal_exclude`` fields are left out of the kiosk's journal (a document is
not journaled; its verification code and reference are).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, ClassVar, Literal

from pydantic import Field, StrictInt, StringConstraints, model_validator

from kiosk.host.api import OPERATIONS, Fen, IdNumber, KeyId, Operation, Pan, PinBlockHex, Ref, Request, Result

Lang = Literal["zh_CN", "en_US"]
DocumentB64 = Annotated[str, StringConstraints(min_length=8, max_length=8_000_000, pattern=r"^[A-Za-z0-9+/=]+$")]
CardPin = ("card_not_found", "card_lost", "pin_locked", "pin_block_invalid", "pin_wrong")


class AccountBalance(Result):
    account_masked: str
    product: str
    balance_fen: StrictInt
    frozen_fen: Fen
    available_fen: StrictInt


class Transaction(Result):
    posted_on: date
    kind: str  # salary, purchase, transfer_in, transfer_out, cash, interest, utility, fee
    amount_fen: StrictInt  # credit positive, debit negative
    balance_fen: StrictInt


class BalancesRequest(Request):
    pan: Pan
    pin_block: PinBlockHex
    key_id: KeyId


class BalancesResult(Result):
    holder_masked: str
    accounts: list[AccountBalance]
    transactions: list[Transaction]  # the latest first, at most 50


class StatementPreviewRequest(Request):
    """The last ``months`` months to the host's today, or the period from ``date_from`` to ``date_to``."""

    pan: Pan
    pin_block: PinBlockHex
    key_id: KeyId
    months: Literal[1, 3, 6, 12] | None = None
    date_from: date | None = None
    date_to: date | None = None

    @model_validator(mode="after")
    def _one_period(self) -> StatementPreviewRequest:
        dates = self.date_from is not None and self.date_to is not None
        no_dates = self.date_from is None and self.date_to is None
        if not ((self.months is not None and no_dates) or (self.months is None and dates)):
            raise ValueError("give months, or date_from and date_to")
        return self


class StatementPreviewResult(Result):
    account_masked: str
    date_from: date
    date_to: date
    transactions: StrictInt
    pages: StrictInt


class StatementIssueRequest(Request):
    pan: Pan
    pin_block: PinBlockHex
    key_id: KeyId
    date_from: date  # as the preview answered
    date_to: date
    pages: Annotated[StrictInt, Field(ge=1)]  # as the preview said and the customer saw
    fee_fen: Fen  # the fee the customer confirmed (the kiosk's tariff); debited exactly
    lang: Lang


class IssuedDocument(Result):
    """What every document-issuing operation answers with."""

    journal_exclude: ClassVar[frozenset[str]] = frozenset({"document"})

    verification_code: str
    pages: StrictInt
    issued_at: datetime
    debited_fen: Fen
    document: str = Field(repr=False)  # the signed PDF, base64


class StatementIssueResult(IssuedDocument):
    statement_ref: str
    account_masked: str


class DepositCertifyRequest(Request):
    id_number: IdNumber
    pan: Pan
    pin_block: PinBlockHex
    key_id: KeyId
    amount_fen: Annotated[StrictInt, Field(gt=0)]
    months: Literal[1, 3, 6, 12]
    fee_fen: Fen
    approval_ref: Ref | None = None
    lang: Lang


class DepositCertifyResult(IssuedDocument):
    certificate_ref: str
    account_masked: str
    frozen_fen: Fen
    frozen_until: date


class CreditQuotaRequest(Request):
    id_number: IdNumber


class CreditQuotaResult(Result):
    year: StrictInt
    free_left: StrictInt
    fee_fen: Fen  # what the next report costs: 0 while free ones are left


class CreditReportRequest(Request):
    id_number: IdNumber
    name: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    fee_fen: Fen
    pan: Pan | None = None
    pin_block: PinBlockHex | None = None
    key_id: KeyId | None = None
    lang: Lang


class CreditReportResult(IssuedDocument):
    report_ref: str


class DocumentVerifyRequest(Request):
    document: DocumentB64


class DocumentVerifyResult(Result):
    valid: bool  # all of: signature valid and trusted, code known, content unchanged
    signature_valid: bool
    known: bool
    unchanged: bool
    verification_code: str | None
    kind: str | None
    reference: str | None
    issued_at: datetime | None
    signer: str


_SPEND = (*CardPin, "insufficient_funds")
DOCS14_OPERATIONS = (
    Operation("accounts.balances", BalancesRequest, BalancesResult, False, CardPin, "ops_docs14.balances"),
    Operation("statements.preview", StatementPreviewRequest, StatementPreviewResult, False,
              (*CardPin, "period_invalid", "period_too_long"), "ops_docs14.preview_statement"),
    Operation("statements.issue", StatementIssueRequest, StatementIssueResult, True,
              (*_SPEND, "period_invalid", "period_too_long", "statement_changed"), "ops_docs14.issue_statement",
              reversible=True),
    Operation("deposits.certify", DepositCertifyRequest, DepositCertifyResult, True,
              (*_SPEND, "not_card_holder", "approval_required", "already_frozen"), "ops_docs14.certify_deposit",
              reversible=True),
    Operation("credit.quota", CreditQuotaRequest, CreditQuotaResult, False, (), "ops_docs14.credit_quota"),
    Operation("credit.report", CreditReportRequest, CreditReportResult, True,
              (*_SPEND, "fee_changed", "payment_required"), "ops_docs14.credit_report",
              reversible=True),
    Operation("documents.verify", DocumentVerifyRequest, DocumentVerifyResult, False, (),
              "ops_docs14.verify_document"),
)

OPERATIONS.update({op.name: op for op in DOCS14_OPERATIONS})
