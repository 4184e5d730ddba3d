"""Transactions with a financial or account effect, journaled ahead of every move.

A posting's life, as the journal keeps it (:class:`kiosk.journal.records.TxnState`, forward only)::

    intent -> sent -> approved -> [device_started ->] completed
                   -> declined                       -> device_failed -> reversal_pending -> reversed
                   -> unknown -> approved | declined                  -> suspect

The intent is committed before the host hears of the request; an answer the kiosk did not get is asked for
by key before the session decides (:func:`resolve_unknown`). What the customer pays for and gets from a device
afterwards (a new card at the gate, a printed document) is the transaction's *delivery*: the steps that deliver
call :func:`delivery_started` and :func:`delivery_finished`, and a delivery that fails after the host approved
queues a reversal (冲正) when the operation can be reversed, or marks the transaction suspect and calls staff
when it cannot (an account opened). :func:`settle_session` ends every transaction of a session that ends.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kiosk.host.api import OPERATIONS, Result
from kiosk.host.errors import HostError
from kiosk.journal.records import TxnRecord, TxnState

if TYPE_CHECKING:
    from kiosk.engine.services import Services
    from kiosk.engine.session import Session

log = logging.getLogger(__name__)

# The payload fields that name who and what a transaction is about; journaled masked as the intent's parties.
PARTY_FIELDS = frozenset({
    "account_no", "card_ref", "pan", "to_account", "from_account", "payee_account", "payee_name", "payee_ref",
    "bank_code", "bill_ids", "customer_no", "product_code", "deposit_no", "currency", "term", "purpose",
    "old_card_ref", "new_card_ref", "loan_ref", "application_ref", "transfer_to", "company_code",
})


def parties(payload: Mapping[str, object]) -> dict[str, Any]:
    """The payload's party fields (the journal masks them as it writes)."""
    return {k: v for k, v in payload.items() if k in PARTY_FIELDS and v is not None}


def delivery_after(s: Session, step_id: str) -> str | None:
    """What a step after ``step_id`` delivers to the customer for the posting (a card, a document), if any."""
    later = s.flow.steps[s.flow.index(step_id) + 1:]
    return next((kind for step in later if (kind := getattr(step, "delivers", None))), None)


def resolve_unknown(services: Services, txn_key: str, session_id: str | None) -> tuple[TxnState, Result | None]:
    """Ask the host about a posting whose answer never came, under its own key; move the transaction to what
    the host says (approved with the stored reply, or declined), or leave it unknown if the host cannot say."""
    journal = services.journal
    txn = journal.transaction(txn_key)
    if txn is None or txn.state not in (TxnState.SENT, TxnState.UNKNOWN):
        return (txn.state if txn else TxnState.DECLINED), None
    try:
        status = services.host.call("operations.status", {"idempotency_key": txn_key}, uuid.uuid4().hex,
                                    session_id or "recovery")
    except HostError as exc:
        if txn.state is TxnState.SENT:
            journal.txn_move(txn_key, TxnState.UNKNOWN, {"error": type(exc).__name__})
        return TxnState.UNKNOWN, None
    if status.get("found") and status.get("status") == "committed":
        reply = (status.get("reply") or {}).get("result") or {}
        operation = OPERATIONS.get(txn.op)
        result = operation.result.model_validate(reply) if operation is not None and reply else None
        journal.txn_move(txn_key, TxnState.APPROVED, {"asked_host": True})
        _request_reconciled(services, txn_key, committed=True)
        return TxnState.APPROVED, result
    journal.txn_move(txn_key, TxnState.DECLINED, {"asked_host": True, "host_status": status.get("status") or "absent"})
    _request_reconciled(services, txn_key, committed=False)
    return TxnState.DECLINED, None


def _request_reconciled(services: Services, key: str, committed: bool) -> None:
    request = services.journal.host_request(key)
    if request is not None and request.status.needs_reconciliation:
        services.journal.host_request_finished(key, "reconciled_committed" if committed else "reconciled_absent",
                                               {"host_status": "committed" if committed else "absent"})


