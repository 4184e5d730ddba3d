"""Host operations for opening a time deposit (定期存款, issue 14): the bank's rate table for the card's
account, and opening the deposit from the card's current account. Declared here, next to their request
and result models, and added to :data:`kiosk.host.api.OPERATIONS` there.

Rates are ``Decimal`` (JSON strings on the wire: "0.0095" is 0.95 % a year); money is integer fen. The
kiosk estimates the interest with :func:`kiosk.core.rates.interest_fen` from the table's ``value_date``
and sends back the rate and the interest the customer saw: the host opens the deposit on exactly those,
or refuses (``rate_changed``, ``interest_changed``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StrictInt

from kiosk.host.api import OPERATIONS, Fen, KeyId, Operation, Pan, PinBlockHex, Request, Result

DepositTerm = Literal["3m", "6m", "1y", "2y", "3y", "5y"]  # the terms a customer can open (not "demand")
AnnualRate = Annotated[Decimal, Field(ge=0, le=1, max_digits=8, decimal_places=6)]
CARD = ("card_not_found", "card_lost")
CARD_PIN = (*CARD, "pin_locked", "pin_block_invalid", "pin_wrong")


class TimeDepositRateTableRequest(Request):
    pan: Pan


class DepositRate(Result):
    term: str  # 3m, 6m, 1y, 2y, 3y, 5y
    months: StrictInt
    rate: Decimal  # annual


class TimeDepositRateTableResult(Result):
    value_date: date  # the host's today: a deposit opened now starts on it and matures ``months`` later
    account_masked: str  # the card's current account, which the deposit is paid from
    minimum_fen: Fen  # the smallest deposit the bank opens
    rates: list[DepositRate]  # shortest term first


class TimeDepositOpenRequest(Request):
    pan: Pan
    pin_block: PinBlockHex
    key_id: KeyId
    term: DepositTerm
    amount_fen: Annotated[StrictInt, Field(gt=0)]  # the principal, debited from the card's account
    rate: AnnualRate  # the rate shown before confirm: the host refuses another
    interest_fen: Fen  # the interest at maturity shown before confirm: the host refuses another
    auto_rollover: bool  # at maturity principal and interest are deposited again for the same term


class TimeDepositOpenResult(Result):
    cd_no: str  # the certificate of deposit number (存单号)
    account_masked: str
    term: str
    months: StrictInt
    principal_fen: Fen
    rate: Decimal
    opened_on: date
    maturity_on: date
    interest_fen: Fen  # at maturity, if held to it
    auto_rollover: bool
    debited_fen: Fen  # what left the current account: the principal
    opened_at: datetime


TD_OPEN_OPERATIONS = (
    Operation("time_deposits.rate_table", TimeDepositRateTableRequest, TimeDepositRateTableResult, False, CARD,
              "ops_td_open.rate_table"),
    Operation("time_deposits.open", TimeDepositOpenRequest, TimeDepositOpenResult, True,
              (*CARD_PIN, "term_unknown", "below_minimum", "rate_changed", "interest_changed", "insufficient_funds"),
              "ops_td_open.open_deposit", reversible=True),
)

_taken = {op.name for op in TD_OPEN_OPERATIONS} & set(OPERATIONS)
if _taken:  # another module declared the same name: refuse rather than replace it silently
    raise RuntimeError(f"host operations declared twice: {sorted(_taken)}")
OPERATIONS.update({op.name: op for op in TD_OPEN_OPERATIONS})
