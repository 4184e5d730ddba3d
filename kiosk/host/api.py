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

IdNumber = Annotated[str, StringConstraints(pattern=r"^[0-9]{17}[0-9Xx]$"), AfterValidator(str.upper)]
Pan = Annotated[str, StringConstraints(pattern=r"^[0-9]{13,19}$")]
Mobile = Annotated[str, StringConstraints(pattern=r"^1[0-9]{10}$")]
PinBlockHex = Annotated[str, StringConstraints(pattern=r"^(?:[0-9A-Fa-f]{2}){8,32}$"), AfterValidator(str.upper)]
KeyId = Annotated[str, StringConstraints(min_length=1, max_length=32)]
Ref = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Fen = Annotated[StrictInt, Field(ge=0)]
CardStatus = Literal["active", "inactive", "lost_verbal", "lost_formal"]  # inactive: issued, not activated
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


# defer_build: a model's validator is built when it is first used (by the client on a worker thread, by
# the simulator with its first request), not when the kiosk or the simulator starts.
class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Result(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

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
    code: Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]


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


# -- money14: transfers (转账汇款) --------------------------------------------------------------------

BankCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{2,12}$")]
AccountNo = Annotated[str, StringConstraints(pattern=r"^[0-9]{8,19}$")]
PersonName = Annotated[str, StringConstraints(min_length=1, max_length=32)]
TransferPurpose = Literal["living", "family", "goods", "loan_repay", "other"]


class TransferPayeesRequest(Request):
    id_number: IdNumber  # the card must be this customer's own
    pan: Pan


class Bank(Result):
    code: str
    name: str
    this_bank: bool


class PastPayee(Result):
    payee_ref: str
    bank_code: str
    bank_name: str
    account_masked: str
    name_masked: str


class TransferPayeesResult(Result):
    banks: list[Bank]
    payees: list[PastPayee]
    sent_today_fen: Fen  # what this card has transferred today, for the daily limit


class TransferPayee(Request):
    """A payee: one from the card's past payees (``payee_ref``), or a bank, an account and its holder's name."""

    payee_ref: Ref | None = None
    bank_code: BankCode | None = None
    account_no: AccountNo | None = None
    name: PersonName | None = None

    @model_validator(mode="after")
    def _one_payee(self) -> TransferPayee:
        typed = (self.bank_code, self.account_no, self.name)
        by_ref = self.payee_ref is not None and all(v is None for v in typed)
        by_account = self.payee_ref is None and all(v is not None for v in typed)
        if not (by_ref or by_account):
            raise ValueError("give payee_ref, or bank_code, account_no and name")
        return self


class TransferCheckRequest(Request):
    pan: Pan
    payee: TransferPayee
    amount_fen: Annotated[StrictInt, Field(gt=0)]


class TransferCheckResult(Result):
    bank_name: str
    same_bank: bool
    account_masked: str
    name_masked: str
    new_payee: bool  # never paid from this card before: the fraud warning always pauses
    fee_fen: Fen
    sent_today_fen: Fen


class TransferSendRequest(Request):
    pan: Pan
    pin_block: PinBlockHex
    key_id: KeyId
    payee: TransferPayee
    amount_fen: Annotated[StrictInt, Field(gt=0)]
    fee_fen: Fen  # as shown before confirm: the host refuses another
    purpose: TransferPurpose
    daily_limit_fen: Annotated[StrictInt, Field(gt=0)]  # the channel's daily limit, checked with today's total
    approval_ref: Ref | None = None


class TransferSendResult(Result):
    transfer_ref: str
    amount_fen: Fen
    fee_fen: Fen
    debited_fen: Fen
    sent_at: datetime
    account_masked: str
    payee_account_masked: str
    payee_name_masked: str
    bank_name: str


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


# --- cards and accounts (issue 13): loss release, card replacement, account closing -------------------------

ReplaceReason = Literal["lost", "expired", "damaged"]


class LossReleaseRequest(Request):
    """Release a loss report (解挂): the lost card itself is in the reader (``pan``) with its PIN."""

    id_number: IdNumber
    card_ref: Ref
    pan: Pan
    pin_block: PinBlockHex
    key_id: KeyId
    approval_ref: Ref | None = None


class LossReleaseResult(Result):
    release_ref: str
    kind: Literal["verbal", "formal"]
    pan_masked: str
    released_at: datetime


