"""The host simulator's table of time-deposit withdrawals (定期支取), and the demo deposits of people.toml's
``td_withdraw_deposit`` sections.

Deposits themselves live in ``m14_deposits`` (kiosk/host/sim/money14_seed.py), rates in ``m14_deposit_rates``.
A ``td_withdraw_deposit`` names its certificate number itself (``cd_no``, outside the ``CD`` counter's
series, so deposits opened at the kiosk keep their numbers), and may say that its one partial withdrawal is
used (``partial_done``) or that it rolls over (``auto_rollover``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from kiosk.core.rates import add_months

SCHEMA = """
CREATE TABLE IF NOT EXISTS td_withdrawals(
    withdrawal_ref TEXT PRIMARY KEY, cd_no TEXT NOT NULL, withdrawal TEXT NOT NULL, account_no TEXT NOT NULL,
    principal_fen INTEGER NOT NULL CHECK (principal_fen > 0), interest_fen INTEGER NOT NULL CHECK (interest_fen >= 0),
    interest_lost_fen INTEGER NOT NULL CHECK (interest_lost_fen >= 0),
    remainder_fen INTEGER NOT NULL CHECK (remainder_fen >= 0), withdrawn_at TEXT NOT NULL, idempotency_key TEXT);
"""
TABLES = ("td_withdrawals",)


def seed_td_withdraw(conn: sqlite3.Connection, raw: Mapping[str, Any], now: datetime) -> None:
    """The ``td_withdraw_deposit`` rows (inside the seed's transaction; after the money14 seed)."""
    key_to_id = {p["key"]: p["id_number"] for p in raw.get("person", [])}
    for deposit in raw.get("td_withdraw_deposit", []):
        owner = conn.execute("SELECT customer_id FROM customers WHERE id_number = ?",
                             (key_to_id.get(deposit["owner"]),)).fetchone()
        card = conn.execute("SELECT account_no FROM cards WHERE pan = ?", (deposit["card"],)).fetchone()
        rate = conn.execute("SELECT months, rate FROM m14_deposit_rates WHERE term = ?", (deposit["term"],)).fetchone()
        if owner is None or card is None or rate is None:
            continue
        opened = now.date() - timedelta(days=int(deposit["opened_days_ago"]))
        conn.execute(
            "INSERT INTO m14_deposits(cd_no, customer_id, account_no, term, principal_fen, rate, opened_on, "
            "maturity_on, auto_rollover, partial_done) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (deposit["cd_no"], owner["customer_id"], card["account_no"], deposit["term"],
             int(deposit["principal_fen"]), rate["rate"], opened.isoformat(),
             add_months(opened, int(rate["months"])).isoformat(), int(bool(deposit.get("auto_rollover", False))),
             int(bool(deposit.get("partial_done", False)))))
