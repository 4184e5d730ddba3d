"""The SQLite file itself: durability settings, schema, append-only triggers."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from kiosk.core.clock import ManualClock
from kiosk.journal import EntryKind, Journal, JournalError
from kiosk.journal.schema import SCHEMA_VERSION

from .conftest import START, open_demo_session


@contextmanager
def raw(path: Path) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        yield conn


def test_wal_synchronous_full_and_foreign_keys_are_in_force(journal: Journal, journal_path: Path) -> None:
    assert journal.pragmas() == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}  # 2 = FULL
    with raw(journal_path) as conn:  # WAL is a property of the file, seen by every reader
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_schema_version_is_recorded_once(journal_path: Path, clock: ManualClock) -> None:
    Journal(journal_path, clock).close()
    Journal(journal_path, clock).close()
    with raw(journal_path) as conn:
        assert conn.execute("SELECT MAX(version) FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]


def test_a_journal_from_a_newer_kiosk_is_refused(journal_path: Path, clock: ManualClock) -> None:
    Journal(journal_path, clock).close()
    with raw(journal_path) as conn:
        conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION + 1,))
    with pytest.raises(JournalError, match="newer"):
        Journal(journal_path, clock)


def test_entries_survive_reopening(journal_path: Path, clock: ManualClock) -> None:
    with Journal(journal_path, clock) as journal:
        session_id = open_demo_session(journal)
        journal.record(session_id, EntryKind.STEP, "welcome")
    with Journal(journal_path, clock) as journal:
        assert [e.name for e in journal.entries(session_id)] == ["welcome"]


@pytest.mark.parametrize(
    "statement",
    ["UPDATE entries SET name = 'forged'", "DELETE FROM entries", "UPDATE entries SET detail = NULL WHERE seq = 1"],
)
def test_entries_are_append_only(journal: Journal, journal_path: Path, statement: str) -> None:
    journal.record(None, EntryKind.SYSTEM, "kiosk started")
    with raw(journal_path) as conn, pytest.raises(sqlite3.IntegrityError, match="the journal is append-only"):
        conn.execute(statement)
    assert [e.name for e in journal.entries_on(START.date())] == ["kiosk started"]


@pytest.mark.parametrize("table", ["sessions", "host_requests"])
def test_sessions_and_host_requests_cannot_be_deleted(journal: Journal, journal_path: Path, table: str) -> None:
    session_id = open_demo_session(journal)
    journal.host_request_started("k1", session_id, "cards.report_loss", posting=False)
    with raw(journal_path) as conn, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute(f"DELETE FROM {table}")


def test_a_closed_session_cannot_be_rewritten(journal: Journal, journal_path: Path) -> None:
    session_id = open_demo_session(journal)
    journal.close_session(session_id, "completed")
    with raw(journal_path) as conn, pytest.raises(sqlite3.IntegrityError, match="closed session"):
        conn.execute("UPDATE sessions SET outcome = 'failed'")


def test_a_closed_journal_refuses_work(journal_path: Path, clock: ManualClock) -> None:
    journal = Journal(journal_path, clock)
    journal.close()
    journal.close()  # closing twice is harmless
    with pytest.raises(JournalError, match="closed"):
        journal.record(None, EntryKind.SYSTEM, "too late")


def test_an_in_memory_journal_works_for_quick_checks(clock: ManualClock) -> None:
    with Journal(":memory:", clock) as journal:
        journal.record(None, EntryKind.NOTE, "hello")
        assert journal.pragmas()["synchronous"] == 2

