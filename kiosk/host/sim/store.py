"""The host simulator's SQLite database: schema, transactions, and the store of postings."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.host.sim import (
    money14_seed,
    reversal,
    seed_appointments,
    seed_corporate,
    seed_docs14,
    seed_feedback,
    seed_fx,
    seed_loan,
    seed_queue,
    seed_td_withdraw,
    seed_utility,
    seed_wealth,
)
from kiosk.host.sim.schema_cat13c import SCHEMA_CAT13C, TABLES_CAT13C

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS persons(
    id_number TEXT PRIMARY KEY, name TEXT NOT NULL, birth_date TEXT NOT NULL, mobile TEXT);
CREATE TABLE IF NOT EXISTS customers(
    customer_id TEXT PRIMARY KEY, id_number TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    mobile TEXT, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts(
    account_no TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES customers(customer_id),
    class INTEGER NOT NULL, balance_fen INTEGER NOT NULL CHECK (balance_fen >= 0),
    opened_at TEXT NOT NULL, idempotency_key TEXT);
CREATE TABLE IF NOT EXISTS cards(
    card_ref TEXT PRIMARY KEY, pan TEXT NOT NULL UNIQUE,
    account_no TEXT NOT NULL REFERENCES accounts(account_no),
    customer_id TEXT NOT NULL REFERENCES customers(customer_id), product TEXT NOT NULL,
    status TEXT NOT NULL, loss_expires_at TEXT, pin_hash TEXT NOT NULL,
    pin_wrong INTEGER NOT NULL DEFAULT 0, pin_wrong_day TEXT);
CREATE TABLE IF NOT EXISTS bills(
    bill_id TEXT PRIMARY KEY, id_number TEXT NOT NULL, type TEXT NOT NULL, period TEXT NOT NULL,
    amount_fen INTEGER NOT NULL, payee TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'unpaid',
    payment_ref TEXT);
CREATE TABLE IF NOT EXISTS payments(
    payment_ref TEXT PRIMARY KEY, account_no TEXT NOT NULL, card_ref TEXT NOT NULL,
    amount_fen INTEGER NOT NULL, bill_ids TEXT NOT NULL, paid_at TEXT NOT NULL, idempotency_key TEXT);
CREATE TABLE IF NOT EXISTS losses(
    loss_ref TEXT PRIMARY KEY, card_ref TEXT NOT NULL, kind TEXT NOT NULL, effective_at TEXT NOT NULL,
    expires_at TEXT, approval_ref TEXT, idempotency_key TEXT);
CREATE TABLE IF NOT EXISTS staff(number TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS staff_tokens(
    token_hash TEXT PRIMARY KEY, staff_number TEXT NOT NULL, issued_at TEXT NOT NULL, expires_at TEXT NOT NULL,
    signed_out_at TEXT);
CREATE TABLE IF NOT EXISTS approvals(
    approval_ref TEXT PRIMARY KEY, session_id TEXT NOT NULL, staff_number TEXT NOT NULL,
    decision TEXT NOT NULL, reason TEXT NOT NULL, subject TEXT NOT NULL, recorded_at TEXT NOT NULL,
    idempotency_key TEXT);
CREATE TABLE IF NOT EXISTS sms(
    sms_ref TEXT PRIMARY KEY, mobile TEXT NOT NULL, purpose TEXT NOT NULL, code TEXT NOT NULL,
    expires_at TEXT NOT NULL, tries_left INTEGER NOT NULL, verified INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS account_holds(
    hold_ref TEXT PRIMARY KEY, account_no TEXT NOT NULL REFERENCES accounts(account_no), kind TEXT NOT NULL,
    settled INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS loss_releases(
    release_ref TEXT PRIMARY KEY, card_ref TEXT NOT NULL, kind TEXT NOT NULL, released_at TEXT NOT NULL,
    approval_ref TEXT, idempotency_key TEXT);
CREATE TABLE IF NOT EXISTS card_replacements(
    replace_ref TEXT PRIMARY KEY, old_card_ref TEXT NOT NULL, new_card_ref TEXT NOT NULL, reason TEXT NOT NULL,
    old_card_handed_in INTEGER NOT NULL, fee_fen INTEGER NOT NULL, replaced_at TEXT NOT NULL, idempotency_key TEXT);
CREATE TABLE IF NOT EXISTS account_closings(
    close_ref TEXT PRIMARY KEY, account_no TEXT NOT NULL, transfer_to TEXT, transferred_fen INTEGER NOT NULL,
    closed_at TEXT NOT NULL, approval_ref TEXT, idempotency_key TEXT);
CREATE TABLE IF NOT EXISTS ss_cards(
    card_ref TEXT PRIMARY KEY REFERENCES cards(card_ref), ss_card_no TEXT NOT NULL UNIQUE,
    medical_pin_hash TEXT NOT NULL, medical_pin_changed_at TEXT, activated_at TEXT);
CREATE TABLE IF NOT EXISTS postings(
    idempotency_key TEXT PRIMARY KEY, op TEXT NOT NULL, request_hash TEXT NOT NULL,
    http_status INTEGER NOT NULL, reply TEXT NOT NULL, amount_fen INTEGER, created_at TEXT NOT NULL);
""" + money14_seed.SCHEMA

