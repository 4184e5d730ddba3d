"""What a time deposit pays out when it is withdrawn (定期支取): pure arithmetic on integer fen and Decimal rates,
every figure rounded once, half up, by :func:`kiosk.core.rates.interest_fen` (actual/360).

- **At maturity** (on or after the maturity date): the principal, the term's interest at the deposit's rate
  for the term's days, and for the days after maturity the demand rate (逾期部分按活期计息).
- **Early** (before it): the principal taken out earns the demand rate for the days it was held; the interest
  lost is what the term's rate would have paid on it for those days, less what is paid. In full, or once in
  part: the remainder keeps its term, rate and maturity date, and must be at least ``MIN_REMAINDER_FEN``.
- **Auto-rollover** deposits roll over the day after each maturity with their interest (本息转存) at the same
  rate: a withdrawal sees the current term, its principal with the interest of the terms behind it.

Nothing is lost or invented: the principal paid out and the remainder add up to the principal; the interest
paid and the interest lost add up to the term's interest on the principal paid out for the days held.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from kiosk.core.rates import add_months, interest_fen

MIN_REMAINDER_FEN = 5000  # 50 yuan: the least a partial withdrawal leaves on the deposit


class WithdrawalRefused(ValueError):
    """The withdrawal asked for is not allowed; ``code`` is the host's refusal code."""

    def __init__(self, code: str, **details: int) -> None:
        super().__init__(code)
        self.code = code
        self.details = details


@dataclass(frozen=True)
class TermDeposit:
    principal_fen: int
    rate: Decimal
    opened_on: date  # the current term's start as recorded
    maturity_on: date
    months: int
    auto_rollover: bool = False


@dataclass(frozen=True)
class Standing:
    """The deposit on a given day: auto-rollover terms behind it are rolled, their interest added."""

    principal_fen: int
    term_start: date
    term_end: date

    def matured(self, today: date) -> bool:
        return today >= self.term_end


def standing(deposit: TermDeposit, today: date) -> Standing:
    principal, start, end = deposit.principal_fen, deposit.opened_on, deposit.maturity_on
    if deposit.auto_rollover and deposit.months > 0:
        terms = 1
        while today > end:  # rolled over the day after maturity: the maturity day itself is still "at maturity"
            principal += interest_fen(principal, deposit.rate, (end - start).days)
            terms += 1
            start, end = end, add_months(deposit.opened_on, deposit.months * terms)
    return Standing(principal, start, end)


@dataclass(frozen=True)
class Split:
    """A withdrawal's figures, all integer fen."""

    withdrawal: Literal["at_maturity", "early_full", "early_partial"]
    principal_fen: int  # paid out
    interest_fen: int  # paid
    interest_lost_fen: int
    remainder_fen: int  # left on the deposit
    days_held: int
    overdue_days: int

    @property
    def credited_fen(self) -> int:
        return self.principal_fen + self.interest_fen


def split(deposit: TermDeposit, demand_rate: Decimal, today: date, amount_fen: int | None) -> Split:
    """The withdrawal on ``today`` of the whole deposit (``amount_fen`` None) or of ``amount_fen`` of its
    principal; :class:`WithdrawalRefused` when that is not allowed."""
    now = standing(deposit, today)
    if today < now.term_start:
        raise ValueError("the deposit was opened after this day")
    if now.matured(today):
        if amount_fen is not None:
            raise WithdrawalRefused("partial_at_maturity")
        term_days, overdue = (now.term_end - now.term_start).days, (today - now.term_end).days
        interest = (interest_fen(now.principal_fen, deposit.rate, term_days)
                    + interest_fen(now.principal_fen, demand_rate, overdue))
        return Split("at_maturity", now.principal_fen, interest, 0, 0, term_days, overdue)
    taken = now.principal_fen if amount_fen is None else amount_fen
    if amount_fen is not None and not (0 < amount_fen and now.principal_fen - amount_fen >= MIN_REMAINDER_FEN):
        raise WithdrawalRefused("remainder_below_minimum", min_remainder_fen=MIN_REMAINDER_FEN,
                                max_amount_fen=max(now.principal_fen - MIN_REMAINDER_FEN, 0))
    days = (today - now.term_start).days
    paid = interest_fen(taken, demand_rate, days)
    at_term_rate = interest_fen(taken, deposit.rate, days)
    return Split("early_full" if amount_fen is None else "early_partial", taken, paid,
                 max(at_term_rate - paid, 0), now.principal_fen - taken, days, 0)