class CardReplaceQuoteRequest(Request):
    id_number: IdNumber
    card_ref: Ref
    reason: ReplaceReason


class CardReplaceQuoteResult(Result):
    fee_fen: Fen
    account_masked: str


class CardReplaceRequest(Request):
    """Replace a card (补卡/换卡) with a new one on the same account; the old card, when it is handed in, is
    named by ``old_card_pan``; the fee quoted is the fee posted."""

    id_number: IdNumber
    card_ref: Ref
    reason: ReplaceReason
    old_card_pan: Pan | None = None
    new_card_pan: Pan
    pin_block: PinBlockHex
    key_id: KeyId
    fee_fen: Fen


class CardReplaceResult(Result):
    replace_ref: str
    new_card_pan_masked: str
    account_masked: str
    debited_fen: Fen
    replaced_at: datetime


class AccountCloseCheckRequest(Request):
    id_number: IdNumber
    pan: Pan


class OwnAccount(Result):
    account_ref: str
    account_masked: str


class AccountCloseCheckResult(Result):
    account_masked: str
    balance_fen: Fen
    targets: list[OwnAccount]  # the customer's other open accounts at this bank: where a balance may go


class AccountCloseRequest(Request):
    id_number: IdNumber
    pan: Pan
    pin_block: PinBlockHex
    key_id: KeyId
    balance_fen: Fen  # the balance the customer was shown; moved to ``transfer_to`` when not zero
    transfer_to: Ref | None = None
    approval_ref: Ref | None = None


class AccountCloseResult(Result):
    close_ref: str
    account_masked: str
    transferred_fen: Fen
    transfer_to_masked: str | None
    closed_at: datetime
# -- cat13a: PIN change and reset, card and social-security card activation --


class CardHolderRequest(Request):
    id_number: IdNumber
    pan: Pan


class CardHolderResult(Result):
    card_ref: str
    pan_masked: str
    product: str
    status: CardStatus
    social_security: bool  # a social-security card (its medical-account PIN is the host's too)


class PinChangeRequest(Request):
    pan: Pan
    old_pin_block: PinBlockHex = Field(repr=False)
    pin_block: PinBlockHex = Field(repr=False)
    pin_block_confirm: PinBlockHex = Field(repr=False)
    key_id: KeyId


class PinChangeResult(Result):
    change_ref: str
    pan_masked: str
    changed_at: datetime


class PinResetRequest(Request):
    id_number: IdNumber
    pan: Pan
    pin_block: PinBlockHex = Field(repr=False)
    pin_block_confirm: PinBlockHex = Field(repr=False)
    key_id: KeyId
    approval_ref: Ref | None = None


class PinResetResult(Result):
    reset_ref: str
    pan_masked: str
    reset_at: datetime


class CardActivateRequest(Request):
    id_number: IdNumber
    pan: Pan
    pin_block: PinBlockHex = Field(repr=False)
    pin_block_confirm: PinBlockHex = Field(repr=False)
    key_id: KeyId


class CardActivateResult(Result):
    activation_ref: str
    pan_masked: str
    product: str
    activated_at: datetime


class SsCardActivateRequest(Request):
    id_number: IdNumber
    pan: Pan
    ss_card_no: Annotated[str, StringConstraints(pattern=r"^[0-9A-Z]{9}$")]
    pin_block: PinBlockHex = Field(repr=False)  # the new medical-account PIN, bound to ``pan``
    pin_block_confirm: PinBlockHex = Field(repr=False)
    key_id: KeyId


class SsCardActivateResult(Result):
    activation_ref: str
    pan_masked: str
    ss_card_no_masked: str
    activated_at: datetime


class ErrorBody(BaseModel):
    model_config = ConfigDict(defer_build=True)

    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class Reply(BaseModel):
    """The envelope of every reply: ``result`` when ``ok``, ``error`` otherwise."""

    model_config = ConfigDict(defer_build=True)

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
    # A posting the host can reverse (冲正) with postings.reverse when the customer did not get what it paid
    # for; a posting that is not (an account opened, a PIN reset) is marked suspect and staff are called.
    reversible: bool = False


