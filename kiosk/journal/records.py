"""What the journal stores, as typed values: entry kinds, outcomes, host request states, records."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class JournalError(Exception):
    """A journal operation the journal refuses: a second close, a status moving back, an unknown key."""


class EntryKind(StrEnum):
    STEP = "step"  # a step transition of the flow chart
    INPUT = "input"  # what the customer did (choose, submit, back, cancel, help)
    DEVICE = "device"  # a device action or event
    HOST = "host"  # a host call seen from the session
    STALE = "stale"  # a late device or host result, journaled and dropped
    FAULT = "fault"  # a device or host fault, or a bug routed to the fault path
    STAFF = "staff"  # a supervisor action: approval, takeover, service
    SYSTEM = "system"  # kiosk start, stop, recovery, out of service
    OUTCOME = "outcome"  # how a step or the session ended
    NOTE = "note"  # anything else worth keeping
    SURVEY = "survey"  # the customer's satisfaction with a completed session (kiosk/engine/survey.py)
    TXN = "txn"  # a transaction moved to a new state (its name is the state)
    RECEIPT = "receipt"  # a receipt as printed (masked), the source of a reprint (补打)
    ROW = "row"  # a session or host request row as written: the hash chain's copy (kiosk/journal/chain.py)


class SessionOutcome(StrEnum):
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    TIMEOUT = "timeout"
    DEVICE_FAULT = "device_fault"
    HOST_FAULT = "host_fault"
    UNKNOWN = "unknown"  # a posting whose outcome the host could not confirm: reconciled on start
    ABANDONED = "abandoned"  # found open on start: the kiosk died mid-session


class HostStatus(StrEnum):
    SENT = "sent"
    COMMITTED = "committed"
    REJECTED = "rejected"
    UNAVAILABLE = "unavailable"  # the host never got the request
    UNKNOWN = "unknown"  # sent, no answer: reconcile before anything else
    RECONCILED_COMMITTED = "reconciled_committed"
    RECONCILED_ABSENT = "reconciled_absent"

    @property
    def needs_reconciliation(self) -> bool:
        return self in (HostStatus.SENT, HostStatus.UNKNOWN)

    @property
    def committed(self) -> bool:
        return self in (HostStatus.COMMITTED, HostStatus.RECONCILED_COMMITTED)


_RECONCILED = frozenset({HostStatus.RECONCILED_COMMITTED, HostStatus.RECONCILED_ABSENT})

# The only moves a host request may make: a status never goes back.
HOST_STATUS_MOVES: dict[HostStatus, frozenset[HostStatus]] = {
    HostStatus.SENT: frozenset(HostStatus) - {HostStatus.SENT},
    HostStatus.UNKNOWN: _RECONCILED,
}


def may_move(current: HostStatus, new: HostStatus) -> bool:
    return new in HOST_STATUS_MOVES.get(current, frozenset())


class TxnState(StrEnum):
    """Where a transaction with a financial or account effect stands; it only moves forward."""

    INTENT = "intent"  # committed before anything is sent
    SENT = "sent"  # about to leave the kiosk, or gone
    APPROVED = "approved"  # the host posted it
    DECLINED = "declined"  # the host refused it, or never got it: nothing posted
    UNKNOWN = "unknown"  # sent, no answer: ask the host by key before anything else
    DEVICE_STARTED = "device_started"  # the card or document the customer pays for is on its way
    COMPLETED = "completed"  # posted and delivered
    DEVICE_FAILED = "device_failed"  # posted, not delivered
    REVERSAL_PENDING = "reversal_pending"  # a reversal (冲正) waits in the store-and-forward queue
    REVERSED = "reversed"  # the host reversed the posting: nets to zero
    SUSPECT = "suspect"  # needs staff: not reversible, or the reversal kept failing

    @property
    def terminal(self) -> bool:
        return self in TERMINAL_TXN_STATES


TERMINAL_TXN_STATES = frozenset({TxnState.DECLINED, TxnState.COMPLETED, TxnState.REVERSED, TxnState.SUSPECT})

# The only moves a transaction may make (the journal's schema enforces the same table).
TXN_MOVES: dict[TxnState, frozenset[TxnState]] = {
    TxnState.INTENT: frozenset({TxnState.SENT, TxnState.DECLINED}),
    TxnState.SENT: frozenset({TxnState.APPROVED, TxnState.DECLINED, TxnState.UNKNOWN}),
    TxnState.UNKNOWN: frozenset({TxnState.APPROVED, TxnState.DECLINED, TxnState.SUSPECT}),
    TxnState.APPROVED: frozenset({TxnState.DEVICE_STARTED, TxnState.COMPLETED, TxnState.DEVICE_FAILED,
                                  TxnState.REVERSAL_PENDING, TxnState.SUSPECT}),
    TxnState.DEVICE_STARTED: frozenset({TxnState.COMPLETED, TxnState.DEVICE_FAILED}),
    TxnState.DEVICE_FAILED: frozenset({TxnState.REVERSAL_PENDING, TxnState.SUSPECT}),
    TxnState.REVERSAL_PENDING: frozenset({TxnState.REVERSED, TxnState.SUSPECT}),
}


def txn_may_move(current: TxnState, new: TxnState) -> bool:
    return new in TXN_MOVES.get(current, frozenset())


@dataclass(frozen=True)
class TxnRecord:
    key: str  # the posting's idempotency key
    session_id: str | None
    flow_id: str
    op: str
    amount_fen: int | None
    parties: dict[str, Any] | None  # masked
    delivery: str | None  # what the customer must get after approval: "card", "document", or None
    reversible: bool
    state: TxnState
    created_at: str
    updated_at: str
    detail: dict[str, Any] | None


@dataclass(frozen=True)
class ReversalRecord:
    txn_key: str
    reversal_key: str
    reason: str
    attempts: int
    next_at: str
    last_error: str | None
    state: str  # pending | done | suspect
    queued_at: str
    finished_at: str | None


@dataclass(frozen=True)
class SessionRecord:
    id: str
    kiosk_id: str
    branch_id: str
    flow_id: str
    started_at: str  # ISO 8601, milliseconds, kiosk local time
    ended_at: str | None
    outcome: SessionOutcome | None
    reason: str | None
    lang: str
    elderly: bool

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True)
class Entry:
    seq: int
    session_id: str | None
    at: str
    kind: EntryKind
    name: str
    detail: dict[str, Any] | None


@dataclass(frozen=True)
class HostRequestRecord:
    idempotency_key: str
    session_id: str | None
    op: str
    posting: bool
    status: HostStatus
    amount_fen: int | None
    started_at: str
    finished_at: str | None
    detail: dict[str, Any] | None
