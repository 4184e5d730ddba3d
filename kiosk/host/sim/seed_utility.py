"""The host simulator's tables for utility bills (生活缴费), and their demo data from people.toml.

* ``utility_companies``: the water, electricity and gas companies the bank collects for (``[[utility_company]]``:
  a 4-digit ``code``, ``kind``, ``name``); a bill's barcode is the company's code followed by the customer number.
* ``utility_accounts``: each company's customers (``[[utility_account]]``: ``company``, ``customer_no`` (户号),
  ``holder``), and ``utility_bills`` their monthly bills (``[[utility_account.bill]]``: ``period`` YYYY-MM,
  ``amount_fen``, ``paid = true`` for one paid already, ``revised_fen``: the company re-reads the meter once the
  bill has been looked up, so a payment of the amount first shown is refused as changed).
* ``utility_payments``: what the kiosk paid, under the posting's idempotency key.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import datetime
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS utility_companies(
    code TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('water', 'electricity', 'gas')), name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS utility_accounts(
    company_code TEXT NOT NULL REFERENCES utility_companies(code), customer_no TEXT NOT NULL, holder TEXT NOT NULL,
    PRIMARY KEY (company_code, customer_no));
CREATE TABLE IF NOT EXISTS utility_bills(
    id INTEGER PRIMARY KEY AUTOINCREMENT, company_code TEXT NOT NULL, customer_no TEXT NOT NULL,
    period TEXT NOT NULL, amount_fen INTEGER NOT NULL CHECK (amount_fen > 0), status TEXT NOT NULL DEFAULT 'due',
    revised_fen INTEGER, looked_up INTEGER NOT NULL DEFAULT 0, payment_ref TEXT,
    UNIQUE (company_code, customer_no, period));
CREATE TABLE IF NOT EXISTS utility_payments(
    payment_ref TEXT PRIMARY KEY, card_ref TEXT NOT NULL, account_no TEXT NOT NULL, company_code TEXT NOT NULL,
    customer_no TEXT NOT NULL, periods TEXT NOT NULL, amount_fen INTEGER NOT NULL, paid_at TEXT NOT NULL,
    approval_ref TEXT, idempotency_key TEXT);
"""
TABLES = ("utility_payments", "utility_bills", "utility_accounts", "utility_companies")  # children first


def seed_utility(conn: sqlite3.Connection, tables: Mapping[str, Any], now: datetime) -> None:
    """Fill this module's tables from people.toml's ``utility_*`` tables."""
    for company in tables.get("utility_company", []):
        conn.execute("INSERT INTO utility_companies(code, kind, name) VALUES (?, ?, ?)",
                     (str(company["code"]), company["kind"], company["name"]))
    for account in tables.get("utility_account", []):
        company, number = str(account["company"]), str(account["customer_no"])
        conn.execute("INSERT INTO utility_accounts(company_code, customer_no, holder) VALUES (?, ?, ?)",
                     (company, number, account["holder"]))
        for bill in account.get("bill", []):
            revised = bill.get("revised_fen")
            conn.execute(
                "INSERT INTO utility_bills(company_code, customer_no, period, amount_fen, status, revised_fen) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (company, number, str(bill["period"]), int(bill["amount_fen"]),
                 "paid" if bill.get("paid") else "due", None if revised is None else int(revised)))
