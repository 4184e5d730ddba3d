"""The host simulator's tables for appointments (预约办理), and their demo data from people.toml.

* ``appointment_services``: what the mini-program may book (``[[appointments_service]]``): a kiosk flow and the
  answers it takes (the flow's form fields and choices, by the flow data attribute they fill); a booking of
  another flow, or with another answer, is refused.
* ``appointments``: the bookings (``[[appointments_booking]]``): ``ref`` (APT and 8 digits), ``person`` (a
  people.toml key: the holder's ID number), ``flow``, ``answers`` (a table of strings) and ``window``, relative
  to the seeding time so the demo works on any day: ``open`` (from an hour ago for a week), ``expired`` (closed
  yesterday), ``future`` (opens tomorrow, for two hours); ``used = true``: redeemed already, an hour ago;
  ``cancelled = true``: cancelled in the mini-program.
  Bookings the mini-program makes later are numbered on from the seeded ones.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS appointment_services(
    flow TEXT PRIMARY KEY, answers TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS appointments(
    booking_ref TEXT PRIMARY KEY, id_number TEXT NOT NULL, flow TEXT NOT NULL, answers TEXT NOT NULL,
    window_from TEXT NOT NULL, window_to TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'booked'
        CHECK (status IN ('booked', 'redeemed', 'cancelled')),
    created_at TEXT NOT NULL, redeemed_at TEXT, redeemed_key TEXT, idempotency_key TEXT);
CREATE INDEX IF NOT EXISTS appointments_by_holder ON appointments(id_number);
"""
TABLES = ("appointments", "appointment_services")  # emptied in this order for a reseed
REF_SERIES = "APT"


def window(kind: str, now: datetime) -> tuple[datetime, datetime]:
    """A seeded booking's window, relative to ``now``."""
    if kind == "open":
        return now - timedelta(hours=1), now + timedelta(days=7)
    if kind == "expired":
        return now - timedelta(days=2), now - timedelta(days=1)
    if kind == "future":
        return now + timedelta(days=1), now + timedelta(days=1, hours=2)
    raise ValueError(f"appointments_booking: window {kind!r}; allowed: open, expired, future")


def seed_appointments(conn: sqlite3.Connection, tables: Mapping[str, Any], now: datetime) -> None:
    """Fill this module's tables from people.toml's ``appointments_*`` tables."""
    for service in tables.get("appointments_service", []):
        conn.execute("INSERT INTO appointment_services(flow, answers) VALUES (?, ?)",
                     (service["flow"], json.dumps(list(service["answers"]))))
    id_numbers = {p["key"]: p["id_number"] for p in tables.get("person", [])}
    last = 0
    for booking in tables.get("appointments_booking", []):
        ref = str(booking["ref"])
        start, end = window(booking.get("window", "open"), now)
        used = bool(booking.get("used", False))
        status = "redeemed" if used else "cancelled" if booking.get("cancelled", False) else "booked"
        conn.execute(
            "INSERT INTO appointments(booking_ref, id_number, flow, answers, window_from, window_to, status, "
            "created_at, redeemed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (ref, id_numbers[booking["person"]], booking["flow"],
             json.dumps({k: str(v) for k, v in booking.get("answers", {}).items()}, ensure_ascii=False),
             start.isoformat(), end.isoformat(), status,
             (start - timedelta(days=1)).isoformat(), (now - timedelta(hours=1)).isoformat() if used else None))
        last = max(last, int(ref.removeprefix(REF_SERIES)))
    if last:
        conn.execute("INSERT INTO counters(name, value) VALUES (?, ?) "
                     "ON CONFLICT(name) DO UPDATE SET value = MAX(value, excluded.value)", (REF_SERIES, last))
