"""A4 documents through CUPS with the ``lp`` command (Debian ``cups-client``): one job per document on the
configured queue. Status comes from ``lpstat -p QUEUE``. Without ``lp`` or without the queue the printer
reports OFFLINE with one line saying what is missing, and the kiosk keeps the flows that do not need it.

With Debian's ``printer-driver-cups-pdf`` the queue (e.g. ``PDF``) writes each job as a PDF into
``~/PDF`` or the folder its cups-pdf.conf names: a real print queue on a machine without a printer.

With a ``state_dir`` each job's stages are durable (devices/durable.py, operation ``print``): started before
``lp`` runs, printed once CUPS accepted the job (with its job id), interrupted when ``lp`` fails.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from devices.api import (
    CallGuard,
    DeviceError,
    DeviceState,
    DeviceStatus,
    ErrorCode,
    LastOperation,
    OperationStage,
)
from devices.docprinter.api import DocPrintResult, PrintJob
from devices.durable import LastOperationStore
from kiosk.core.clock import Clock
from kiosk.core.crash import crash_point

PRINT = "print"


class CupsDocumentPrinter:
    def __init__(self, queue: str, clock: Clock, *, lp: str = "lp", lpstat: str = "lpstat",
                 name: str = "docprinter", state_dir: Path | str | None = None) -> None:
        self.name = name
        self.queue = queue
        self.clock = clock
        self._lp, self._lpstat = shutil.which(lp), shutil.which(lpstat)
        self._lock = threading.RLock()
        self._guard = CallGuard(self._lock)
        self._closed = False
        self._last_job: str | None = None
        self._ops = LastOperationStore(state_dir, name, clock)

    def _missing(self) -> str | None:
        if self._lp is None or self._lpstat is None:
            return "CUPS client commands lp/lpstat not found: apt-get install cups-client"
        return None

    def _queue_state(self) -> tuple[bool, str]:
        missing = self._missing()
        if missing:
            return False, missing
        try:
            out = subprocess.run([str(self._lpstat), "-p", self.queue], capture_output=True, text=True, timeout=5,
                                 check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return False, f"lpstat failed: {exc}"
        text = " ".join((out.stdout + out.stderr).split())
        if out.returncode != 0 or "disabled" in text:
            return False, f"CUPS queue {self.queue!r}: {text or 'not found'}"
        return True, text

    def status(self) -> DeviceStatus:
        if self._closed:
            return DeviceStatus(self.name, DeviceState.OFFLINE, "closed", "closed")
        ok, detail = self._queue_state()
        if not ok:
            return DeviceStatus(self.name, DeviceState.OFFLINE, "offline", detail)
        if self._guard.latched:
            return DeviceStatus(self.name, DeviceState.FAULT, self._guard.latched, detail)
        return DeviceStatus(self.name, DeviceState.BUSY if self._guard.busy else DeviceState.OK, None, detail)

    def print_document(self, job: PrintJob, timeout: float) -> DocPrintResult:
        def busy() -> DeviceError:
            return DeviceError(self.name, ErrorCode.NOT_READY, "busy", "another call is running")

        with self._guard.call(busy):
            ok, detail = self._queue_state()
            if not ok:
                raise DeviceError(self.name, ErrorCode.NOT_READY, "offline", detail)
            self._ops.record(PRINT, OperationStage.STARTED, pages=job.pages)
            try:
                job_id = self._submit(job, timeout)
            except DeviceError as exc:
                self._ops.record(PRINT, OperationStage.INTERRUPTED, pages=job.pages, reason=exc.reason)
                raise
            crash_point("print.during")
            self._ops.record(PRINT, OperationStage.PRINTED, job_id=job_id, pages=job.pages)
            self._last_job = job_id
            return DocPrintResult(job_id, job.pages)

    def _submit(self, job: PrintJob, timeout: float) -> str:
        """Hand the PDF to ``lp``: CUPS's job id."""
        with tempfile.TemporaryDirectory(prefix="kiosk-doc-") as folder:
            path = Path(folder) / "document.pdf"
            path.write_bytes(job.pdf)
            try:
                out = subprocess.run([str(self._lp), "-d", self.queue, "-t", job.title, str(path)],
                                     capture_output=True, text=True, timeout=timeout, check=False)
            except subprocess.TimeoutExpired as exc:
                raise DeviceError(self.name, ErrorCode.TIMEOUT, "timeout", "lp did not answer") from exc
        if out.returncode != 0:
            raise DeviceError(self.name, ErrorCode.HARDWARE_ERROR, "lp_failed", " ".join(out.stderr.split()))
        return out.stdout.split()[3] if len(out.stdout.split()) > 3 else out.stdout.strip()

    def last_operation(self) -> LastOperation | None:
        return self._ops.last()

    def document_waiting(self) -> str | None:
        return None  # a real printer's tray has no sensor here: the customer takes the sheets

    def reset(self) -> None:
        self._guard.clear()

    def close(self) -> None:
        self._closed = True
