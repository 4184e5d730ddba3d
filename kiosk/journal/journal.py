"""The electronic journal: sessions, their entries and host requests, in one SQLite file.

Written from the engine thread, read from staff screens and the command line: one connection,
guarded by a lock. WAL with synchronous=FULL, so a committed entry survives a power cut. Entries
are append-only (SQLite triggers refuse UPDATE and DELETE) and hash-chained (kiosk/journal/chain.py): the
file is bound to one kiosk id, and every change of a session or host request row also appends a ``row``
entry. Every ``detail`` passes through :func:`kiosk.core.masking.scrub` and every free-text field through
``mask_text`` before it is stored.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from kiosk.core.clock import Clock, SystemClock
from kiosk.core.masking import mask_text, scrub
from kiosk.journal import chain, summary
from kiosk.journal.records import (
    Entry,
    EntryKind,
    HostRequestRecord,
    HostStatus,
    JournalError,
    ReversalRecord,
    SessionOutcome,
    SessionRecord,
    TxnRecord,
    TxnState,
    may_move,
    txn_may_move,
)
from kiosk.journal.schema import ensure_schema

Detail = Mapping[str, Any]


class Journal:
    def __init__(self, path: str | Path, clock: Clock | None = None, kiosk_id: str | None = None) -> None:
        """Open (or create) the journal at ``path``, bound to ``kiosk_id`` (default: the id the file is bound to).

        A file bound to another kiosk id is refused (JournalError)."""
        self._clock: Clock = clock or SystemClock()
        self._lock = threading.RLock()
        self._closed = False
        self._batch_depth = 0
        in_memory = str(path) == ":memory:"
        self._path = None if in_memory else Path(path)
        if not in_memory:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=10.0)
        self._conn.row_factory = sqlite3.Row
        try:
            self._configure(require_wal=not in_memory)
            self._kiosk_id = ensure_schema(self._conn, kiosk_id)
            self._head = chain.read_head(self._conn, self._kiosk_id)
        except BaseException:
            self._conn.close()
            raise

    def _configure(self, require_wal: bool) -> None:
        mode = self._conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if require_wal and str(mode).lower() != "wal":
            raise JournalError(f"the journal needs WAL mode, SQLite gave {mode!r}")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA foreign_keys=ON")

    @property
    def kiosk_id(self) -> str:
        """The kiosk id the file is bound to (its chain starts from it)."""
        return self._kiosk_id

    @property
    def path(self) -> Path | None:
        """The journal's file (None in memory): another thread checks the chain on its own connection to it."""
        return self._path

    # -- writing ------------------------------------------------------------------------------

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Make the writes of one engine step one durable commit (one fsync instead of one each).

        The lock is held for the whole batch, so another thread's write (a host request about to be
        sent) waits and is committed on its own after the batch: it is never deferred. Entries are
        facts: the batch commits even when the step raised.
        """
        with self._lock:
            self._check_open()
            if self._batch_depth == 0:
                self._conn.execute("BEGIN IMMEDIATE")
            self._batch_depth += 1
            try:
                yield
            finally:
                self._batch_depth -= 1
                if self._batch_depth == 0 and not self._closed:
                    self._commit()

    def _commit(self) -> None:
        try:
            self._conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        """Undo the open transaction; the chain's head is read again (the entries it appended are gone)."""
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")
        self._head = chain.read_head(self._conn, self._kiosk_id)

    def open_session(self, flow_id: str, kiosk_id: str, branch_id: str, lang: str, elderly: bool) -> str:
        session_id = uuid.uuid4().hex
        with self._atomic():
            self._execute(
                "INSERT INTO sessions (id, kiosk_id, branch_id, flow_id, started_at, lang, elderly)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (session_id, kiosk_id, branch_id, flow_id, self._now(), lang, int(bool(elderly))),
            )
            self._chain_row("sessions", session_id, "open")
        return session_id

    def close_session(self, session_id: str, outcome: SessionOutcome | str, reason: str | None = None) -> None:
        """End a session, once. A second close, or closing an unknown session, raises JournalError."""
        outcome = SessionOutcome(outcome)
        with self._atomic():
            closed = self._execute(
                "UPDATE sessions SET ended_at = ?, outcome = ?, reason = ? WHERE id = ? AND ended_at IS NULL",
                (self._now(), outcome.value, _mask_optional(reason), session_id),
            ).rowcount
            if closed == 0:
                known = self.session(session_id) is not None
                raise JournalError(f"session {session_id} is {'already closed' if known else 'unknown'}")
            self._chain_row("sessions", session_id, outcome.value)

    def record(self, session_id: str | None, kind: EntryKind | str, name: str, detail: Detail | None = None) -> int:
        """Append an entry (session_id None for staff and system entries); return its sequence number."""
        kind = EntryKind(kind)
        with self._lock, _refusing_unknown_session(session_id):
            return self._append(session_id, kind.value, mask_text(name), _dump(detail))

    def _append(self, session_id: str | None, kind: str, name: str, detail: str | None) -> int:
        """The one way an entry is written: one INSERT, chained to the head kept in memory."""
        with self._lock:
            self._check_open()
            try:
                self._head = chain.append(self._conn, self._kiosk_id, self._head, session_id, self._now(), kind,
                                          name, detail)
            except sqlite3.IntegrityError as exc:  # another connection appended: chain to its entry
                if "entries.seq" not in str(exc):
                    raise
                self._head = chain.read_head(self._conn, self._kiosk_id)
                self._head = chain.append(self._conn, self._kiosk_id, self._head, session_id, self._now(), kind,
                                          name, detail)
            return self._head.seq

    def _chain_row(self, table: str, key: str, state: str) -> None:
        """Append the ``row`` entry for a session or host request just written (in the same commit)."""
        column = chain.CHAINED_ROWS[table][0]
        row = self._query(f"SELECT * FROM {table} WHERE {column} = ?", (key,))[0]
        name, detail = chain.row_entry(table, dict(zip(row.keys(), row, strict=True)), state)
        self._append(None, EntryKind.ROW.value, name, detail)

    def host_request_started(
        self, key: str, session_id: str | None, op: str, posting: bool,
        amount_fen: int | None = None, detail: Detail | None = None,
    ) -> None:
        """Journal a host request before it is sent: status "sent" until it finishes."""
        if amount_fen is not None and (isinstance(amount_fen, bool) or not isinstance(amount_fen, int)):
            raise TypeError("amount_fen is a whole number of fen")
        try:
            with self._atomic(), _refusing_unknown_session(session_id):
                self._execute(
                    "INSERT INTO host_requests (idempotency_key, session_id, op, posting, status, amount_fen,"
                    " started_at, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (key, session_id, op, int(bool(posting)), HostStatus.SENT.value, amount_fen,
                     self._now(), _dump(detail)),
                )
                self._chain_row("host_requests", key, HostStatus.SENT.value)
        except sqlite3.IntegrityError as exc:
            raise JournalError(f"host request {key} is already journaled") from exc

    def host_request_finished(self, key: str, status: HostStatus | str, detail: Detail | None = None) -> None:
        """Move a host request forward (sent -> any final; unknown -> reconciled_*), merging ``detail``."""
        new = HostStatus(status)
        with self._atomic():
            current = self.host_request(key)
            if current is None:
                raise JournalError(f"host request {key} is unknown")
            if not may_move(current.status, new):
                raise JournalError(f"host request {key} cannot move from {current.status} to {new}")
            merged = {**(current.detail or {}), **scrub(dict(detail or {}))}
            moved = self._execute(
                "UPDATE host_requests SET status = ?, finished_at = ?, detail = ?"
                " WHERE idempotency_key = ? AND status = ?",
                (new.value, self._now(), _dump(merged), key, current.status.value),
            ).rowcount
            if moved == 0:  # another process moved it first
                raise JournalError(f"host request {key} changed while it was being finished")
            self._chain_row("host_requests", key, new.value)

    # -- transactions (write-ahead) -------------------------------------------------------------

    @contextmanager
    def _atomic(self) -> Iterator[None]:
        """One commit for several writes (inside a batch, the batch's commit)."""
        with self._lock:
            self._check_open()
            if self._batch_depth:
                yield
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._batch_depth += 1
            try:
                yield
            except BaseException:
                self._batch_depth -= 1
                self._rollback()
                raise
            self._batch_depth -= 1
            self._commit()

    def txn_intent(
        self, key: str, session_id: str | None, flow_id: str, op: str, *, amount_fen: int | None = None,
        parties: Detail | None = None, delivery: str | None = None, reversible: bool = False,
    ) -> TxnRecord:
        """Commit a transaction's intent before the host hears of it (write-ahead)."""
        if amount_fen is not None and (isinstance(amount_fen, bool) or not isinstance(amount_fen, int)):
            raise TypeError("amount_fen is a whole number of fen")
        now = self._now()
        try:
            with self._atomic(), _refusing_unknown_session(session_id):
                self._execute(
                    "INSERT INTO transactions (key, session_id, flow_id, op, amount_fen, parties, delivery, reversible,"
                    " state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (key, session_id, flow_id, op, amount_fen, _dump(parties), delivery, int(bool(reversible)),
                     TxnState.INTENT.value, now, now),
                )
                self.record(session_id, EntryKind.TXN, TxnState.INTENT.value,
                            {"key": key, "op": op, "amount_fen": amount_fen, "delivery": delivery,
                             "reversible": bool(reversible), "parties": dict(parties or {})})
        except sqlite3.IntegrityError as exc:
            raise JournalError(f"transaction {key} is already journaled") from exc
        record = self.transaction(key)
        assert record is not None
        return record

    def txn_move(self, key: str, state: TxnState | str, detail: Detail | None = None) -> TxnRecord:
        """Move a transaction forward (see :data:`kiosk.journal.records.TXN_MOVES`), with an entry saying so."""
        new = TxnState(state)
        with self._atomic():
            current = self.transaction(key)
            if current is None:
                raise JournalError(f"transaction {key} is unknown")
            if not txn_may_move(current.state, new):
                raise JournalError(f"transaction {key} cannot move from {current.state} to {new}")
            merged = {**(current.detail or {}), **scrub(dict(detail or {}))}
            self._execute("UPDATE transactions SET state = ?, updated_at = ?, detail = ? WHERE key = ? AND state = ?",
                          (new.value, self._now(), _dump(merged), key, current.state.value))
            self.record(current.session_id, EntryKind.TXN, new.value, {"key": key, "op": current.op, **(detail or {})})
        moved = self.transaction(key)
        assert moved is not None
        return moved

    def transaction(self, key: str) -> TxnRecord | None:
        rows = self._query("SELECT * FROM transactions WHERE key = ?", (key,))
        return _txn(rows[0]) if rows else None

    def transactions(self, session_id: str | None = None, states: tuple[TxnState, ...] = ()) -> list[TxnRecord]:
        where, params = ["1 = 1"], []
        if session_id is not None:
            where.append("session_id = ?")
            params.append(session_id)
        if states:
            where.append(f"state IN ({', '.join('?' * len(states))})")
            params += [TxnState(s).value for s in states]
        rows = self._query(f"SELECT * FROM transactions WHERE {' AND '.join(where)} ORDER BY created_at, rowid", params)
        return [_txn(row) for row in rows]

    def open_transactions(self) -> list[TxnRecord]:
        """Transactions not yet in a terminal state: recovery resolves these before service."""
        return self.transactions(states=tuple(s for s in TxnState if not s.terminal))

    # -- the reversal queue (store and forward) ---------------------------------------------------

    def queue_reversal(self, txn_key: str, reversal_key: str, reason: str) -> ReversalRecord:
        """Queue the reversal of an approved transaction and move it to reversal_pending, in one commit."""
        now = self._now()
        with self._atomic():
            self._execute(
                "INSERT INTO reversal_queue (txn_key, reversal_key, reason, next_at, state, queued_at)"
                " VALUES (?, ?, ?, ?, 'pending', ?)", (txn_key, reversal_key, mask_text(reason), now, now))
            self.txn_move(txn_key, TxnState.REVERSAL_PENDING, {"reversal_key": reversal_key, "reason": reason})
        found = self.reversal(txn_key)
        assert found is not None
        return found

    def reversal(self, txn_key: str) -> ReversalRecord | None:
        rows = self._query("SELECT * FROM reversal_queue WHERE txn_key = ?", (txn_key,))
        return _reversal(rows[0]) if rows else None

    def reversals(self, state: str | None = None) -> list[ReversalRecord]:
        sql, params = "SELECT * FROM reversal_queue", []
        if state is not None:
            sql += " WHERE state = ?"
            params.append(state)
        return [_reversal(row) for row in self._query(sql + " ORDER BY queued_at, rowid", params)]

    def reversal_failed(self, txn_key: str, error: str, next_at: str) -> ReversalRecord:
        """One more failed attempt; the next one not before ``next_at`` (ISO time)."""
        with self._atomic():
            self._execute("UPDATE reversal_queue SET attempts = attempts + 1, last_error = ?, next_at = ?"
                          " WHERE txn_key = ? AND state = 'pending'", (mask_text(error), next_at, txn_key))
            record, txn = self.reversal(txn_key), self.transaction(txn_key)
            if record is None or txn is None:
                raise JournalError(f"no reversal queued for {txn_key}")
            self.record(txn.session_id, EntryKind.SYSTEM, "reversal_attempt_failed",
                        {"key": txn_key, "attempts": record.attempts, "error": error})
        return record

    def reversal_settled(self, txn_key: str, state: TxnState | str, detail: Detail | None = None) -> TxnRecord:
        """The reversal ended: the transaction is reversed, or suspect (it kept failing or was refused)."""
        new = TxnState(state)
        if new not in (TxnState.REVERSED, TxnState.SUSPECT):
            raise JournalError(f"a reversal ends reversed or suspect, not {new}")
        with self._atomic():
            settled = self._execute(
                "UPDATE reversal_queue SET state = ?, finished_at = ? WHERE txn_key = ? AND state = 'pending'",
                ("done" if new is TxnState.REVERSED else "suspect", self._now(), txn_key)).rowcount
            if settled == 0:
                raise JournalError(f"no pending reversal for {txn_key}")
            return self.txn_move(txn_key, new, detail)

    # -- reading ------------------------------------------------------------------------------

    def session(self, session_id: str) -> SessionRecord | None:
        row = self._query("SELECT * FROM sessions WHERE id = ?", (session_id,))
        return _session(row[0]) if row else None

    def sessions(
        self, day: date | None = None, flow_id: str | None = None, outcome: SessionOutcome | str | None = None
    ) -> list[SessionRecord]:
        where, params = ["1 = 1"], []
        if day is not None:
            where.append("started_at >= ? AND started_at < ?")
            params += _day_bounds(day)
        if flow_id is not None:
            where.append("flow_id = ?")
            params.append(flow_id)
        if outcome is not None:
            where.append("outcome = ?")
            params.append(SessionOutcome(outcome).value)
        sql = f"SELECT * FROM sessions WHERE {' AND '.join(where)} ORDER BY started_at, rowid"
        return [_session(row) for row in self._query(sql, params)]

    def open_sessions(self) -> list[SessionRecord]:
        """Sessions never closed: the kiosk stopped mid-session."""
        rows = self._query("SELECT * FROM sessions WHERE ended_at IS NULL ORDER BY started_at, rowid")
        return [_session(row) for row in rows]

    def entries(self, session_id: str) -> list[Entry]:
        rows = self._query("SELECT * FROM entries WHERE session_id = ? ORDER BY seq", (session_id,))
        return [_entry(row) for row in rows]

    def entries_on(self, day: date, kind: EntryKind | str | None = None) -> list[Entry]:
        """Every entry of a day (staff and system ones included), optionally of one kind.

        ``row`` entries (the chain's copies of session and host request rows) only when asked for by kind."""
        sql, params = "SELECT * FROM entries WHERE at >= ? AND at < ?", _day_bounds(day)
        sql += " AND kind = ?" if kind is not None else " AND kind != ?"
        params.append(EntryKind(kind or EntryKind.ROW).value)
        return [_entry(row) for row in self._query(sql + " ORDER BY seq", params)]

    def entries_named(self, kind: EntryKind | str, name: str, since: str | None = None) -> list[Entry]:
        """The entries of one kind and name, oldest first; ``since``: only those at or after that ISO time."""
        sql, params = "SELECT * FROM entries WHERE kind = ? AND name = ?", [EntryKind(kind).value, name]
        if since is not None:
            sql += " AND at >= ?"
            params.append(since)
        return [_entry(row) for row in self._query(sql + " ORDER BY seq", params)]

    def host_request(self, key: str) -> HostRequestRecord | None:
        rows = self._query("SELECT * FROM host_requests WHERE idempotency_key = ?", (key,))
        return _host_request(rows[0]) if rows else None

    def host_requests(self, session_id: str) -> list[HostRequestRecord]:
        rows = self._query("SELECT * FROM host_requests WHERE session_id = ? ORDER BY started_at, rowid",
                           (session_id,))
        return [_host_request(row) for row in rows]

    def unfinished_host_requests(self) -> list[HostRequestRecord]:
        """Requests still "sent" or "unknown": reconcile these with the host on start."""
        rows = self._query(
            "SELECT * FROM host_requests WHERE status IN (?, ?) ORDER BY started_at, rowid",
            (HostStatus.SENT.value, HostStatus.UNKNOWN.value),
        )
        return [_host_request(row) for row in rows]

    def daily_summary(self, day: date) -> dict[str, dict[str, int]]:
        """Per flow, for sessions started on ``day``: session counts by outcome and the committed amount."""
        with self._lock:
            return summary.daily_summary(self._conn, *_day_bounds(day))

    def verify_chain(self, kiosk_id: str | None = None) -> chain.VerifyReport:
        """Check the hash chain, the rows against it and the triggers (see :func:`kiosk.journal.chain.verify`)."""
        with self._lock:
            self._check_open()
            return chain.verify_connection(self._conn, kiosk_id)

    # -- housekeeping ---------------------------------------------------------------------------

    def pragmas(self) -> dict[str, Any]:
        """The storage settings in force on the journal's connection, for diagnostics."""
        names = ("journal_mode", "synchronous", "foreign_keys")
        return {name: self._query(f"PRAGMA {name}")[0][0] for name in names}

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _now(self) -> str:
        return self._clock.now().isoformat(timespec="milliseconds")

    def _execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        with self._lock:
            self._check_open()
            return self._conn.execute(sql, params)

    def _query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        with self._lock:
            self._check_open()
            return self._conn.execute(sql, params).fetchall()

    def _check_open(self) -> None:
        if self._closed:
            raise JournalError("the journal is closed")


