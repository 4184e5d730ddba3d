"""Reversals (冲正) at the simulated bank, and the postings of a day.

Every posting's balance movements are recorded as it runs: :class:`kiosk.host.sim.ledger.Ledger` puts the
posting's idempotency key in the one-row ``posting_context`` table, and a trigger on ``accounts.balance_fen``
writes each change as a ``posting_moves`` row under that key. A reversal undoes exactly those moves (so
the bank's books come back to the fen, whatever the operation did), then the business rows the operation
made (kiosk/host/sim/reversal_undo.py: a bill unpaid again, a deposit closed...). Its own moves are
recorded under the reversal's key.

Rules: the original must have been posted (``not_posted``: an unknown key, or a refusal), by an operation
declared reversible (``not_reversible``); the same original is reversed once: a reversal of an original
already reversed answers the first reversal's result with ``replayed`` true and changes nothing. Undoing a
credit (a loan paid out, the payee's side of a transfer) refuses ``insufficient_funds`` when the money has
been spent; a closed account refuses ``account_closed``; what the posting made and that has been used since
(a deposit withdrawn) refuses ``original_used``. A refused reversal is not remembered as the original's
reversal: a later one may succeed.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from kiosk.host.api import OPERATIONS
from kiosk.host.api_postings import (
    DayPosting,
    PostingReverseRequest,
    PostingReverseResult,
    PostingsDayRequest,
    PostingsDayResult,
    PostingStatus,
)
from kiosk.host.sim.context import OpContext, Refusal, next_ref
from kiosk.host.sim.reversal_undo import UNDO

SCHEMA = """
CREATE TABLE IF NOT EXISTS posting_context(id INTEGER PRIMARY KEY CHECK (id = 1), idempotency_key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS posting_moves(
    id INTEGER PRIMARY KEY AUTOINCREMENT, idempotency_key TEXT NOT NULL, account_no TEXT NOT NULL,
    delta_fen INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS posting_moves_by_key ON posting_moves(idempotency_key);
CREATE TRIGGER IF NOT EXISTS posting_moves_on_balance AFTER UPDATE OF balance_fen ON accounts
WHEN NEW.balance_fen <> OLD.balance_fen AND EXISTS (SELECT 1 FROM posting_context)
BEGIN
    INSERT INTO posting_moves(idempotency_key, account_no, delta_fen)
    SELECT idempotency_key, NEW.account_no, NEW.balance_fen - OLD.balance_fen FROM posting_context WHERE id = 1;
END;
CREATE TABLE IF NOT EXISTS reversals(
    original_key TEXT PRIMARY KEY, reversal_key TEXT NOT NULL UNIQUE, reversal_ref TEXT NOT NULL UNIQUE,
    op TEXT NOT NULL, reason TEXT NOT NULL, reversed_fen INTEGER NOT NULL, reversed_at TEXT NOT NULL,
    result TEXT NOT NULL);
"""
TABLES = ("reversals", "posting_moves", "posting_context")

STATEMENT_KIND = "reversal"  # the statement line of a balance given or taken back


def posting_amount(reply: dict[str, Any]) -> int | None:
    """The money a posting moved for its customer: what it debited, or for a credit what it credited."""
    result = reply.get("result") or {}
    for name in ("debited_fen", "credited_fen"):
        if isinstance(result.get(name), int):
            return int(result[name])
    return None


def reverse_posting(ctx: OpContext, req: PostingReverseRequest) -> PostingReverseResult:
    conn = ctx.conn
    earlier = conn.execute("SELECT result FROM reversals WHERE original_key = ?", (req.original_key,)).fetchone()
    if earlier is not None:
        return PostingReverseResult.model_validate({**json.loads(earlier["result"]), "replayed": True})
    original = conn.execute("SELECT op, http_status, reply FROM postings WHERE idempotency_key = ?",
                            (req.original_key,)).fetchone()
    if original is None or original["http_status"] != 200:
        raise Refusal("not_posted", "the host never posted this key")
    operation = OPERATIONS.get(original["op"])
    if operation is None or not operation.reversible:
        raise Refusal("not_reversible", "this operation cannot be reversed: staff settle it", op=original["op"])
    moves = _net_moves(conn, req.original_key)
    _check_undoable(ctx, moves)
    reply = json.loads(original["reply"])
    undo = UNDO.get(original["op"])
    if undo is not None:
        undo(ctx, req.original_key, reply["result"])  # checks what it needs before it changes anything
    reversal_ref = next_ref(conn, "RV")
    for account_no, delta in moves.items():
        _give_back(ctx, account_no, -delta, reversal_ref)
    result = PostingReverseResult(reversal_ref=reversal_ref, original_key=req.original_key,
                                  reversed_fen=posting_amount(reply) or 0, replayed=False)
    conn.execute(
        "INSERT INTO reversals(original_key, reversal_key, reversal_ref, op, reason, reversed_fen, reversed_at, result) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (req.original_key, ctx.idempotency_key, reversal_ref, original["op"], req.reason, result.reversed_fen,
         ctx.now.isoformat(), result.model_dump_json()))
    return result


def _net_moves(conn: sqlite3.Connection, key: str) -> dict[str, int]:
    """Each account's net balance change made by the posting under ``key`` (zero changes left out)."""
    rows = conn.execute("SELECT account_no, SUM(delta_fen) AS delta FROM posting_moves WHERE idempotency_key = ? "
                        "GROUP BY account_no ORDER BY MIN(id)", (key,)).fetchall()
    return {str(r["account_no"]): int(r["delta"]) for r in rows if r["delta"]}


def _check_undoable(ctx: OpContext, moves: dict[str, int]) -> None:
    for account_no, delta in moves.items():
        row = ctx.conn.execute("SELECT balance_fen, closed_at FROM accounts WHERE account_no = ?",
                               (account_no,)).fetchone()
        if row is None or row["closed_at"] is not None:
            raise Refusal("account_closed", "an account the posting moved money on is closed")
        if delta > 0 and _available(ctx, account_no, int(row["balance_fen"])) < delta:
            raise Refusal("insufficient_funds", "the money the posting credited has been spent",
                          short_fen=delta - _available(ctx, account_no, int(row["balance_fen"])))


def _available(ctx: OpContext, account_no: str, balance: int) -> int:
    """The balance less what deposit certificates keep frozen today."""
    (frozen,) = ctx.conn.execute("SELECT COALESCE(SUM(amount_fen), 0) FROM freezes WHERE account_no = ? "
                                 "AND frozen_until >= ?", (account_no, ctx.now.date().isoformat())).fetchone()
    return balance - int(frozen)


def _give_back(ctx: OpContext, account_no: str, amount_fen: int, reversal_ref: str) -> None:
    """Move ``amount_fen`` (negative: take back) on the account, with its line in the account's statement."""
    ctx.conn.execute("UPDATE accounts SET balance_fen = balance_fen + ? WHERE account_no = ?", (amount_fen, account_no))
    ctx.conn.execute(
        "INSERT INTO transactions(account_no, posted_on, kind, amount_fen, balance_fen, reference) "
        "SELECT ?, ?, ?, ?, balance_fen, ? FROM accounts WHERE account_no = ?",
        (account_no, ctx.now.date().isoformat(), STATEMENT_KIND, amount_fen, reversal_ref, account_no))


def postings_of_day(ctx: OpContext, req: PostingsDayRequest) -> PostingsDayResult:
    """The postings the host stored on ``day`` (its own calendar), reversals shown on their originals."""
    where, params = ["substr(p.created_at, 1, 10) = ?", "p.op <> 'postings.reverse'"], [req.day.isoformat()]
    if req.kiosk_id is not None:
        where.append("p.kiosk_id = ?")
        params.append(req.kiosk_id)
    rows = ctx.conn.execute(
        "SELECT p.*, r.reversal_key FROM postings p LEFT JOIN reversals r ON r.original_key = p.idempotency_key "
        f"WHERE {' AND '.join(where)} ORDER BY p.created_at, p.rowid", params).fetchall()  # noqa: S608 - constants
    return PostingsDayResult(day=req.day, kiosk_id=req.kiosk_id, postings=[_day_posting(row) for row in rows])


def _day_posting(row: sqlite3.Row) -> DayPosting:
    reply = json.loads(row["reply"])
    posted = row["http_status"] == 200
    status: PostingStatus = "refused" if not posted else "reversed" if row["reversal_key"] else "posted"
    error = (reply.get("error") or {}).get("code") if not posted else None
    return DayPosting(key=row["idempotency_key"], op=row["op"], amount_fen=posting_amount(reply) if posted else None,
                      status=status, reversal_key=row["reversal_key"], error_code=error, kiosk_id=row["kiosk_id"],
                      session_id=row["session_id"], posted_at=row["created_at"])
