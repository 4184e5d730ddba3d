"""Behavioural receipt printer: renders each receipt to PNG and PDF in a spool folder.

Files go to ``spool_dir/YYYY-MM-DD/<job_id>.png`` and ``.pdf`` (date from the injected clock). The
paper roll is counted in receipts: below ``low_at`` the status says "paper low", at 0 printing
fails with NOT_READY ``paper_out`` until staff ``load_paper()``.

With a ``state_dir`` each job's stages are durable (devices/durable.py, operation ``print``): started before
the receipt is rendered, printed once it is written, taken from the slot; a failure or the kiosk's end in
between leaves it interrupted. A receipt printed and not taken before a restart is still in the slot.
The paper left and the receipts printed are kept in the same state (saved with each receipt's ``printed``
and with a new roll), so a restarted printer's roll is as used as it was; ``paper`` is a fresh roll.
"""

from __future__ import annotations

from pathlib import Path

from devices.api import ErrorCode, LastOperation, OperationStage
from devices.durable import LastOperationStore
from devices.printer.api import PrintResult, Receipt
from devices.simkit import SimulatedDevice
from kiosk.core.clock import Clock
from kiosk.core.crash import crash_point

PAPER_OUT = "paper_out"
PRINT = "print"


class SimReceiptPrinter(SimulatedDevice):
    FAULTS = {
        "jam": ErrorCode.HARDWARE_ERROR,  # paper jam or cutter jam
        PAPER_OUT: ErrorCode.NOT_READY,  # the roll ran out (whatever the counter says)
        "timeout": ErrorCode.TIMEOUT,
        "offline": ErrorCode.NOT_READY,
    }

    def __init__(
        self, clock: Clock, spool_dir: Path | str, paper: int = 300, low_at: int = 30, name: str = "printer",
        state_dir: Path | str | None = None,
    ) -> None:
        super().__init__(clock, name)
        self.spool_dir = Path(spool_dir)
        self.low_at = low_at
        self._sequence = 0
        self._ops = LastOperationStore(state_dir, name, clock)
        self._paper, self._printed = self._ops.count("paper", paper), self._ops.count("printed", 0)
        last = self._ops.last()
        self._at_presenter: str | None = last.job_id if last and last.stage is OperationStage.PRINTED else None
        self._last: Receipt | None = None  # what the last receipt says (masked), for QA to read

    # -- QA and staff controls ---------------------------------------------------------------
    def load_paper(self, receipts: int) -> None:
        """A new roll: enough paper for ``receipts`` receipts."""
        if receipts < 0:
            raise ValueError("paper is counted in receipts, 0 or more")
        with self._lock:
            self._ops.save_counts(paper=receipts)
            self._paper = receipts

    def paper_left(self) -> int:
        with self._lock:
            return self._paper

    # -- ReceiptPrinter ----------------------------------------------------------------------
    def warm(self) -> None:
        """Load the receipt renderer (Pillow) now, off the UI thread, not with the first receipt."""
        import devices.printer.render  # noqa: F401

    def print_receipt(self, receipt: Receipt, timeout: float) -> PrintResult:
        with self._operation():
            self._fail_if_armed("jam", PAPER_OUT, "timeout")
            with self._lock:
                if self._paper <= 0:
                    raise self._error(ErrorCode.NOT_READY, PAPER_OUT, "load a new roll")
            printed_at = self.clock.now()
            png_path = self._next_job(printed_at.strftime("%Y-%m-%d"), printed_at.strftime("%Y%m%d-%H%M%S"))
            job_id = png_path.stem
            self._ops.record(PRINT, OperationStage.STARTED, job_id=job_id, pages=1)
            try:
                # Pillow loads with the first receipt, not with the kiosk
                from devices.printer.render import receipt_lines, render_receipt, write_receipt

                image = render_receipt(receipt_lines(receipt, job_id, printed_at))
                write_receipt(image, png_path, png_path.with_suffix(".pdf"))
                crash_point("print.during")
            except Exception as exc:
                self._ops.record(PRINT, OperationStage.INTERRUPTED, job_id=job_id, pages=1, reason=type(exc).__name__)
                raise
            with self._lock:
                self._ops.record(PRINT, OperationStage.PRINTED, job_id=job_id, pages=1,
                                 counts={"paper": self._paper - 1, "printed": self._printed + 1})
                self._paper -= 1
                self._printed += 1
                self._at_presenter = job_id  # cut and waiting in the receipt slot until taken
                self._last = receipt
                low = self._paper < self.low_at
            return PrintResult(job_id=job_id, paper_low=low, spool_path=str(png_path))

    def take_receipt(self) -> str | None:
        """QA's hand: take the receipt from the slot; its job id, or None when the slot is empty."""
        with self._lock:
            taken, self._at_presenter = self._at_presenter, None
            if taken is not None:
                self._ops.record(PRINT, OperationStage.TAKEN, job_id=taken, pages=1)
        return taken

    def last_operation(self) -> LastOperation | None:
        return self._ops.last()
    def last_receipt(self) -> Receipt | None:
        """QA's eye: what the last receipt printed says (its values come masked), or None before the first."""
        with self._lock:
            return self._last

    def receipt_waiting(self) -> str | None:
        with self._lock:
            return self._at_presenter

    def _next_job(self, day: str, stamp: str) -> Path:
        """A job id that names no file yet in today's spool folder."""
        folder = self.spool_dir / day
        while True:
            with self._lock:
                self._sequence += 1
                job_id = f"R{stamp}-{self._sequence:04d}"
            path = folder / f"{job_id}.png"
            if not path.exists() and not path.with_suffix(".pdf").exists():
                return path

    # -- status ------------------------------------------------------------------------------
    def _counters(self) -> dict[str, int]:
        return {"paper": self._paper, "printed": self._printed}

    def _standing_fault(self) -> str | None:
        return PAPER_OUT if self._paper <= 0 else None

    def _detail(self) -> str:
        return "paper low" if 0 < self._paper < self.low_at else f"paper {self._paper}"
