"""Recovery before service: what the kiosk does on start, before its home screen, while it shows 暂停服务.

1. Sessions the kiosk never closed (it died) are closed as abandoned.
2. A card left in the bank card reader or at the dispenser's gate is retained, journaled with its masked number.
3. Every transaction not in a terminal state is resolved: an intent never sent is declined; one sent without an
   answer is asked for by key (posted: approved, else declined); an approved one is completed when nothing was
   to be delivered, or when its device says the customer took it, and otherwise is undelivered: reversed
   through the queue when it can be, suspect (staff) when it cannot.
4. The reversal queue is drained once, whatever its backoff.
5. Host requests whose outcome the kiosk never learned (non-postings included) are reconciled by key.
The report goes into the journal (a ``system`` entry ``recovery``), and staff see suspects on the
maintenance screen.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from devices.api import LastOperation, OperationStage
from kiosk.engine import reversals, txn
from kiosk.engine.services import Services
from kiosk.host.errors import HostError
from kiosk.journal.records import TxnRecord, TxnState

log = logging.getLogger(__name__)

RETAINED_ON_RECOVERY = "card_retained_on_recovery"  # the journal entry of a card recovery retained
CARD_HOLDERS = ("smartcard", "dispenser")  # devices that can hold a customer's card when the kiosk stops


@dataclass(frozen=True)
class RecoveryReport:
    abandoned_sessions: int = 0
    reconciled_committed: int = 0
    reconciled_absent: int = 0
    still_unknown: int = 0
    cards_retained: int = 0
    txns_completed: int = 0
    txns_declined: int = 0
    txns_reversed: int = 0
    txns_suspect: int = 0
    reversals_queued: int = 0
    reversals_waiting: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def acted(self) -> bool:
        return any(v for k, v in asdict(self).items() if k != "notes")


def needed(services: Services) -> bool:
    """Anything for recovery to do (cheap: the journal only, and the devices' remembered state)?"""
    journal = services.journal
    if journal.open_sessions() or journal.open_transactions() or journal.unfinished_host_requests():
        return True
    return any(_holding_card(services, name) for name in CARD_HOLDERS)


def recover(services: Services) -> RecoveryReport:
    journal = services.journal
    counts: dict[str, Any] = {"notes": []}
    abandoned = journal.open_sessions()
    for record in abandoned:
        journal.close_session(record.id, "abandoned", "the kiosk stopped during the session")
    counts["abandoned_sessions"] = len(abandoned)
    run = uuid.uuid4().hex[:12]  # this recovery: a card it retains is journaled once in it
    counts["cards_retained"] = sum(_retain_left_card(services, name, run) for name in CARD_HOLDERS)
    _settle(services, counts, journal.open_transactions())
    report = RecoveryReport(**{**counts, "notes": tuple(counts["notes"])})
    journal.record(None, "system", "recovery", asdict(report))
    if report.txns_suspect or report.cards_retained:
        journal.record(None, "staff", "called", {"reason": "recovery", "suspect": report.txns_suspect,
                                                 "cards_retained": report.cards_retained})
    return report


def left_open(services: Services) -> list[TxnRecord]:
    """Transactions not terminal whose session has ended (a running session's own are never touched)."""
    journal = services.journal
    return [t for t in journal.open_transactions()
            if t.session_id is None or not (record := journal.session(t.session_id)) or not record.is_open]


def settle_left(services: Services, *, force: bool = True) -> RecoveryReport:
    """While the kiosk runs: resolve what ended sessions left open (an answer that never came) and send the
    reversals that wait (``force``: whatever their backoff), as recovery does; journaled (``settled_left``) only
    when there was something to do."""
    counts: dict[str, Any] = {"notes": []}
    if not (left_open(services) or services.journal.reversals("pending")):
        return RecoveryReport()
    _settle(services, counts, left_open(services), force=force)
    report = RecoveryReport(**{**counts, "notes": tuple(counts["notes"])})
    services.journal.record(None, "system", "settled_left", asdict(report))
    return report


def _settle(services: Services, counts: dict[str, Any], txns: list[TxnRecord], *, force: bool = True) -> None:
    for open_txn in txns:
        _resolve(services, open_txn, counts)
    drained = reversals.drain(services, force=force)
    counts["txns_reversed"] = counts.get("txns_reversed", 0) + drained.reversed
    counts["txns_suspect"] = counts.get("txns_suspect", 0) + drained.suspect
    counts["reversals_waiting"] = drained.waiting
    _reconcile_requests(services, counts)


def _bump(counts: dict[str, Any], name: str) -> None:
    counts[name] = counts.get(name, 0) + 1


def _resolve(services: Services, record: TxnRecord, counts: dict[str, Any]) -> None:
    journal = services.journal
    state = record.state
    if state is TxnState.INTENT:  # the journal never said sent: the request never left the kiosk
        journal.txn_move(record.key, TxnState.DECLINED, {"recovery": "never sent"})
        _bump(counts, "txns_declined")
        return
    if state in (TxnState.SENT, TxnState.UNKNOWN):
        state, _ = txn.resolve_unknown(services, record.key, record.session_id)
        if state is TxnState.DECLINED:
            _bump(counts, "txns_declined")
            return
        if state is not TxnState.APPROVED:
            _bump(counts, "still_unknown")
            return
    record = journal.transaction(record.key) or record
    if record.state is TxnState.DEVICE_STARTED and _delivered(services, record):
        journal.txn_move(record.key, TxnState.COMPLETED, {"recovery": "the device says delivered"})
        _bump(counts, "txns_completed")
        return
    if record.state is TxnState.APPROVED and record.delivery is None:
        journal.txn_move(record.key, TxnState.COMPLETED, {"recovery": "posted; nothing to deliver"})
        _bump(counts, "txns_completed")
        return
    if record.state in (TxnState.APPROVED, TxnState.DEVICE_STARTED, TxnState.DEVICE_FAILED):
        ended = txn.undelivered(services, record, "the kiosk stopped before the customer got it")
        _bump(counts, "txns_suspect" if ended is TxnState.SUSPECT else "reversals_queued")
        counts["notes"].append(f"{record.op}: {ended.value}")


def _device(services: Services, name: str) -> Any:
    return getattr(services.devices, name, None)


def _last_operation(services: Services, name: str) -> LastOperation | None:
    ask = getattr(_device(services, name), "last_operation", None)
    if ask is None:
        return None
    try:
        return ask()
    except Exception:  # a device that cannot say is treated as not delivered
        log.exception("%s could not say its last operation", name)
        return None


def _holding_card(services: Services, name: str) -> bool:
    last = _last_operation(services, name)
    return last is not None and last.holds_card


def _delivered(services: Services, record: TxnRecord) -> bool:
    """Did the device hand the customer what the transaction paid for, by the device's own durable record
    (a card taken from the gate; a document printed, whether or not taken since)?"""
    name = txn.DELIVERY_DEVICES.get(record.delivery or "")
    last = _last_operation(services, name) if name else None
    if last is None or txn.device_mark(services, record.delivery) == (record.detail or {}).get("device_before"):
        return False  # the device's record is of an earlier operation: this one never started
    return last.stage == OperationStage.TAKEN or (name == "docprinter" and last.stage == OperationStage.PRINTED)


def _retain_left_card(services: Services, name: str, run: str) -> int:
    device = _device(services, name)
    recover_card = getattr(device, "recover_card", None)
    if recover_card is None or not _holding_card(services, name):
        return 0
    try:
        retained = recover_card("recovery")
    except Exception as exc:
        log.exception("%s could not retain the card left in it", name)
        services.journal.record(None, "fault", f"{name}.recover_card", {"error": type(exc).__name__})
        return 0
    if retained is None:
        return 0
    after = _last_operation(services, name)
    services.journal.record(None, "device", RETAINED_ON_RECOVERY,
                            {"device": name, "card": getattr(retained, "pan_masked", ""), "reason": "recovery",
                             "device_at": after.at.isoformat() if after is not None else None, "recovery": run})
    return 1


def _reconcile_requests(services: Services, counts: dict[str, Any]) -> None:
    journal = services.journal
    for request in journal.unfinished_host_requests():
        try:
            reply = services.host.call("operations.status", {"idempotency_key": request.idempotency_key},
                                       uuid.uuid4().hex, request.session_id or "recovery")
        except HostError as exc:
            log.warning("could not reconcile %s (%s): %s", request.op, request.idempotency_key, type(exc).__name__)
            _bump(counts, "still_unknown")
            continue
        found = bool(reply.get("found")) and reply.get("status") == "committed"
        journal.host_request_finished(request.idempotency_key, "reconciled_committed" if found else "reconciled_absent",
                                      {"host_status": reply.get("status")})
        journal.record(request.session_id, "system", "reconciled",
                       {"op": request.op, "key": request.idempotency_key, "committed": found})
        _bump(counts, "reconciled_committed" if found else "reconciled_absent")
