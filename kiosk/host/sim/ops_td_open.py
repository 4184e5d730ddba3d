"""Opening a time deposit (定期存款) at the simulated bank, from a card's current account.

The rate table is ``m14_deposit_rates`` (seeded from people.toml's ``money14_deposit_rate``); a deposit is a
row of ``m14_deposits`` (the same table the seeded deposits and the withdrawal read). A deposit starts on
the host's today and matures ``months`` later (:func:`kiosk.core.rates.add_months`); its interest at
maturity is simple interest on actual/360, rounded half up to the fen (:func:`kiosk.core.rates.interest_fen`).
The kiosk sends the rate and the interest it showed: the host opens on exactly those or refuses, so what the
customer confirmed is what the certificate says. The principal leaves the current account with its line in
the account's transactions (``to_time_deposit``); a deposit certificate's frozen amount cannot be moved.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

from kiosk.core.masking import mask_pan
from kiosk.core.rates import add_months, interest_fen
from kiosk.host.api_td_open import (
    DepositRate,
    TimeDepositOpenRequest,
    TimeDepositOpenResult,
    TimeDepositRateTableRequest,
    TimeDepositRateTableResult,
)
from kiosk.host.sim.context import OpContext, Refusal, next_ref
from kiosk.host.sim.ops_docs14 import frozen_fen
from kiosk.host.sim.ops_payments import _paying_card
from kiosk.host.sim.pins import verify_card_pin

MINIMUM_FEN = 5000  # 50 yuan: the smallest time deposit the bank opens
DEMAND = "demand"  # the current-account rate in the table: paid on early withdrawals, never opened here
TXN_KIND = "to_time_deposit"  # the current account's transaction line for the principal


def maturity(opened_on: date, months: int) -> date:
    return add_months(opened_on, months)


def deposit_interest_fen(principal_fen: int, rate: Decimal, opened_on: date, months: int) -> int:
    """The interest at maturity: principal x rate x days / 360, the days from opening to maturity."""
    return interest_fen(principal_fen, rate, (maturity(opened_on, months) - opened_on).days)


def _rates(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT term, months, rate FROM m14_deposit_rates WHERE term != ? ORDER BY months",
                        (DEMAND,)).fetchall()


def _available(ctx: OpContext, account_no: str) -> int:
    (balance,) = ctx.conn.execute("SELECT balance_fen FROM accounts WHERE account_no = ?", (account_no,)).fetchone()
    return int(balance) - frozen_fen(ctx, account_no)


def rate_table(ctx: OpContext, req: TimeDepositRateTableRequest) -> TimeDepositRateTableResult:
    card = _paying_card(ctx, req.pan)
    return TimeDepositRateTableResult(
        value_date=ctx.now.date(), account_masked=mask_pan(card["account_no"]), minimum_fen=MINIMUM_FEN,
        rates=[DepositRate(term=r["term"], months=r["months"], rate=Decimal(r["rate"])) for r in _rates(ctx.conn)])


def open_deposit(ctx: OpContext, req: TimeDepositOpenRequest) -> TimeDepositOpenResult:
    card = _paying_card(ctx, req.pan)
    verify_card_pin(ctx, card, req.pin_block, req.key_id)
    row = ctx.conn.execute("SELECT months, rate FROM m14_deposit_rates WHERE term = ?", (req.term,)).fetchone()
    if row is None:
        raise Refusal("term_unknown", "the bank does not offer this term")
    if req.amount_fen < MINIMUM_FEN:
        raise Refusal("below_minimum", "a time deposit is 50 yuan or more", minimum_fen=MINIMUM_FEN)
    rate, months, today = Decimal(row["rate"]), int(row["months"]), ctx.now.date()
    if rate != req.rate:
        raise Refusal("rate_changed", "the term's rate is not the one shown", rate=str(rate))
    interest = deposit_interest_fen(req.amount_fen, rate, today, months)
    if interest != req.interest_fen:
        raise Refusal("interest_changed", "the interest is not the one shown (the deposit would start today)",
                      interest_fen=interest, value_date=today.isoformat())
    account_no = card["account_no"]
    available = _available(ctx, account_no)
    if available < req.amount_fen:
        raise Refusal("insufficient_funds", "the available balance does not cover the deposit",
                      available_fen=max(available, 0))
    cd_no = next_ref(ctx.conn, "CD", width=10)
    ends = maturity(today, months)
    ctx.conn.execute("UPDATE accounts SET balance_fen = balance_fen - ? WHERE account_no = ?",
                     (req.amount_fen, account_no))
    ctx.conn.execute(
        "INSERT INTO transactions(account_no, posted_on, kind, amount_fen, balance_fen, reference) "
        "SELECT ?, ?, ?, ?, balance_fen, ? FROM accounts WHERE account_no = ?",
        (account_no, today.isoformat(), TXN_KIND, -req.amount_fen, cd_no, account_no))
    ctx.conn.execute(
        "INSERT INTO m14_deposits(cd_no, customer_id, account_no, term, principal_fen, rate, opened_on, maturity_on, "
        "auto_rollover, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (cd_no, card["customer_id"], account_no, req.term, req.amount_fen, row["rate"], today.isoformat(),
         ends.isoformat(), int(req.auto_rollover), ctx.idempotency_key))
    return TimeDepositOpenResult(
        cd_no=cd_no, account_masked=mask_pan(account_no), term=req.term, months=months, principal_fen=req.amount_fen,
        rate=rate, opened_on=today, maturity_on=ends, interest_fen=interest, auto_rollover=req.auto_rollover,
        debited_fen=req.amount_fen, opened_at=ctx.now)


__all__ = ["MINIMUM_FEN", "deposit_interest_fen", "open_deposit", "rate_table"]
