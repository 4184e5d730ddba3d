"""The day's reconciliation with the host (与主机对账): the journal's transactions of a day against the host's
postings of that day (``postings.day``), by idempotency key.

Mismatches, each with its key, operation, the journal's state and the host's status and amounts:

- ``posted_not_completed``: the host posted it (and did not reverse it), the journal has it open, suspect,
  declined, or not at all;
- ``completed_not_posted``: completed in the journal, absent or refused at the host;
- ``completed_but_reversed``: completed in the journal, reversed at the host;
- ``reversed_not_at_host``: reversed in the journal, posted (not reversed), refused or absent at the host;
- ``reversed_only_at_host``: reversed at the host, neither reversed nor completed in the journal;
- ``amount_differs``: both sides agree on the outcome, not on the amount.

A host posting the journal does not have counts only when it moved money or is reversible: the journal keeps
transactions with a financial or account effect, not every record the kiosk makes (a staff approval, a queue
ticket). Totals per operation on both sides: the journal's completed transactions, the host's postings that
stand (posted, not reversed), with their amounts. Counts, amounts, keys and operations only: nothing personal.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Protocol

from kiosk.host.api import OPERATIONS
from kiosk.host.api_postings import DayPosting, PostingsDayResult
from kiosk.journal.records import TxnRecord, TxnState

MISMATCH_KINDS = ("posted_not_completed", "completed_not_posted", "completed_but_reversed", "reversed_not_at_host",
                  "reversed_only_at_host", "amount_differs")


@dataclass(frozen=True)
class Mismatch:
    kind: str
    key: str
    op: str
    journal_state: str | None  # None: not in the journal
    host_status: str | None  # posted | reversed | refused; None: not at the host
    journal_fen: int | None
    host_fen: int | None


@dataclass(frozen=True)
class OpTotals:
    op: str
    journal_count: int = 0  # completed in the journal
    journal_fen: int = 0
    host_count: int = 0  # posted at the host and not reversed
    host_fen: int = 0
    journal_reversed: int = 0
    host_reversed: int = 0

    @property
    def agree(self) -> bool:
        return (self.journal_count, self.journal_fen, self.journal_reversed) == (
            self.host_count, self.host_fen, self.host_reversed)


@dataclass(frozen=True)
class HostComparison:
    day: date
    kiosk_id: str
    mismatches: tuple[Mismatch, ...]
    totals: tuple[OpTotals, ...]

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def as_dict(self) -> dict[str, Any]:
        return {"date": self.day.isoformat(), "kiosk_id": self.kiosk_id, "ok": self.ok,
                "mismatches": [asdict(m) for m in self.mismatches],
                "totals": [{**asdict(t), "agree": t.agree} for t in self.totals]}


class PostingsHost(Protocol):
    """What the comparison needs of the host client (kiosk.host.client.HostClient)."""

    def call_result(self, op: str, payload: dict[str, Any], idempotency_key: str, session_id: str) -> Any: ...


def host_postings(host: PostingsHost, day: date, kiosk_id: str) -> PostingsDayResult:
    """The host's postings of ``day`` made by this kiosk."""
    result = host.call_result("postings.day", {"day": day.isoformat(), "kiosk_id": kiosk_id}, str(uuid.uuid4()),
                              "reconcile")
    assert isinstance(result, PostingsDayResult)
    return result


def transactions_of_day(transactions: Iterable[TxnRecord], day: date) -> list[TxnRecord]:
    """The journal's transactions begun on ``day`` (the kiosk's calendar)."""
    return [t for t in transactions if t.created_at[:10] == day.isoformat()]


def compare(day: date, kiosk_id: str, transactions: Iterable[TxnRecord], host: PostingsDayResult) -> HostComparison:
    journal = {t.key: t for t in transactions_of_day(transactions, day)}
    # a host posting the journal does not have counts only when it moved money or is reversible
    postings = {p.key: p for p in host.postings if p.key in journal or _counts_unjournaled(p)}
    when = {**{p.key: p.posted_at.isoformat() for p in postings.values()}, **{t.key: t.created_at for t in journal.values()}}
    mismatches = [m for key in sorted(when, key=lambda k: (when[k], k))
                  if (m := _mismatch(journal.get(key), postings.get(key))) is not None]
    return HostComparison(day, kiosk_id, tuple(mismatches), _totals(journal.values(), postings.values()))


def _mismatch(txn: TxnRecord | None, posting: DayPosting | None) -> Mismatch | None:
    status = posting.status if posting else None
    state = txn.state if txn else None
    kind = _kind(state, status)
    if kind is None and txn is not None and posting is not None and status in ("posted", "reversed") \
            and None not in (txn.amount_fen, posting.amount_fen) and txn.amount_fen != posting.amount_fen:
        kind = "amount_differs"
    if kind is None:
        return None
    key, op = (txn.key, txn.op) if txn else (posting.key, posting.op) if posting else ("", "")
    return Mismatch(kind=kind, key=key, op=op, journal_state=state.value if state else None, host_status=status,
                    journal_fen=txn.amount_fen if txn else None, host_fen=posting.amount_fen if posting else None)


def _kind(state: TxnState | None, status: str | None) -> str | None:
    if state is TxnState.COMPLETED:
        return {"posted": None, "reversed": "completed_but_reversed"}.get(status or "", "completed_not_posted")
    if state is TxnState.REVERSED:
        return None if status == "reversed" else "reversed_not_at_host"
    if status == "posted":
        return "posted_not_completed"
    if status == "reversed" and state is not None:
        return "reversed_only_at_host"
    return None  # nothing stands on either side (declined, refused, or still open with nothing posted)


def _counts_unjournaled(posting: DayPosting) -> bool:
    operation = OPERATIONS.get(posting.op)
    return posting.amount_fen is not None or (operation is not None and operation.reversible)


def _totals(txns: Iterable[TxnRecord], postings: Iterable[DayPosting]) -> tuple[OpTotals, ...]:
    sums: dict[str, dict[str, int]] = {}

    def add(op: str, **values: int) -> None:
        row = sums.setdefault(op, {})
        for name, value in values.items():
            row[name] = row.get(name, 0) + value

    for txn in txns:
        if txn.state is TxnState.COMPLETED:
            add(txn.op, journal_count=1, journal_fen=txn.amount_fen or 0)
        elif txn.state is TxnState.REVERSED:
            add(txn.op, journal_reversed=1)
    for posting in postings:
        if posting.status == "posted":
            add(posting.op, host_count=1, host_fen=posting.amount_fen or 0)
        elif posting.status == "reversed":
            add(posting.op, host_reversed=1)
    return tuple(OpTotals(op, **values) for op, values in sorted(sums.items()))
