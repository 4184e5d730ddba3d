"""Host operations for wealth products (理财购买, issue 14): the customer's risk assessment and the products on
sale, the risk questionnaire, the suitability check, the quote, the purchase, and booking the wealth manager for
a sale the regulator wants recorded (双录). Declared here, next to their request and result models, and added to
:data:`kiosk.host.api.OPERATIONS` there.

Money is integer fen; an expected annual return is a ``Decimal`` (0.0210 for 2.10 %), never a promise.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StrictInt, StringConstraints

from kiosk.host.api import OPERATIONS, Fen, IdNumber, KeyId, Operation, Pan, PinBlockHex, Request, Result

RiskLevel = Literal["R1", "R2", "R3", "R4", "R5"]  # a product's risk, lowest first
Grade = Literal["C1", "C2", "C3", "C4", "C5"]  # a customer's risk tolerance: Cn may buy up to Rn
Answer = Literal["a", "b", "c", "d"]
RecordedSaleReason = Literal["age", "risk"]  # 65 or older; a product above R3
ProductCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{2,16}$")]
Rate = Annotated[Decimal, Field(ge=0, le=1)]
QUESTIONS = 10


class WealthProduct(Result):
    code: str
    name: str  # the product's name as registered (Chinese)
    name_en: str
    risk: RiskLevel
    term_days: StrictInt
    min_fen: Fen  # the least one purchase may be (whole yuan)
    rate_low: Rate  # the expected annual return's range (业绩比较基准): not guaranteed
    rate_high: Rate


class RiskAssessment(Result):
    assessment_ref: str
    score: StrictInt
    grade: Grade
    assessed_on: date
    valid_until: date  # the last day it is valid: a year less a day after it was made


class WealthProfileRequest(Request):
    id_number: IdNumber


class WealthProfileResult(Result):
    customer: bool  # has an account at this bank: only customers buy
    assessment: RiskAssessment | None  # the latest, valid or not
    assessment_valid: bool
    products: list[WealthProduct]  # on sale now, lowest risk first


class WealthAssessRequest(Request):
    id_number: IdNumber
    answers: Annotated[list[Answer], Field(min_length=QUESTIONS, max_length=QUESTIONS)]


class SuitabilityRequest(Request):
    id_number: IdNumber
    product_code: ProductCode


class SuitabilityResult(Result):
    product: WealthProduct
    grade: Grade
    grade_valid_until: date


class WealthQuoteRequest(Request):
    id_number: IdNumber
    pan: Pan  # the card's account pays
    product_code: ProductCode
    amount_fen: Annotated[StrictInt, Field(gt=0)]


class WealthQuoteResult(Result):
    product_code: str
    amount_fen: Fen
    account_masked: str
    value_date: date  # the day the money is invested: after the cooling-off period
    maturity_date: date
    cooling_off_hours: StrictInt
    return_low_fen: Fen  # the expected return over the term at rate_low and rate_high (days/365): not guaranteed
    return_high_fen: Fen


class WealthPurchaseRequest(Request):
    id_number: IdNumber
    pan: Pan
    pin_block: PinBlockHex
    key_id: KeyId
    product_code: ProductCode
    amount_fen: Annotated[StrictInt, Field(gt=0)]  # as the customer confirmed it: debited exactly


class WealthPurchaseResult(Result):
    holding_ref: str
    product_code: str
    product_name: str
    product_name_en: str
    risk: RiskLevel
    amount_fen: Fen
    debited_fen: Fen
    account_masked: str
    bought_at: datetime
    cooling_off_until: datetime  # the customer may cancel until then; the money is returned in full
    value_date: date
    maturity_date: date


class ManagerBookingRequest(Request):
    id_number: IdNumber
    reason: RecordedSaleReason
    product_code: ProductCode | None = None  # the product the customer chose, when it was the reason


class ManagerBookingResult(Result):
    booking_ref: str
    kind: Literal["ticket", "appointment"]  # a queue ticket (the slot is within the hour), or an appointment
    ticket_no: str
    slot_at: datetime
    desk: str
    desk_en: str
    manager_masked: str
    reason: RecordedSaleReason


_CUSTOMER = ("customer_unknown",)
_PRODUCT = ("product_unknown", "product_closed")
_SUITABLE = (*_CUSTOMER, *_PRODUCT, "assessment_required", "risk_above_grade", "recorded_sale_required")
_AMOUNT = ("amount_below_minimum", "amount_not_whole_yuan", "quota_exceeded")
_CARD = ("card_not_found", "card_lost", "card_not_yours")
_PIN = ("pin_locked", "pin_block_invalid", "pin_wrong")
WEALTH_OPERATIONS = (
    Operation("wealth.profile", WealthProfileRequest, WealthProfileResult, False, (), "ops_wealth.profile"),
    # Records the assessment, but moves no money and the visit goes on: not a posting for the kiosk (which would
    # then count the visit done); the handler keeps it once under its idempotency key.
    Operation("wealth.assess", WealthAssessRequest, RiskAssessment, False, _CUSTOMER, "ops_wealth.assess"),
    Operation("wealth.suitability", SuitabilityRequest, SuitabilityResult, False, _SUITABLE,
              "ops_wealth.suitability"),
    Operation("wealth.quote", WealthQuoteRequest, WealthQuoteResult, False, (*_SUITABLE, *_CARD, *_AMOUNT),
              "ops_wealth.quote"),
    Operation("wealth.purchase", WealthPurchaseRequest, WealthPurchaseResult, True,
              (*_SUITABLE, *_CARD, *_PIN, *_AMOUNT, "insufficient_funds"), "ops_wealth.purchase",
              reversible=True),
    Operation("wealth.book_manager", ManagerBookingRequest, ManagerBookingResult, True, ("no_slot",),
              "ops_wealth.book_manager"),
)

OPERATIONS.update({op.name: op for op in WEALTH_OPERATIONS})
