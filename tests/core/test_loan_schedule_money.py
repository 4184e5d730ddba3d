"""Equal-instalment schedules never lose or invent a fen (hypothesis): the principal parts add up to the loan
exactly, every instalment is whole fen and is its principal plus its interest, each month's interest is the
balance x rate / 12 rounded half up, every month but the last pays the same, the last absorbs the rounding,
and the total interest is the exact annuity's within the rounding. Paying loans out moves exactly their
principal into the account, the schedule the host records is the one the kiosk shows, and a refusal moves
nothing."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.pinpad.pinblock import encrypt_pin
from flows.consumer_loan_contract import LoanApplication
from kiosk.core.annuity import exact_payment, payment_fen, repayment_schedule
from kiosk.core.rates import add_months
from kiosk.host.api_loan import (
    MAX_AMOUNT_FEN,
    MIN_AMOUNT_FEN,
    TERMS_MONTHS,
    LoanDecideRequest,
    LoanDisburseRequest,
)
from kiosk.host.sim.context import OpContext, Refusal
from kiosk.host.sim.ops_loan import decide_application, disburse

from .seeded_bank import KEY, KEY_ID, card_balance, scratch, seeded_bank

principals = st.integers(min_value=0, max_value=10**10)
loans = st.integers(min_value=MIN_AMOUNT_FEN, max_value=MAX_AMOUNT_FEN)
rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("0.36"), places=4)
months = st.integers(min_value=1, max_value=60)
starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


def half_up(value: Fraction) -> int:
    return int((value + Fraction(1, 2)).__floor__())


@given(principals, rates, months, starts)
def test_the_principal_parts_sum_to_the_loan_and_every_instalment_is_whole_fen(
        principal: int, rate: Decimal, n: int, start: date) -> None:
    schedule = repayment_schedule(principal, rate, n, start)
    rows = schedule.instalments
    assert [i.period for i in rows] == list(range(1, n + 1))
    assert sum(i.principal_fen for i in rows) == principal  # no fen lost or invented
    assert schedule.total_fen == principal + schedule.total_interest_fen
    balance = principal
    for i in rows:
        assert all(isinstance(v, int) and v >= 0 for v in (i.payment_fen, i.principal_fen, i.interest_fen))
        assert i.payment_fen == i.principal_fen + i.interest_fen
        assert i.interest_fen == half_up(Fraction(balance) * Fraction(rate) / 12)  # this month's, rounded once
        balance -= i.principal_fen
        assert i.balance_after_fen == balance >= 0
        assert i.due_on == add_months(start, i.period)
    assert balance == 0


@given(loans, rates, st.sampled_from(TERMS_MONTHS), starts)
def test_every_month_but_the_last_pays_the_annuity_and_the_last_absorbs_the_rounding(
        principal: int, rate: Decimal, n: int, start: date) -> None:
    schedule = repayment_schedule(principal, rate, n, start)
    exact = exact_payment(principal, rate, n)
    assert schedule.regular_fen == payment_fen(principal, rate, n) == half_up(Fraction(exact))
    assert {i.payment_fen for i in schedule.instalments[:-1]} <= {schedule.regular_fen}
    # Each month's payment and interest are off the exact figures by half a fen at most: the balance carries at
    # most a fen a month, grown by the rate until the end; the last instalment is off by that and no more.
    i = Fraction(rate) / 12
    carried = Fraction(n) if i == 0 else ((1 + i) ** n - 1) / i
    off = carried * (1 + i) + 1
    assert abs(schedule.last_fen - Fraction(exact)) <= off
    exact_interest = Fraction(exact) * n - principal
    assert abs(Fraction(schedule.total_interest_fen) - exact_interest) <= Fraction(n - 1, 2) + off


@given(loans, st.sampled_from(TERMS_MONTHS), starts)
def test_without_interest_the_loan_is_split_evenly(principal: int, n: int, start: date) -> None:
    schedule = repayment_schedule(principal, Decimal(0), n, start)
    assert schedule.total_interest_fen == 0
    assert schedule.regular_fen == half_up(Fraction(principal, n))
    assert schedule.total_fen == principal


def test_the_annuity_of_a_known_loan() -> None:
    """50,000 yuan over 12 months at 3.60 %: 50,000 x 0.003 x 1.003^12 / (1.003^12 - 1) = 4,248.36 yuan a month,
    the last 4,248.39 yuan, 980.35 yuan of interest in all."""
    schedule = repayment_schedule(5_000_000, Decimal("0.036"), 12, date(2026, 12, 5))
    assert (schedule.regular_fen, schedule.last_fen, schedule.total_interest_fen) == (424_836, 424_839, 98_035)
    assert schedule.instalments[0].interest_fen == 15_000  # 50,000 x 0.3 %
    assert schedule.first_due_on == date(2027, 1, 5)
    assert schedule.last_due_on == date(2027, 12, 5)
    assert schedule.total_interest_fen == schedule.total_fen - 5_000_000


@pytest.mark.parametrize("bad", [(-1, Decimal("0.03"), 12), (100, Decimal("-0.01"), 12), (100, Decimal("0.03"), 0),
                                 (100, 0.03, 12), (True, Decimal("0.03"), 12), (100, Decimal("NaN"), 12)])
def test_nonsense_is_refused(bad: tuple[Any, Any, Any]) -> None:
    with pytest.raises(ValueError, match="a principal is|a rate is|a loan runs"):
        repayment_schedule(bad[0], bad[1], bad[2], date(2026, 1, 1))


# --- the host pays out exactly what the kiosk shows ------------------------------------------------------

ZHANG_ID, PAN, PIN = "110105198503121234", "6228480402564890018", "147258"


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_bank(tmp_path_factory.mktemp("loan"))


def _balance(conn: sqlite3.Connection) -> int:
    return card_balance(conn, PAN)


def kiosk_schedule(decision: Any, amount_yuan: str) -> Any:
    """The schedule the kiosk's contract shows, from the host's decision."""
    visit = LoanApplication()
    visit.loan_amount_yuan, visit.decision = amount_yuan, decision
    return visit.schedule


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(min_value=1_000, max_value=200_000), st.sampled_from(TERMS_MONTHS),
                          st.integers(min_value=3_000, max_value=90_000), st.booleans()), min_size=1, max_size=4),
       st.datetimes(min_value=datetime(2027, 1, 1), max_value=datetime(2060, 12, 31)))
def test_paying_loans_out_moves_exactly_their_principal(bank: Path, applications: list[tuple[int, int, int, bool]],
                                                        when: datetime) -> None:
    now = datetime.combine(when.date(), time(10, 0), tzinfo=UTC)
    pin_block = encrypt_pin(PIN, PAN, KEY).hex().upper()
    with scratch(bank) as conn:
        balance = _balance(conn)
        for number, (yuan, term, income, tampered) in enumerate(applications):
            ctx = OpContext(conn, now, {KEY_ID: KEY}, f"key-{number}")
            decided = decide_application(ctx, LoanDecideRequest(
                id_number=ZHANG_ID, pan=PAN, amount_fen=yuan * 100, term_months=term, purpose="travel",
                monthly_income_fen=income * 100, consent_credit_bureau=True, consent_social_insurance=True))
            if decided.decision != "approved":
                continue
            shown = kiosk_schedule(decided, str(yuan))
            assert (shown.regular_fen, shown.last_fen, shown.total_interest_fen) == (
                decided.instalment_fen, decided.last_instalment_fen, decided.total_interest_fen)
            request = LoanDisburseRequest(
                application_ref=decided.application_ref, id_number=ZHANG_ID, pan=PAN, pin_block=pin_block,
                key_id=KEY_ID, amount_fen=decided.amount_fen, term_months=term, apr=cast(Decimal, decided.apr),
                instalment_fen=shown.regular_fen + (1 if tampered else 0), last_instalment_fen=shown.last_fen,
                total_interest_fen=shown.total_interest_fen, value_date=decided.value_date)
            pay = OpContext(conn, now, {KEY_ID: KEY}, f"pay-{number}")
            if tampered:  # a figure the customer did not see: refused, nothing paid
                with pytest.raises(Refusal, match="terms_changed"):
                    disburse(pay, request)
                assert _balance(conn) == balance
                continue
            loan = disburse(pay, request)
            balance += yuan * 100
            assert loan.credited_fen == loan.principal_fen == yuan * 100
            assert _balance(conn) == balance
            stored = conn.execute("SELECT period, due_on, payment_fen, principal_fen, interest_fen FROM loan_schedule "
                                  "WHERE loan_no = ? ORDER BY period", (loan.loan_no,)).fetchall()
            assert [tuple(r) for r in stored] == [(i.period, i.due_on.isoformat(), i.payment_fen, i.principal_fen,
                                                   i.interest_fen) for i in shown.instalments]
            assert sum(r["principal_fen"] for r in stored) == loan.principal_fen


def test_the_flow_reads_a_schedule_only_of_an_approval() -> None:
    visit = LoanApplication()
    visit.decision = cast(Any, SimpleNamespace(apr=None))
    with pytest.raises(LookupError):
        _ = visit.schedule
