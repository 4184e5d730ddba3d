"""The simulated bank's automatic decision on a consumer loan application: a points score, deterministic.

Knock-out rules decline first, whatever the score: the applicant under 18 or over 60 when the loan ends
(``age``); a credit-bureau account overdue 3 months or more, or written off as bad debt (``credit_record``);
the monthly debts with this loan above 60 % of the income counted (``debt_to_income``). Otherwise five factors
give points (100 at most):

==================  ===========================================================================  ======
factor              measure                                                                      points
==================  ===========================================================================  ======
credit_record       records, none overdue                                                          35
                    no record at the bureau (a thin file)                                          10
                    an account overdue 1-2 months now                                               0
social_insurance    active, months contributed: 36+ / 24-35 / 12-23 / 6-11 / fewer, none        25/20/12/5/0
debt_to_income      (debts a month + this loan's instalment) / income: <=30 % / 40 / 50 / 60 %   25/18/10/0
existing_loans      open loans at the bureau: 0 / 1 / 2 / 3+                                    10/6/2/0
age                 25-45 / 22-24 or 46-55 / 18-21 or 56-60                                       5/3/0
==================  ===========================================================================  ======

Score 70 or more approves (85 or more: APR 3.60 % and a limit of 10 months' income; 70-84: APR 4.80 % and 6
months' income; the limit at most 200,000 yuan, rounded down to 1,000 yuan); an amount above the limit
declines (``amount_over_limit``, the limit given). 50-69 goes to staff (referred). Below 50 declines
(``score_low``).

The income counted is the declared monthly income, capped at 3 x the social-insurance contribution base when
the applicant contributes (the bank's proof of income). Debts a month: 1 % of each open loan's balance and 10 %
of each credit card's balance used (the usual estimate when the bureau shows balances only), rounded half up
to the fen. This loan's instalment for the debt test is figured at the standard rate (4.80 %), whatever rate
the score gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from kiosk.core.annuity import payment_fen
from kiosk.core.rates import add_months
from kiosk.host.api_loan import MAX_AMOUNT_FEN, STANDARD_APR

APPROVE_AT = 70
PRIME_AT = 85
REFER_AT = 50
PRIME_APR = Decimal("0.0360")
LIMIT_MONTHS = {True: 10, False: 6}  # prime or not: the limit in months of income counted
LIMIT_STEP_FEN = 100_000  # limits are whole thousands of yuan
INCOME_CAP_TIMES_BASE = 3
MIN_AGE, MAX_AGE_AT_MATURITY = 18, 60
MAX_DTI = Decimal("0.60")
LOAN_MONTHLY_SHARE = Decimal("0.01")  # of an open loan's balance
CARD_MONTHLY_SHARE = Decimal("0.10")  # of a credit card's balance used
SERIOUS_OVERDUE_MONTHS = 3
BAD_STATUSES = frozenset({"bad_debt", "written_off"})


@dataclass(frozen=True)
class BureauRecord:
    kind: str  # loan, credit_card (queries are not records)
    status: str  # normal, overdue, closed, bad_debt, written_off
    balance_fen: int
    overdue_months: int = 0

    @property
    def open(self) -> bool:
        return self.status != "closed"


@dataclass(frozen=True)
class SocialInsurance:
    months: int  # contributed without a break, up to this month
    base_fen: int  # the monthly contribution base
    active: bool


@dataclass(frozen=True)
class Applicant:
    birth_date: date
    bureau: tuple[BureauRecord, ...]
    social_insurance: SocialInsurance | None


@dataclass(frozen=True)
class Application:
    amount_fen: int
    term_months: int
    monthly_income_fen: int


@dataclass(frozen=True)
class Factor:
    factor: str
    value: str
    points: int


@dataclass(frozen=True)
class Decision:
    decision: str  # approved, referred, declined
    score: int
    reasons: tuple[str, ...]
    factors: tuple[Factor, ...]
    limit_fen: int | None = None
    apr: Decimal | None = None


def _fen(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def income_counted_fen(applicant: Applicant, declared_fen: int) -> int:
    si = applicant.social_insurance
    if si is not None and si.active and si.base_fen > 0:
        return min(declared_fen, INCOME_CAP_TIMES_BASE * si.base_fen)
    return declared_fen


def monthly_debts_fen(bureau: Sequence[BureauRecord]) -> int:
    share = {"loan": LOAN_MONTHLY_SHARE, "credit_card": CARD_MONTHLY_SHARE}
    return sum(_fen(Decimal(r.balance_fen) * share[r.kind]) for r in bureau if r.open and r.kind in share)


def debt_to_income(applicant: Applicant, app: Application) -> Decimal:
    debts = monthly_debts_fen(applicant.bureau) + payment_fen(app.amount_fen, STANDARD_APR, app.term_months)
    return (Decimal(debts) / Decimal(income_counted_fen(applicant, app.monthly_income_fen))).quantize(Decimal("0.001"))


def credit_points(bureau: Sequence[BureauRecord]) -> tuple[int, str]:
    accounts = [r for r in bureau if r.kind in ("loan", "credit_card")]
    if not accounts:
        return 10, "no_record"
    if any(r.open and r.overdue_months > 0 for r in accounts):
        return 0, "overdue"
    return 35, "clean"


def social_insurance_points(si: SocialInsurance | None) -> tuple[int, str]:
    if si is None or not si.active:
        return 0, "none" if si is None else "inactive"
    for months, points in ((36, 25), (24, 20), (12, 12), (6, 5)):
        if si.months >= months:
            return points, str(si.months)
    return 0, str(si.months)


def dti_points(dti: Decimal) -> int:
    for limit, points in ((Decimal("0.30"), 25), (Decimal("0.40"), 18), (Decimal("0.50"), 10), (MAX_DTI, 0)):
        if dti <= limit:
            return points
    return 0


def loans_points(bureau: Sequence[BureauRecord]) -> tuple[int, int]:
    count = sum(1 for r in bureau if r.kind == "loan" and r.open and r.balance_fen > 0)
    return {0: 10, 1: 6, 2: 2}.get(count, 0), count


def age_points(age: int) -> int:
    if 25 <= age <= 45:
        return 5
    return 3 if 22 <= age <= 24 or 46 <= age <= 55 else 0


def knock_outs(applicant: Applicant, app: Application, today: date, dti: Decimal) -> list[str]:
    reasons = []
    at_maturity = age_on(applicant.birth_date, add_months(today, app.term_months))
    if age_on(applicant.birth_date, today) < MIN_AGE or at_maturity > MAX_AGE_AT_MATURITY:
        reasons.append("age")
    if any(r.status in BAD_STATUSES or (r.open and r.overdue_months >= SERIOUS_OVERDUE_MONTHS)
           for r in applicant.bureau):
        reasons.append("credit_record")
    if dti > MAX_DTI:
        reasons.append("debt_to_income")
    return reasons


def limit_fen(income_fen: int, prime: bool) -> int:
    raw = min(income_fen * LIMIT_MONTHS[prime], MAX_AMOUNT_FEN)
    return raw - raw % LIMIT_STEP_FEN


def factors_of(applicant: Applicant, app: Application, today: date, dti: Decimal) -> tuple[Factor, ...]:
    credit, credit_value = credit_points(applicant.bureau)
    si, si_value = social_insurance_points(applicant.social_insurance)
    loans, count = loans_points(applicant.bureau)
    age = age_on(applicant.birth_date, today)
    return (Factor("credit_record", credit_value, credit), Factor("social_insurance", si_value, si),
            Factor("debt_to_income", str(dti), dti_points(dti)), Factor("existing_loans", str(count), loans),
            Factor("age", str(age), age_points(age)))


# What sends an application to staff: each factor that scored below these points, by its reason.
_WEAK = {"credit_record": (35, "credit_overdue"), "social_insurance": (12, "social_insurance_short"),
         "debt_to_income": (10, "debt_to_income_high"), "existing_loans": (6, "many_loans")}


def weak_points(factors: Sequence[Factor]) -> tuple[str, ...]:
    reasons = []
    for f in factors:
        full, reason = _WEAK.get(f.factor, (0, ""))
        if f.points < full:
            reasons.append("credit_thin" if f.value == "no_record" else reason)
    return tuple(reasons)


def decide(applicant: Applicant, app: Application, today: date) -> Decision:
    """The decision on ``app`` by ``applicant`` on ``today``: knock-outs, then the score's band."""
    dti = debt_to_income(applicant, app)
    factors = factors_of(applicant, app, today, dti)
    score = sum(f.points for f in factors)
    declined = knock_outs(applicant, app, today, dti)
    if declined:
        return Decision("declined", score, tuple(declined), factors)
    if score < REFER_AT:
        return Decision("declined", score, ("score_low",), factors)
    if score < APPROVE_AT:
        return Decision("referred", score, weak_points(factors), factors)
    prime = score >= PRIME_AT
    limit = limit_fen(income_counted_fen(applicant, app.monthly_income_fen), prime)
    if app.amount_fen > limit:
        return Decision("declined", score, ("amount_over_limit",), factors, limit_fen=limit)
    return Decision("approved", score, (), factors, limit_fen=limit, apr=PRIME_APR if prime else STANDARD_APR)