_PIN = ("pin_block_invalid",)
_SPEND = ("pin_wrong", "pin_locked", "pin_block_invalid", "insufficient_funds", "bill_already_paid",
          "bill_not_found", "amount_mismatch", "card_not_found", "card_lost")
_REPLACE = ("card_not_found", "loss_not_formal", "card_lost", "card_not_expired", "insufficient_funds")
_CLOSE = ("card_not_found", "card_lost", "loan_outstanding", "deposit_certificate_held")
_SPEND_CARD = ("pin_wrong", "pin_locked", "pin_block_invalid", "insufficient_funds", "card_not_found", "card_lost")
_PAYEE = ("card_not_found", "card_lost", "bank_unknown", "payee_not_found", "payee_name_mismatch", "same_account",
          "payee_ref_unknown")
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
        Operation("si.pay", SiPayRequest, SiPayResult, True, _SPEND, "ops_payments.pay_bills",
                  reversible=True),
        # -- money14 --
        Operation("transfer.payees", TransferPayeesRequest, TransferPayeesResult, False,
                  ("card_not_found", "card_lost", "card_not_yours"),
                  "ops_money14.transfer_payees"),
        Operation("transfer.check", TransferCheckRequest, TransferCheckResult, False, _PAYEE,
                  "ops_money14.check_transfer"),
        Operation("transfer.send", TransferSendRequest, TransferSendResult, True,
                  (*_SPEND_CARD, *_PAYEE, "daily_limit_exceeded", "fee_changed"), "ops_money14.send_transfer",
                  reversible=True),
        Operation("staff.sign_in", StaffSignInRequest, StaffSignInResult, False,
                  ("staff_credentials_wrong", "staff_locked", *_PIN), "staff_auth.sign_in"),
        Operation("staff.sign_out", StaffSignOutRequest, StaffSignOutResult, False, (), "staff_auth.sign_out"),
        Operation("approvals.record", ApprovalRecordRequest, ApprovalRecordResult, True,
                  ("staff_token_invalid", "staff_not_supervisor", "countersign_invalid",
                   "countersign_same_supervisor"), "ops_staff.record_approval"),
        Operation("operations.status", OperationStatusRequest, OperationStatusResult, False, (),
                  "ops_staff.operation_status"),
        Operation("cards.release_loss", LossReleaseRequest, LossReleaseResult, True,
                  ("card_not_found", "card_not_lost", "card_mismatch", "pin_locked", "pin_wrong", "approval_required",
                   *_PIN), "ops_cat13b.release_loss"),
        Operation("cards.replace_quote", CardReplaceQuoteRequest, CardReplaceQuoteResult, False, _REPLACE,
                  "ops_cat13b.quote_replacement"),
        Operation("cards.replace", CardReplaceRequest, CardReplaceResult, True,
                  (*_REPLACE, "old_card_required", "old_card_mismatch", "card_in_use", "fee_mismatch",
                   "pin_too_simple", *_PIN), "ops_cat13b.replace_card"),
        Operation("accounts.close_check", AccountCloseCheckRequest, AccountCloseCheckResult, False, _CLOSE,
                  "ops_cat13b.check_account_close"),
        Operation("accounts.close", AccountCloseRequest, AccountCloseResult, True,
                  (*_CLOSE, "pin_locked", "pin_wrong", "amount_mismatch", "balance_not_zero",
                   "transfer_target_invalid", "approval_required", *_PIN), "ops_cat13b.close_account"),
        # -- cat13a --
        Operation("cards.verify_holder", CardHolderRequest, CardHolderResult, False,
                  ("card_not_found", "card_not_yours"), "ops_cat13a.verify_holder"),
        Operation("pins.change", PinChangeRequest, PinChangeResult, True,
                  ("card_not_found", "card_not_active", "card_lost", "pin_locked", "pin_wrong", "pin_mismatch",
                   "pin_too_simple", "pin_same_as_old", *_PIN), "ops_cat13a.change_pin"),
        Operation("pins.reset", PinResetRequest, PinResetResult, True,
                  ("card_not_found", "card_not_yours", "card_not_active", "card_lost", "approval_required",
                   "pin_mismatch", "pin_too_simple", *_PIN), "ops_cat13a.reset_pin"),
        Operation("cards.activate", CardActivateRequest, CardActivateResult, True,
                  ("card_not_found", "card_not_yours", "card_already_active", "card_lost", "ss_card",
                   "pin_mismatch", "pin_too_simple", *_PIN), "ops_cat13a.activate_card"),
        Operation("ss_cards.activate", SsCardActivateRequest, SsCardActivateResult, True,
                  ("card_not_found", "card_not_yours", "not_ss_card", "ss_card_mismatch", "card_already_active",
                   "card_lost", "pin_mismatch", "pin_too_simple", *_PIN), "ops_cat13a.activate_ss_card"),
    )
}


