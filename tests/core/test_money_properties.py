"""Money never loses or invents a fen: interest, fees and the transfer limits, over random amounts, rates,
terms and dates (hypothesis)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from devices.pinpad.pinblock import encrypt_pin
from kiosk.core.rates import (
    INTERBANK_FEE_MAX_FEN,
    INTERBANK_FEE_MIN_FEN,
    INTERBANK_FEE_RATE,
    add_months,
    interest_fen,
    transfer_fee_fen,
)
from kiosk.host.api import OPERATIONS, TransferSendRequest
from kiosk.host.sim.context import SimulatorClock
from kiosk.host.sim.ledger import Ledger
from kiosk.host.sim.seed import load_seed
from kiosk.host.sim.store import Store

amounts = st.integers(min_value=0, max_value=10**12)
rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("0.2"), places=6)
days = st.integers(min_value=0, max_value=3660)


def half_up(value: Fraction) -> int:
    return int((value + Fraction(1, 2)).__floor__())


@given(amounts, rates, days)
def test_interest_is_the_exact_figure_rounded_half_up_to_the_fen(principal: int, rate: Decimal, n: int) -> None:
    exact = Fraction(principal) * Fraction(rate) * n / 360
    got = interest_fen(principal, rate, n)
    assert got == half_up(exact)
    assert abs(got - exact) <= Fraction(1, 2)


@given(amounts, amounts, rates, days)
def test_splitting_a_deposit_changes_its_interest_by_at_most_a_fen(a: int, b: int, rate: Decimal, n: int) -> None:
    assert abs(interest_fen(a, rate, n) + interest_fen(b, rate, n) - interest_fen(a + b, rate, n)) <= 1


@given(amounts, rates, days, days)
def test_interest_grows_with_time(principal: int, rate: Decimal, d1: int, d2: int) -> None:
    lo, hi = sorted((d1, d2))
    assert interest_fen(principal, rate, lo) <= interest_fen(principal, rate, hi)


@given(amounts)
def test_the_interbank_fee_is_the_rate_rounded_then_floored_and_capped(amount: int) -> None:
    fee = transfer_fee_fen(amount, same_bank=False)
    assert transfer_fee_fen(amount, same_bank=True) == 0
    if amount == 0:
        assert fee == 0
        return
    exact = half_up(Fraction(amount) * Fraction(INTERBANK_FEE_RATE))
    assert fee == min(max(exact, INTERBANK_FEE_MIN_FEN), INTERBANK_FEE_MAX_FEN)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.sampled_from([3, 6, 12, 24, 36, 60]))
def test_a_term_ends_in_its_month_on_the_same_day_or_the_month_end(start: date, months: int) -> None:
    end = add_months(start, months)
    assert (end.year - start.year) * 12 + end.month - start.month == months
    assert end.day == start.day or end.day < start.day


KEY = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
PAN = "6228480402564890018"


def _ledger(tmp: Path) -> Ledger:
    ledger = Ledger(Store(tmp / "host.db"), SimulatorClock(), {"TPK-DEMO-01": KEY})  # "host.db": the bank side
    ledger.seed(load_seed())
    return ledger


def _balances(ledger: Ledger) -> int:
    with ledger.store.transaction() as conn:
        return int(conn.execute("SELECT SUM(balance_fen) FROM accounts").fetchone()[0])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(min_value=1, max_value=300_000), st.booleans()), min_size=1, max_size=6),
       st.integers(min_value=1, max_value=500_000))
def test_transfers_move_exactly_amount_and_fee_and_stay_under_the_daily_limit(
        tmp_path_factory, sends: list[tuple[int, bool]], daily_limit: int) -> None:
    ledger = _ledger(tmp_path_factory.mktemp("ledger"))
    before, sent, fees = _balances(ledger), 0, 0
    for amount, other_bank in sends:
        payee = {"payee_ref": "PY00000002" if other_bank else "PY00000001"}
        fee = transfer_fee_fen(amount, same_bank=not other_bank)
        request = TransferSendRequest(
            pan=PAN, pin_block=encrypt_pin("147258", PAN, KEY).hex().upper(), key_id="TPK-DEMO-01", payee=payee,
            amount_fen=amount, fee_fen=fee, purpose="family", daily_limit_fen=daily_limit)
        outcome = ledger.execute(OPERATIONS["transfer.send"], request, uuid.uuid4().hex)
        if outcome.http_status == 200:
            result = outcome.body["result"]
            assert result["debited_fen"] == amount + fee
            sent += amount
            fees += fee
            if other_bank:
                fees += amount  # left the bank: the clearing holds it
        else:
            assert outcome.body["error"]["code"] in {"daily_limit_exceeded", "insufficient_funds"}
    assert sent <= daily_limit
    assert _balances(ledger) == before - fees
    ledger.store.close()
