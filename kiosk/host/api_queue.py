"""Host operations for the branch's queue (取号, issue 15): how many wait (the home screen's line), the
businesses done at the counters with each one's queue, and taking a number. Declared here, next to their
request and result models, and added to :data:`kiosk.host.api.OPERATIONS` there.

The host keeps the branch's queues (the bank's queue system): a queue has a letter (``A`` personal cash,
``V`` the priority queue of customers aged 60 and over...), the numbers issued and called today, and the
average minutes a customer takes at its counters. The expected wait of a new number is the people ahead of
it times that average, rounded half up to the whole minute (docs/host-api.md). Taking a number is a posting:
one number under one idempotency key, whatever the retries.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field, StrictInt, StringConstraints

from kiosk.host.api import OPERATIONS, IdNumber, Operation, Request, Result

BusinessCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
Count = Annotated[StrictInt, Field(ge=0)]


class QueueStatusRequest(Request):
    """Nothing to say: the kiosk (``X-Kiosk-Id``) names the branch."""


class QueueStatusResult(Result):
    waiting: Count  # people waiting in all the branch's queues
    longest_wait_minutes: Count  # the longest expected wait of a new number in any open queue
    as_of: datetime


class QueueBoardRequest(Request):
    """Nothing to say: the kiosk (``X-Kiosk-Id``) names the branch."""


class QueueBusiness(Result):
    code: str
    name: str  # Chinese
    name_en: str
    queue: str  # the letter of its queue
    waiting: Count  # in that queue
    wait_minutes: Count  # a new number's expected wait there
    open: bool  # its queue issues numbers now
    priority: bool  # customers aged ``priority_age`` and over are served in the priority queue


class QueueBoardResult(Result):
    businesses: list[QueueBusiness]  # in the branch's order
    priority_queue: str  # its letter
    priority_open: bool
    priority_waiting: Count
    priority_wait_minutes: Count
    priority_age: StrictInt  # 60
    as_of: datetime


class QueueTakeRequest(Request):
    """A number for ``business``. ``id_number``, when the customer had the ID card read: the host gives the
    priority queue from ``priority_age`` (the birth date in the number, at the host's today) and keeps one
    waiting number per person and business (it keeps a digest of the number, not the number)."""

    business: BusinessCode
    id_number: IdNumber | None = None


class QueueTakeResult(Result):
    ticket_no: str  # the queue's letter and three digits: "A012"
    business: str
    business_name: str
    business_name_en: str
    queue: str
    queue_name: str
    queue_name_en: str
    priority: bool  # issued in the priority queue
    ahead: Count  # people waiting before this number
    avg_minutes: Decimal  # the queue's average minutes a customer
    wait_minutes: Count  # ahead x avg_minutes, rounded half up
    issued_at: datetime


QUEUE_OPERATIONS = (
    Operation("queue.status", QueueStatusRequest, QueueStatusResult, False, (), "ops_queue.status"),
    Operation("queue.board", QueueBoardRequest, QueueBoardResult, False, (), "ops_queue.board"),
    Operation("queue.take", QueueTakeRequest, QueueTakeResult, True,
              ("business_unknown", "queue_closed", "already_waiting"), "ops_queue.take"),
)

_taken = {op.name for op in QUEUE_OPERATIONS} & set(OPERATIONS)
if _taken:  # another module declared the same name: refuse rather than replace it silently
    raise RuntimeError(f"host operations declared twice: {sorted(_taken)}")
OPERATIONS.update({op.name: op for op in QUEUE_OPERATIONS})
