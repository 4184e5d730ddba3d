"""The host simulator's tables for balances and documents (issue 14), and their demo data.

* ``transactions``: each seeded card account gets a year of plausible, fictitious activity that ends at the
  account's seeded balance (made backwards from it, so no balance is ever negative); people.toml's
  ``[[activity]]`` tables set how busy an account is (``per_month``).
* ``freezes``: deposit-certificate freezes; ``documents``: every document the bank issued (its
  verification code and the digest of the signed PDF); ``credit_records`` and ``credit_queries``: the
  credit bureau's records, from people.toml's ``[[credit_record]]`` tables (all invented).
"""

from __future__ import annotations

import random
import sqlite3
from datetime import date, datetime, timedelta
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS transactions(
    id INTEGER PRIMARY KEY AUTOINCREMENT, account_no TEXT NOT NULL, posted_on TEXT NOT NULL, kind TEXT NOT NULL,
    amount_fen INTEGER NOT NULL, balance_fen INTEGER NOT NULL, reference TEXT);
CREATE INDEX IF NOT EXISTS transactions_by_account ON transactions(account_no, posted_on);
CREATE TABLE IF NOT EXISTS freezes(
    certificate_ref TEXT PRIMARY KEY, account_no TEXT NOT NULL, amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    frozen_until TEXT NOT NULL, issued_at TEXT NOT NULL, idempotency_key TEXT);
CREATE TABLE IF NOT EXISTS documents(
    verification_code TEXT PRIMARY KEY, kind TEXT NOT NULL, reference TEXT NOT NULL, sha256 TEXT NOT NULL,
    pages INTEGER NOT NULL, issued_at TEXT NOT NULL, idempotency_key TEXT);
CREATE TABLE IF NOT EXISTS credit_records(
    id INTEGER PRIMARY KEY AUTOINCREMENT, id_number TEXT NOT NULL, kind TEXT NOT NULL, lender TEXT NOT NULL,
    product TEXT NOT NULL, opened_on TEXT NOT NULL, limit_fen INTEGER NOT NULL, balance_fen INTEGER NOT NULL,
    status TEXT NOT NULL, overdue_months INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS credit_queries(
    id INTEGER PRIMARY KEY AUTOINCREMENT, id_number TEXT NOT NULL, queried_at TEXT NOT NULL, queried_by TEXT NOT NULL,
    reason TEXT NOT NULL, self INTEGER NOT NULL, report_ref TEXT, idempotency_key TEXT);
"""
TABLES = ("transactions", "freezes", "documents", "credit_records", "credit_queries")

# kind, share of the month's entries, amount range in fen (debits negative)
_ACTIVITY = (
    ("purchase", 0.55, (-48_000, -1_200)),
    ("utility", 0.10, (-30_000, -6_000)),
    ("transfer_out", 0.10, (-200_000, -10_000)),
    ("cash", 0.05, (-100_000, -20_000)),
    ("transfer_in", 0.10, (10_000, 150_000)),
)
_SALARY = ("salary", (650_000, 980_000))


def _entries(rng: random.Random, month_start: date, per_month: int) -> list[tuple[date, str, int]]:
    """One month's entries (credits are made as drawn; balances are fitted afterwards)."""
    out = [(month_start + timedelta(days=9), _SALARY[0], rng.randint(*_SALARY[1]))]
    kinds = [k for k, _, _ in _ACTIVITY]
    weights = [w for _, w, _ in _ACTIVITY]
    ranges = {k: r for k, _, r in _ACTIVITY}
    for _ in range(max(per_month - 1, 0)):
        kind = rng.choices(kinds, weights)[0]
        low, high = ranges[kind]
        out.append((month_start + timedelta(days=rng.randint(0, 27)), kind, rng.randint(low, high)))
    if month_start.month in (3, 6, 9, 12):
        out.append((month_start + timedelta(days=20), "interest", rng.randint(50, 900)))
    return out


def seed_transactions(conn: sqlite3.Connection, account_no: str, balance_fen: int, today: date,
                      per_month: int, seed: int) -> None:
    """A year and a month of activity ending at ``balance_fen`` today, made backwards from it: a credit is
    cut to what the balance before it can spare, so every balance on the way is 0 or more."""
    rng = random.Random(seed)
    entries: list[tuple[date, str, int]] = []
    first = date(today.year - 1, today.month, 1) - timedelta(days=31)
    month = first.replace(day=1)
    while month <= today:
        entries += [e for e in _entries(rng, month, per_month) if e[0] <= today - timedelta(days=1)]
        month = (month + timedelta(days=32)).replace(day=1)
    entries.sort(key=lambda e: e[0])
    rows = []
    after = balance_fen
    for posted, kind, amount in reversed(entries):
        if amount > 0:
            amount = min(amount, after)  # before = after - amount >= 0
            if amount == 0:
                continue
        rows.append((account_no, posted.isoformat(), kind, amount, after))
        after -= amount
    conn.executemany("INSERT INTO transactions(account_no, posted_on, kind, amount_fen, balance_fen) "
                     "VALUES (?, ?, ?, ?, ?)", list(reversed(rows)))


def seed_docs14(conn: sqlite3.Connection, raw: dict[str, Any], now: datetime) -> None:
    """Fill this module's tables from the seeded accounts and people.toml's issue-14 tables."""
    busy = {str(a["pan"]): int(a.get("per_month", 5)) for a in raw.get("activity", [])}
    cards = conn.execute("SELECT c.pan, c.account_no, a.balance_fen FROM cards c "
                         "JOIN accounts a ON a.account_no = c.account_no ORDER BY c.card_ref").fetchall()
    for card in cards:
        seed_transactions(conn, card["account_no"], card["balance_fen"], now.date(), busy.get(card["pan"], 5),
                          seed=int(card["pan"][-8:]))
    people = {p["key"]: str(p["id_number"]) for p in raw.get("person", [])}
    for record in raw.get("credit_record", []):
        id_number = people[record["person"]]
        if record["kind"] == "self_query":
            conn.executemany(
                "INSERT INTO credit_queries(id_number, queried_at, queried_by, reason, self) VALUES (?, ?, ?, ?, 1)",
                [(id_number, now.isoformat(), "本人查询", "本人查询")] * int(record.get("times_this_year", 1)))
        elif record["kind"] == "query":
            conn.execute(
                "INSERT INTO credit_queries(id_number, queried_at, queried_by, reason, self) VALUES (?, ?, ?, ?, 0)",
                (id_number, _date(record["on"]).isoformat(), record["by"], record["reason"]))
        else:
            conn.execute(
                "INSERT INTO credit_records(id_number, kind, lender, product, opened_on, limit_fen, balance_fen, "
                "status, overdue_months) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (id_number, record["kind"], record["lender"], record["product"], _date(record["opened"]).isoformat(),
                 int(record["limit_fen"]), int(record["balance_fen"]), record.get("status", "normal"),
                 int(record.get("overdue_months", 0))))


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