# --- issue 13, cards and accounts: branch identity check, e-banking, SMS alerts, customer profile ------------
# (request and result models next to their operations; simulator handlers in kiosk/host/sim/ops_cat13c.py)

AccountClass = Literal[1, 2, 3]
Restriction = Literal["unverified", "fraud_control"]
EbankingService = Literal["mobile_banking", "sms_payment"]
ProfileItem = Literal["mobile", "address", "occupation", "id_validity"]
Occupation = Literal["manager", "professional", "clerk", "commerce_service", "agriculture", "production",
                     "military", "student", "retired", "unemployed", "other"]


class RestrictedAccountsRequest(Request):
    id_number: IdNumber


class RestrictedAccount(Result):
    account_ref: str
    account_masked: str
    account_class: AccountClass
    restriction: Restriction
    opened_channel: str
    opened_at: datetime


class RestrictedAccountsResult(Result):
    accounts: list[RestrictedAccount]


class VerifyInPersonRequest(Request):
    id_number: IdNumber
    account_ref: Ref
    verified_by: Literal["face", "staff"]
    approval_ref: Ref | None = None  # staff verified the customer in person: their recorded approval


class VerifyInPersonResult(Result):
    verification_ref: str
    account_masked: str
    class_before: AccountClass
    class_after: AccountClass
    class_note: Literal["raised", "class1_exists", "class2_limit"]
    verified_at: datetime


class CardServicesRequest(Request):
    """A card and its PIN: the customer shows they hold the card (e-banking and SMS-alert status)."""

    id_number: IdNumber
    pan: Pan
    pin_block: PinBlockHex
    key_id: KeyId


class EbankingServiceStatus(Result):
    service: EbankingService
    signed: bool


class EbankingStatusResult(Result):
    services: list[EbankingServiceStatus]
    mobile_masked: str | None


class ReservedMobileCodeRequest(Request):
    id_number: IdNumber
    pan: Pan
    purpose: Annotated[str, StringConstraints(min_length=1, max_length=32)]


class ReservedMobileCodeResult(SmsSendResult):
    """A code sent to the mobile number on file: the kiosk sees only its masked form."""

    mobile_masked: str


class EbankingChangeRequest(Request):
    id_number: IdNumber
    pan: Pan
    pin_block: PinBlockHex
    key_id: KeyId
    service: EbankingService
    action: Literal["sign", "cancel"]
    sms_ref: Ref | None = None  # signing: the verified code sent to the mobile on file
    reason: Annotated[str, StringConstraints(min_length=1, max_length=32)] | None = None  # cancelling: why


class EbankingChangeResult(Result):
    change_ref: str
    service: EbankingService
    signed: bool
    mobile_masked: str
    changed_at: datetime


class SmsAlertStatusResult(Result):
    subscribed: bool
    threshold_fen: Fen | None
    mobile_masked: str | None
    monthly_fee_fen: Fen


class SmsAlertChangeRequest(Request):
    id_number: IdNumber
    pan: Pan
    pin_block: PinBlockHex
    key_id: KeyId
    action: Literal["subscribe", "change_threshold", "cancel"]
    threshold_fen: Fen | None = None


class SmsAlertChangeResult(Result):
    alert_ref: str
    action: Literal["subscribe", "change_threshold", "cancel"]
    subscribed: bool
    threshold_fen: Fen | None
    monthly_fee_fen: Fen
    mobile_masked: str
    effective_at: datetime


class CustomerProfileRequest(Request):
    id_number: IdNumber


class CustomerProfileResult(Result):
    known: bool
    mobile_masked: str | None
    address: str | None
    occupation: Occupation | None
    id_valid_to: date | Literal["长期"] | None


