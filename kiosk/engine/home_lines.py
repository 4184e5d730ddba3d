"""The home screen's lines of the flows' own (:class:`~kiosk.engine.flow.HomeLine`), e.g. how many wait at
the counters: each flow that declares one has its host enquiry asked every ``every_s`` seconds (on the
engine's clock) while the home screen is up, and again as soon as a session ends (a number taken changes the
wait), on the engine's workers, never on the UI thread.

Nothing is asked until :meth:`HomeLines.start` (the kiosk starts them after the home screen's first paint:
the cold start never waits for the host). A line shows the text of its last answer; while there is none, or
when the last call failed, or its text cannot be made, the line is simply not there. Nothing is journaled:
these are not a customer's business."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from devices.api import Cancellation, EventSink
from kiosk.engine.flow import Flow, HomeLine
from kiosk.engine.ops import HOME_LINES_CHANNEL, Operation, OpResult

if TYPE_CHECKING:
    from kiosk.engine.services import Services

log = logging.getLogger(__name__)


def ask(services: Services, line: HomeLine) -> Operation:
    """The line's host enquiry, with its own idempotency key (an enquiry may be asked again freely)."""
    host = services.host

    def call(cancel: Cancellation, on_event: EventSink) -> Any:
        return host.call_result(line.op, line.payload, uuid.uuid4().hex, HOME_LINES_CHANNEL)

    return Operation(f"home_line.{line.op}", call)


class HomeLines:
    """Which lines are due, which are being asked, and the last answer of each (by flow id)."""

    def __init__(self, flows: Mapping[str, Flow]) -> None:
        ordered = sorted(flows.values(), key=lambda f: (f.popularity, f.id))  # the home screen's order
        self.lines = {flow.id: flow.home_line for flow in ordered if flow.home_line is not None}
        self.answers: dict[str, Any] = {}
        self.asking: set[str] = set()
        self.due: dict[str, float] = {}
        self.started = False

    def start(self, now: float) -> None:
        """Ask every line from now on (at once, then every ``every_s``)."""
        self.started = True
        self.due = {flow_id: now for flow_id in self.lines}

    def ask_again(self) -> None:
        """A session ended (what it did may have changed the line): every line is due now."""
        self.due = dict.fromkeys(self.due, float("-inf"))

    def to_ask(self, now: float) -> list[tuple[str, HomeLine]]:
        """The lines due and not being asked; they count as asked from now."""
        if not self.started:
            return []
        due = [(fid, line) for fid, line in self.lines.items() if fid not in self.asking and self.due[fid] <= now]
        for fid, line in due:
            self.asking.add(fid)
            self.due[fid] = now + line.every_s
        return due

    def answered(self, flow_id: str, result: OpResult) -> bool:
        """The enquiry came back (or failed: the line goes). True when what the home shows may have changed."""
        self.asking.discard(flow_id)
        before = self.answers.get(flow_id)
        if not result.ok:
            log.info("home line of %s: no answer (%s)", flow_id, type(result.error).__name__)
        self.answers[flow_id] = result.value if result.ok else None
        return bool(self.answers[flow_id] != before)

    def texts(self, lang: str) -> tuple[str, ...]:
        """The lines to show in ``lang``, in the home screen's order of their flows."""
        shown = []
        for flow_id, line in self.lines.items():
            answer = self.answers.get(flow_id)
            if answer is None:
                continue
            try:
                text = line.text(lang, answer)
            except Exception:  # a line never breaks the home screen
                log.exception("home line of %s: no text", flow_id)
                continue
            if text:
                shown.append(text)
        return tuple(shown)
