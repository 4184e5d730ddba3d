"""The host API: one request model and one result model per operation, and the reply envelope.

The simulator validates request bodies with these models; the client validates replies with the
same result models. :data:`OPERATIONS` is the one table of operations: models, posting, refusals and
the simulator's handler, by name. Money is integer fen; PIN blocks are hex strings with the working key's id.
See docs/host-api.md for the wire protocol.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    model_validator,
)

IdNumber = Annotated[str, StringConstraints(pattern=r"^\d{17}[\dXx]$"), AfterValidator(str.upper)]
Pan = Annotated[str, StringConstraints(pattern=r"^\d{13,19}$")]
Mobile = Annotated[str, StringConstraints(pattern=r"^1\d{10}$")]
PinBlockHex = Annotated[str, StringConstraints(pattern=r"^(?:[0-9A-Fa-f]{2}){8,32}$"), AfterValidator(str.upper)]
KeyId = Annotated[str, StringConstraints(min_length=1, max_length=32)]
Ref = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Fen = Annotated[StrictInt, Field(ge=0)]
CardStatus = Literal["active", "lost_verbal", "lost_formal"]
StaffNumber = Annotated[str, StringConstraints(min_length=1, max_length=16)]
StaffToken = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
StaffRole = Literal["supervisor", "maintenance"]

_UUID = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")


def is_uuid(value: str) -> bool:
    return bool(_UUID.match(value))


def _uuid(value: str) -> str:
    if not is_uuid(value):
        raise ValueError("not a uuid")
    return value.lower()


Uuid = Annotated[str, AfterValidator(_uuid)]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Result(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    journal_exclude: ClassVar[frozenset[str]] = frozenset()  # fields the kiosk's journal leaves out (documents)


class CustomerLookupRequest(Request):
    id_number: IdNumber


class CustomerLookupResult(Result):
    known: bool
    customer_id: str | None
    name_masked: str | None
    has_class1_account: bool


class SmsSendRequest(Request):
    mobile: Mobile
    purpose: Annotated[str, StringConstraints(min_length=1, max_length=32)]


class SmsSendResult(Result):
    sms_ref: str
    expires_in_s: StrictInt


class SmsVerifyRequest(Request):
    sms_ref: Ref
    code: Annotated[str, StringConstraints(pattern=r"^\d{6}$")]


class SmsVerifyResult(Result):
    verified: Literal[True]


class PinCheckNewRequest(Request):
    pan: Pan
    pin_block: PinBlockHex
    pin_block_confirm: PinBlockHex
    key_id: KeyId


class PinCheckNewResult(Result):
    ok: Literal[True]


class AccountOpenRequest(Request):
    id_number: IdNumber
    name: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    sex: Literal["男", "女"]
    nation: Annotated[str, StringConstraints(min_length=1, max_length=16)]
    birth_date: date
    address: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    id_valid_to: date | Literal["长期"]
    mobile: Mobile
    sms_ref: Ref
    card_pan: Pan
    pin_block: PinBlockHex
    key_id: KeyId
    guardian_id_number: IdNumber | None = None
    approval_ref: Ref | None = None


class AccountOpenResult(Result):
    customer_id: str
    account_no: str
    card_pan_masked: str
    opened_at: datetime


class CardsListRequest(Request):
    id_number: IdNumber


class CardSummary(Result):
    card_ref: str
    pan_masked: str
    product: str
    status: CardStatus


class CardsListResult(Result):
    cards: list[CardSummary]


class CardLossRequest(Request):
    id_number: IdNumber
    card_ref: Ref
    kind: Literal["verbal", "formal"]
    approval_ref: Ref | None = None


class CardLossResult(Result):
    loss_ref: str
    kind: Literal["verbal", "formal"]
    effective_at: datetime
    expires_at: datetime | None


class SiBillsRequest(Request):
    id_number: IdNumber


class SiBill(Result):
    bill_id: str
    type: str
    period: str
    amount_fen: Fen
    payee: str


class SiBillsResult(Result):
    payer_name_masked: str | None
    items: list[SiBill]


class SiPayRequest(Request):
    id_number: IdNumber
    bill_ids: Annotated[list[Ref], Field(min_length=1, max_length=20)]
    amount_fen: Annotated[StrictInt, Field(gt=0)]
    pan: Pan
    pin_block: PinBlockHex
    key_id: KeyId


class SiPayResult(Result):
    payment_ref: str
    debited_fen: Fen
    paid_at: datetime
    account_masked: str


class StaffSignInRequest(Request):
    """Staff number and password, or the staff card's PAN and a PIN block bound to it (as a customer PIN)."""

    staff_number: StaffNumber | None = None
    password: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = Field(None, repr=False)
    card_pan: Pan | None = None
    pin_block: PinBlockHex | None = Field(None, repr=False)
    key_id: KeyId | None = None

    @model_validator(mode="after")
    def _one_way_in(self) -> StaffSignInRequest:
        password = (self.staff_number, self.password)
        card = (self.card_pan, self.pin_block, self.key_id)
        by_password = all(v is not None for v in password) and all(v is None for v in card)
        by_card = all(v is not None for v in card) and all(v is None for v in password)
        if not (by_password or by_card):
            raise ValueError("give staff_number and password, or card_pan, pin_block and key_id")
        return self


