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
