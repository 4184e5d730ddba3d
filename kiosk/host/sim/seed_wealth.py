"""The host simulator's tables for wealth products (理财购买), and their demo data.

Seeded from the ``wealth_*`` sections of assets/sim/people.toml:

* ``wealth_products``: the products (risk R1-R5, term, minimum, the expected-return range, the quota left,
  whether on sale); ``wealth_holdings``: what customers bought (with the cooling-off end);
* ``wealth_assessments``: customers' risk assessments (answers, score, grade C1-C5, date, last valid day),
  ``[[wealth_assessment]]`` giving a person's score and grade made ``days_ago`` days before the seed;
* ``wealth_managers`` and ``wealth_bookings``: the branch's wealth managers (desk) and the slots booked with them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from kiosk.core.rates import add_months
from kiosk.host.sim.context import next_ref

SCHEMA = """
CREATE TABLE IF NOT EXISTS wealth_products(
    code TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT NOT NULL, risk TEXT NOT NULL,
    term_days INTEGER NOT NULL CHECK (term_days > 0), min_fen INTEGER NOT NULL CHECK (min_fen > 0),
    rate_low TEXT NOT NULL, rate_high TEXT NOT NULL, quota_left_fen INTEGER NOT NULL CHECK (quota_left_fen >= 0),
    on_sale INTEGER NOT NULL, rank INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS wealth_assessments(
    assessment_ref TEXT PRIMARY KEY, customer_id TEXT NOT NULL, answers TEXT, score INTEGER NOT NULL,
    grade TEXT NOT NULL, assessed_at TEXT NOT NULL, valid_until TEXT NOT NULL, idempotency_key TEXT);
CREATE TABLE IF NOT EXISTS wealth_holdings(
    holding_ref TEXT PRIMARY KEY, customer_id TEXT NOT NULL, product_code TEXT NOT NULL, account_no TEXT NOT NULL,
    card_ref TEXT NOT NULL, amount_fen INTEGER NOT NULL CHECK (amount_fen > 0), bought_at TEXT NOT NULL,
    cooling_off_until TEXT NOT NULL, value_date TEXT NOT NULL, maturity_date TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'held', idempotency_key TEXT);
CREATE TABLE IF NOT EXISTS wealth_managers(
    manager_id TEXT PRIMARY KEY, name TEXT NOT NULL, desk TEXT NOT NULL, desk_en TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS wealth_bookings(
    booking_ref TEXT PRIMARY KEY, id_number TEXT NOT NULL, reason TEXT NOT NULL, product_code TEXT,
    manager_id TEXT NOT NULL, slot_at TEXT NOT NULL, kind TEXT NOT NULL, ticket_no TEXT NOT NULL,
    booked_at TEXT NOT NULL, idempotency_key TEXT, UNIQUE (manager_id, slot_at));
"""
TABLES = ("wealth_bookings", "wealth_managers", "wealth_holdings", "wealth_assessments", "wealth_products")


def valid_until(assessed: datetime) -> str:
    """An assessment is valid for one year: its last day is the day before its anniversary."""
    return (add_months(assessed.date(), 12) - timedelta(days=1)).isoformat()


def seed_wealth(conn: sqlite3.Connection, raw: Mapping[str, Any], now: datetime) -> None:
    """Fill the wealth tables from the people file's ``wealth_*`` sections (inside the seed's transaction)."""
    for rank, product in enumerate(raw.get("wealth_product", [])):
        conn.execute(
            "INSERT INTO wealth_products(code, name, name_en, risk, term_days, min_fen, rate_low, rate_high, "
            "quota_left_fen, on_sale, rank) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (product["code"], product["name"], product["name_en"], product["risk"], int(product["term_days"]),
             int(product["min_fen"]), str(product["rate_low"]), str(product["rate_high"]),
             int(product["quota_left_fen"]), int(bool(product.get("on_sale", True))), rank))
    people = {p["key"]: str(p["id_number"]) for p in raw.get("person", [])}
    for assessment in raw.get("wealth_assessment", []):
        row = conn.execute("SELECT customer_id FROM customers WHERE id_number = ?",
                           (people[assessment["person"]],)).fetchone()
        if row is None:
            continue
        assessed = now - timedelta(days=int(assessment["days_ago"]))
        conn.execute(
            "INSERT INTO wealth_assessments(assessment_ref, customer_id, answers, score, grade, assessed_at, "
            "valid_until) VALUES (?, ?, NULL, ?, ?, ?, ?)",
            (next_ref(conn, "RA"), row["customer_id"], int(assessment["score"]), assessment["grade"],
             assessed.isoformat(), valid_until(assessed)))
    for manager in raw.get("wealth_manager", []):
        conn.execute("INSERT INTO wealth_managers(manager_id, name, desk, desk_en) VALUES (?, ?, ?, ?)",
                     (manager["id"], manager["name"], manager["desk"], manager["desk_en"]))
