"""The journal's tables, created on first open; the schema_version table says which shape a file has."""

from __future__ import annotations

import sqlite3

from kiosk.journal import chain
from kiosk.journal.records import TXN_MOVES, JournalError

SCHEMA_VERSION = 2

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

# Made again after a migration has given old entries their hashes (the same text as in version 1).
_ENTRIES_NO_UPDATE = """CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"""

# Version 2: transactions with a forward-only state (write-ahead: the intent is committed before the host
# hears of it), the reversal queue (store and forward), and the entries' hash chain (tamper evidence).
_SCHEMA_V2 = """
ALTER TABLE entries ADD COLUMN hash TEXT;

CREATE TABLE journal_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE transactions (
    key TEXT PRIMARY KEY,
    session_id TEXT REFERENCES sessions (id),
    flow_id TEXT NOT NULL,
    op TEXT NOT NULL,
    amount_fen INTEGER,
    parties TEXT,
    delivery TEXT,
    reversible INTEGER NOT NULL CHECK (reversible IN (0, 1)),
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX transactions_state ON transactions (state);
CREATE INDEX transactions_session ON transactions (session_id);

CREATE TABLE txn_moves (from_state TEXT NOT NULL, to_state TEXT NOT NULL, PRIMARY KEY (from_state, to_state));

CREATE TRIGGER transactions_no_delete BEFORE DELETE ON transactions
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER transactions_forward_only BEFORE UPDATE OF state ON transactions
WHEN NOT EXISTS (SELECT 1 FROM txn_moves WHERE from_state = OLD.state AND to_state = NEW.state)
BEGIN SELECT RAISE(ABORT, 'a transaction state only moves forward'); END;
CREATE TRIGGER transactions_fixed BEFORE UPDATE OF key, session_id, flow_id, op, amount_fen, created_at
ON transactions
BEGIN SELECT RAISE(ABORT, 'a transaction''s identity and amount never change'); END;

CREATE TABLE reversal_queue (
    txn_key TEXT PRIMARY KEY REFERENCES transactions (key),
    reversal_key TEXT NOT NULL UNIQUE,
    reason TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at TEXT NOT NULL,
    last_error TEXT,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'suspect')),
    queued_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX reversal_queue_state ON reversal_queue (state, next_at);
CREATE TRIGGER reversal_queue_no_delete BEFORE DELETE ON reversal_queue
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER reversal_queue_settled_once BEFORE UPDATE ON reversal_queue WHEN OLD.state != 'pending'
BEGIN SELECT RAISE(ABORT, 'a settled reversal cannot change'); END;
"""


def _current_version(conn: sqlite3.Connection) -> int | None:
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if found is None:
        return None
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else None


def ensure_schema(conn: sqlite3.Connection, kiosk_id: str | None = None) -> str:
    """Create the tables in an empty file, migrate an older one, bind it to a kiosk; return the kiosk id.

    Refuses a file written by a newer kiosk, or bound to another kiosk id than ``kiosk_id``."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = _current_version(conn)
        if version is not None and version > SCHEMA_VERSION:
            raise JournalError(f"journal schema version {version} is newer than this kiosk ({SCHEMA_VERSION})")
        if version is None:
            _run(conn, _SCHEMA_V1)
            conn.execute("INSERT INTO schema_version (version) VALUES (1)")
            version = 1
        if version < 2:
            _run(conn, _SCHEMA_V2)
            conn.executemany("INSERT INTO txn_moves (from_state, to_state) VALUES (?, ?)",
                             sorted((a.value, b.value) for a, moves in TXN_MOVES.items() for b in moves))
            conn.execute("INSERT INTO schema_version (version) VALUES (2)")
        bound = _bind(conn, kiosk_id)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return bound


def _bind(conn: sqlite3.Connection, kiosk_id: str | None) -> str:
    """The kiosk id the file is bound to; on the first open, bind it and chain what it already holds.

    A file from before the chain (a migrated v1 journal) gets its entries' hashes (the append-only
    trigger is dropped for that and made again, inside the migration's transaction) and a ``row`` entry
    for each session and host request it holds. A file bound to no kiosk (opened without an id, by a
    tool) is bound to the first kiosk id it is opened with, when its chain is intact."""
    row = conn.execute("SELECT value FROM journal_meta WHERE key = 'kiosk_id'").fetchone()
    if row is not None and (kiosk_id is None or kiosk_id == row[0]):
        return str(row[0])
    if row is not None and row[0] != chain.UNBOUND:
        raise JournalError(f"this journal belongs to kiosk {row[0]}, not {kiosk_id}")
    bound = kiosk_id or chain.UNBOUND
    conn.executemany("INSERT OR REPLACE INTO journal_meta (key, value) VALUES (?, ?)",
                     [("kiosk_id", bound), ("genesis", chain.genesis(bound))])
    conn.execute("DROP TRIGGER entries_no_update")
    if row is not None:  # opened before without a kiosk id: its intact chain moves to this kiosk's
        chain.rechain(conn, chain.UNBOUND, bound)
        conn.execute(_ENTRIES_NO_UPDATE)
        return bound
    head = chain.chain_unhashed(conn, bound)
    conn.execute(_ENTRIES_NO_UPDATE)
    for table in chain.CHAINED_ROWS:
        for found in list(chain.rows_of(conn, table)):
            at = found.get("ended_at") or found.get("finished_at") or found["started_at"]
            state = found.get("outcome") or found.get("status") or "open"
            name, detail = chain.row_entry(table, found, state)
            head = chain.append(conn, bound, head, None, at, chain.ROW_KIND, name, detail)
    return bound


def _run(conn: sqlite3.Connection, script: str) -> None:
    for statement in _statements(script):
        conn.execute(statement)


def _statements(script: str) -> list[str]:
    """Split the schema into statements (triggers hold ';' inside BEGIN ... END)."""
    statements, current = [], ""
    for line in script.strip().splitlines():
        current += line + "\n"
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return [s for s in statements if s]
