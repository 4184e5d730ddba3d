"""Withdrawing a time deposit (定期支取) at the simulated bank: the customer's deposits, the quote, the posting.

The card and its PIN show the customer; the deposits listed are the card holder's open ones
(``m14_deposits``), whichever of their accounts they were opened from, and a withdrawal is credited to the
card's own account. The figures are :mod:`kiosk.host.sim.td_withdraw_interest`'s. A withdrawal posts the
figures the customer confirmed or nothing (``quote_changed``: the day turned, or the deposit changed since
the quote; the new quote is in ``details.quote``). Posting marks a deposit withdrawn in full, or records the
partial withdrawal (the remainder keeps its term and rate, and an auto-rollover deposit's rolled terms are
written down), credits the principal and the interest as two lines of the account's transactions, and keeps
the withdrawal in ``td_withdrawals``.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

from kiosk.core.masking import mask_pan
from kiosk.host.api_td_withdraw import (
    TimeDeposit,
    TimeDepositsRequest,
    TimeDepositsResult,
    WithdrawalQuoteRequest,
    WithdrawalQuoteResult,
    WithdrawRequest,
    WithdrawResult,
)
from kiosk.host.sim.context import OpContext, Refusal, next_ref
from kiosk.host.sim.ops_payments import _paying_card
from kiosk.host.sim.pins import verify_card_pin
from kiosk.host.sim.td_withdraw_interest import (
    MIN_REMAINDER_FEN,
    Split,
    TermDeposit,
    WithdrawalRefused,
    split,
    standing,
)


def _demand_rate(ctx: OpContext) -> Decimal:
    row = ctx.conn.execute("SELECT rate FROM m14_deposit_rates WHERE term = 'demand'").fetchone()
    return Decimal(row["rate"])


def _months(ctx: OpContext, term: str) -> int:
    row = ctx.conn.execute("SELECT months FROM m14_deposit_rates WHERE term = ?", (term,)).fetchone()
    return int(row["months"]) if row is not None else 0


def _term_deposit(ctx: OpContext, row: sqlite3.Row) -> TermDeposit:
    return TermDeposit(principal_fen=int(row["principal_fen"]), rate=Decimal(row["rate"]),
                       opened_on=date.fromisoformat(row["opened_on"]),
                       maturity_on=date.fromisoformat(row["maturity_on"]), months=_months(ctx, row["term"]),
                       auto_rollover=bool(row["auto_rollover"]))


def _listed(ctx: OpContext, row: sqlite3.Row) -> TimeDeposit:
    deposit = _term_deposit(ctx, row)
    now = standing(deposit, ctx.now.date())
    return TimeDeposit(cd_no=row["cd_no"], cd_masked=mask_pan(row["cd_no"]), term=row["term"], months=deposit.months,
                       principal_fen=now.principal_fen, rate=deposit.rate, opened_on=now.term_start,
                       maturity_on=now.term_end, auto_rollover=deposit.auto_rollover,
                       matured=now.matured(ctx.now.date()), partial_done=bool(row["partial_done"]))


def time_deposits(ctx: OpContext, req: TimeDepositsRequest) -> TimeDepositsResult:
    card = _paying_card(ctx, req.pan)
    verify_card_pin(ctx, card, req.pin_block, req.key_id)
    rows = ctx.conn.execute("SELECT * FROM m14_deposits WHERE customer_id = ? AND status = 'open'",
                            (card["customer_id"],)).fetchall()
    listed = sorted((_listed(ctx, r) for r in rows), key=lambda d: (d.maturity_on, d.cd_no))  # the soonest first
    return TimeDepositsResult(account_masked=mask_pan(card["account_no"]), demand_rate=_demand_rate(ctx),
                              min_remainder_fen=MIN_REMAINDER_FEN, deposits=listed)


def _open_deposit(ctx: OpContext, card: sqlite3.Row, cd_no: str) -> sqlite3.Row:
    row: sqlite3.Row | None = ctx.conn.execute("SELECT * FROM m14_deposits WHERE cd_no = ?", (cd_no,)).fetchone()
    if row is None:
        raise Refusal("deposit_not_found", "no such time deposit at this bank")
    if row["customer_id"] != card["customer_id"]:
        raise Refusal("deposit_not_yours", "the deposit is not the card holder's")
    if row["status"] != "open":
        raise Refusal("deposit_withdrawn", "the deposit has been withdrawn")
    return row


def _split(ctx: OpContext, row: sqlite3.Row, req: WithdrawalQuoteRequest) -> Split:
    if req.kind == "partial" and row["partial_done"]:
        raise Refusal("partial_already_done", "a deposit is withdrawn in part once only")
    try:
        return split(_term_deposit(ctx, row), _demand_rate(ctx), ctx.now.date(), req.amount_fen)
    except WithdrawalRefused as refused:
        message = {"partial_at_maturity": "a matured deposit is withdrawn in full",
                   "remainder_below_minimum": "a partial withdrawal leaves at least 50 yuan"}[refused.code]
        raise Refusal(refused.code, message, **refused.details) from None


def _quote(ctx: OpContext, card: sqlite3.Row, row: sqlite3.Row, figures: Split) -> WithdrawalQuoteResult:
    deposit = _term_deposit(ctx, row)
    now = standing(deposit, ctx.now.date())
    return WithdrawalQuoteResult(
        cd_no=row["cd_no"], cd_masked=mask_pan(row["cd_no"]), term=row["term"], withdrawal=figures.withdrawal,
        principal_fen=figures.principal_fen, interest_fen=figures.interest_fen,
        interest_lost_fen=figures.interest_lost_fen, credited_fen=figures.credited_fen,
        remainder_fen=figures.remainder_fen, rate=deposit.rate, demand_rate=_demand_rate(ctx),
        days_held=figures.days_held, overdue_days=figures.overdue_days, opened_on=now.term_start,
        maturity_on=now.term_end, account_masked=mask_pan(card["account_no"]), quoted_on=ctx.now.date())


def quote_withdrawal(ctx: OpContext, req: WithdrawalQuoteRequest) -> WithdrawalQuoteResult:
    card = _paying_card(ctx, req.pan)
    row = _open_deposit(ctx, card, req.cd_no)
    return _quote(ctx, card, row, _split(ctx, row, req))


def _credit(ctx: OpContext, account_no: str, amount_fen: int, kind: str, reference: str) -> None:
    if amount_fen == 0:
        return
    ctx.conn.execute("UPDATE accounts SET balance_fen = balance_fen + ? WHERE account_no = ?", (amount_fen, account_no))
    (balance,) = ctx.conn.execute("SELECT balance_fen FROM accounts WHERE account_no = ?", (account_no,)).fetchone()
    ctx.conn.execute("INSERT INTO transactions(account_no, posted_on, kind, amount_fen, balance_fen, reference) "
                     "VALUES (?, ?, ?, ?, ?, ?)", (account_no, ctx.now.date().isoformat(), kind, amount_fen,
                                                   balance, reference))


def _record_on_deposit(ctx: OpContext, row: sqlite3.Row, figures: Split) -> None:
    if figures.remainder_fen == 0:
        ctx.conn.execute("UPDATE m14_deposits SET status = 'withdrawn' WHERE cd_no = ?", (row["cd_no"],))
        return
    now = standing(_term_deposit(ctx, row), ctx.now.date())  # an auto-rollover's rolled terms are written down
    ctx.conn.execute("UPDATE m14_deposits SET principal_fen = ?, opened_on = ?, maturity_on = ?, partial_done = 1 "
                     "WHERE cd_no = ?", (figures.remainder_fen, now.term_start.isoformat(),
                                         now.term_end.isoformat(), row["cd_no"]))


def withdraw(ctx: OpContext, req: WithdrawRequest) -> WithdrawResult:
    card = _paying_card(ctx, req.pan)
    verify_card_pin(ctx, card, req.pin_block, req.key_id)
    row = _open_deposit(ctx, card, req.cd_no)
    figures = _split(ctx, row, req)
    shown = (req.principal_fen, req.interest_fen, req.interest_lost_fen)
    if shown != (figures.principal_fen, figures.interest_fen, figures.interest_lost_fen):
        quote = _quote(ctx, card, row, figures)
        raise Refusal("quote_changed", "the figures are not the ones the customer confirmed",
                      quote=quote.model_dump(mode="json"))
    quote = _quote(ctx, card, row, figures)
    reference = next_ref(ctx.conn, "TW")
    account_no = card["account_no"]
    _record_on_deposit(ctx, row, figures)
    _credit(ctx, account_no, figures.principal_fen, "deposit_withdrawal", reference)
    _credit(ctx, account_no, figures.interest_fen, "interest", reference)
    ctx.conn.execute(
        "INSERT INTO td_withdrawals(withdrawal_ref, cd_no, withdrawal, account_no, principal_fen, interest_fen, "
        "interest_lost_fen, remainder_fen, withdrawn_at, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (reference, row["cd_no"], figures.withdrawal, account_no, figures.principal_fen, figures.interest_fen,
         figures.interest_lost_fen, figures.remainder_fen, ctx.now.isoformat(), ctx.idempotency_key))
    return WithdrawResult(
        withdrawal_ref=reference, cd_masked=quote.cd_masked, withdrawal=figures.withdrawal,
        principal_fen=figures.principal_fen, interest_fen=figures.interest_fen,
        interest_lost_fen=figures.interest_lost_fen, credited_fen=figures.credited_fen,
        remainder_fen=figures.remainder_fen, rate=quote.rate, maturity_on=quote.maturity_on,
        account_masked=quote.account_masked, withdrawn_at=ctx.now)


__all__ = ["quote_withdrawal", "time_deposits", "withdraw"]
