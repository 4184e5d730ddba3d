"""Buying foreign currency (购汇) at the simulated bank: the annual quota, rate quotes and purchases.

The rules are the SAFE's for a person (个人外汇管理办法): USD 50,000 equivalent a calendar year, counted by
ID number over every channel; a purpose declared from the list, and none of the capital-account uses not
open to individuals (property abroad, securities, life insurance abroad: refused with the reason). The
bank sells at its selling rate; a quote holds it ``HOLD_S`` seconds (the host's clock) and one purchase
may use it. The purchase posts the quote's figures only (the kiosk repeats them): the yuan, amount x
rate rounded half up to the fen, leave the card's account once, the foreign amount goes to the card's
foreign-currency savings, and the quota counts the USD equivalent, all in one transaction.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from decimal import Decimal

from kiosk.core.fx import ANNUAL_QUOTA_USD_CENTS, cny_fen, max_units_within, usd_cents
from kiosk.core.masking import mask_pan
from kiosk.host.api_fx import (
    PROHIBITED_PURPOSES,
    FxCurrency,
    FxPurchaseRequest,
    FxPurchaseResult,
    FxQuotaRequest,
    FxQuotaResult,
    FxQuoteRequest,
    FxQuoteResult,
)
from kiosk.host.sim.context import OpContext, Refusal, next_ref
from kiosk.host.sim.ops_docs14 import frozen_fen
from kiosk.host.sim.ops_payments import _paying_card
from kiosk.host.sim.pins import verify_card_pin

HOLD_S = 60  # seconds a quoted rate is held
CAPITAL_ACCOUNT_RULE = "capital_account_not_open"  # the SAFE's reason for the prohibited purposes


def _own_card(ctx: OpContext, pan: str, id_number: str) -> sqlite3.Row:
    """The paying card, when it is active and the customer's own (the quota is the ID holder's)."""
    card = _paying_card(ctx, pan)
    owner = ctx.conn.execute("SELECT id_number FROM customers WHERE customer_id = ?", (card["customer_id"],)).fetchone()
    if owner is None or owner["id_number"] != id_number:
        raise Refusal("card_not_yours", "the card is not the customer's own")
    return card


def _rate(ctx: OpContext, currency: str) -> sqlite3.Row:
    row: sqlite3.Row | None = ctx.conn.execute("SELECT * FROM fx_rates WHERE currency = ?", (currency,)).fetchone()
    if row is None:
        raise Refusal("currency_unknown", "the bank does not sell this currency", currency=currency)
    return row


def used_usd_cents(ctx: OpContext, id_number: str) -> int:
    """The quota this person has used this calendar year (the host's year), in US cents."""
    (used,) = ctx.conn.execute("SELECT COALESCE(SUM(usd_cents), 0) FROM fx_purchases WHERE id_number = ? AND year = ? "
                               "AND reversed_at IS NULL",
                               (id_number, ctx.now.year)).fetchone()
    return int(used)


def _holding(ctx: OpContext, account_no: str, currency: str) -> int:
    row = ctx.conn.execute("SELECT balance_minor FROM fx_holdings WHERE account_no = ? AND currency = ?",
                           (account_no, currency)).fetchone()
    return int(row["balance_minor"]) if row else 0


def _check_purpose(purpose: str) -> None:
    if purpose in PROHIBITED_PURPOSES:
        raise Refusal("purpose_prohibited", "a person's foreign-exchange quota is not for capital-account uses "
                      "not open to individuals", purpose=purpose, rule=CAPITAL_ACCOUNT_RULE)


def _check_quota(ctx: OpContext, id_number: str, rate: sqlite3.Row, amount_usd_cents: int) -> tuple[int, int]:
    """(used, left) of the person's quota before this purchase, when it fits."""
    used = used_usd_cents(ctx, id_number)
    left = max(ANNUAL_QUOTA_USD_CENTS - used, 0)
    if amount_usd_cents > left:
        raise Refusal("quota_exceeded", "the purchase would pass the person's annual quota", used_usd_cents=used,
                      left_usd_cents=left, usd_cents=amount_usd_cents,
                      max_units=max_units_within(left, rate["exponent"], Decimal(rate["usd_rate"])))
    return used, left


def fx_quota(ctx: OpContext, req: FxQuotaRequest) -> FxQuotaResult:
    card = _own_card(ctx, req.pan, req.id_number)
    verify_card_pin(ctx, card, req.pin_block, req.key_id)
    used = used_usd_cents(ctx, req.id_number)
    left = max(ANNUAL_QUOTA_USD_CENTS - used, 0)
    rates = ctx.conn.execute("SELECT * FROM fx_rates ORDER BY rank").fetchall()
    currencies = [FxCurrency(code=r["currency"], exponent=r["exponent"], selling_rate=Decimal(r["selling_rate"]),
                             max_units=max_units_within(left, r["exponent"], Decimal(r["usd_rate"])),
                             balance_minor=_holding(ctx, card["account_no"], r["currency"])) for r in rates]
    rates_at = max((datetime.fromisoformat(r["set_at"]) for r in rates), default=ctx.now)
    return FxQuotaResult(year=ctx.now.year, quota_usd_cents=ANNUAL_QUOTA_USD_CENTS, used_usd_cents=used,
                         left_usd_cents=left, rates_at=rates_at, account_masked=mask_pan(card["account_no"]),
                         currencies=currencies)


def fx_quote(ctx: OpContext, req: FxQuoteRequest) -> FxQuoteResult:
    _own_card(ctx, req.pan, req.id_number)
    _check_purpose(req.purpose)
    rate = _rate(ctx, req.currency)
    selling, exponent = Decimal(rate["selling_rate"]), int(rate["exponent"])
    usd = usd_cents(req.amount_minor, exponent, Decimal(rate["usd_rate"]))
    used, left = _check_quota(ctx, req.id_number, rate, usd)
    quote_id = next_ref(ctx.conn, "FXQ")
    valid_until = ctx.now + timedelta(seconds=HOLD_S)
    cny = cny_fen(req.amount_minor, exponent, selling)
    ctx.conn.execute(
        "INSERT INTO fx_quotes(quote_id, id_number, pan, currency, amount_minor, selling_rate, cny_fen, usd_cents, "
        "purpose, quoted_at, valid_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (quote_id, req.id_number, req.pan, req.currency, req.amount_minor, str(selling), cny, usd, req.purpose,
         ctx.now.isoformat(), valid_until.isoformat()))
    return FxQuoteResult(quote_id=quote_id, currency=req.currency, exponent=exponent, amount_minor=req.amount_minor,
                         selling_rate=selling, cny_fen=cny, usd_cents=usd, used_usd_cents=used, left_usd_cents=left,
                         quoted_at=ctx.now, valid_until=valid_until, hold_s=HOLD_S)


