"""Host operations for buying foreign currency (购汇): the customer's annual quota with the bank's
selling rates, a rate quote held for a while, and the purchase. Declared here, next to their request
and result models, and added to :data:`kiosk.host.api.OPERATIONS` there.

A foreign amount is integer minor units of its currency (``exponent`` digits: 2 for USD cents, 0 for
yen); yuan are integer fen; rates are ``Decimal`` (yuan for 100 units, as the rate board shows them;
sent as strings). The figures of a quote are the figures posted: the purchase names its quote and
repeats its amount and yuan, and the host refuses anything else (kiosk.core.fx does the arithmetic).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StrictInt, StringConstraints

from kiosk.host.api import OPERATIONS, Fen, IdNumber, KeyId, Operation, Pan, PinBlockHex, Ref, Request, Result

CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
MinorUnits = Annotated[StrictInt, Field(gt=0, le=10**13)]
# The purposes of the SAFE declaration (个人购汇申请书): current-account uses a person may buy for, and the
# capital-account ones not open to individuals, which the host refuses with the reason.
FxPurpose = Literal["travel", "study", "business", "relatives", "medical", "property", "securities",
                    "life_insurance"]
PROHIBITED_PURPOSES: tuple[FxPurpose, ...] = ("property", "securities", "life_insurance")


class FxQuotaRequest(Request):
    """The customer (the quota is a person's, by ID number) and the paying card with its PIN."""

    id_number: IdNumber
    pan: Pan
    pin_block: PinBlockHex
    key_id: KeyId


class FxCurrency(Result):
    code: str
    exponent: StrictInt  # minor-unit digits
    selling_rate: Decimal  # yuan for 100 units, the bank's current selling rate (现汇卖出价)
    max_units: StrictInt  # whole units the quota left still allows
    balance_minor: StrictInt  # the card's savings in this currency


class FxQuotaResult(Result):
    year: StrictInt
    quota_usd_cents: StrictInt  # USD 50,000.00 equivalent a calendar year
    used_usd_cents: StrictInt
    left_usd_cents: StrictInt
    rates_at: datetime  # when the rates were set
    account_masked: str
    currencies: list[FxCurrency]


class FxQuoteRequest(Request):
    id_number: IdNumber
    pan: Pan
    currency: CurrencyCode
    amount_minor: MinorUnits
    purpose: FxPurpose


class FxQuoteResult(Result):
    quote_id: str
    currency: str
    exponent: StrictInt
    amount_minor: StrictInt
    selling_rate: Decimal
    cny_fen: Fen  # what the purchase debits: amount x rate, rounded half up to the fen
    usd_cents: Fen  # what it counts against the quota
    used_usd_cents: StrictInt  # the quota before this purchase
    left_usd_cents: StrictInt
    quoted_at: datetime
    valid_until: datetime
    hold_s: StrictInt  # seconds the rate is held from the quote


class FxPurchaseRequest(Request):
    id_number: IdNumber
    pan: Pan
    pin_block: PinBlockHex
    key_id: KeyId
    quote_id: Ref
    currency: CurrencyCode  # as quoted: the host refuses other figures
    amount_minor: MinorUnits
    cny_fen: Annotated[StrictInt, Field(gt=0)]  # as shown before confirm
    purpose: FxPurpose


class FxPurchaseResult(Result):
    purchase_ref: str
    currency: str
    exponent: StrictInt
    amount_minor: StrictInt
    selling_rate: Decimal
    debited_fen: Fen  # the yuan debited from the card's account
    quoted_at: datetime
    bought_at: datetime
    account_masked: str
    balance_minor: StrictInt  # the card's savings in the currency after the purchase
    used_usd_cents: StrictInt  # the quota after this purchase
    left_usd_cents: StrictInt


_CARD = ("card_not_found", "card_lost", "card_not_yours")
_PIN = ("pin_locked", "pin_block_invalid", "pin_wrong")
_QUOTE = ("currency_unknown", "purpose_prohibited", "quota_exceeded")
FX_OPERATIONS = (
    Operation("fx.quota", FxQuotaRequest, FxQuotaResult, False, (*_CARD, *_PIN), "ops_fx.fx_quota"),
    Operation("fx.quote", FxQuoteRequest, FxQuoteResult, False, (*_CARD, *_QUOTE), "ops_fx.fx_quote"),
    Operation("fx.purchase", FxPurchaseRequest, FxPurchaseResult, True,
              (*_CARD, *_PIN, *_QUOTE, "quote_unknown", "quote_used", "quote_expired", "amount_mismatch",
               "insufficient_funds"), "ops_fx.fx_purchase", reversible=True),
)

OPERATIONS.update({op.name: op for op in FX_OPERATIONS})
