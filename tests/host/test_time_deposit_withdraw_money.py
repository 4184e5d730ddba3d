"""Withdrawing a time deposit never loses or invents a fen (hypothesis): the split of an early withdrawal, the
figures at maturity, auto-rollover terms, and the posting on the bank's books, over random amounts, rates,
terms and dates."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from devices.pinpad.pinblock import encrypt_pin
from kiosk.core.rates import add_months, interest_fen
from kiosk.host.api import OPERATIONS
from kiosk.host.sim.context import SimulatorClock
from kiosk.host.sim.ledger import Ledger
from kiosk.host.sim.seed import load_seed
from kiosk.host.sim.store import Store
from kiosk.host.sim.td_withdraw_interest import (
    MIN_REMAINDER_FEN,
    TermDeposit,
    WithdrawalRefused,
    split,
    standing,
)

principals = st.integers(min_value=5000, max_value=10**11)  # 50 yuan to a billion
rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("0.08"), places=4)
demand_rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("0.0035"), places=4)
terms = st.sampled_from([3, 6, 12, 24, 36, 60])
openings = st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 12, 31))


def deposit(principal: int, rate: Decimal, opened: date, months: int, rollover: bool = False) -> TermDeposit:
    return TermDeposit(principal, rate, opened, add_months(opened, months), months, rollover)


@given(principals, rates, demand_rates, openings, terms, st.integers(min_value=0, max_value=1900), st.data())
def test_an_early_split_pays_out_exactly_what_it_takes_and_loses_only_the_rate_difference(
        principal: int, rate: Decimal, demand: Decimal, opened: date, months: int, day: int,
        data: st.DataObject) -> None:
    d = deposit(principal, rate, opened, months)
    today = opened + timedelta(days=day)
    assume(today < d.maturity_on)
    amount = data.draw(st.one_of(st.none(), st.integers(min_value=1, max_value=principal)))
    if amount is not None and principal - amount < MIN_REMAINDER_FEN:
        with pytest.raises(WithdrawalRefused) as refused:
            split(d, demand, today, amount)
        assert refused.value.details["max_amount_fen"] == max(principal - MIN_REMAINDER_FEN, 0)
        return
    s = split(d, demand, today, amount)
    assert s.withdrawal == ("early_full" if amount is None else "early_partial")
    assert s.principal_fen + s.remainder_fen == principal  # no principal lost or invented
    assert s.remainder_fen == 0 or s.remainder_fen >= MIN_REMAINDER_FEN
    assert s.credited_fen == s.principal_fen + s.interest_fen
    assert s.days_held == day
    # what is paid plus what is lost is exactly the term's interest on the principal taken out for those days
    # (a demand rate above the term's would lose nothing: the interest lost is never negative)
    at_term_rate = interest_fen(s.principal_fen, rate, day)
    assert s.interest_lost_fen == max(at_term_rate - s.interest_fen, 0)
    if demand <= rate:
        assert s.interest_fen + s.interest_lost_fen == at_term_rate
    exact_paid = Fraction(s.principal_fen) * Fraction(demand) * day / 360
    assert abs(s.interest_fen - exact_paid) <= Fraction(1, 2)
    assert min(s.interest_fen, s.interest_lost_fen, s.principal_fen) >= 0


@given(principals, rates, demand_rates, openings, terms, st.integers(min_value=0, max_value=800))
def test_at_maturity_the_term_interest_and_the_days_after_at_the_demand_rate(
        principal: int, rate: Decimal, demand: Decimal, opened: date, months: int, late: int) -> None:
    d = deposit(principal, rate, opened, months)
    s = split(d, demand, d.maturity_on + timedelta(days=late), None)
    term_days = (d.maturity_on - opened).days
    assert (s.withdrawal, s.principal_fen, s.remainder_fen, s.interest_lost_fen) == ("at_maturity", principal, 0, 0)
    assert (s.days_held, s.overdue_days) == (term_days, late)
    assert s.interest_fen == interest_fen(principal, rate, term_days) + interest_fen(principal, demand, late)
    with pytest.raises(WithdrawalRefused):
        split(d, demand, d.maturity_on + timedelta(days=late), 10000)


@given(principals, rates, openings, terms, st.integers(min_value=0, max_value=4000))
def test_a_rolled_over_deposit_adds_each_terms_interest_exactly(
        principal: int, rate: Decimal, opened: date, months: int, day: int) -> None:
    today = opened + timedelta(days=day)
    now = standing(deposit(principal, rate, opened, months, rollover=True), today)
    expected, start, n = principal, opened, 1
    while today > add_months(opened, months * n):
        end = add_months(opened, months * n)
        expected += interest_fen(expected, rate, (end - start).days)
        start, n = end, n + 1
    assert (now.principal_fen, now.term_start, now.term_end) == (expected, start, add_months(opened, months * n))
    assert now.term_start <= today <= now.term_end


KEY = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
PAN = "6228480402564890018"


def _money(ledger: Ledger) -> tuple[int, int]:
    """(the card's account balance, the principal on zhang_wei's open deposits)."""
    with ledger.store.transaction() as conn:
        balance = conn.execute("SELECT balance_fen FROM accounts a JOIN cards c ON c.account_no = a.account_no "
                               "WHERE c.pan = ?", (PAN,)).fetchone()[0]
        held = conn.execute("SELECT SUM(principal_fen) FROM m14_deposits WHERE status = 'open' AND cd_no LIKE 'CDX%'"
                            ).fetchone()[0]
    return int(balance), int(held or 0)


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=5000, max_value=10**10), st.sampled_from(["3m", "6m", "1y", "2y", "3y", "5y"]),
       st.integers(min_value=0, max_value=2000), st.one_of(st.none(), st.integers(min_value=1, max_value=10**10)))
def test_a_posted_withdrawal_moves_exactly_the_figures_quoted(
        tmp_path_factory: pytest.TempPathFactory, principal: int, term: str, days_ago: int, amount: int | None) -> None:
    ledger = Ledger(Store(Path(tmp_path_factory.mktemp("bank")) / "host.db"), SimulatorClock(), {"TPK-DEMO-01": KEY})
    ledger.seed(load_seed())
    today = ledger.clock.now().date()
    with ledger.store.transaction() as conn:
        customer, account, months, rate = conn.execute(
            "SELECT c.customer_id, c.account_no, r.months, r.rate FROM cards c, m14_deposit_rates r "
            "WHERE c.pan = ? AND r.term = ?", (PAN, term)).fetchone()
        opened = today - timedelta(days=days_ago)
        conn.execute("INSERT INTO m14_deposits(cd_no, customer_id, account_no, term, principal_fen, rate, opened_on, "
                     "maturity_on, auto_rollover) VALUES ('CDX0000001', ?, ?, ?, ?, ?, ?, ?, 0)",
                     (customer, account, term, principal, rate, opened.isoformat(),
                      add_months(opened, months).isoformat()))
    before = _money(ledger)
    kind = "full" if amount is None else "partial"
    request = {"pan": PAN, "cd_no": "CDX0000001", "kind": kind, "amount_fen": amount}
    quote = ledger.execute(OPERATIONS["time_deposits.withdraw_quote"],
                           OPERATIONS["time_deposits.withdraw_quote"].request.model_validate(request), "q")
    if quote.http_status != 200:
        assert quote.body["error"]["code"] in {"remainder_below_minimum", "partial_at_maturity"}
        ledger.store.close()
        return
    q = quote.body["result"]
    body = {**request, "pin_block": encrypt_pin("147258", PAN, KEY).hex().upper(), "key_id": "TPK-DEMO-01",
            "principal_fen": q["principal_fen"], "interest_fen": q["interest_fen"],
            "interest_lost_fen": q["interest_lost_fen"]}
    op = OPERATIONS["time_deposits.withdraw"]
    key = uuid.uuid4().hex
    done = ledger.execute(op, op.request.model_validate(body), key)
    assert ledger.execute(op, op.request.model_validate(body), key).body == done.body  # replayed, not posted again
    result = done.body["result"]
    after = _money(ledger)
    assert after[0] - before[0] == result["credited_fen"] == q["principal_fen"] + q["interest_fen"]
    assert before[1] - after[1] == result["principal_fen"]  # the deposit gives up exactly what is paid out
    assert (after[0] + after[1]) - (before[0] + before[1]) == result["interest_fen"]  # only the interest is new money
    ledger.store.close()
