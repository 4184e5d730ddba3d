"""The host simulator's tables for buying foreign currency (购汇), and their demo data.

* ``fx_rates``: the bank's selling rate for each currency it sells (yuan for 100 units, a Decimal string),
  the currency's minor-unit digits and its USD conversion rate (what the SAFE quota counts), from
  people.toml's ``[[fx_rate]]`` tables, in their order;
* ``fx_purchases``: every purchase, by the buyer's ID number (the annual quota is a person's); people.toml's
  ``[[fx_purchase]]`` tables are purchases made before (``year = "this"``: counted in this year's quota,
  ``"last"``: last year's, not counted);
* ``fx_holdings``: a card account's foreign-currency savings (``[[fx_holding]]``), credited by purchases;
* ``fx_quotes``: rate quotes, each held ``HOLD_S`` seconds and used by at most one purchase.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from decimal import Decimal
from typing import Any

from kiosk.core.fx import cny_fen, usd_cents

SCHEMA = """
CREATE TABLE IF NOT EXISTS fx_rates(
    currency TEXT PRIMARY KEY, exponent INTEGER NOT NULL CHECK (exponent BETWEEN 0 AND 3),
    selling_rate TEXT NOT NULL, usd_rate TEXT NOT NULL, rank INTEGER NOT NULL, set_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS fx_quotes(
    quote_id TEXT PRIMARY KEY, id_number TEXT NOT NULL, pan TEXT NOT NULL, currency TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0), selling_rate TEXT NOT NULL, cny_fen INTEGER NOT NULL,
    usd_cents INTEGER NOT NULL, purpose TEXT NOT NULL, quoted_at TEXT NOT NULL, valid_until TEXT NOT NULL,
    purchase_ref TEXT);
CREATE TABLE IF NOT EXISTS fx_purchases(
    purchase_ref TEXT PRIMARY KEY, id_number TEXT NOT NULL, account_no TEXT, currency TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0), selling_rate TEXT NOT NULL,
    cny_fen INTEGER NOT NULL CHECK (cny_fen >= 0), usd_cents INTEGER NOT NULL CHECK (usd_cents >= 0),
    purpose TEXT NOT NULL, year INTEGER NOT NULL, bought_at TEXT NOT NULL, channel TEXT NOT NULL, quote_id TEXT,
    idempotency_key TEXT);
CREATE INDEX IF NOT EXISTS fx_purchases_by_person ON fx_purchases(id_number, year);
CREATE TABLE IF NOT EXISTS fx_holdings(
    account_no TEXT NOT NULL, currency TEXT NOT NULL, balance_minor INTEGER NOT NULL CHECK (balance_minor >= 0),
    PRIMARY KEY (account_no, currency));
"""
TABLES = ("fx_quotes", "fx_purchases", "fx_holdings", "fx_rates")  # emptied in this order for a reseed


def _bought_at(year: str, now: datetime) -> datetime:
    """A seeded purchase's time: early this calendar year (never after now), or mid last year."""
    if year == "last":
        return now.replace(year=now.year - 1, month=7, day=1, hour=10, minute=0, second=0, microsecond=0)
    return min(now.replace(month=1, day=1, hour=9, minute=30, second=0, microsecond=0), now)


def _account_of(conn: sqlite3.Connection, pan: str) -> str:
    row = conn.execute("SELECT account_no FROM cards WHERE pan = ?", (pan,)).fetchone()
    if row is None:
        raise ValueError(f"people.toml: fx: no seeded card {pan}")
    return str(row["account_no"])


def seed_fx(conn: sqlite3.Connection, raw: dict[str, Any], now: datetime) -> None:
    """Fill this module's tables from people.toml's ``fx_*`` tables (after the cards are seeded)."""
    rates: dict[str, tuple[int, Decimal, Decimal]] = {}
    for rank, rate in enumerate(raw.get("fx_rate", [])):
        code, exponent = str(rate["currency"]), int(rate["exponent"])
        rates[code] = (exponent, Decimal(str(rate["selling_rate"])), Decimal(str(rate["usd_rate"])))
        conn.execute("INSERT INTO fx_rates(currency, exponent, selling_rate, usd_rate, rank, set_at) "
                     "VALUES (?, ?, ?, ?, ?, ?)", (code, exponent, str(rate["selling_rate"]),
                                                   str(rate["usd_rate"]), rank, now.isoformat()))
    people = {str(p["key"]): str(p["id_number"]) for p in raw.get("person", [])}
    for number, bought in enumerate(raw.get("fx_purchase", []), 1):
        exponent, selling, usd = rates[str(bought["currency"])]
        amount = int(bought["amount_minor"])
        when = _bought_at(str(bought.get("year", "this")), now)
        conn.execute(
            "INSERT INTO fx_purchases(purchase_ref, id_number, account_no, currency, amount_minor, selling_rate, "
            "cny_fen, usd_cents, purpose, year, bought_at, channel) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (f"FXS{number:06d}", people[str(bought["person"])], None, bought["currency"], amount, str(selling),
             cny_fen(amount, exponent, selling), usd_cents(amount, exponent, usd), bought["purpose"], when.year,
             when.isoformat(), str(bought.get("channel", "counter"))))
    for holding in raw.get("fx_holding", []):
        conn.execute("INSERT INTO fx_holdings(account_no, currency, balance_minor) VALUES (?, ?, ?)",
                     (_account_of(conn, str(holding["card"])), holding["currency"], int(holding["balance_minor"])))