# Columns added after the first release: a database made before them gets them on open.
ADDED_COLUMNS = {
    "staff": ("password_hash TEXT", "card_pan TEXT", "card_pin_hash TEXT",
              "failed_tries INTEGER NOT NULL DEFAULT 0", "locked_until TEXT"),
    "approvals": ("countersigns TEXT",),
    "cards": ("expiry TEXT",),  # YYMM as on the chip; NULL when the host was not told
    "accounts": ("closed_at TEXT",),  # NULL while the account is open
    "postings": ("kiosk_id TEXT", "session_id TEXT"),  # from the request's X-Kiosk-Id and X-Session-Id
    # what a reversal (冲正) finds by the posting's key, or marks (kiosk/host/sim/reversal_undo.py)
    "account_holds": ("idempotency_key TEXT",),
    "credit_records": ("idempotency_key TEXT",),
    "m14_transfers": ("reversed_at TEXT",),
    "fx_purchases": ("reversed_at TEXT",),
}

# Children before parents, so that a reseed can empty them in this order.
TABLES = (*TABLES_CAT13C, "meta", "counters", "persons", "account_holds", "ss_cards", "cards", "accounts",
          "customers", "bills", "payments", "losses", "staff_tokens", "staff", "approvals", "sms", "postings",
          "loss_releases", "card_replacements", "account_closings") + money14_seed.TABLES


class Store:
    """One connection, used under a lock: the simulator's load is one kiosk, not a branch network."""

    def __init__(self, path: str | Path) -> None:
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=10.0)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.executescript(SCHEMA + SCHEMA_CAT13C)
        self._conn.executescript(seed_docs14.SCHEMA)
        self._conn.executescript(seed_utility.SCHEMA)
        self._conn.executescript(seed_fx.SCHEMA)
        self._conn.executescript(seed_td_withdraw.SCHEMA)
        self._conn.executescript(seed_feedback.SCHEMA)
        self._conn.executescript(seed_queue.SCHEMA)
        self._conn.executescript(seed_wealth.SCHEMA)
        self._conn.executescript(seed_loan.SCHEMA)
        self._conn.executescript(seed_appointments.SCHEMA)
        self._conn.executescript(seed_corporate.SCHEMA)
        self._conn.executescript(reversal.SCHEMA)  # after accounts: its trigger watches their balances
        self._add_columns()

    def _add_columns(self) -> None:
        for table, columns in ADDED_COLUMNS.items():
            have = {row["name"] for row in self._conn.execute(f"PRAGMA table_info({table})")}
            for column in columns:
                if column.split()[0] not in have:
                    self._conn.execute(f"ALTER TABLE {table} ADD COLUMN {column}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Everything inside commits together, or nothing does."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def is_seeded(self) -> bool:
        with self._lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key = 'seeded_at'").fetchone()
            return row is not None

    def clear(self, conn: sqlite3.Connection) -> None:
        """Empty every table (inside the caller's transaction), for a reseed."""
        for table in (*reversal.TABLES, *seed_corporate.TABLES, *seed_appointments.TABLES, *seed_loan.TABLES, *seed_wealth.TABLES,
                      *seed_queue.TABLES, *seed_td_withdraw.TABLES, *seed_fx.TABLES, *seed_utility.TABLES,
                      *seed_docs14.TABLES, *seed_feedback.TABLES, *TABLES):
            conn.execute(f"DELETE FROM {table}")  # noqa: S608 - table names are constants

    def close(self) -> None:
        with self._lock:
            self._conn.close()
