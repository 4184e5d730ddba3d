"""The host simulator's tables for customer feedback (issue 15), and the bank's working-day calendar.

* ``feedback``: one row a suggestion or complaint: its reference, what the customer chose, the classifier's
  answer (kind, priority, category, the words that decided), the text, the contact (ID number or mobile, or
  none), when it came and by when the bank answers. The text and the contact live here only: the kiosk's
  journal keeps the reference, the category and the classification.
* ``feedback_calendar``: the days that are not as the week says, from people.toml's ``[[feedback_calendar]]``
  tables: public holidays (``working = false``) and the weekend days worked in their place (``working =
  true``, 调休). Suggestions are answered within 5 working days of this calendar.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback(
    feedback_ref TEXT PRIMARY KEY, received_at TEXT NOT NULL, stated_kind TEXT NOT NULL, kind TEXT NOT NULL,
    priority TEXT NOT NULL, chosen_category TEXT NOT NULL, category TEXT NOT NULL, detected_category TEXT NOT NULL,
    matched TEXT NOT NULL, text TEXT NOT NULL, text_sha256 TEXT NOT NULL, contact TEXT NOT NULL, id_number TEXT,
    mobile TEXT, respond_by TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'open', idempotency_key TEXT);
CREATE INDEX IF NOT EXISTS feedback_by_text ON feedback(text_sha256, received_at);
CREATE TABLE IF NOT EXISTS feedback_calendar(day TEXT PRIMARY KEY, working INTEGER NOT NULL, name TEXT NOT NULL);
"""
TABLES = ("feedback", "feedback_calendar")


def seed_feedback(conn: sqlite3.Connection, raw: dict[str, Any]) -> None:
    """The working-day calendar from people.toml (no feedback is seeded: every row is a customer's)."""
    for entry in raw.get("feedback_calendar", []):
        day = entry["day"] if isinstance(entry["day"], date) else date.fromisoformat(str(entry["day"]))
        conn.execute("INSERT INTO feedback_calendar(day, working, name) VALUES (?, ?, ?)",
                     (day.isoformat(), 1 if entry.get("working", False) else 0, str(entry["name"])))
