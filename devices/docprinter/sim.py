"""Behavioural A4 document printer: writes each document's PDF into the spool folder, as sheets in the
output tray, until the customer takes them.

Files go to ``spool_dir/documents/<job_id>.pdf``. Taking the document (``take_document()``, QA's hand or
the scenario step ``take_document``) deletes the file: the spool keeps nothing once the document is
taken. Sheets left in the tray when the next job prints are retracted into the printer's bin (counted,
file deleted). Paper is counted in sheets and toner in pages; at 0 printing fails with NOT_READY
``paper_out`` or ``toner_out`` until staff refill (``load_paper``, ``replace_toner``).

With a ``state_dir`` each job's stages are durable (devices/durable.py, operation ``print``): started before
the PDF is written, printed once it is, taken, retained (retracted); a failure or the kiosk's end in between
leaves it interrupted. Sheets printed and not taken before a restart are still in the tray. The counters
staff see (paper, toner, pages printed, documents retracted) are kept in the same state, saved with the job
stage or the refill that changes them, so a restarted printer holds the paper and toner it had.
"""

from __future__ import annotations

from pathlib import Path

from devices.api import ErrorCode, LastOperation, OperationStage
from devices.docprinter.api import DocPrintResult, PrintJob
from devices.durable import LastOperationStore
from devices.simkit import SimulatedDevice
from kiosk.core.clock import Clock
from kiosk.core.crash import crash_point

PAPER_OUT = "paper_out"
TONER_OUT = "toner_out"
PRINT = "print"
NOT_TAKEN = "not_taken"


class SimDocumentPrinter(SimulatedDevice):
    FAULTS = {
        "jam": ErrorCode.HARDWARE_ERROR,
        PAPER_OUT: ErrorCode.NOT_READY,
        TONER_OUT: ErrorCode.NOT_READY,
        "timeout": ErrorCode.TIMEOUT,
        "offline": ErrorCode.NOT_READY,
    }

    def __init__(self, clock: Clock, spool_dir: Path | str, paper: int = 500, toner: int = 3000,
                 paper_low_at: int = 50, toner_low_at: int = 200, name: str = "docprinter",
                 state_dir: Path | str | None = None) -> None:
        super().__init__(clock, name)
        self.spool_dir = Path(spool_dir) / "documents"
        self.paper_low_at, self.toner_low_at = paper_low_at, toner_low_at
        self._sequence = 0
        self._in_tray: tuple[str, Path] | None = None
        self._ops = LastOperationStore(state_dir, name, clock)
        self._paper, self._toner = self._ops.count("paper", paper), self._ops.count("toner", toner)
        self._printed, self._retracted = self._ops.count("printed", 0), self._ops.count("retracted", 0)
        last = self._ops.last()
        if last is not None and last.stage is OperationStage.PRINTED:  # left in the tray before a restart
            left = self.spool_dir / f"{last.job_id}.pdf"
            self._in_tray = (last.job_id, left) if left.exists() else None

    # -- QA and staff controls ---------------------------------------------------------------
    def load_paper(self, sheets: int) -> None:
        if sheets < 0:
            raise ValueError("paper is counted in sheets, 0 or more")
        with self._lock:
            self._ops.save_counts(paper=sheets)
            self._paper = sheets

    def replace_toner(self, pages: int = 3000) -> None:
        if pages < 0:
            raise ValueError("toner is counted in pages, 0 or more")
        with self._lock:
            self._ops.save_counts(toner=pages)
            self._toner = pages

    def take_document(self) -> str | None:
        """QA's hand: take the sheets from the tray; the job id, or None when the tray is empty."""
        with self._lock:
            taken, self._in_tray = self._in_tray, None
            if taken is not None:
                self._ops.record(PRINT, OperationStage.TAKEN, job_id=taken[0])
        if taken is None:
            return None
        taken[1].unlink(missing_ok=True)
        return taken[0]

    def document_waiting(self) -> str | None:
        with self._lock:
            return self._in_tray[0] if self._in_tray else None

    def last_operation(self) -> LastOperation | None:
        return self._ops.last()

    # -- DocumentPrinter ---------------------------------------------------------------------
    def print_document(self, job: PrintJob, timeout: float) -> DocPrintResult:
        with self._operation():
            self._fail_if_armed("jam", PAPER_OUT, TONER_OUT, "timeout")
            with self._lock:
                if self._paper < job.pages:
                    raise self._error(ErrorCode.NOT_READY, PAPER_OUT, "load A4 paper")
                if self._toner < job.pages:
                    raise self._error(ErrorCode.NOT_READY, TONER_OUT, "replace the toner cartridge")
            self._retract()
            stamp = self.clock.now().strftime("%Y%m%d-%H%M%S")
            with self._lock:
                self._sequence += 1
                job_id = f"D{stamp}-{self._sequence:04d}"
            path = self.spool_dir / f"{job_id}.pdf"
            self._ops.record(PRINT, OperationStage.STARTED, job_id=job_id, pages=job.pages)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(job.pdf)
                crash_point("print.during")
            except Exception as exc:
                self._ops.record(PRINT, OperationStage.INTERRUPTED, job_id=job_id, pages=job.pages,
                                 reason=type(exc).__name__)
                raise
            with self._lock:
                self._ops.record(PRINT, OperationStage.PRINTED, job_id=job_id, pages=job.pages,
                                 counts={"paper": self._paper - job.pages, "toner": self._toner - job.pages,
                                         "printed": self._printed + job.pages})
                self._paper -= job.pages
                self._toner -= job.pages
                self._printed += job.pages
                self._in_tray = (job_id, path)
                paper_low, toner_low = self._paper < self.paper_low_at, self._toner < self.toner_low_at
            return DocPrintResult(job_id, job.pages, paper_low, toner_low, str(path))

    def _retract(self) -> None:
        """Sheets nobody took go into the bin before the next job: their file goes too."""
        with self._lock:
            left, self._in_tray = self._in_tray, None
            if left is not None:
                self._ops.record(PRINT, OperationStage.RETAINED, job_id=left[0], reason=NOT_TAKEN,
                                 counts={"retracted": self._retracted + 1})
                self._retracted += 1
        if left is not None:
            left[1].unlink(missing_ok=True)

    def _on_reset(self) -> None:
        left, self._in_tray = self._in_tray, None
        if left is not None:
            self._ops.record(PRINT, OperationStage.RETAINED, job_id=left[0], reason="reset",
                             counts={"retracted": self._retracted + 1})
            self._retracted += 1
            left[1].unlink(missing_ok=True)

    # -- status ------------------------------------------------------------------------------
    def _counters(self) -> dict[str, int]:
        return {"paper": self._paper, "toner": self._toner, "printed": self._printed, "retracted": self._retracted}

    def _standing_fault(self) -> str | None:
        if self._paper <= 0:
            return PAPER_OUT
        return TONER_OUT if self._toner <= 0 else None

    def _detail(self) -> str:
        parts = [f"paper {self._paper}" + (" (low)" if self._paper < self.paper_low_at else ""),
                 f"toner {self._toner}" + (" (low)" if self._toner < self.toner_low_at else "")]
        return ", ".join(parts)
