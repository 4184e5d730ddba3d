"""Long lists and printed documents: browse rows a page at a time, and print an A4 document.

A printer fault never undoes a completed business: the screen says so, with the reference to reprint
at the counter. Once printed, the step waits for the customer to take the sheets (or ``card_take_s``).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from devices.api import Cancellation, DeviceError, EventSink
from devices.docprinter.api import DocPrintResult, Document, PrintJob
from kiosk.engine import txn
from kiosk.engine.flow import Next, Stay, Step, Verdict
from kiosk.engine.ops import Operation, OpResult
from kiosk.engine.screens import Choice, Input, InputKind, Outcome, Row, ScreenKind

if TYPE_CHECKING:
    from kiosk.engine.session import Session

TAKE_POLL_S = 0.05


class Browse(Step):
    """Rows shown ``page_size`` at a time with Previous and Next, and the flow's own ``actions(s)`` (choices;
    a disabled one says why); choosing one stores its id in the flow data attribute ``store`` and goes on.
    ``head(s)`` rows stay on every page (a balance above its transactions). ``page_size`` may depend on the
    session (fewer, larger rows in elderly mode). Reaching it completes an enquiry, as
    :class:`~kiosk.engine.steps.Result` does, unless ``completes`` is False (a document read before something
    is posted, such as a contract). The actions named in ``at_end`` are offered on the last page only, so the
    document is paged to its end before it is signed; before that they show ``browse.read_to_end``."""

    kind = ScreenKind.CONFIRM
    text_key = "browse"

    def __init__(self, id: str, *, rows: Callable[[Session], Sequence[Row]], store: str,
                 actions: Callable[[Session], Sequence[Choice]], head: Callable[[Session], Sequence[Row]] | None = None,
                 page_size: int | Callable[[Session], int] = 6, completes: bool = True,
                 at_end: Sequence[str] = (), **kw: Any) -> None:
        super().__init__(id, **kw)
        self.rows, self.head, self.store = rows, head, store
        self.actions = actions
        self.page_size = page_size
        self.completes = completes
        self.at_end = frozenset(at_end)

    def begin(self, s: Session) -> None:
        if self.completes:
            s.outcome = Outcome.COMPLETED
        s.slots.pages.setdefault(self.id, 0)
        return None

    def size(self, s: Session) -> int:
        return self.page_size(s) if callable(self.page_size) else self.page_size

    def pages(self, s: Session) -> int:
        return max(1, -(-len(self.rows(s)) // self.size(s)))

    def page(self, s: Session) -> int:
        """The page shown (from 0); a page size that changed with the session (elderly mode, the language)
        keeps it within the pages there are now."""
        return min(s.slots.pages.get(self.id, 0), self.pages(s) - 1)

    def on_last_page(self, s: Session) -> bool:
        return self.page(s) + 1 >= self.pages(s)

    def offered(self, s: Session) -> list[Choice]:
        """The flow's actions; those kept for the end are disabled before the last page, saying so."""
        if self.on_last_page(s):
            return list(self.actions(s))
        return [Choice(c.id, s.t("browse.read_to_end"), enabled=False) if c.id in self.at_end else c
                for c in self.actions(s)]

    def screen(self, s: Session) -> dict[str, Any]:
        page, size = self.page(s), self.size(s)
        rows = list(self.rows(s))[page * size:(page + 1) * size]
        head = list(self.head(s)) if self.head else []
        choices = [Choice("previous", s.t("button.previous"), enabled=page > 0)] if self.pages(s) > 1 else []
        if self.pages(s) > 1:
            choices.append(Choice("next", s.t("button.next"), enabled=page + 1 < self.pages(s)))
        choices += self.offered(s)
        return {"rows": tuple(head + rows), "choices": tuple(choices),
                "data": {"page": page + 1, "pages": self.pages(s)}}

    def prompt(self, s: Session) -> str:
        return s.t("browse.page", page=self.page(s) + 1, pages=self.pages(s))

    def on_input(self, s: Session, inp: Input) -> Verdict | None:
        if inp.kind is not InputKind.CHOOSE:
            return None
        page = self.page(s)
        if inp.choice in ("previous", "next"):
            step = -1 if inp.choice == "previous" else 1
            s.slots.pages[self.id] = min(max(page + step, 0), self.pages(s) - 1)
            return Stay()
        if inp.choice in {c.id for c in self.offered(s) if c.enabled}:
            s.store(self.store, inp.choice)
            return Next()
        return None

    def stores(self) -> tuple[tuple[str, type], ...]:
        return ((self.store, str),)


