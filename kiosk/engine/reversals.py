"""The reversal queue's sender (冲正, store and forward).

A reversal waits in the journal's ``reversal_queue`` (committed with its transaction's move to
reversal_pending) until the host answers it. Each send carries the reversal's own idempotency key, so a
resend after a lost answer is answered once by the host. A send that fails waits ``reversal_backoff_s``,
doubling each time (at most an hour); after ``reversal_attempts`` failures the transaction is suspect and
staff see it on the maintenance screen and in the reconciliation. While a reversal waits, no new
financial posting starts (:func:`pending_blocks`).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from kiosk.core.crash import crash_point
from kiosk.host.errors import HostError, HostRejected, HostUnavailable
from kiosk.journal.records import ReversalRecord, TxnState

if TYPE_CHECKING:
    from kiosk.engine.services import Services

log = logging.getLogger(__name__)

REVERSE_OP = "postings.reverse"
MAX_BACKOFF_S = 3600.0
_drain_lock = threading.Lock()  # one drain at a time (the engine's workers, recovery, staff)


class ReversalPending(HostUnavailable):
    """A reversal still waits to be sent: no new financial posting until it is."""


@dataclass(frozen=True)
class DrainReport:
    reversed: int = 0
    failed: int = 0
    suspect: int = 0
    waiting: int = 0  # still pending after this drain (not yet due, or failed this time)


def backoff_s(services: Services, attempts: int) -> float:
    """How long to wait after the ``attempts``-th failed send."""
    base = services.settings.limits.reversal_backoff_s
    return min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF_S)


def _due(record: ReversalRecord, now: datetime) -> bool:
    return datetime.fromisoformat(record.next_at) <= now


def drain(services: Services, *, force: bool = False) -> DrainReport:
    """Send every pending reversal that is due (all of them with ``force``); return what happened."""
    with _drain_lock:
        journal = services.journal
        now = services.clock.now()
        done = failed = suspect = 0
        for record in journal.reversals("pending"):
            if not force and not _due(record, now):
                continue
            state = _send(services, record)
            done += state is TxnState.REVERSED
            suspect += state is TxnState.SUSPECT
            failed += state is TxnState.REVERSAL_PENDING
        waiting = len(journal.reversals("pending"))
        return DrainReport(done, failed, suspect, waiting)


def _send(services: Services, record: ReversalRecord) -> TxnState:
    journal = services.journal
    txn = journal.transaction(record.txn_key)
    session = (txn.session_id if txn else None) or "reversal"
    try:
        reply = services.host.call(REVERSE_OP, {"original_key": record.txn_key, "reason": record.reason},
                                   record.reversal_key, session)
    except HostRejected as refused:
        crash_point("reversal.after_send")
        if refused.code == "not_posted":  # the host never posted it: nothing to undo, it nets to zero
            journal.reversal_settled(record.txn_key, TxnState.REVERSED, {"host": "not_posted"})
            return TxnState.REVERSED
        journal.reversal_settled(record.txn_key, TxnState.SUSPECT, {"reversal_refused": refused.code})
        journal.record(txn.session_id if txn else None, "staff", "called",
                       {"reason": "reversal_refused", "key": record.txn_key, "code": refused.code})
        return TxnState.SUSPECT
    except HostError as exc:
        attempts = record.attempts + 1
        if attempts >= services.settings.limits.reversal_attempts:
            journal.reversal_failed(record.txn_key, type(exc).__name__, services.clock.now().isoformat())
            journal.reversal_settled(record.txn_key, TxnState.SUSPECT, {"reversal_attempts": attempts})
            journal.record(txn.session_id if txn else None, "staff", "called",
                           {"reason": "reversal_failed", "key": record.txn_key, "attempts": attempts})
            return TxnState.SUSPECT
        next_at = services.clock.now() + timedelta(seconds=backoff_s(services, attempts))
        journal.reversal_failed(record.txn_key, type(exc).__name__, next_at.isoformat(timespec="milliseconds"))
        log.warning("reversal of %s failed (%s), attempt %d", record.txn_key, type(exc).__name__, attempts)
        return TxnState.REVERSAL_PENDING
    crash_point("reversal.after_send")
    journal.reversal_settled(record.txn_key, TxnState.REVERSED,
                             {"reversal_ref": reply.get("reversal_ref"), "reversed_fen": reply.get("reversed_fen")})
    return TxnState.REVERSED


def pending_blocks(services: Services) -> None:
    """Before a financial posting: send what waits (whatever its backoff); raise ReversalPending if some still
    waits."""
    if not services.journal.reversals("pending"):
        return
    report = drain(services, force=True)
    if report.waiting:
        raise ReversalPending(f"{report.waiting} reversal(s) wait to be sent", REVERSE_OP, "")