@contextmanager
def _refusing_unknown_session(session_id: str | None) -> Iterator[None]:
    try:
        yield
    except sqlite3.IntegrityError as exc:
        if "FOREIGN KEY" in str(exc):
            raise JournalError(f"session {session_id} is unknown") from exc
        raise


def _mask_optional(text: str | None) -> str | None:
    return None if text is None else mask_text(text)


def _dump(detail: Detail | None) -> str | None:
    if detail is None:
        return None
    if not isinstance(detail, Mapping):
        raise TypeError("an entry's detail is a mapping")
    return json.dumps(scrub(dict(detail)), ensure_ascii=False, sort_keys=True, default=_json_default)


def _json_default(value: object) -> str:
    return mask_text(str(value))  # dates, decimals, paths: as text, still masked


def _load(text: str | None) -> dict[str, Any] | None:
    return None if text is None else dict(json.loads(text))


def _day_bounds(day: date) -> list[str]:
    return [day.isoformat(), (day + timedelta(days=1)).isoformat()]


def _session(row: sqlite3.Row) -> SessionRecord:
    return SessionRecord(
        id=row["id"], kiosk_id=row["kiosk_id"], branch_id=row["branch_id"], flow_id=row["flow_id"],
        started_at=row["started_at"], ended_at=row["ended_at"],
        outcome=SessionOutcome(row["outcome"]) if row["outcome"] else None,
        reason=row["reason"], lang=row["lang"], elderly=bool(row["elderly"]),
    )