def _quote(ctx: OpContext, req: FxPurchaseRequest) -> sqlite3.Row:
    """The purchase's quote: this customer's and card's, unused, with the figures asked for, still held."""
    quote: sqlite3.Row | None = ctx.conn.execute("SELECT * FROM fx_quotes WHERE quote_id = ?",
                                                 (req.quote_id,)).fetchone()
    if quote is None or quote["id_number"] != req.id_number or quote["pan"] != req.pan:
        raise Refusal("quote_unknown", "no such quote for this customer and card")
    if quote["purchase_ref"] is not None:
        raise Refusal("quote_used", "this quote has bought already", purchase_ref=quote["purchase_ref"])
    asked = (req.currency, req.amount_minor, req.cny_fen, req.purpose)
    if asked != (quote["currency"], quote["amount_minor"], quote["cny_fen"], quote["purpose"]):
        raise Refusal("amount_mismatch", "the figures are not the quote's", currency=quote["currency"],
                      amount_minor=quote["amount_minor"], cny_fen=quote["cny_fen"])
    if ctx.now > datetime.fromisoformat(quote["valid_until"]):
        raise Refusal("quote_expired", "the quoted rate is no longer held", valid_until=quote["valid_until"])
    return quote


def _available(ctx: OpContext, account_no: str) -> int:
    (balance,) = ctx.conn.execute("SELECT balance_fen FROM accounts WHERE account_no = ?", (account_no,)).fetchone()
    return int(balance) - frozen_fen(ctx, account_no)


