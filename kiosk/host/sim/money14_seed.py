"""The host simulator's tables for transfers and time deposits (money14), and their demo data.

Seeded from the ``money14_*`` sections of assets/sim/people.toml: the banks a transfer can go to, accounts
at other banks (the interbank directory the simulated clearing answers from), customers' past payees,
the deposit rate table and customers' time deposits.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from kiosk.core.rates import add_months
from kiosk.host.sim.context import next_ref

SCHEMA = """
CREATE TABLE IF NOT EXISTS m14_banks(code TEXT PRIMARY KEY, name TEXT NOT NULL, this_bank INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS m14_external_accounts(
    bank_code TEXT NOT NULL, account_no TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (bank_code, account_no));
CREATE TABLE IF NOT EXISTS m14_payees(
    payee_ref TEXT PRIMARY KEY, customer_id TEXT NOT NULL, bank_code TEXT NOT NULL, account_no TEXT NOT NULL,
    name TEXT NOT NULL, first_paid_at TEXT NOT NULL, UNIQUE (customer_id, bank_code, account_no));
CREATE TABLE IF NOT EXISTS m14_transfers(
    transfer_ref TEXT PRIMARY KEY, card_ref TEXT NOT NULL, account_no TEXT NOT NULL, bank_code TEXT NOT NULL,
    payee_account TEXT NOT NULL, amount_fen INTEGER NOT NULL, fee_fen INTEGER NOT NULL, purpose TEXT NOT NULL,
    sent_at TEXT NOT NULL, sent_day TEXT NOT NULL, approval_ref TEXT, idempotency_key TEXT);
CREATE TABLE IF NOT EXISTS m14_deposit_rates(term TEXT PRIMARY KEY, months INTEGER NOT NULL, rate TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS m14_deposits(
    cd_no TEXT PRIMARY KEY, customer_id TEXT NOT NULL, account_no TEXT NOT NULL, term TEXT NOT NULL,
    principal_fen INTEGER NOT NULL CHECK (principal_fen >= 0), rate TEXT NOT NULL, opened_on TEXT NOT NULL,
    maturity_on TEXT NOT NULL, auto_rollover INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'open',
    partial_done INTEGER NOT NULL DEFAULT 0, idempotency_key TEXT);
"""
TABLES = ("m14_banks", "m14_external_accounts", "m14_payees", "m14_transfers", "m14_deposit_rates", "m14_deposits")


def _customer(conn: sqlite3.Connection, key_to_id: Mapping[str, str], person_key: str) -> str | None:
    id_number = key_to_id.get(person_key)
    row = conn.execute("SELECT customer_id FROM customers WHERE id_number = ?", (id_number,)).fetchone()
    return None if row is None else str(row["customer_id"])


def _account_of(conn: sqlite3.Connection, pan: str) -> str:
    return str(conn.execute("SELECT account_no FROM cards WHERE pan = ?", (pan,)).fetchone()["account_no"])


def seed_money(conn: sqlite3.Connection, raw: Mapping[str, Any], now: datetime) -> None:
    """Fill the money14 tables from the people file's ``money14_*`` sections (inside the seed's transaction)."""
    key_to_id = {p["key"]: p["id_number"] for p in raw.get("person", [])}
    for bank in raw.get("money14_bank", []):
        conn.execute("INSERT INTO m14_banks(code, name, this_bank) VALUES (?, ?, ?)",
                     (bank["code"], bank["name"], int(bool(bank.get("this_bank", False)))))
    for acct in raw.get("money14_external_account", []):
        conn.execute("INSERT INTO m14_external_accounts(bank_code, account_no, name) VALUES (?, ?, ?)",
                     (acct["bank"], acct["account_no"], acct["name"]))
    for payee in raw.get("money14_payee", []):
        customer_id = _customer(conn, key_to_id, payee["owner"])
        if customer_id is not None:
            conn.execute(
                "INSERT INTO m14_payees(payee_ref, customer_id, bank_code, account_no, name, first_paid_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (next_ref(conn, "PY"), customer_id, payee["bank"], payee["account_no"], payee["name"],
                 (now - timedelta(days=30)).isoformat()))
    for rate in raw.get("money14_deposit_rate", []):
        conn.execute("INSERT INTO m14_deposit_rates(term, months, rate) VALUES (?, ?, ?)",
                     (rate["term"], int(rate["months"]), str(rate["rate"])))
    for deposit in raw.get("money14_deposit", []):
        _seed_deposit(conn, key_to_id, deposit, now)


def _seed_deposit(conn: sqlite3.Connection, key_to_id: Mapping[str, str], deposit: Mapping[str, Any],
                  now: datetime) -> None:
    customer_id = _customer(conn, key_to_id, deposit["owner"])
    if customer_id is None:
        return
    row = conn.execute("SELECT months, rate FROM m14_deposit_rates WHERE term = ?", (deposit["term"],)).fetchone()
    opened = now.date() - timedelta(days=int(deposit["opened_days_ago"]))
    conn.execute(
        "INSERT INTO m14_deposits(cd_no, customer_id, account_no, term, principal_fen, rate, opened_on, maturity_on, "
        "auto_rollover) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
        (next_ref(conn, "CD", width=10), customer_id, _account_of(conn, deposit["card"]), deposit["term"],
         int(deposit["principal_fen"]), row["rate"], opened.isoformat(),
         add_months(opened, int(row["months"])).isoformat()))
