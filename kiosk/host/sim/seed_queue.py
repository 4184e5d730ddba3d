"""The host simulator's queue system (取号): its tables and their demo data.

* ``queue_queues``: one row a queue: its letter (``prefix``), names, the average minutes a customer takes at
  its counters (a Decimal string), the numbers ``issued`` and ``called`` so far (the people waiting are the
  difference), when the counter calls its next number (``next_call_at``), whether it issues numbers (``open``)
  and whether it is the priority queue of customers aged 60 and over (``priority``).
* ``queue_businesses``: the businesses done at the counters, each with its queue and whether a customer of 60
  or more is served in the priority queue for it.
* ``queue_tickets``: every number issued (its queue and sequence, the business, a digest of the holder's ID
  number when the ID card was read, never the number itself).

Seeded from people.toml's ``[[queue_queue]]`` (``waiting`` people already there, the front one called in the
queue's average minutes from the seeding), ``[[queue_business]]`` and ``[[queue_ticket]]`` (a demo person who
already holds a number for a business) sections.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS queue_queues(
    prefix TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT NOT NULL, avg_minutes TEXT NOT NULL,
    issued INTEGER NOT NULL CHECK (issued >= 0), called INTEGER NOT NULL CHECK (called >= 0 AND called <= issued),
    next_call_at TEXT NOT NULL, open INTEGER NOT NULL DEFAULT 1, priority INTEGER NOT NULL DEFAULT 0,
    rank INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS queue_businesses(
    code TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT NOT NULL,
    queue TEXT NOT NULL REFERENCES queue_queues(prefix), priority INTEGER NOT NULL, rank INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS queue_tickets(
    id INTEGER PRIMARY KEY AUTOINCREMENT, ticket_no TEXT NOT NULL, queue TEXT NOT NULL, seq INTEGER NOT NULL,
    business TEXT NOT NULL, priority INTEGER NOT NULL, holder_digest TEXT, issued_at TEXT NOT NULL,
    idempotency_key TEXT, UNIQUE(queue, seq));
"""
TABLES = ("queue_tickets", "queue_businesses", "queue_queues")  # children first, for a reseed


def holder_digest(id_number: str) -> str:
    """What the queue keeps of a holder's ID number: enough to know the same person again, not the number."""
    return hashlib.sha256(f"kiosk-host-sim:queue:{id_number.upper()}".encode()).hexdigest()


def ticket_no(prefix: str, seq: int) -> str:
    """The number printed: the queue's letter and the sequence in three digits (after 999, 001 again)."""
    return f"{prefix}{(seq - 1) % 999 + 1:03d}"


def seed_queue(conn: sqlite3.Connection, raw: dict[str, Any], now: datetime) -> None:
    """Fill the queue tables from people.toml's ``queue_*`` sections (inside the seed's transaction)."""
    for rank, queue in enumerate(raw.get("queue_queue", [])):
        avg = Decimal(str(queue["avg_minutes"]))
        called = int(queue.get("called", 0))
        next_call = now + timedelta(minutes=float(avg))
        conn.execute(
            "INSERT INTO queue_queues(prefix, name, name_en, avg_minutes, issued, called, next_call_at, open, "
            "priority, rank) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (queue["prefix"], queue["name"], queue["name_en"], str(avg), called + int(queue.get("waiting", 0)),
             called, next_call.isoformat(), int(queue.get("open", True)), int(queue.get("priority", False)), rank))
    for rank, business in enumerate(raw.get("queue_business", [])):
        conn.execute(
            "INSERT INTO queue_businesses(code, name, name_en, queue, priority, rank) VALUES (?, ?, ?, ?, ?, ?)",
            (business["code"], business["name"], business["name_en"], business["queue"],
             int(business.get("priority", False)), rank))
    people = {p["key"]: str(p["id_number"]) for p in raw.get("person", [])}
    for held in raw.get("queue_ticket", []):
        _seed_ticket(conn, held["business"], holder_digest(people[held["person"]]), now)


def _seed_ticket(conn: sqlite3.Connection, business: str, digest: str, now: datetime) -> None:
    """A number a demo person took before (in the business's own queue), still waiting."""
    (queue,) = conn.execute("SELECT queue FROM queue_businesses WHERE code = ?", (business,)).fetchone()
    conn.execute("UPDATE queue_queues SET issued = issued + 1 WHERE prefix = ?", (queue,))
    (seq,) = conn.execute("SELECT issued FROM queue_queues WHERE prefix = ?", (queue,)).fetchone()
    conn.execute(
        "INSERT INTO queue_tickets(ticket_no, queue, seq, business, priority, holder_digest, issued_at) "
        "VALUES (?, ?, ?, ?, 0, ?, ?)", (ticket_no(queue, seq), queue, seq, business, digest, now.isoformat()))
