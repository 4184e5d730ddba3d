"""Operations: device and host calls that run off the engine's thread and come back as results.

Every operation carries a :class:`Ticket` naming the session and step it belongs to. The engine
applies a result only when its ticket is the one it is waiting for; anything else is late or
stale, and is journaled and dropped.
"""

from __future__ import annotations

import itertools
import queue
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from devices.api import Cancellation, DeviceEvent, EventSink

_seq = itertools.count(1)
STAFF_CHANNEL = "staff"  # the Ticket.session_id of the staff desk's operations (kiosk/engine/staff/)
HOME_CHANNEL = "home"  # the Ticket.session_id of the home screen's card reader watch (kiosk/engine/home.py)
HOME_LINES_CHANNEL = "home_lines"  # the home screen's lines of the flows' own (kiosk/engine/home_lines.py)
BACKGROUND_CHANNEL = "background"  # the kiosk's own work: recovery before service, the reversal queue's sends


@dataclass(frozen=True)
class Ticket:
    session_id: str
    step: str
    seq: int = field(default_factory=lambda: next(_seq))


@dataclass(frozen=True)
class Operation:
    """A call to run off the engine thread.

    ``critical`` marks a host posting or a card on the move: cancel and timeout wait for its outcome.
    """

    name: str
    run: Callable[[Cancellation, EventSink], Any]
    critical: bool = False
    device: str | None = None
    waits_for_customer: bool = False  # reading a card, PIN entry, taking a card: the screen is not "busy"


@dataclass(frozen=True)
class OpResult:
    ticket: Ticket
    name: str
    value: Any = None
    error: BaseException | None = None
    trace: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class OpEvent:
    ticket: Ticket
    event: DeviceEvent


Inbox = queue.Queue[OpResult | OpEvent]


class OperationRunner:
    """Runs operations on worker threads and posts their results and events to the inbox.

    ``on_ready`` is called (from the worker) after each post, so a UI can wake its own thread.
    """

    def __init__(self, inbox: Inbox, on_ready: Callable[[], None] | None = None, workers: int = 4) -> None:
        self._inbox = inbox
        self._on_ready = on_ready or (lambda: None)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kiosk-op")
        self._lock = threading.Lock()
        self._running: dict[int, Cancellation] = {}

    def submit(self, ticket: Ticket, op: Operation) -> Cancellation:
        cancel = Cancellation()
        with self._lock:
            self._running[ticket.seq] = cancel
        self._pool.submit(self._run, ticket, op, cancel)
        return cancel

    def _post(self, item: OpResult | OpEvent) -> None:
        self._inbox.put(item)
        self._on_ready()

    def _run(self, ticket: Ticket, op: Operation, cancel: Cancellation) -> None:
        def on_event(event: DeviceEvent) -> None:
            self._post(OpEvent(ticket, event))

        try:
            value = op.run(cancel, on_event)
        except Exception as exc:  # every failure goes back to the engine, which decides
            self._post(OpResult(ticket, op.name, error=exc, trace=traceback.format_exc()))
        else:
            self._post(OpResult(ticket, op.name, value=value))
        finally:
            with self._lock:
                self._running.pop(ticket.seq, None)

    def busy(self) -> bool:
        with self._lock:
            return bool(self._running)

    def cancel_all(self) -> None:
        with self._lock:
            for cancel in self._running.values():
                cancel.cancel()

    def shutdown(self) -> None:
        self.cancel_all()
        self._pool.shutdown(wait=True, cancel_futures=True)