def _entry(row: sqlite3.Row) -> Entry:
    return Entry(seq=row["seq"], session_id=row["session_id"], at=row["at"], kind=EntryKind(row["kind"]),
                 name=row["name"], detail=_load(row["detail"]))


def _txn(row: sqlite3.Row) -> TxnRecord:
    return TxnRecord(
        key=row["key"], session_id=row["session_id"], flow_id=row["flow_id"], op=row["op"],
        amount_fen=row["amount_fen"], parties=_load(row["parties"]), delivery=row["delivery"],
        reversible=bool(row["reversible"]), state=TxnState(row["state"]), created_at=row["created_at"],
        updated_at=row["updated_at"], detail=_load(row["detail"]),
    )


def _reversal(row: sqlite3.Row) -> ReversalRecord:
    return ReversalRecord(
        txn_key=row["txn_key"], reversal_key=row["reversal_key"], reason=row["reason"], attempts=row["attempts"],
        next_at=row["next_at"], last_error=row["last_error"], state=row["state"], queued_at=row["queued_at"],
        finished_at=row["finished_at"],
    )


def _host_request(row: sqlite3.Row) -> HostRequestRecord:
    return HostRequestRecord(
        idempotency_key=row["idempotency_key"], session_id=row["session_id"], op=row["op"],
        posting=bool(row["posting"]), status=HostStatus(row["status"]), amount_fen=row["amount_fen"],
        started_at=row["started_at"], finished_at=row["finished_at"], detail=_load(row["detail"]),
    )
