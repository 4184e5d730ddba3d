"""Host operations for utility bills (生活缴费): water, electricity and gas bills the bank collects for the
companies. Declared here, next to their request and result models, and added to
:data:`kiosk.host.api.OPERATIONS`.

A bill is found by the customer number (户号) with the kind of utility (the branch's company for it), or by
its barcode as the camera read it (the company's code and the customer number: the host knows each
company's format). The amount due is what the customer confirms and what is posted: a payment of another
figure is refused (``amount_changed``, with the amount now due).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StrictInt, StringConstraints, model_validator

from kiosk.host.api import OPERATIONS, Fen, KeyId, Operation, Pan, PinBlockHex, Ref, Request, Result

UtilityKind = Literal["water", "electricity", "gas"]
CustomerNo = Annotated[str, StringConstraints(pattern=r"^[0-9]{6,20}$")]
CompanyCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
Barcode = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Period = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}$")]  # YYYY-MM


class UtilityBillRequest(Request):
    """The bill due on a customer number: ``kind`` and ``customer_no`` typed, or the ``barcode`` read."""

    kind: UtilityKind | None = None
    customer_no: CustomerNo | None = None
    barcode: Barcode | None = None

    @model_validator(mode="after")
    def _one_way(self) -> UtilityBillRequest:
        typed = self.kind is not None and self.customer_no is not None
        none_typed = self.kind is None and self.customer_no is None
        if not ((typed and self.barcode is None) or (none_typed and self.barcode is not None)):
            raise ValueError("give kind and customer_no, or barcode")
        return self


class UtilityBillResult(Result):
    kind: UtilityKind
    company_code: str
    company_name: str  # the payee
    customer_no: str
    holder_masked: str  # the name on the utility account, masked
    periods: list[str]  # the months due, oldest first (YYYY-MM)
    amount_fen: Annotated[StrictInt, Field(gt=0)]  # all of them together


class UtilityPayRequest(Request):
    company_code: CompanyCode
    customer_no: CustomerNo
    periods: Annotated[list[Period], Field(min_length=1, max_length=24)]  # as the bill answered
    amount_fen: Annotated[StrictInt, Field(gt=0)]  # as the customer confirmed it
    pan: Pan
    pin_block: PinBlockHex
    key_id: KeyId
    approval_ref: Ref | None = None  # a supervisor's, above the kiosk's payment limit (kept with the payment)


class UtilityPayResult(Result):
    payment_ref: str
    company_name: str
    customer_no: str
    holder_masked: str
    periods: list[str]
    amount_fen: Fen
    debited_fen: Fen
    paid_at: datetime
    account_masked: str


_CARD_PIN = ("card_not_found", "card_lost", "card_expired", "pin_block_invalid", "pin_wrong", "pin_locked")
UTILITY_OPERATIONS = (
    Operation("utility.bill", UtilityBillRequest, UtilityBillResult, False,
              ("account_unknown", "barcode_unknown", "no_bill_due"), "ops_utility.utility_bill"),
    Operation("utility.pay", UtilityPayRequest, UtilityPayResult, True,
              (*_CARD_PIN, "account_unknown", "no_bill_due", "amount_changed", "insufficient_funds"),
              "ops_utility.pay_utility_bill", reversible=True),
)

OPERATIONS.update({op.name: op for op in UTILITY_OPERATIONS})
