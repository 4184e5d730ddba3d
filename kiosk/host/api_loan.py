"""Host operations for a personal consumer loan (个人消费贷, issue 15): the automatic decision on an application,
and signing the contract, which pays the loan out to the card's account. Declared here, next to their request
and result models, and added to :data:`kiosk.host.api.OPERATIONS` there.

The product's rules (amounts, terms, the purposes it may and may not be used for, the standard rate) are
constants here, read by the kiosk's flow and the simulator alike. Rates are ``Decimal`` (JSON strings on the
wire: "0.0360" is 3.60 % a year); money is integer fen. The decision answers the limit, the APR and the
instalments of equal-instalment repayment (:mod:`kiosk.core.annuity`); the kiosk shows the contract from them and
sends back the figures the customer signed: the host pays out on exactly those, or refuses (``terms_changed``).
The scoring model is the simulator's (:mod:`kiosk.host.sim.loan_model`, docs/host-api.md).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StrictInt, StringConstraints

from kiosk.host.api import OPERATIONS, Fen, IdNumber, KeyId, Operation, Pan, PinBlockHex, Ref, Request, Result

MIN_AMOUNT_FEN = 100_000  # 1,000 yuan
MAX_AMOUNT_FEN = 20_000_000  # 200,000 yuan: the product's largest loan (and largest limit)
TERMS_MONTHS = (6, 12, 24, 36)
# What a consumer loan may pay for, and what the regulator forbids it for (个人贷款管理办法: not for buying a
# home, not for securities, futures, wealth products or equity, not for running a business).
PURPOSES = ("home_furnishing", "travel", "education", "medical", "car")
PROHIBITED_PURPOSES = ("property", "securities", "business")
STANDARD_APR = Decimal("0.0480")  # the product's standard rate: the instalment the decision's debt test uses
COOLING_OFF_DAYS = 7  # after the pay-out the whole loan may be repaid without interest
OFFER_VALID_S = 30 * 60  # an approval is signed within this time, or the customer applies again

Decision = Literal["approved", "referred", "declined"]
Purpose = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,32}$")]
AnnualRate = Annotated[Decimal, Field(ge=0, le=1, max_digits=8, decimal_places=6)]
CARD = ("card_not_found", "card_lost", "card_not_yours")


class LoanDecideRequest(Request):
    id_number: IdNumber  # the applicant, from the ID card read and the face checked
    pan: Pan  # the card whose account receives the loan and pays the instalments
    amount_fen: Annotated[StrictInt, Field(gt=0)]
    term_months: StrictInt
    purpose: Purpose
    monthly_income_fen: Annotated[StrictInt, Field(gt=0)]  # as the customer declared it
    consent_credit_bureau: bool  # the customer authorised the credit bureau query
    consent_social_insurance: bool  # ... and the social-insurance query


class LoanFactor(Result):
    """One line of the scoring model: what was measured (no personal data) and the points it gave."""

    factor: str  # credit_record, social_insurance, debt_to_income, existing_loans, age
    value: str
    points: StrictInt


class LoanDecideResult(Result):
    application_ref: str
    decision: Decision
    score: StrictInt
    reasons: list[str]  # codes: a decline's (customer-readable) or what sent it to staff
    factors: list[LoanFactor]
    amount_fen: Fen
    term_months: StrictInt
    value_date: date  # the host's today: a loan signed today is paid out on it
    account_masked: str  # the card's account: paid into, repaid from
    limit_fen: Fen | None = None  # approved (or the most the income allows, for amount_over_limit)
    apr: Decimal | None = None  # approved: the annual rate (APR)
    instalment_fen: Fen | None = None  # approved: every month's payment but the last
    last_instalment_fen: Fen | None = None
    total_interest_fen: Fen | None = None
    offer_expires_at: datetime | None = None  # approved: sign before this
    callback_by: datetime | None = None  # referred: staff call the customer before this
    mobile_masked: str | None = None  # referred: the number they call


class LoanDisburseRequest(Request):
    application_ref: Ref
    id_number: IdNumber
    pan: Pan
    pin_block: PinBlockHex  # the PIN signs the contract
    key_id: KeyId
    amount_fen: Annotated[StrictInt, Field(gt=0)]  # the figures of the contract the customer read and signed
    term_months: StrictInt
    apr: AnnualRate
    instalment_fen: Fen
    last_instalment_fen: Fen
    total_interest_fen: Fen
    value_date: date


class LoanDisburseResult(Result):
    loan_no: str
    contract_no: str
    application_ref: str
    account_masked: str
    principal_fen: Fen
    credited_fen: Fen  # what reached the account: the whole principal (no fee is taken)
    apr: Decimal
    term_months: StrictInt
    instalment_fen: Fen
    last_instalment_fen: Fen
    total_interest_fen: Fen
    disbursed_on: date
    first_due_on: date
    maturity_on: date
    cooling_off_until: date  # repaid in full by this day: no interest
    disbursed_at: datetime


LOAN_OPERATIONS = (
    Operation("loans.decide", LoanDecideRequest, LoanDecideResult, False,
              (*CARD, "consent_required", "purpose_prohibited", "purpose_unknown", "term_unknown",
               "amount_out_of_range"), "ops_loan.decide_application"),
    Operation("loans.disburse", LoanDisburseRequest, LoanDisburseResult, True,
              (*CARD, "pin_locked", "pin_block_invalid", "pin_wrong", "application_unknown", "not_approved",
               "already_disbursed", "offer_expired", "terms_changed"), "ops_loan.disburse", reversible=True),
)

_taken = {op.name for op in LOAN_OPERATIONS} & set(OPERATIONS)
if _taken:  # another module declared the same name: refuse rather than replace it silently
    raise RuntimeError(f"host operations declared twice: {sorted(_taken)}")
OPERATIONS.update({op.name: op for op in LOAN_OPERATIONS})
