"""Runs host operations exactly once: postings are stored with their reply in the same transaction.

A posting's idempotency key maps to (request hash, reply). The same key with the same body replays
the stored reply, refusals included; with another body it is a 409. While a key is being
processed, a second request with that key waits for it and then replays.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from kiosk.host.api import OPERATIONS, Operation, OperationStatusRequest, Request, Result
from kiosk.host.api_postings import PostingReverseRequest
from kiosk.host.sim.context import HostLimits, OpContext, Refusal, SimulatorClock
from kiosk.host.sim.seed import SeedData, seed_database, seed_staff
from kiosk.host.sim.store import Store

Handler = Callable[[OpContext, Any], Result]


def _handlers() -> dict[str, Handler]:
    """Each operation's simulator function, as :data:`kiosk.host.api.OPERATIONS` names it; a name
    that does not resolve stops the simulator at import."""
    handlers: dict[str, Handler] = {}
    for op in OPERATIONS.values():
        module_name, _, function = op.simulator.rpartition(".")
        handler = getattr(importlib.import_module(f"kiosk.host.sim.{module_name}"), function, None)
        if not callable(handler):
            raise ImportError(f"host operation {op.name}: no simulator function kiosk.host.sim.{op.simulator}")
        handlers[op.name] = handler
    return handlers


HANDLERS: dict[str, Handler] = _handlers()


@dataclass(frozen=True)
class Origin:
    """Who sent a request, as its headers say: kept with a posting for the day's list (postings.day)."""

    kiosk_id: str | None = None
    session_id: str | None = None


@dataclass(frozen=True)
class Outcome:
    """An HTTP status and the reply body without its request id."""

    http_status: int
    body: dict[str, Any]

    @staticmethod
    def refused(http_status: int, code: str, message: str, **details: Any) -> Outcome:
        return Outcome(http_status, {"ok": False, "error": {"code": code, "message": message, "details": details}})


class KeyGate:
    """One lock per idempotency key in flight, so a duplicate waits for the first to finish."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[str, tuple[threading.Lock, int]] = {}

    @contextmanager
    def hold(self, key: str) -> Iterator[None]:
        with self._lock:
            lock, users = self._held.get(key, (threading.Lock(), 0))
            self._held[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._lock:
                lock, users = self._held[key]
                if users == 1:
                    del self._held[key]
                else:
                    self._held[key] = (lock, users - 1)


def request_hash(op: Operation, request: Request) -> str:
    canonical = json.dumps([op.name, request.model_dump(mode="json")], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class Ledger:
    def __init__(self, store: Store, clock: SimulatorClock, working_keys: Mapping[str, bytes],
                 limits: HostLimits | None = None) -> None:
        self.store = store
        self.clock = clock
        self._keys = dict(working_keys)
        self.limits = limits or HostLimits()
        self._gate = KeyGate()

    def seed(self, data: SeedData, *, reset: bool = False) -> None:
        with self.store.transaction() as conn:
            if reset:
                self.store.clear(conn)
            seed_database(conn, data, self.clock.now())

    def seed_staff(self, data: SeedData) -> None:
        """A database seeded before staff sign-in: give its staff their credentials (others are kept)."""
        with self.store.transaction() as conn:
            for staff in data.staff:
                seed_staff(conn, staff)

    def execute(self, op: Operation, request: Request, idempotency_key: str, origin: Origin | None = None) -> Outcome:
        if op.posting:
            keys = {idempotency_key}
            if isinstance(request, PostingReverseRequest):  # a reversal waits for its original still in flight
                keys.add(request.original_key)
            with ExitStack() as held:
                for key in sorted(keys):  # always in the same order: two reversals never wait for each other
                    held.enter_context(self._gate.hold(key))
                return self._posting(op, request, idempotency_key, origin or Origin())
        if isinstance(request, OperationStatusRequest):  # wait for a posting still in flight
            with self._gate.hold(request.idempotency_key):
                return self._plain(op, request, idempotency_key)
        return self._plain(op, request, idempotency_key)

    def _plain(self, op: Operation, request: Request, idempotency_key: str) -> Outcome:
        with self.store.transaction() as conn:
            return self._run(OpContext(conn, self.clock.now(), self._keys, idempotency_key, self.limits), op, request)

    def _posting(self, op: Operation, request: Request, idempotency_key: str, origin: Origin) -> Outcome:
        digest = request_hash(op, request)
        with self.store.transaction() as conn:
            stored = conn.execute(
                "SELECT request_hash, http_status, reply FROM postings WHERE idempotency_key = ?", (idempotency_key,)
            ).fetchone()
            if stored is not None:
                if stored["request_hash"] != digest:
                    return Outcome.refused(409, "idempotency_conflict",
                                           "this idempotency key was used with another request")
                return Outcome(stored["http_status"], json.loads(stored["reply"]))
            ctx = OpContext(conn, self.clock.now(), self._keys, idempotency_key, self.limits)
            # every balance change from here to the end of the posting is recorded under its key (posting_moves)
            conn.execute("INSERT OR REPLACE INTO posting_context(id, idempotency_key) VALUES (1, ?)",
                         (idempotency_key,))
            outcome = self._run(ctx, op, request)
            conn.execute("DELETE FROM posting_context")
            amount = (outcome.body.get("result") or {}).get("debited_fen")
            conn.execute(
                "INSERT INTO postings(idempotency_key, op, request_hash, http_status, reply, amount_fen, created_at, "
                "kiosk_id, session_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (idempotency_key, op.name, digest, outcome.http_status, json.dumps(outcome.body, ensure_ascii=False),
                 amount, ctx.now.isoformat(), origin.kiosk_id, origin.session_id),
            )
            return outcome

    @staticmethod
    def _run(ctx: OpContext, op: Operation, request: Request) -> Outcome:
        try:
            result = HANDLERS[op.name](ctx, request)
        except Refusal as refusal:
            return Outcome(422, {"ok": False, "error": refusal.body()})
        return Outcome(200, {"ok": True, "result": result.model_dump(mode="json")})