def approved_awaiting(s: Session, delivery: str) -> TxnRecord | None:
    """The session's approved transaction waiting for ``delivery``, if any."""
    for txn in reversed(s.services.journal.transactions(s.id)):
        if txn.delivery == delivery and txn.state in (TxnState.APPROVED, TxnState.DEVICE_STARTED):
            return txn
    return None


# The device that delivers each kind of delivery; recovery asks it what it last did.
DELIVERY_DEVICES = {"card": "dispenser", "document": "docprinter"}


def device_mark(services: Services, delivery: str | None) -> str:
    """What the delivering device last did, as a mark to tell a later operation from it ("" if it cannot say)."""
    device = getattr(services.devices, DELIVERY_DEVICES.get(delivery or "", ""), None)
    ask = getattr(device, "last_operation", None)
    last = ask() if ask is not None else None
    return "" if last is None else f"{last.operation}:{last.job_id}:{last.at.isoformat()}"


def delivery_started(s: Session, delivery: str) -> None:
    """A device starts delivering what an approved posting paid for (journaled before it moves, with the device's
    last operation before it, so recovery can tell this delivery's record from an earlier one)."""
    txn = approved_awaiting(s, delivery)
    if txn is not None and txn.state is TxnState.APPROVED:
        s.services.journal.txn_move(txn.key, TxnState.DEVICE_STARTED,
                                    {"delivery": delivery, "device_before": device_mark(s.services, delivery)})


def delivery_finished(s: Session, delivery: str, ok: bool, detail: Mapping[str, Any] | None = None) -> None:
    txn = approved_awaiting(s, delivery)
    if txn is None:
        return
    journal = s.services.journal
    if txn.state is TxnState.APPROVED:
        journal.txn_move(txn.key, TxnState.DEVICE_STARTED, {"delivery": delivery})
    journal.txn_move(txn.key, TxnState.COMPLETED if ok else TxnState.DEVICE_FAILED, dict(detail or {}))


def undelivered(services: Services, txn: TxnRecord, reason: str) -> TxnState:
    """A posting whose delivery failed: queue its reversal, or mark it suspect (not reversible). Returns the
    state it ends in now."""
    journal = services.journal
    if txn.state in (TxnState.APPROVED, TxnState.DEVICE_STARTED):
        txn = journal.txn_move(txn.key, TxnState.DEVICE_FAILED, {"reason": reason})
    if txn.state is not TxnState.DEVICE_FAILED:
        return txn.state
    if txn.reversible:
        journal.queue_reversal(txn.key, uuid.uuid4().hex, reason)
        return TxnState.REVERSAL_PENDING
    journal.txn_move(txn.key, TxnState.SUSPECT, {"reason": reason, "staff": "called"})
    journal.record(txn.session_id, "staff", "called", {"reason": "txn_suspect", "key": txn.key, "op": txn.op})
    return TxnState.SUSPECT


def settle(services: Services, txn: TxnRecord, reason: str) -> TxnState:
    """End an approved transaction whose session is over: completed when nothing was to be delivered or it was,
    else undelivered (reversal or suspect). Other states are left as they are."""
    if txn.state is TxnState.APPROVED and txn.delivery is None:
        return services.journal.txn_move(txn.key, TxnState.COMPLETED).state
    if txn.state in (TxnState.APPROVED, TxnState.DEVICE_STARTED, TxnState.DEVICE_FAILED):
        return undelivered(services, txn, reason)
    return txn.state


def settle_session(s: Session) -> list[TxnRecord]:
    """At the end of a session: settle each of its transactions; the ones that need staff (suspect) or wait for
    the reversal queue are returned."""
    reason = s.failure[0] if s.failure else "session ended"
    left = []
    for txn in s.services.journal.transactions(s.id):
        state = settle(s.services, txn, reason)
        if state in (TxnState.SUSPECT, TxnState.REVERSAL_PENDING, TxnState.UNKNOWN):
            left.append(txn)
    return left
