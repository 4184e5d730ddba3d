"""Wealth money never loses or invents a fen (hypothesis): the expected return is the exact figure rounded half up,
the questionnaire's grade follows its score, and purchases move exactly their amount from accounts to holdings
and out of the products' quotas, whatever the amounts."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from devices.pinpad.pinblock import encrypt_pin
from kiosk.host.api import OPERATIONS
from kiosk.host.api_wealth import WealthPurchaseRequest
from kiosk.host.sim.context import SimulatorClock
from kiosk.host.sim.ledger import Ledger
from kiosk.host.sim.ops_wealth import GRADES, SCORES, age_on, expected_return_fen, grade_allows, score_answers
from kiosk.host.sim.seed import load_seed
from kiosk.host.sim.store import Store

amounts = st.integers(min_value=0, max_value=10**12)
rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("0.3"), places=4)
days = st.integers(min_value=0, max_value=3650)
answers = st.lists(st.sampled_from("abcd"), min_size=10, max_size=10)


def half_up(value: Fraction) -> int:
    return int((value + Fraction(1, 2)).__floor__())


@given(amounts, rates, days)
def test_the_expected_return_is_the_exact_figure_rounded_half_up(principal: int, rate: Decimal, n: int) -> None:
    exact = Fraction(principal) * Fraction(rate) * n / 365
    assert expected_return_fen(principal, rate, n) == half_up(exact)


@given(amounts, rates, rates, days)
def test_a_higher_rate_never_expects_less(principal: int, r1: Decimal, r2: Decimal, n: int) -> None:
    low, high = sorted((r1, r2))
    assert expected_return_fen(principal, low, n) <= expected_return_fen(principal, high, n)


@given(amounts, amounts, rates, days)
def test_splitting_a_purchase_changes_its_expected_return_by_at_most_a_fen(a: int, b: int, rate: Decimal,
                                                                        n: int) -> None:
    whole = expected_return_fen(a + b, rate, n)
    assert abs(expected_return_fen(a, rate, n) + expected_return_fen(b, rate, n) - whole) <= 1


@given(answers)
def test_the_grade_follows_the_score_unless_no_loss_can_be_borne(given_answers: list[str]) -> None:
    score, grade = score_answers(given_answers)
    assert score == sum(SCORES[i]["abcd".index(a)] for i, a in enumerate(given_answers))
    if given_answers[7] == "a":
        assert grade == "C1"
    else:
        assert grade == next(g for least, g in GRADES if score >= least)
        assert all(score < least for least, g in GRADES if g > grade)


@given(st.sampled_from(["C1", "C2", "C3", "C4", "C5"]), st.sampled_from(["R1", "R2", "R3", "R4", "R5"]))
def test_cn_buys_up_to_rn(grade: str, risk: str) -> None:
    assert grade_allows(grade, risk) == (int(risk[1]) <= int(grade[1]))


@given(st.dates(min_value=date(1920, 1, 1), max_value=date(2010, 12, 31)),
       st.dates(min_value=date(2011, 1, 1), max_value=date(2090, 12, 31)))
def test_the_age_counts_full_years_from_the_id_number(born: date, today: date) -> None:
    id_number = f"110105{born:%Y%m%d}123X"
    age = age_on(id_number, today)
    had_birthday = (today.month, today.day) >= (born.month, born.day)
    assert age == today.year - born.year - (0 if had_birthday else 1)


KEY = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
ZHANG_ID, PAN, PIN = "110105198503121234", "6228480402564890018", "147258"  # C3, 5,000.00 yuan
PRODUCTS = ("WM1D007", "WM2D090", "WM3D180")  # R1-R3: what a C3 customer buys here
# mostly whole yuan (up to 4,000.00), sometimes any fen
purchase_amounts = st.one_of(st.integers(min_value=1, max_value=4000).map(lambda y: y * 100),
                             st.integers(min_value=1, max_value=400_000))


def _ledger(tmp: Path) -> Ledger:
    ledger = Ledger(Store(tmp / "host.db"), SimulatorClock(), {"TPK-DEMO-01": KEY})
    ledger.seed(load_seed())
    return ledger


def _money(ledger: Ledger) -> tuple[int, int, int]:
    """(all account balances, all holdings, all products' quota left)."""
    with ledger.store.transaction() as conn:
        balances = conn.execute("SELECT SUM(balance_fen) FROM accounts").fetchone()[0]
        held = conn.execute("SELECT COALESCE(SUM(amount_fen), 0) FROM wealth_holdings").fetchone()[0]
        quota = conn.execute("SELECT SUM(quota_left_fen) FROM wealth_products").fetchone()[0]
    return int(balances), int(held), int(quota)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PRODUCTS), purchase_amounts), min_size=1, max_size=6))
def test_purchases_move_exactly_their_amount_into_holdings(tmp_path_factory, buys: list[tuple[str, int]]) -> None:
    ledger = _ledger(tmp_path_factory.mktemp("ledger"))
    balances, held, quota = _money(ledger)
    bought = 0
    for product, amount in buys:
        request = WealthPurchaseRequest(id_number=ZHANG_ID, pan=PAN, pin_block=encrypt_pin(PIN, PAN, KEY).hex().upper(),
                                        key_id="TPK-DEMO-01", product_code=product, amount_fen=amount)
        outcome = ledger.execute(OPERATIONS["wealth.purchase"], request, uuid.uuid4().hex)
        if outcome.http_status == 200:
            assert outcome.body["result"]["debited_fen"] == amount
            assert amount % 100 == 0
            bought += amount
        else:
            assert outcome.body["error"]["code"] in {"amount_not_whole_yuan", "amount_below_minimum",
                                                     "quota_exceeded", "insufficient_funds"}
    after = _money(ledger)
    assert after == (balances - bought, held + bought, quota - bought)
    assert after[0] + after[1] == balances + held  # nothing lost, nothing invented
    ledger.store.close()
