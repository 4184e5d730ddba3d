"""Named crash points at the kiosk's durable boundaries, for proving recovery.

``KIOSK_CRASH_AT=<point>[:<nth>]`` ends the process at once (``os._exit``, no clean-up, no flush: as a
power cut would) the ``nth`` time (default 1) the code passes ``point``. ``KIOSK_CRASH_TRACE=<file>``
appends the name of every point passed, one per line, so a harness can learn which points a run reaches
and then crash at each of them in turn. Unset, a crash point costs one dictionary look-up.

Every point is declared in :data:`POINTS`; passing an undeclared name is a programming error (so the
harness's list of points is the code's list).
"""

from __future__ import annotations

import os
import threading

CRASH_ENV = "KIOSK_CRASH_AT"
TRACE_ENV = "KIOSK_CRASH_TRACE"
CRASH_EXIT_CODE = 86  # what a crashed run exits with, so a harness can tell a crash from a failure

POINTS: dict[str, str] = {
    "txn.intent": "a posting's intent is committed to the journal; nothing sent yet",
    "host.before_send": "the journal says sent; the request has not left the kiosk",
    "host.after_reply": "the host answered; the answer is not yet committed to the journal",
    "txn.approved": "the approval is committed; the customer has not got what it pays for",
    "card.before_move": "a card is about to move (dispense to the gate, capture, eject)",
    "card.during_move": "a card is between positions (at the gate, not yet taken)",
    "print.during": "a document or receipt is part printed",
    "reversal.after_send": "a reversal was answered by the host; the answer is not yet committed",
    "session.before_close": "the session's outcome is decided; the journal has not closed it",
}

_lock = threading.Lock()
_passes: dict[str, int] = {}


def crash_spec(value: str | None = None) -> tuple[str, int] | None:
    """The point and pass number ``KIOSK_CRASH_AT`` names (or ``value``); None when unset.

    Raises ValueError for an unknown point or a pass number that is not a positive whole number."""
    text = os.environ.get(CRASH_ENV, "") if value is None else value
    if not text:
        return None
    point, _, nth = text.partition(":")
    if point not in POINTS:
        raise ValueError(f"{CRASH_ENV}: unknown crash point {point!r}; allowed: {', '.join(POINTS)}")
    if nth and not (nth.isascii() and nth.isdigit() and int(nth) >= 1):
        raise ValueError(f"{CRASH_ENV}: the pass number after ':' is a whole number from 1, got {nth!r}")
    return point, int(nth) if nth else 1


def crash_point(point: str) -> None:
    """Pass the crash point ``point``: record it when tracing, end the process when it is the one named."""
    if point not in POINTS:
        raise ValueError(f"undeclared crash point {point!r}")
    at, trace = os.environ.get(CRASH_ENV), os.environ.get(TRACE_ENV)
    if not at and not trace:
        return
    with _lock:
        passes = _passes[point] = _passes.get(point, 0) + 1
        if trace:
            with open(trace, "a", encoding="utf-8") as out:
                out.write(point + "\n")
        spec = crash_spec(at) if at else None
        if spec == (point, passes):
            os._exit(CRASH_EXIT_CODE)


def reset() -> None:
    """Forget the passes counted so far (for tests that run several sessions in one process)."""
    with _lock:
        _passes.clear()
