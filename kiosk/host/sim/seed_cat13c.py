"""Seeds the cards-and-accounts catalogue's tables from people.toml (the ``# -- cat13c`` section):

- ``[[online_account]]`` (holder_key, class 2 or 3, restriction ``unverified`` or ``fraud_control``, channel,
  balance_fen): an account opened online, restricted until the customer is verified in person;
- ``[[card_service]]`` (pan, mobile_banking, sms_payment, sms_alert_threshold_fen): what a card has signed;
- ``[[customer_profile]]`` (holder_key, occupation, id_valid_to): what the bank keeps beyond people.toml's
  address and mobile (the ID validity on file may be an older card's).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from kiosk.host.sim.context import next_ref


def _customer_id(conn: sqlite3.Connection, persons: Mapping[str, Any], key: str) -> str | None:
    person = persons.get(key)
    if person is None:
        raise KeyError(f"people.toml: no person {key!r}")
    row = conn.execute("SELECT customer_id FROM customers WHERE id_number = ?", (person["id_number"],)).fetchone()
    return str(row["customer_id"]) if row else None


def _card_ref(conn: sqlite3.Connection, pan: str) -> str:
    row = conn.execute("SELECT card_ref FROM cards WHERE pan = ?", (pan,)).fetchone()
    if row is None:
        raise KeyError("people.toml: a [[card_service]] names a card the bank does not hold")
    return str(row["card_ref"])


def _valid_to(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _online_accounts(conn: sqlite3.Connection, tables: Mapping[str, Any], persons: Mapping[str, Any],
                     now: datetime) -> None:
    for raw in tables.get("online_account", []):
        customer_id = _customer_id(conn, persons, raw["holder_key"])
        if customer_id is None:
            raise KeyError(f"people.toml: {raw['holder_key']} holds an online account but is not a customer")
        account_no = next_ref(conn, "6217", width=15)
        conn.execute("INSERT INTO accounts(account_no, customer_id, class, balance_fen, opened_at) "
                     "VALUES (?, ?, ?, ?, ?)",
                     (account_no, customer_id, int(raw["class"]), int(raw.get("balance_fen", 0)), now.isoformat()))
        conn.execute("INSERT INTO account_restrictions(account_ref, account_no, channel, restriction) "
                     "VALUES (?, ?, ?, ?)",
                     (next_ref(conn, "EA"), account_no, raw.get("channel", "手机银行"), raw["restriction"]))


def _card_services(conn: sqlite3.Connection, tables: Mapping[str, Any]) -> None:
    for raw in tables.get("card_service", []):
        card_ref = _card_ref(conn, str(raw["pan"]))
        mobile = conn.execute("SELECT u.mobile FROM cards c JOIN customers u ON u.customer_id = c.customer_id "
                              "WHERE c.card_ref = ?", (card_ref,)).fetchone()["mobile"]
        for service in ("mobile_banking", "sms_payment"):
            if raw.get(service):
                conn.execute("INSERT INTO ebanking(card_ref, service, signed, mobile) VALUES (?, ?, 1, ?)",
                             (card_ref, service, mobile))
        if "sms_alert_threshold_fen" in raw:
            conn.execute("INSERT INTO sms_alerts(card_ref, subscribed, threshold_fen, mobile) VALUES (?, 1, ?, ?)",
                         (card_ref, int(raw["sms_alert_threshold_fen"]), mobile))


def _profiles(conn: sqlite3.Connection, tables: Mapping[str, Any], persons: Mapping[str, Any]) -> None:
    extra = {raw["holder_key"]: raw for raw in tables.get("customer_profile", [])}
    for key, person in persons.items():
        customer_id = _customer_id(conn, persons, key)
        if customer_id is None:
            continue
        own = extra.get(key, {})
        conn.execute("INSERT INTO customer_profiles(customer_id, address, occupation, id_valid_to) VALUES (?, ?, ?, ?)",
                     (customer_id, person.get("address"), own.get("occupation"),
                      _valid_to(own.get("id_valid_to", person.get("valid_to")))))


def seed_cat13c(conn: sqlite3.Connection, tables: Mapping[str, Any], now: datetime) -> None:
    """Fill this catalogue's tables (inside the caller's transaction, after people and cards)."""
    persons = {raw["key"]: raw for raw in tables.get("person", [])}
    _online_accounts(conn, tables, persons, now)
    _card_services(conn, tables)
    _profiles(conn, tables, persons)