class ProfileUpdateRequest(Request):
    id_number: IdNumber
    item: ProfileItem
    mobile: Mobile | None = None
    sms_ref: Ref | None = None  # a new mobile number: the verified code sent to it
    address: Annotated[str, StringConstraints(min_length=1, max_length=128)] | None = None
    occupation: Occupation | None = None
    id_valid_to: date | Literal["长期"] | None = None  # from the ID card just read

    @model_validator(mode="after")
    def _the_item_is_given(self) -> ProfileUpdateRequest:
        needed = {"mobile": (self.mobile, self.sms_ref), "address": (self.address,),
                  "occupation": (self.occupation,), "id_validity": (self.id_valid_to,)}[self.item]
        if any(value is None for value in needed):
            raise ValueError(f"updating {self.item} needs its new value")
        return self


class ProfileUpdateResult(Result):
    update_ref: str
    item: ProfileItem
    updated_at: datetime


_CARD = ("card_not_found", "card_lost", "pin_wrong", "pin_locked", "pin_block_invalid")
OPERATIONS.update({
    op.name: op
    for op in (
        Operation("accounts.restricted", RestrictedAccountsRequest, RestrictedAccountsResult, False, (),
                  "ops_cat13c.restricted_accounts"),
        Operation("accounts.verify_in_person", VerifyInPersonRequest, VerifyInPersonResult, True,
                  ("account_not_found", "account_not_restricted", "restriction_needs_counter",
                   "approval_required"), "ops_cat13c.verify_in_person"),
        Operation("sms.send_to_reserved", ReservedMobileCodeRequest, ReservedMobileCodeResult, False,
                  ("card_not_found", "mobile_not_on_file"), "ops_cat13c.send_code_to_reserved_mobile"),
        Operation("ebanking.status", CardServicesRequest, EbankingStatusResult, False, _CARD,
                  "ops_cat13c.ebanking_status"),
        Operation("ebanking.change", EbankingChangeRequest, EbankingChangeResult, True,
                  (*_CARD, "mobile_not_on_file", "id_expired_on_file", "sms_not_verified", "already_signed",
                   "not_signed", "reason_required"), "ops_cat13c.change_ebanking"),
        Operation("sms_alerts.status", CardServicesRequest, SmsAlertStatusResult, False, _CARD,
                  "ops_cat13c.sms_alert_status"),
        Operation("sms_alerts.change", SmsAlertChangeRequest, SmsAlertChangeResult, True,
                  (*_CARD, "mobile_not_on_file", "id_expired_on_file", "already_subscribed", "not_subscribed",
                   "threshold_invalid"),
                  "ops_cat13c.change_sms_alerts"),
        Operation("customers.profile", CustomerProfileRequest, CustomerProfileResult, False, (),
                  "ops_cat13c.customer_profile"),
        Operation("customers.update_profile", ProfileUpdateRequest, ProfileUpdateResult, True,
                  ("customer_unknown", "sms_not_verified", "mobile_unchanged", "id_validity_not_newer"),
                  "ops_cat13c.update_profile"),
    )
})
# Balances and bank documents: declared with their models in kiosk/host/api_docs14.py, which adds them to
# OPERATIONS itself, so either module may be imported first.
import kiosk.host.api_appointments  # noqa: E402,F401 - appointments booked in the mini-program (预约办理)
import kiosk.host.api_corporate  # noqa: E402,F401 - corporate account pre-check (对公开户预审), the same way
import kiosk.host.api_docs14  # noqa: E402,F401 - needs the models above
import kiosk.host.api_feedback  # noqa: E402,F401 - customer feedback (意见建议与投诉)
import kiosk.host.api_fx  # noqa: E402,F401 - foreign-currency purchase (购汇), declared the same way
import kiosk.host.api_loan  # noqa: E402,F401 - personal consumer loans (个人消费贷), declared the same way
import kiosk.host.api_postings  # noqa: E402,F401 - reversals (冲正) and the day's postings, the same way
import kiosk.host.api_queue  # noqa: E402,F401 - the branch's queue (取号)
import kiosk.host.api_td_open  # noqa: E402,F401 - time deposits opened (定期存款)
import kiosk.host.api_td_withdraw  # noqa: E402,F401 - time deposit withdrawals (定期支取), the same way
import kiosk.host.api_utility  # noqa: E402,F401 - utility bills (生活缴费), the same way
import kiosk.host.api_wealth  # noqa: E402,F401 - wealth products: needs the models above
