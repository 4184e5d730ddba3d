"""The day's figures per flow, for the branch's end-of-day check and `kiosk journal summary`."""

from __future__ import annotations

import sqlite3

from kiosk.journal.records import HostStatus, SessionOutcome, TxnState

_OUTCOME_COUNTS = ", ".join(
    f"SUM(CASE WHEN outcome = '{outcome.value}' THEN 1 ELSE 0 END) AS {outcome.value}"
    for outcome in SessionOutcome
)
_SESSIONS_SQL = f"""
SELECT flow_id, COUNT(*) AS sessions, {_OUTCOME_COUNTS}, SUM(ended_at IS NULL) AS open
FROM sessions WHERE started_at >= ? AND started_at < ?
GROUP BY flow_id ORDER BY flow_id
"""
_COMMITTED = ", ".join(f"'{status.value}'" for status in HostStatus if status.committed)
_AMOUNT_SQL = f"""
SELECT s.flow_id, COALESCE(SUM(h.amount_fen), 0) AS amount_fen
FROM host_requests AS h JOIN sessions AS s ON s.id = h.session_id
WHERE s.started_at >= ? AND s.started_at < ? AND h.posting = 1 AND h.status IN ({_COMMITTED})
GROUP BY s.flow_id
"""
_TXN_SQL = f"""
SELECT flow_id, SUM(state = '{TxnState.SUSPECT.value}') AS suspect, SUM(state = '{TxnState.REVERSED.value}') AS reversed,
       COALESCE(SUM(CASE WHEN state = '{TxnState.REVERSED.value}' THEN amount_fen ELSE 0 END), 0) AS reversed_fen
FROM transactions WHERE created_at >= ? AND created_at < ?
GROUP BY flow_id
"""
TXN_COUNTS = ("suspect", "reversed", "reversed_fen")


def daily_summary(conn: sqlite3.Connection, start: str, end: str) -> dict[str, dict[str, int]]:
    """Per flow, for sessions started in [start, end): ``sessions``, one count per outcome
    (``completed``, ``failed``, ``cancelled``, ``timeout``, ``abandoned``), ``open`` (never closed)
    and ``amount_fen`` (posting host requests committed, reconciliation included); for the transactions
    created in [start, end), as they stand now: ``suspect`` (staff must settle them), ``reversed`` and
    ``reversed_fen`` (postings the host reversed, 冲正; ``amount_fen`` still counts them)."""
    result: dict[str, dict[str, int]] = {}
    empty = dict.fromkeys(("amount_fen", *TXN_COUNTS), 0)
    for row in conn.execute(_SESSIONS_SQL, (start, end)):
        counts = {key: int(row[key] or 0) for key in row.keys() if key != "flow_id"}
        result[row["flow_id"]] = counts | empty
    for row in conn.execute(_AMOUNT_SQL, (start, end)):
        result[row["flow_id"]]["amount_fen"] = int(row["amount_fen"])
    for row in conn.execute(_TXN_SQL, (start, end)):  # a session begun the day before still counts its flow here
        counts = result.setdefault(row["flow_id"], {"sessions": 0} | empty)
        counts.update({key: int(row[key] or 0) for key in TXN_COUNTS})
    return result