def fx_purchase(ctx: OpContext, req: FxPurchaseRequest) -> FxPurchaseResult:
    card = _own_card(ctx, req.pan, req.id_number)
    verify_card_pin(ctx, card, req.pin_block, req.key_id)
    _check_purpose(req.purpose)
    quote = _quote(ctx, req)
    rate = _rate(ctx, req.currency)
    used, _ = _check_quota(ctx, req.id_number, rate, quote["usd_cents"])  # other channels may have bought since
    account_no = card["account_no"]
    available = _available(ctx, account_no)
    if available < req.cny_fen:
        raise Refusal("insufficient_funds", "the available balance does not cover the yuan", available_fen=available,
                      cny_fen=req.cny_fen)
    reference = next_ref(ctx.conn, "FX")
    _post(ctx, card, quote, reference)
    return FxPurchaseResult(
        purchase_ref=reference, currency=req.currency, exponent=rate["exponent"], amount_minor=req.amount_minor,
        selling_rate=Decimal(quote["selling_rate"]), debited_fen=req.cny_fen,
        quoted_at=datetime.fromisoformat(quote["quoted_at"]), bought_at=ctx.now, account_masked=mask_pan(account_no),
        balance_minor=_holding(ctx, account_no, req.currency), used_usd_cents=used + quote["usd_cents"],
        left_usd_cents=ANNUAL_QUOTA_USD_CENTS - used - quote["usd_cents"])


def _post(ctx: OpContext, card: sqlite3.Row, quote: sqlite3.Row, reference: str) -> None:
    """Debit the yuan (with its line in the account's transactions), credit the foreign savings, count the
    quota, and spend the quote: one transaction, so all of it happens or none."""
    conn, account_no = ctx.conn, card["account_no"]
    conn.execute("UPDATE accounts SET balance_fen = balance_fen - ? WHERE account_no = ?", (quote["cny_fen"], account_no))
    (balance,) = conn.execute("SELECT balance_fen FROM accounts WHERE account_no = ?", (account_no,)).fetchone()
    conn.execute("INSERT INTO transactions(account_no, posted_on, kind, amount_fen, balance_fen, reference) "
                 "VALUES (?, ?, 'fx_purchase', ?, ?, ?)",
                 (account_no, ctx.now.date().isoformat(), -quote["cny_fen"], balance, reference))
    conn.execute("INSERT INTO fx_holdings(account_no, currency, balance_minor) VALUES (?, ?, ?) "
                 "ON CONFLICT(account_no, currency) DO UPDATE SET balance_minor = balance_minor + excluded.balance_minor",
                 (account_no, quote["currency"], quote["amount_minor"]))
    conn.execute(
        "INSERT INTO fx_purchases(purchase_ref, id_number, account_no, currency, amount_minor, selling_rate, cny_fen, "
        "usd_cents, purpose, year, bought_at, channel, quote_id, idempotency_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'kiosk', ?, ?)",
        (reference, quote["id_number"], account_no, quote["currency"], quote["amount_minor"], quote["selling_rate"],
         quote["cny_fen"], quote["usd_cents"], quote["purpose"], ctx.now.year, ctx.now.isoformat(), quote["quote_id"],
         ctx.idempotency_key))
    conn.execute("UPDATE fx_quotes SET purchase_ref = ? WHERE quote_id = ?", (reference, quote["quote_id"]))


__all__ = ["HOLD_S", "fx_purchase", "fx_quota", "fx_quote", "used_usd_cents"]
