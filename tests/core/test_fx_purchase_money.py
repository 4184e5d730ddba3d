"""Buying foreign currency never loses or invents a fen (or a cent of quota): the conversion, the quota's USD
equivalent and the most a quota allows, over random amounts, rates and currencies (hypothesis); and on the
host's books, random purchases move exactly the quoted yuan, foreign amounts and quota."""

from __future__ import annotations

import uuid
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from devices.pinpad.pinblock import encrypt_pin
from kiosk.core.fx import (
    ANNUAL_QUOTA_USD_CENTS,
    cny_fen,
    format_minor,
    format_rate,
    max_units_within,
    units_to_minor,
    usd_cents,
)
from kiosk.host.api import OPERATIONS
from kiosk.host.api_fx import FxPurchaseRequest, FxQuoteRequest
from kiosk.host.sim.context import SimulatorClock
from kiosk.host.sim.ledger import Ledger
from kiosk.host.sim.seed import load_seed
from kiosk.host.sim.store import Store

amounts = st.integers(min_value=0, max_value=10**13)
exponents = st.integers(min_value=0, max_value=3)
rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("99999.9999"), places=4)
usd_rates = st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("10"), places=6)


def half_up(value: Fraction) -> int:
    return int((value + Fraction(1, 2)).__floor__())


@given(amounts, exponents, rates)
def test_the_yuan_are_the_exact_product_rounded_half_up_to_the_fen(amount: int, exponent: int, rate: Decimal) -> None:
    exact = Fraction(amount) * Fraction(rate) / 10**exponent  # fen: units x yuan per 100 units
    got = cny_fen(amount, exponent, rate)
    assert got == half_up(exact)
    assert abs(got - exact) <= Fraction(1, 2)


@given(amounts, exponents, usd_rates)
def test_the_quota_counts_the_exact_usd_equivalent_rounded_half_up(amount: int, exponent: int, rate: Decimal) -> None:
    exact = Fraction(amount) * Fraction(rate) * 100 / 10**exponent
    assert usd_cents(amount, exponent, rate) == half_up(exact)


@given(amounts, amounts, exponents, rates)
def test_splitting_a_purchase_changes_the_yuan_by_at_most_a_fen(a: int, b: int, exponent: int, rate: Decimal) -> None:
    assert abs(cny_fen(a, exponent, rate) + cny_fen(b, exponent, rate) - cny_fen(a + b, exponent, rate)) <= 1


@given(amounts, amounts, exponents, rates)
def test_more_currency_never_costs_fewer_yuan(a: int, b: int, exponent: int, rate: Decimal) -> None:
    lo, hi = sorted((a, b))
    assert cny_fen(lo, exponent, rate) <= cny_fen(hi, exponent, rate)


@given(st.integers(min_value=0, max_value=ANNUAL_QUOTA_USD_CENTS), exponents, usd_rates)
def test_the_most_a_quota_allows_fits_and_one_more_unit_does_not(left: int, exponent: int, rate: Decimal) -> None:
    most = max_units_within(left, exponent, rate)
    assert usd_cents(units_to_minor(most, exponent), exponent, rate) <= left
    assert usd_cents(units_to_minor(most + 1, exponent), exponent, rate) > left


@given(st.integers(min_value=-(10**13), max_value=10**13), exponents)
def test_an_amount_shown_reads_back_to_the_same_minor_units(amount: int, exponent: int) -> None:
    shown = format_minor(amount, exponent)
    assert int(Decimal(shown.replace(",", "")).scaleb(exponent)) == amount
    assert ("." in shown) is (exponent > 0)


@given(rates)
def test_a_rate_shown_is_the_rate(rate: Decimal) -> None:
    assert Decimal(format_rate(rate)) == rate


# -- on the host's books ---------------------------------------------------------------------------

KEY = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
BUYERS = {"zhang_wei": ("110105198503121234", "6228480402564890018", "147258"),
          "gao_yan": ("320106198811230024", "6228480402564890042", "369258")}


def _ledger(tmp: Path) -> Ledger:
    ledger = Ledger(Store(tmp / "host.db"), SimulatorClock(), {"TPK-DEMO-01": KEY})
    ledger.seed(load_seed())
    return ledger


def _books(ledger: Ledger) -> tuple[int, dict[str, int], dict[str, int]]:
    """All yuan balances, foreign savings by currency, and this year's quota used by ID number."""
    with ledger.store.transaction() as conn:
        yuan = int(conn.execute("SELECT SUM(balance_fen) FROM accounts").fetchone()[0])
        held = {r[0]: int(r[1]) for r in conn.execute("SELECT currency, SUM(balance_minor) FROM fx_holdings "
                                                      "GROUP BY currency")}
        year = ledger.clock.now().year
        used = {r[0]: int(r[1]) for r in conn.execute("SELECT id_number, SUM(usd_cents) FROM fx_purchases "
                                                      "WHERE year = ? GROUP BY id_number", (year,))}
    return yuan, held, used


def _buy(ledger: Ledger, buyer: str, currency: str, amount: int) -> tuple[dict, dict]:
    id_number, pan, pin = BUYERS[buyer]
    quoted = ledger.execute(OPERATIONS["fx.quote"], FxQuoteRequest(
        id_number=id_number, pan=pan, currency=currency, amount_minor=amount, purpose="travel"), uuid.uuid4().hex)
    if quoted.http_status != 200:
        return quoted.body, {}
    q = quoted.body["result"]
    bought = ledger.execute(OPERATIONS["fx.purchase"], FxPurchaseRequest(
        id_number=id_number, pan=pan, pin_block=encrypt_pin(pin, pan, KEY).hex().upper(), key_id="TPK-DEMO-01",
        quote_id=q["quote_id"], currency=currency, amount_minor=amount, cny_fen=q["cny_fen"], purpose="travel"),
        uuid.uuid4().hex)
    return q, bought.body


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(BUYERS)), st.sampled_from(["USD", "EUR", "JPY", "HKD", "GBP"]),
                          st.integers(min_value=1, max_value=60_000)), min_size=1, max_size=6))
def test_purchases_move_exactly_the_quoted_yuan_currency_and_quota(tmp_path_factory, buys) -> None:
    ledger = _ledger(tmp_path_factory.mktemp("fx"))
    yuan, held, used = _books(ledger)
    for buyer, currency, amount in buys:
        q, bought = _buy(ledger, buyer, currency, amount)
        if not bought.get("ok"):
            code = (bought.get("error") or q.get("error") or {}).get("code")
            assert code in {"quota_exceeded", "insufficient_funds"}
            continue
        result, id_number = bought["result"], BUYERS[buyer][0]
        assert result["debited_fen"] == q["cny_fen"]
        yuan -= q["cny_fen"]
        held[currency] = held.get(currency, 0) + amount
        used[id_number] = used.get(id_number, 0) + q["usd_cents"]
        assert result["used_usd_cents"] == used[id_number]
        assert result["used_usd_cents"] + result["left_usd_cents"] == ANNUAL_QUOTA_USD_CENTS
        assert _books(ledger) == (yuan, held, used)
    assert all(total <= ANNUAL_QUOTA_USD_CENTS for total in _books(ledger)[2].values())
    ledger.store.close()