class StaffSignInResult(Result):
    staff_token: str = Field(repr=False)
    staff_number: str
    name: str
    role: StaffRole
    expires_at: datetime


class StaffSignOutRequest(Request):
    staff_token: StaffToken = Field(repr=False)


class StaffSignOutResult(Result):
    signed_out: bool


class ApprovalRecordRequest(Request):
    session_id: Ref
    staff_token: StaffToken = Field(repr=False)  # a supervisor's, from staff.sign_in
    decision: Literal["approve", "reject"]
    reason: Annotated[str, StringConstraints(max_length=200)]
    subject: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    countersigns: Ref | None = None  # dual control: the first supervisor's approval_ref


class ApprovalRecordResult(Result):
    approval_ref: str
    staff_number: str
    supervisors: StrictInt  # 1, or 2 when this approval countersigns another supervisor's


class OperationStatusRequest(Request):
    idempotency_key: Uuid


class OperationStatusResult(Result):
    found: bool
    op: str | None
    status: Literal["committed", "rejected"] | None
    reply: dict[str, Any] | None


class ErrorBody(BaseModel):
    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class Reply(BaseModel):
    """The envelope of every reply: ``result`` when ``ok``, ``error`` otherwise."""

    request_id: str | None
    ok: bool
    result: dict[str, Any] | None = None
    error: ErrorBody | None = None


@dataclass(frozen=True)
class Operation:
    """Everything about one host operation, declared once: its request and result models, whether it
    posts, the business refusals it may answer with, and the simulator function that answers it."""

    name: str
    request: type[Request]
    result: type[Result]
    posting: bool  # changes money or records: exactly once under its idempotency key
    refusals: tuple[str, ...]  # the business error codes it may answer with (HTTP 422)
    simulator: str  # "module.function" in kiosk.host.sim (resolved and checked when the simulator loads)


_PIN = ("pin_block_invalid",)
_SPEND = ("pin_wrong", "pin_locked", "pin_block_invalid", "insufficient_funds", "bill_already_paid",
          "bill_not_found", "amount_mismatch", "card_not_found", "card_lost")
OPERATIONS: dict[str, Operation] = {
    op.name: op
    for op in (
        Operation("customers.lookup", CustomerLookupRequest, CustomerLookupResult, False, (),
                  "ops_customers.lookup_customer"),
        Operation("sms.send_code", SmsSendRequest, SmsSendResult, False, (), "ops_customers.send_sms_code"),
        Operation("sms.verify_code", SmsVerifyRequest, SmsVerifyResult, False,
                  ("sms_code_wrong", "sms_code_expired", "sms_ref_unknown"), "ops_customers.verify_sms_code"),
        Operation("pins.check_new", PinCheckNewRequest, PinCheckNewResult, False,
                  ("pin_mismatch", "pin_too_simple", *_PIN), "ops_customers.check_new_pins"),
        Operation("accounts.open", AccountOpenRequest, AccountOpenResult, True,
                  ("class1_account_exists", "sms_not_verified", "card_in_use", "approval_required",
                   "guardian_required", "pin_too_simple", *_PIN), "ops_accounts.open_account"),
        Operation("cards.list", CardsListRequest, CardsListResult, False, (), "ops_cards.list_cards"),
        Operation("cards.report_loss", CardLossRequest, CardLossResult, True,
                  ("card_not_found", "card_already_lost", "approval_required"), "ops_cards.report_loss"),
        Operation("si.bills", SiBillsRequest, SiBillsResult, False, (), "ops_payments.list_bills"),
        Operation("si.pay", SiPayRequest, SiPayResult, True, _SPEND, "ops_payments.pay_bills"),
        Operation("staff.sign_in", StaffSignInRequest, StaffSignInResult, False,
                  ("staff_credentials_wrong", "staff_locked", *_PIN), "staff_auth.sign_in"),
        Operation("staff.sign_out", StaffSignOutRequest, StaffSignOutResult, False, (), "staff_auth.sign_out"),
        Operation("approvals.record", ApprovalRecordRequest, ApprovalRecordResult, True,
                  ("staff_token_invalid", "staff_not_supervisor", "countersign_invalid",
                   "countersign_same_supervisor"), "ops_staff.record_approval"),
        Operation("operations.status", OperationStatusRequest, OperationStatusResult, False, (),
                  "ops_staff.operation_status"),
    )
}

# Balances and bank documents (issue 14): declared with their models in kiosk/host/api_docs14.py.
from kiosk.host.api_docs14 import DOCS14_OPERATIONS  # noqa: E402 - needs the models above

OPERATIONS.update({op.name: op for op in DOCS14_OPERATIONS})
