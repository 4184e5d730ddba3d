"""Time deposits never lose or invent a fen (hypothesis): the kiosk's estimate before confirm is the host's
interest, over random amounts, rates, terms and value dates; opening deposits moves exactly the principal
out of the current account into the deposit, whatever the day, and a refusal moves nothing."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.pinpad.pinblock import encrypt_pin
from flows.time_deposit_open import MINIMUM_YUAN, check_amount, term_interest_fen
from kiosk.core.rates import add_months
from kiosk.host.api_td_open import TimeDepositOpenRequest
from kiosk.host.sim.context import OpContext, Refusal
from kiosk.host.sim.ops_td_open import MINIMUM_FEN, deposit_interest_fen, open_deposit

from .seeded_bank import KEY, KEY_ID, card_balance, scratch, seeded_bank

PAN = "6228480402564890018"  # zhang_wei_1: 5,000.00 yuan
TERMS = {"3m": 3, "6m": 6, "1y": 12, "2y": 24, "3y": 36, "5y": 60}

principals = st.integers(min_value=0, max_value=10**12)
rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("0.2"), places=6)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


def half_up(value: Fraction) -> int:
    return int((value + Fraction(1, 2)).__floor__())


@given(principals, rates, days, st.sampled_from(sorted(TERMS.values())))
def test_the_interest_shown_is_the_interest_the_host_posts(principal: int, rate: Decimal, start: date,
                                                          months: int) -> None:
    shown = term_interest_fen(principal, rate, start, months)
    assert shown == deposit_interest_fen(principal, rate, start, months)
    exact = Fraction(principal) * Fraction(rate) * (add_months(start, months) - start).days / 360
    assert shown == half_up(exact)  # the exact figure, rounded once, half up


@given(st.integers(min_value=0, max_value=10**9))
def test_the_amount_field_takes_whole_yuan_from_the_minimum(yuan: int) -> None:
    assert MINIMUM_YUAN * 100 == MINIMUM_FEN
    assert check_amount(str(yuan)) == (None if yuan >= MINIMUM_YUAN else
                                       "field.deposit_yuan.below_minimum" if yuan else "field.deposit_yuan.invalid")


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_bank(tmp_path_factory.mktemp("td_open"))


def _balance(conn: sqlite3.Connection) -> int:
    return card_balance(conn, PAN)


def _held(conn: sqlite3.Connection) -> tuple[int, int]:
    count, total = conn.execute("SELECT COUNT(*), COALESCE(SUM(principal_fen), 0) FROM m14_deposits").fetchone()
    return int(count), int(total)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(min_value=1, max_value=600_000), st.sampled_from(sorted(TERMS)), st.booleans()),
                min_size=1, max_size=6),
       st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2089, 12, 31)))
def test_opening_deposits_moves_exactly_the_principal(bank: Path, opens: list[tuple[int, str, bool]],
                                                      when: datetime) -> None:
    now = datetime.combine(when.date(), time(10, 0), tzinfo=UTC)
    pin_block = encrypt_pin("147258", PAN, KEY).hex().upper()
    with scratch(bank) as conn:
        ctx = OpContext(conn, now, {KEY_ID: KEY}, "key")
        balance, (count, held) = _balance(conn), _held(conn)
        total = balance + held
        rates = {r["term"]: Decimal(r["rate"]) for r in conn.execute("SELECT term, rate FROM m14_deposit_rates")}
        for amount, term, rollover in opens:
            interest = term_interest_fen(amount, rates[term], now.date(), TERMS[term])
            request = TimeDepositOpenRequest(pan=PAN, pin_block=pin_block, key_id=KEY_ID, term=term, amount_fen=amount,
                                             rate=rates[term], interest_fen=interest, auto_rollover=rollover)
            if amount < MINIMUM_FEN or amount > balance:
                with pytest.raises(Refusal) as refused:
                    open_deposit(ctx, request)
                assert refused.value.code == ("below_minimum" if amount < MINIMUM_FEN else "insufficient_funds")
                assert _balance(conn) == balance
                continue
            opened = open_deposit(ctx, request)
            assert (opened.principal_fen, opened.debited_fen, opened.interest_fen) == (amount, amount, interest)
            assert opened.opened_on == now.date()
            assert opened.maturity_on == add_months(now.date(), TERMS[term])
            balance -= amount
            count += 1
            assert _balance(conn) == balance >= 0
        assert _held(conn)[0] == count
        assert _balance(conn) + _held(conn)[1] == total  # what left the account is in the deposits, to the fen
