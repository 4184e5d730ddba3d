"""The branch's queue (取号) at the simulated bank: how many wait, the businesses with their queues, a number.

A queue's counters call its next number every ``avg_minutes`` while anyone waits (:func:`call_due`, on the
simulator's clock, so ``POST /sim/clock`` moves the queues on); a counter with nobody waiting calls a new
number at once (:func:`joined`). The people ahead of a new number are those waiting when it is taken; its
expected wait is the people ahead times the queue's average minutes, rounded half up to the whole minute
(:func:`expected_wait_minutes`). A customer whose ID card was read and who is 60 or older (the birth date in
the ID number, at the host's today) gets the priority queue for the businesses that allow it; such a customer
holds one waiting number per business (``already_waiting``). Numbers are not reset at midnight: the demo
queue runs on (after 999, 001 again).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from kiosk.host.api_queue import (
    QueueBoardRequest,
    QueueBoardResult,
    QueueBusiness,
    QueueStatusRequest,
    QueueStatusResult,
    QueueTakeRequest,
    QueueTakeResult,
)
from kiosk.host.sim.context import OpContext, Refusal
from kiosk.host.sim.seed_queue import holder_digest, ticket_no

PRIORITY_AGE = 60  # customers of this age and older are served in the priority queue


@dataclass(frozen=True)
class Counter:
    """Where a queue stands: numbers issued and called so far, and when its counters call the next one."""

    issued: int
    called: int
    next_call_at: datetime
    avg_minutes: Decimal

    @property
    def waiting(self) -> int:
        return self.issued - self.called

    @property
    def interval(self) -> timedelta:
        """The average time a customer takes, in whole seconds (at least one)."""
        seconds = (self.avg_minutes * 60).quantize(Decimal(1), ROUND_HALF_UP)
        return timedelta(seconds=max(int(seconds), 1))


def call_due(counter: Counter, now: datetime) -> Counter:
    """The numbers called by ``now``: one every interval from ``next_call_at``, while anyone waits."""
    if counter.waiting == 0 or now < counter.next_call_at:
        return counter
    due = (now - counter.next_call_at) // counter.interval + 1
    calls = min(due, counter.waiting)
    return replace(counter, called=counter.called + calls, next_call_at=counter.next_call_at + calls * counter.interval)


def joined(counter: Counter, now: datetime) -> Counter:
    """One more number issued; a counter that has nobody waiting and is free calls it at once."""
    idle = counter.waiting == 0 and counter.next_call_at < now
    return replace(counter, issued=counter.issued + 1, next_call_at=now if idle else counter.next_call_at)


def expected_wait_minutes(ahead: int, avg_minutes: Decimal) -> int:
    """People ahead x the queue's average minutes, rounded half up to the whole minute."""
    return int((Decimal(ahead) * avg_minutes).quantize(Decimal(1), ROUND_HALF_UP))


@dataclass(frozen=True)
class Queue:
    prefix: str
    name: str
    name_en: str
    open: bool
    priority: bool
    counter: Counter

    @property
    def wait_minutes(self) -> int:
        return expected_wait_minutes(self.counter.waiting, self.counter.avg_minutes)


def _queues(conn: sqlite3.Connection, now: datetime) -> dict[str, Queue]:
    """Every queue, its calls brought up to ``now`` (and saved), in the branch's order."""
    queues: dict[str, Queue] = {}
    for row in conn.execute("SELECT * FROM queue_queues ORDER BY rank").fetchall():
        stored = Counter(row["issued"], row["called"], datetime.fromisoformat(row["next_call_at"]),
                         Decimal(row["avg_minutes"]))
        counter = call_due(stored, now)
        if counter != stored:
            _save(conn, row["prefix"], counter)
        queues[row["prefix"]] = Queue(row["prefix"], row["name"], row["name_en"], bool(row["open"]),
                                      bool(row["priority"]), counter)
    return queues


def _save(conn: sqlite3.Connection, prefix: str, counter: Counter) -> None:
    conn.execute("UPDATE queue_queues SET issued = ?, called = ?, next_call_at = ? WHERE prefix = ?",
                 (counter.issued, counter.called, counter.next_call_at.isoformat(), prefix))


def _priority_queue(queues: dict[str, Queue]) -> Queue | None:
    return next((q for q in queues.values() if q.priority), None)


