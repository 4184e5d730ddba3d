"""Print the receipt. A printer fault never undoes a completed business: the screen says so.

A customer who walked away once something was posted still gets the receipt: the safe exit prints it
(:meth:`PrintReceipt.unattended`). Receipt printers cut the receipt and present it at the slot; none can pull
it back in, so it stays there and the journal says ``receipt_left_for_staff`` (:func:`left_at_slot`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from devices.api import Cancellation, DeviceError, EventSink
from devices.printer.api import PrintResult, Receipt, ReceiptLine
from kiosk.engine.flow import Next, Stay, Step, Verdict
from kiosk.engine.ops import Operation, OpResult
from kiosk.engine.screens import Choice, Input, InputKind, Row, ScreenKind

if TYPE_CHECKING:
    from kiosk.engine.session import Session


PRINT_RECEIPT = "printer.print_receipt"


def left_at_slot(s: Session, result: OpResult) -> None:
    """The receipt the safe exit printed for a customer who walked away: it waits at the slot for staff."""
    s.slots.receipt_printed = result.ok
    if result.ok:
        printed: PrintResult = result.value
        s.services.journal.record(s.id, "device", "receipt_left_for_staff", {"job_id": printed.job_id})
    else:
        s.services.journal.record(s.id, "device", "receipt_not_printed", {"reason": "printer_fault"})


def build_receipt(s: Session, title_key: str, rows: Sequence[Row], reference: str) -> Receipt:
    settings = s.services.settings
    stamp = s.services.clock.now().strftime("%Y-%m-%d %H:%M:%S")
    header = [settings.bank_name, settings.branch_name, f"{s.t('receipt.kiosk')} {settings.kiosk_id}", stamp]
    return Receipt(
        title=s.t(title_key),
        lines=[ReceiptLine(r.label, r.value) for r in rows],
        reference=reference,
        header=[h for h in header if h],
        footer=[s.t("receipt.footer")],
    )


WITHHELD_ROW = "——"  # a receipt row the journal does not keep (a flow's private rows); a reprint shows this


def receipt_record(receipt: Receipt, txn_key: str | None = None, private: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A receipt as the journal keeps it (masked as the journal writes; the rows labelled ``private`` withheld):
    what a reprint prints."""
    return {"title": receipt.title,
            "lines": [[line.label, WITHHELD_ROW if line.label in private else line.value] for line in receipt.lines],
            "reference": receipt.reference, "header": list(receipt.header), "footer": list(receipt.footer),
            "txn": txn_key}


def receipt_from_record(record: Mapping[str, Any], reprint_line: str | None = None) -> Receipt:
    """The receipt a journal record describes; ``reprint_line`` marks it as a reprint (补打)."""
    title = str(record["title"])
    footer = [str(f) for f in record.get("footer", [])]
    if reprint_line:
        title = f"{title} ({reprint_line})"
        footer = [reprint_line, *footer]
    return Receipt(title=title, lines=[ReceiptLine(str(label), str(value)) for label, value in record["lines"]],
                   reference=str(record["reference"]), header=[str(h) for h in record.get("header", [])],
                   footer=footer)


class PrintReceipt(Step):
    kind = ScreenKind.RECEIPT
    customer_step = False  # the kiosk works (or prints) by itself: not a step of "step x of y"
    text_key = "receipt"
    hands_out = True

    def __init__(self, id: str, *, receipt: Callable[[Session], Receipt], private_rows: tuple[str, ...] = (),
                 **kw: Any) -> None:
        """``private_rows``: catalog keys of row labels printed but never journaled (a reprint shows them withheld),
        for a flow that keeps even masked contact details out of the journal."""
        super().__init__(id, **kw)
        self.receipt = receipt
        self.private_rows = private_rows

    def screen(self, s: Session) -> dict[str, Any]:
        printed = s.slots.receipt_printed
        choices = (Choice("continue", s.t("button.finish")),) if printed is not None else ()
        receipt = self.receipt(s)  # its lines, for the voice: a receipt is read out as well as printed
        lines = tuple((line.label, line.value) for line in receipt.lines)
        return {"choices": choices, "data": {"device_hint": "printer", "printed": printed, "receipt_lines": lines}}

    def begin(self, s: Session) -> Operation:
        printer = s.services.devices.printer
        assert printer is not None
        receipt = self.receipt(s)
        wait = s.services.settings.timeouts.device_s
        private = frozenset(s.t(key) for key in self.private_rows)
        s.services.journal.record(s.id, "receipt", "issued",
                                  receipt_record(receipt, s.slots.last_idempotency_key, private))

        def print_it(cancel: Cancellation, on_event: EventSink) -> PrintResult:
            return printer.print_receipt(receipt, wait)

        return Operation(PRINT_RECEIPT, print_it, device="printer")

    def unattended(self, s: Session) -> Operation | None:
        """Not printed yet (the customer left on the result screen): printed by the safe exit."""
        if s.slots.receipt_printed is not None or s.services.devices.printer is None:
            return None
        return self.begin(s)

    def on_result(self, s: Session, result: OpResult) -> Verdict:
        if result.error is not None and not isinstance(result.error, DeviceError):
            raise result.error  # a bug, not a printer fault
        s.slots.receipt_printed = result.ok
        if not result.ok:
            s.notice = s.t("receipt.not_printed", reference=self.receipt(s).reference)

        return Stay()

    def on_input(self, s: Session, inp: Input) -> Verdict | None:
        if s.slots.receipt_printed is None:
            return None
        if inp.kind is InputKind.CONTINUE or (inp.kind is InputKind.CHOOSE and inp.choice == "continue"):
            return Next()
        return None
