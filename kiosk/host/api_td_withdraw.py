"""Host operations for withdrawing a time deposit (定期支取, issue 14): the customer's deposits, the quote of a
withdrawal, and the withdrawal. Declared here, next to their request and result models, and added to
:data:`kiosk.host.api.OPERATIONS` there.

A withdrawal is quoted first (principal, interest, the interest lost by withdrawing early, the amount
credited), the customer confirms those figures, and the withdrawal carries them back: the host posts them
only when they are still the figures (``quote_changed`` otherwise, with the new quote in its details).
Rates are ``Decimal`` (JSON strings); money is integer fen.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StrictInt, model_validator

from kiosk.host.api import OPERATIONS, Fen, KeyId, Operation, Pan, PinBlockHex, Ref, Request, Result

WithdrawKind = Literal["full", "partial"]  # what the customer asks for
Withdrawal = Literal["at_maturity", "early_full", "early_partial"]  # what the host makes of it
PositiveFen = Annotated[StrictInt, Field(gt=0)]


class TimeDepositsRequest(Request):
    pan: Pan
    pin_block: PinBlockHex = Field(repr=False)
    key_id: KeyId


class TimeDeposit(Result):
    """A time deposit as it stands on the host's today (an auto-rollover deposit in its current term, its
    principal with the interest of the terms behind it)."""

    cd_no: str  # the certificate of deposit number: the deposit's reference
    cd_masked: str
    term: str  # 3m, 6m, 1y, 2y, 3y, 5y
    months: StrictInt
    principal_fen: Fen
    rate: Decimal  # annual, the term's rate when it was opened
    opened_on: date  # the current term's start
    maturity_on: date  # the current term's end
    auto_rollover: bool
    matured: bool  # on or after the maturity date: withdrawn in full with the term's interest
    partial_done: bool  # its one partial withdrawal is used


class TimeDepositsResult(Result):
    account_masked: str  # the card's account, where a withdrawal is credited
    demand_rate: Decimal  # paid on an early withdrawal
    min_remainder_fen: Fen  # what a partial withdrawal must leave on the deposit
    deposits: list[TimeDeposit]


class WithdrawalQuoteRequest(Request):
    """``kind`` full, or partial with ``amount_fen`` (the principal to take out)."""

    pan: Pan
    cd_no: Ref
    kind: WithdrawKind
    amount_fen: PositiveFen | None = None

    @model_validator(mode="after")
    def _amount_for_partial(self) -> WithdrawalQuoteRequest:
        if (self.kind == "partial") != (self.amount_fen is not None):
            raise ValueError("a partial withdrawal gives amount_fen; a full one does not")
        return self


class WithdrawalQuoteResult(Result):
    cd_no: str
    cd_masked: str
    term: str
    withdrawal: Withdrawal
    principal_fen: Fen  # principal paid out
    interest_fen: Fen  # interest paid
    interest_lost_fen: Fen  # what the term's rate would have paid on that principal for those days, less what is paid
    credited_fen: Fen  # principal + interest, to the card's account
    remainder_fen: Fen  # principal left on the deposit (a partial withdrawal), else 0
    rate: Decimal
    demand_rate: Decimal
    days_held: StrictInt  # days in the current term (at maturity: the term's days)
    overdue_days: StrictInt  # days after maturity, paid at the demand rate
    opened_on: date
    maturity_on: date
    account_masked: str
    quoted_on: date


class WithdrawRequest(WithdrawalQuoteRequest):
    """The quote's request, the PIN, and the figures the customer confirmed."""

    pin_block: PinBlockHex = Field(repr=False)
    key_id: KeyId
    principal_fen: Fen
    interest_fen: Fen
    interest_lost_fen: Fen


class WithdrawResult(Result):
    withdrawal_ref: str
    cd_masked: str
    withdrawal: Withdrawal
    principal_fen: Fen
    interest_fen: Fen
    interest_lost_fen: Fen
    credited_fen: Fen
    remainder_fen: Fen
    rate: Decimal
    maturity_on: date  # the remainder's (it keeps its term and rate)
    account_masked: str
    withdrawn_at: datetime


_CARD = ("card_not_found", "card_lost")
_PIN = ("pin_locked", "pin_block_invalid", "pin_wrong")
_DEPOSIT = ("deposit_not_found", "deposit_not_yours", "deposit_withdrawn", "partial_already_done",
            "partial_at_maturity", "remainder_below_minimum")
TD_WITHDRAW_OPERATIONS = (
    Operation("time_deposits.holdings", TimeDepositsRequest, TimeDepositsResult, False, (*_CARD, *_PIN),
              "ops_td_withdraw.time_deposits"),
    Operation("time_deposits.withdraw_quote", WithdrawalQuoteRequest, WithdrawalQuoteResult, False,
              (*_CARD, *_DEPOSIT), "ops_td_withdraw.quote_withdrawal"),
    Operation("time_deposits.withdraw", WithdrawRequest, WithdrawResult, True,
              (*_CARD, *_PIN, *_DEPOSIT, "quote_changed"), "ops_td_withdraw.withdraw"),
)

OPERATIONS.update({op.name: op for op in TD_WITHDRAW_OPERATIONS})
