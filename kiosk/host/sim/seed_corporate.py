"""The host simulator's tables for the corporate account pre-check (对公开户预审), and their demo data.

* ``corporate_companies``: the companies the bank can check (people.toml ``[[corporate_company]]``): credit code,
  name, kind (enterprise, individual_business, farmers_cooperative), legal form, the legal representative's ID
  number (from the person the record names) and the registration status: ``active`` (存续), ``abnormal``
  (列入经营异常名录) or ``deregistered`` (注销);
* ``corporate_counters``: the branch's counters for corporate accounts, and ``corporate_booking`` when the
  signing appointments are held (``[corporate_booking]``: ``times`` of day, ``slot_minutes`` long, on the next
  ``days`` working days, at most ``offered`` shown);
* ``corporate_originals``: what each kind of company brings to the signing (``[corporate_originals]``, in order);
* ``corporate_appointments``: the signing appointments booked, one per company (``[[corporate_appointment]]``:
  other companies' bookings, ``day`` counted in working days from the seed's).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS corporate_companies(
    credit_code TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('enterprise', 'individual_business', 'farmers_cooperative')),
    legal_form TEXT NOT NULL, representative_id TEXT NOT NULL, representative_name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'abnormal', 'deregistered')));
CREATE TABLE IF NOT EXISTS corporate_counters(number TEXT PRIMARY KEY, name TEXT NOT NULL, rank INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS corporate_booking(
    id INTEGER PRIMARY KEY CHECK (id = 1), times TEXT NOT NULL, slot_minutes INTEGER NOT NULL CHECK (slot_minutes > 0),
    days INTEGER NOT NULL CHECK (days > 0), offered INTEGER NOT NULL CHECK (offered > 0));
CREATE TABLE IF NOT EXISTS corporate_originals(
    kind TEXT NOT NULL, rank INTEGER NOT NULL, item TEXT NOT NULL, PRIMARY KEY (kind, rank));
CREATE TABLE IF NOT EXISTS corporate_appointments(
    booking_ref TEXT PRIMARY KEY, credit_code TEXT NOT NULL UNIQUE, company_name TEXT NOT NULL, day TEXT NOT NULL,
    start TEXT NOT NULL, counter TEXT NOT NULL, representative_id TEXT, licence_read INTEGER, booked_at TEXT NOT NULL,
    idempotency_key TEXT, UNIQUE (day, start, counter));
"""
TABLES = ("corporate_appointments", "corporate_originals", "corporate_booking", "corporate_counters",
          "corporate_companies")  # emptied in this order for a reseed


def working_days_after(today: date, count: int) -> list[date]:
    """The next ``count`` working days after ``today`` (Monday to Friday; public holidays are not modelled)."""
    days: list[date] = []
    day = today
    while len(days) < count:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days


def seed_corporate(conn: sqlite3.Connection, tables: Mapping[str, Any], now: datetime) -> None:
    """Fill this module's tables from people.toml's ``corporate_*`` tables (the people are read from the same file)."""
    people = {str(p["key"]): p for p in tables.get("person", [])}
    for company in tables.get("corporate_company", []):
        person = people[str(company["representative"])]
        conn.execute(
            "INSERT INTO corporate_companies(credit_code, key, name, kind, legal_form, representative_id, "
            "representative_name, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (str(company["credit_code"]), str(company["key"]), company["name"], company["kind"],
             company["legal_form"], str(person["id_number"]), person["name"], company.get("status", "active")))
    booking = tables.get("corporate_booking", {})
    for rank, counter in enumerate(booking.get("counters", [])):
        conn.execute("INSERT INTO corporate_counters(number, name, rank) VALUES (?, ?, ?)",
                     (str(counter["number"]), counter["name"], rank))
    if booking:
        conn.execute("INSERT INTO corporate_booking(id, times, slot_minutes, days, offered) VALUES (1, ?, ?, ?, ?)",
                     (json.dumps(list(booking["times"])), int(booking["slot_minutes"]), int(booking["days"]),
                      int(booking["offered"])))
    for kind, items in tables.get("corporate_originals", {}).items():
        conn.executemany("INSERT INTO corporate_originals(kind, rank, item) VALUES (?, ?, ?)",
                         [(kind, rank, item) for rank, item in enumerate(items)])
    for number, appointment in enumerate(tables.get("corporate_appointment", []), 1):
        day = working_days_after(now.date(), int(appointment["day"]))[-1]
        conn.execute(
            "INSERT INTO corporate_appointments(booking_ref, credit_code, company_name, day, start, counter, "
            "booked_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (f"CA-SEED-{number:02d}", str(appointment["credit_code"]), appointment["company"], day.isoformat(),
             str(appointment["time"]), str(appointment["counter"]), now.isoformat()))
