"""The host simulator's tables for consumer loans (个人消费贷, issue 15), and their demo data.

* ``loan_social_insurance``: what the social-insurance agency answers the bank about a person (city,
  employer, months contributed without a break, the monthly contribution base, ``active``, ``suspended`` or
  ``retired``), from people.toml's ``[[loan_social_insurance]]``.
* ``credit_records`` (the credit bureau's table, kiosk/host/sim/seed_docs14.py): people.toml's
  ``[[loan_credit_record]]`` add the loan applicants' accounts, in the same shape as ``[[credit_record]]``.
* ``loan_applications``: every application the bank decided (its decision, score, reasons and factors, the
  offer), keyed by the idempotency key of the request that made it; ``loan_loans`` and ``loan_schedule``: the
  loans paid out and their repayment schedules.

people.toml's ``[[loan_application]]`` are the demo applications (what each demo applicant asks at the kiosk):
not seeded into the bank, they are the set the decision model's automatic rate is measured on
(tests/host/test_loan_model.py).
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS loan_social_insurance(
    id_number TEXT PRIMARY KEY, city TEXT NOT NULL, employer TEXT NOT NULL, months INTEGER NOT NULL,
    base_fen INTEGER NOT NULL, status TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS loan_applications(
    application_ref TEXT PRIMARY KEY, id_number TEXT NOT NULL, customer_id TEXT NOT NULL, card_ref TEXT NOT NULL,
    amount_fen INTEGER NOT NULL, term_months INTEGER NOT NULL, purpose TEXT NOT NULL,
    monthly_income_fen INTEGER NOT NULL, decision TEXT NOT NULL, score INTEGER NOT NULL, reasons TEXT NOT NULL,
    factors TEXT NOT NULL, limit_fen INTEGER, apr TEXT, value_date TEXT NOT NULL, decided_at TEXT NOT NULL,
    offer_expires_at TEXT, callback_by TEXT, status TEXT NOT NULL, reply TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS loan_loans(
    loan_no TEXT PRIMARY KEY, contract_no TEXT NOT NULL UNIQUE, application_ref TEXT NOT NULL UNIQUE,
    customer_id TEXT NOT NULL, account_no TEXT NOT NULL, principal_fen INTEGER NOT NULL CHECK (principal_fen > 0),
    apr TEXT NOT NULL, term_months INTEGER NOT NULL, instalment_fen INTEGER NOT NULL,
    last_instalment_fen INTEGER NOT NULL, total_interest_fen INTEGER NOT NULL, disbursed_on TEXT NOT NULL,
    first_due_on TEXT NOT NULL, maturity_on TEXT NOT NULL, cooling_off_until TEXT NOT NULL,
    disbursed_at TEXT NOT NULL, idempotency_key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS loan_schedule(
    loan_no TEXT NOT NULL REFERENCES loan_loans(loan_no), period INTEGER NOT NULL, due_on TEXT NOT NULL,
    payment_fen INTEGER NOT NULL, principal_fen INTEGER NOT NULL, interest_fen INTEGER NOT NULL,
    balance_after_fen INTEGER NOT NULL, PRIMARY KEY (loan_no, period));
"""
TABLES = ("loan_schedule", "loan_loans", "loan_applications", "loan_social_insurance")


def seed_loan(conn: sqlite3.Connection, raw: dict[str, Any], now: datetime) -> None:
    """Social insurance and the applicants' credit-bureau accounts (after seed_docs14 made the bureau's table)."""
    people = {p["key"]: str(p["id_number"]) for p in raw.get("person", [])}
    for si in raw.get("loan_social_insurance", []):
        conn.execute(
            "INSERT INTO loan_social_insurance(id_number, city, employer, months, base_fen, status) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (people[si["person"]], si["city"], si["employer"], int(si["months"]), int(si["base_fen"]),
             si.get("status", "active")))
    for record in raw.get("loan_credit_record", []):
        conn.execute(
            "INSERT INTO credit_records(id_number, kind, lender, product, opened_on, limit_fen, balance_fen, status, "
            "overdue_months) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (people[record["person"]], record["kind"], record["lender"], record["product"],
             _date(record["opened"]).isoformat(), int(record["limit_fen"]), int(record["balance_fen"]),
             record.get("status", "normal"), int(record.get("overdue_months", 0))))


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