def status(ctx: OpContext, req: QueueStatusRequest) -> QueueStatusResult:
    queues = _queues(ctx.conn, ctx.now).values()
    return QueueStatusResult(waiting=sum(q.counter.waiting for q in queues),
                             longest_wait_minutes=max((q.wait_minutes for q in queues if q.open), default=0),
                             as_of=ctx.now)


def board(ctx: OpContext, req: QueueBoardRequest) -> QueueBoardResult:
    queues = _queues(ctx.conn, ctx.now)
    businesses = [
        QueueBusiness(code=b["code"], name=b["name"], name_en=b["name_en"], queue=b["queue"],
                      waiting=queues[b["queue"]].counter.waiting, wait_minutes=queues[b["queue"]].wait_minutes,
                      open=queues[b["queue"]].open, priority=bool(b["priority"]))
        for b in ctx.conn.execute("SELECT * FROM queue_businesses ORDER BY rank").fetchall()]
    vip = _priority_queue(queues)
    return QueueBoardResult(
        businesses=businesses, priority_queue=vip.prefix if vip else "", priority_open=bool(vip and vip.open),
        priority_waiting=vip.counter.waiting if vip else 0, priority_wait_minutes=vip.wait_minutes if vip else 0,
        priority_age=PRIORITY_AGE, as_of=ctx.now)


def age_from_id_number(id_number: str, today: date) -> int | None:
    """The age by the birth date in a resident ID number (GB 11643: digits 7-14), or None when it is no date."""
    try:
        born = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _still_waiting(ctx: OpContext, queues: dict[str, Queue], business: sqlite3.Row, digest: str) -> None:
    """One waiting number per person and business: refuse a second while the first is not called."""
    for held in ctx.conn.execute("SELECT ticket_no, queue, seq FROM queue_tickets WHERE holder_digest = ? "
                                 "AND business = ? ORDER BY id", (digest, business["code"])).fetchall():
        counter = queues[held["queue"]].counter
        if held["seq"] > counter.called:
            raise Refusal("already_waiting", "this customer already holds a waiting number for the business",
                          ticket_no=held["ticket_no"], ahead=held["seq"] - counter.called - 1,
                          business=business["name"], business_en=business["name_en"])


def take(ctx: OpContext, req: QueueTakeRequest) -> QueueTakeResult:
    business = ctx.conn.execute("SELECT * FROM queue_businesses WHERE code = ?", (req.business,)).fetchone()
    if business is None:
        raise Refusal("business_unknown", "the branch does not do this business at its counters")
    queues = _queues(ctx.conn, ctx.now)
    age = age_from_id_number(req.id_number, ctx.now.date()) if req.id_number else None
    vip = _priority_queue(queues)
    priority = age is not None and age >= PRIORITY_AGE and bool(business["priority"]) and vip is not None \
        and vip.open
    queue = vip if priority and vip is not None else queues[business["queue"]]
    if not queue.open:
        raise Refusal("queue_closed", "the queue issues no numbers now", business=business["name"],
                      business_en=business["name_en"])
    digest = holder_digest(req.id_number) if req.id_number else None
    if digest is not None:
        _still_waiting(ctx, queues, business, digest)
    ahead = queue.counter.waiting
    counter = joined(queue.counter, ctx.now)
    _save(ctx.conn, queue.prefix, counter)
    number = ticket_no(queue.prefix, counter.issued)
    ctx.conn.execute(
        "INSERT INTO queue_tickets(ticket_no, queue, seq, business, priority, holder_digest, issued_at, "
        "idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (number, queue.prefix, counter.issued, business["code"], int(priority), digest, ctx.now.isoformat(),
         ctx.idempotency_key))
    return QueueTakeResult(
        ticket_no=number, business=business["code"], business_name=business["name"],
        business_name_en=business["name_en"], queue=queue.prefix, queue_name=queue.name,
        queue_name_en=queue.name_en, priority=priority, ahead=ahead, avg_minutes=counter.avg_minutes,
        wait_minutes=expected_wait_minutes(ahead, counter.avg_minutes), issued_at=ctx.now)


__all__ = ["PRIORITY_AGE", "board", "call_due", "expected_wait_minutes", "joined", "status", "take"]
