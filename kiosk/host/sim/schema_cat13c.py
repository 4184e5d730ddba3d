"""Tables of the cards-and-accounts catalogue (issue 13, part 1): accounts opened online and their
restrictions, e-banking signings and SMS alerts per card, and what the bank keeps of a customer's profile."""

from __future__ import annotations

SCHEMA_CAT13C = """
CREATE TABLE IF NOT EXISTS account_restrictions(
    account_ref TEXT PRIMARY KEY, account_no TEXT NOT NULL UNIQUE REFERENCES accounts(account_no),
    channel TEXT NOT NULL, restriction TEXT, class_before INTEGER, verified_at TEXT, verified_by TEXT,
    verification_ref TEXT, idempotency_key TEXT);
CREATE TABLE IF NOT EXISTS ebanking(
    card_ref TEXT NOT NULL REFERENCES cards(card_ref), service TEXT NOT NULL, signed INTEGER NOT NULL,
    mobile TEXT, reason TEXT, changed_at TEXT, change_ref TEXT, idempotency_key TEXT,
    PRIMARY KEY (card_ref, service));
CREATE TABLE IF NOT EXISTS sms_alerts(
    card_ref TEXT PRIMARY KEY REFERENCES cards(card_ref), subscribed INTEGER NOT NULL, threshold_fen INTEGER,
    mobile TEXT, changed_at TEXT, alert_ref TEXT, idempotency_key TEXT);
CREATE TABLE IF NOT EXISTS customer_profiles(
    customer_id TEXT PRIMARY KEY REFERENCES customers(customer_id), address TEXT, occupation TEXT,
    id_valid_to TEXT, updated_at TEXT);
CREATE TABLE IF NOT EXISTS profile_updates(
    update_ref TEXT PRIMARY KEY, customer_id TEXT NOT NULL, item TEXT NOT NULL, updated_at TEXT NOT NULL,
    idempotency_key TEXT);
"""

# Children before parents (a reseed empties them in this order, before the tables they refer to).
TABLES_CAT13C = ("account_restrictions", "ebanking", "sms_alerts", "customer_profiles", "profile_updates")
