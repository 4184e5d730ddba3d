"""The journal's tables, created on first open; the schema_version table says which shape a file has."""

from __future__ import annotations

import sqlite3

from kiosk.journal.records import JournalError

SCHEMA_VERSION = 1

_SCHEMA_V1 = """
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    branch_id TEXT NOT NULL,
    flow_id TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    outcome TEXT,
    reason TEXT,
    lang TEXT NOT NULL,
    elderly INTEGER NOT NULL CHECK (elderly IN (0, 1))
);
CREATE INDEX sessions_started_at ON sessions (started_at);

CREATE TABLE entries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT REFERENCES sessions (id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX entries_session ON entries (session_id, seq);
CREATE INDEX entries_at ON entries (at);

CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;

CREATE TABLE host_requests (
    idempotency_key TEXT PRIMARY KEY,
    session_id TEXT REFERENCES sessions (id),
    op TEXT NOT NULL,
    posting INTEGER NOT NULL CHECK (posting IN (0, 1)),
    status TEXT NOT NULL,
    amount_fen INTEGER,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    detail TEXT
);
CREATE INDEX host_requests_status ON host_requests (status);
CREATE INDEX host_requests_session ON host_requests (session_id);

CREATE TRIGGER sessions_no_delete BEFORE DELETE ON sessions
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER host_requests_no_delete BEFORE DELETE ON host_requests
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER sessions_closed_once BEFORE UPDATE ON sessions WHEN OLD.ended_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a closed session cannot change'); END;

CREATE TABLE schema_version (version INTEGER NOT NULL);
"""


def _current_version(conn: sqlite3.Connection) -> int | None:
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if found is None:
        return None
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else None


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the tables in an empty file; refuse a file written by a newer kiosk."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = _current_version(conn)
        if version is None:
            for statement in _statements(_SCHEMA_V1):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
        elif version > SCHEMA_VERSION:
            raise JournalError(f"journal schema version {version} is newer than this kiosk ({SCHEMA_VERSION})")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    """Split the schema into statements (triggers hold ';' inside BEGIN ... END)."""
    statements, current = [], ""
    for line in script.strip().splitlines():
        current += line + "\n"
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return [s for s in statements if s]
