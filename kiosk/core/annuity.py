"""Equal instalments (等额本息) on integer fen: the annuity payment and the repayment schedule of a loan.

The monthly rate is the annual rate / 12 (a Chinese bank's 月利率), rates are ``Decimal``. The payment is the
annuity formula ``P x i x (1 + i)^n / ((1 + i)^n - 1)`` (``P / n`` at a zero rate) rounded half up to the fen;
each month's interest is the balance x i, rounded half up to the fen, and the rest of the payment repays
principal. The last instalment repays whatever principal is left, with its month's interest: it absorbs the
rounding, so the principal parts add up to the loan exactly and no fen is lost or invented. The total
interest is the sum of the months' interest. For a loan without fees this nominal annual rate is the APR the
regulator asks banks to show (年化利率, IRR x 12).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

from kiosk.core.rates import add_months

MONTHS_A_YEAR = 12


def _fen(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _check(principal_fen: int, annual_rate: Decimal, months: int) -> None:
    if not isinstance(principal_fen, int) or isinstance(principal_fen, bool) or principal_fen < 0:
        raise ValueError(f"a principal is non-negative integer fen, got {principal_fen!r}")
    if not isinstance(annual_rate, Decimal) or not annual_rate.is_finite() or annual_rate < 0:
        raise ValueError(f"a rate is a non-negative Decimal, got {annual_rate!r}")
    if not isinstance(months, int) or months < 1:
        raise ValueError(f"a loan runs one month or more, got {months!r}")


def monthly_rate(annual_rate: Decimal) -> Decimal:
    return annual_rate / MONTHS_A_YEAR


def exact_payment(principal_fen: int, annual_rate: Decimal, months: int) -> Decimal:
    """The annuity payment in fen, unrounded (40 significant digits)."""
    _check(principal_fen, annual_rate, months)
    with localcontext() as ctx:
        ctx.prec = 40
        i = monthly_rate(annual_rate)
        if i == 0:
            return Decimal(principal_fen) / months
        growth = (1 + i) ** months
        return Decimal(principal_fen) * i * growth / (growth - 1)


def payment_fen(principal_fen: int, annual_rate: Decimal, months: int) -> int:
    """The regular monthly payment: the annuity formula, rounded half up to the fen."""
    return _fen(exact_payment(principal_fen, annual_rate, months))


@dataclass(frozen=True)
class Instalment:
    period: int  # 1 to months
    due_on: date
    payment_fen: int  # principal + interest
    principal_fen: int
    interest_fen: int
    balance_after_fen: int  # principal still owed once this instalment is paid


@dataclass(frozen=True)
class Schedule:
    principal_fen: int
    annual_rate: Decimal
    months: int
    start: date  # the day the loan is paid out; instalment k is due ``add_months(start, k)``
    instalments: tuple[Instalment, ...]

    @property
    def regular_fen(self) -> int:
        """The payment of every month but the last."""
        return self.instalments[0].payment_fen

    @property
    def last_fen(self) -> int:
        return self.instalments[-1].payment_fen

    @property
    def total_interest_fen(self) -> int:
        return sum(i.interest_fen for i in self.instalments)

    @property
    def total_fen(self) -> int:
        return sum(i.payment_fen for i in self.instalments)

    @property
    def first_due_on(self) -> date:
        return self.instalments[0].due_on

    @property
    def last_due_on(self) -> date:
        return self.instalments[-1].due_on


def repayment_schedule(principal_fen: int, annual_rate: Decimal, months: int, start: date) -> Schedule:
    """Equal monthly instalments; the last one repays what is left, so the principal parts sum to the loan."""
    regular = payment_fen(principal_fen, annual_rate, months)
    i = monthly_rate(annual_rate)
    balance = principal_fen
    rows: list[Instalment] = []
    for period in range(1, months + 1):
        interest = _fen(Decimal(balance) * i)
        principal = balance if period == months else min(max(regular - interest, 0), balance)
        balance -= principal
        rows.append(Instalment(period, add_months(start, period), principal + interest, principal, interest, balance))
    return Schedule(principal_fen, annual_rate, months, start, tuple(rows))