def print_job(document: Document | str, pages: int, title: str) -> PrintJob:
    """A document model is rendered here (off the engine's thread); a document from the host arrives
    as finished PDF bytes in base64."""
    if isinstance(document, Document):
        from devices.docprinter.layout import page_count
        from devices.docprinter.render import render_pdf

        return PrintJob(render_pdf(document), page_count(document), title)
    return PrintJob(base64.b64decode(document), pages, title)


class PrintDocument(Step):
    """Print an A4 document: ``document(s)`` gives a Document model or the host's PDF (base64) with its
    ``pages``; the job's name in the queue is ``reference(s)`` (never personal data)."""

    kind = ScreenKind.RECEIPT
    text_key = "document"
    delivers = "document"
    hands_out = True

    def __init__(self, id: str, *, document: Callable[[Session], Document | str], reference: Callable[[Session], str],
                 pages: Callable[[Session], int] = lambda s: 0, **kw: Any) -> None:
        super().__init__(id, **kw)
        self.document, self.reference, self.pages = document, reference, pages

    def screen(self, s: Session) -> dict[str, Any]:
        printed = s.slots.document_printed
        choices = (Choice("continue", s.t("button.finish")),) if printed is not None else ()
        return {"choices": choices, "data": {"device_hint": "docprinter", "printed": printed, "document": True}}

    def begin(self, s: Session) -> Operation | None:
        printer = s.services.devices.docprinter
        assert printer is not None
        if s.slots.document_printed is False:
            return None
        if s.slots.document_printed:
            return self._wait_taken(s)
        document, pages, title = self.document(s), self.pages(s), self.reference(s)
        wait = s.services.settings.timeouts.device_s
        txn.delivery_started(s, self.delivers)

        def print_it(cancel: Cancellation, on_event: EventSink) -> DocPrintResult:
            return printer.print_document(print_job(document, pages, title), wait)

        return Operation("docprinter.print_document", print_it, device="docprinter")

    def unattended(self, s: Session) -> Operation | None:
        """The customer walked away before it printed: an A4 document says everything unmasked (a statement,
        a credit report), so it is not printed into an open tray for anyone to pick up. The journal keeps its
        reference, which a counter prints it by."""
        if s.slots.document_printed is None:
            s.services.journal.record(s.id, "device", "document_not_printed",
                                      {"reason": "customer_left", "reference": self.reference(s)})
        return None

    def _wait_taken(self, s: Session) -> Operation:
        printer = s.services.devices.docprinter
        assert printer is not None
        clock = s.services.clock
        deadline = clock.monotonic() + s.services.settings.timeouts.for_customer("card_take_s", s.elderly)

        def taken(cancel: Cancellation, on_event: EventSink) -> bool:
            while printer.document_waiting() is not None:
                if clock.monotonic() >= deadline or cancel.wait(TAKE_POLL_S):
                    return False
            return True

        return Operation("docprinter.wait_taken", taken, device="docprinter", waits_for_customer=True)

    def on_result(self, s: Session, result: OpResult) -> Verdict:
        if result.error is not None and not isinstance(result.error, DeviceError):
            raise result.error  # a bug, not a printer fault
        if result.name == "docprinter.wait_taken":
            return Next()
        s.slots.document_printed = result.ok
        txn.delivery_finished(s, self.delivers, result.ok, {"document": "printed" if result.ok else "not printed"})
        if not result.ok:
            s.notice = s.t("document.not_printed", reference=self.reference(s))
            return Stay()
        return Stay(restart=True)  # printed: wait for the customer to take it

    def on_input(self, s: Session, inp: Input) -> Verdict | None:
        if s.slots.document_printed is None:
            return None
        if inp.kind is InputKind.CONTINUE or (inp.kind is InputKind.CHOOSE and inp.choice == "continue"):
            return Next()
        return None
