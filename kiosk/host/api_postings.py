"""The host's own operations on postings: the reversal (冲正) of a posting, and the postings of a day (for the
kiosk's reconciliation with the host). Declared here, next to their models, and added to
:data:`kiosk.host.api.OPERATIONS`; the simulator's handlers are in kiosk/host/sim/reversal.py.

``postings.reverse`` is a posting itself: its own idempotency key (the reversal key the kiosk queued) makes it
exactly-once as every posting is. It undoes a posting of an operation declared ``reversible``; the same original
is reversed once: another reversal of it, under any key, answers the first reversal's result with
``replayed`` true and changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StrictInt, StringConstraints

from kiosk.host.api import OPERATIONS, Fen, Operation, Request, Result, Uuid

PostingStatus = Literal["posted", "reversed", "refused"]


class PostingReverseRequest(Request):
    original_key: Uuid  # the idempotency key of the posting to undo
    reason: Annotated[str, StringConstraints(min_length=1, max_length=64)]  # why: "dispenser_jam", "power_loss"...


class PostingReverseResult(Result):
    reversal_ref: str
    original_key: str
    reversed_fen: Fen  # the original's amount given back (a debit) or taken back (a credit)
    replayed: bool  # the original was reversed before (under another key): that reversal's answer


class PostingsDayRequest(Request):
    day: date  # the host's calendar day
    kiosk_id: Annotated[str, StringConstraints(min_length=1, max_length=32)] | None = None  # one kiosk's only


class DayPosting(Result):
    key: str
    op: str
    amount_fen: StrictInt | None  # debited_fen of the reply, or credited_fen for a credit; None: no money moved
    status: PostingStatus
    reversal_key: str | None  # when reversed: the reversal's idempotency key
    error_code: str | None  # when refused
    kiosk_id: str | None
    session_id: str | None
    posted_at: datetime


class PostingsDayResult(Result):
    day: date
    kiosk_id: str | None
    postings: list[DayPosting] = Field(default_factory=list)


POSTINGS_OPERATIONS = (
    Operation("postings.reverse", PostingReverseRequest, PostingReverseResult, True,
              ("not_posted", "not_reversible", "insufficient_funds", "account_closed", "original_used"),
              "reversal.reverse_posting"),
    Operation("postings.day", PostingsDayRequest, PostingsDayResult, False, (), "reversal.postings_of_day"),
)

OPERATIONS.update({op.name: op for op in POSTINGS_OPERATIONS})
