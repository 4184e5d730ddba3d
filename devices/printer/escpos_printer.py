"""The real receipt printer: ESC/POS over a python-escpos transport (Usb, Serial, Network; Dummy in tests).

A receipt becomes one print job (:func:`devices.printer.escpos_receipt.receipt_bytes`) written to the
transport in one go. Paper: on a transport that reads (USB, serial, a network printer configured to
answer) the printer is asked ``DLE EOT 4`` (then ``GS r 1`` if it does not answer) when it is opened,
every ``status_interval`` seconds by a monitor thread while idle (which also reopens an offline
printer, whatever the transport), and before and after each receipt:
out of paper -> :meth:`status` FAULT ``paper_out`` and ``print_receipt`` NOT_READY ``paper_out``
without sending anything; near the end -> detail "paper low" and ``PrintResult.paper_low``. On a
transport that cannot read (Dummy, a network printer without status) the paper is "unknown", and a
receipt counts as printed once the transport took the bytes: ESC/POS never confirms a printed page.

Errors (DeviceError, device ``printer``): the printer cannot be opened or a write fails -> NOT_READY
``offline`` (one line naming the transport; the monitor reopens it, so a replugged printer comes
back); a write that does not finish within the call's timeout -> TIMEOUT ``timeout``; out of paper
-> NOT_READY ``paper_out``; a second call while one runs -> NOT_READY ``busy``. :meth:`status` never
touches the transport: it reports what the last exchange saw.

With a ``state_dir`` each job's stages are durable (devices/durable.py, operation ``print``): started before
the bytes are sent, printed once the transport took them all (what ESC/POS can observe), interrupted when
the exchange fails.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from devices.api import DeviceError, DeviceState, DeviceStatus, ErrorCode, LastOperation, OperationStage
from devices.durable import LastOperationStore
from devices.printer.api import PrintResult, Receipt
from devices.printer.escpos_lib import DeviceNotFoundError, Escpos, EscposError, transports
from devices.printer.escpos_receipt import EscposLayout, receipt_bytes
from devices.printer.escpos_status import (
    DLE_EOT_PAPER,
    GS_R_PAPER,
    Paper,
    paper_from_dle_eot,
    paper_from_gs_r,
)
from kiosk.core.clock import Clock
from kiosk.core.crash import crash_point

log = logging.getLogger(__name__)

STATUS_INTERVAL = 5.0  # seconds between paper checks while idle
STATUS_TIMEOUT = 0.5  # seconds to wait for a status answer
PAPER_OUT = "paper_out"
OFFLINE = "offline"
PRINT = "print"
_OPEN_ERRORS = (EscposError, OSError, ValueError, RuntimeError)  # RuntimeError: pyusb/pyserial missing


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _is_timeout(exc: BaseException) -> bool:
    """socket.timeout, pyserial's SerialTimeoutException, pyusb's USBTimeoutError."""
    return isinstance(exc, TimeoutError) or type(exc).__name__ in ("SerialTimeoutException", "USBTimeoutError")


class MissingTransport(Escpos):
    """Stands in for a transport whose library is not installed: opening it says which one, in one line."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def open(self) -> None:
        raise RuntimeError(self.message)

    def _raw(self, msg: bytes) -> None:
        raise RuntimeError(self.message)


class NetworkTransport(transports.Network):
    """python-escpos's Network, except that a failed connect closes its socket (the original leaves it
    to the garbage collector, a ResourceWarning)."""

    def open(self, raise_not_found: bool = True) -> None:
        if self._device:
            self.close()
        try:
            connection = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise DeviceNotFoundError(f"Could not open socket for {self.host}:{self.port}: {exc}") from exc
        self.device = connection


class EscposReceiptPrinter:
    def __init__(self, transport: Escpos, clock: Clock, *, where: str, layout: EscposLayout | None = None,
                 reads_status: bool = True, connect_per_job: bool = False,
                 status_interval: float | None = STATUS_INTERVAL, name: str = "printer",
                 state_dir: Path | str | None = None) -> None:
        """``where``: the transport in one line ("usb 0416:5011"); ``reads_status``: the transport
        answers status queries; ``connect_per_job``: open and close the transport around each exchange
        (network printers serve one client at a time and drop idle connections)."""
        self.name = name
        self.transport = transport
        self.clock = clock
        self.where = where
        self.layout = layout or EscposLayout()
        self.reads_status = reads_status
        self.connect_per_job = connect_per_job
        self._lock = threading.Lock()  # guards the state below; never held during I/O
        self._io = threading.Lock()  # one exchange with the printer at a time
        self._busy = False
        self._closed = False
        self._open = False
        self._offline: str | None = None  # one line while the printer cannot be reached
        self._paper = Paper.UNKNOWN
        self._printed = 0
        self._sequence = 0
        self._ops = LastOperationStore(state_dir, name, clock)
        self._stop = threading.Event()
        with self._io:
            self._check_locked()
        self._monitor: threading.Thread | None = None
        if status_interval:
            self._monitor = threading.Thread(target=self._watch, args=(status_interval,), daemon=True,
                                             name=f"{name}-status")
            self._monitor.start()

    # -- Device ------------------------------------------------------------------------------
    def status(self) -> DeviceStatus:
        with self._lock:
            counters = {"printed": self._printed}
            if self._closed:
                return DeviceStatus(self.name, DeviceState.OFFLINE, "closed", "closed", counters)
            if self._offline is not None:
                return DeviceStatus(self.name, DeviceState.OFFLINE, OFFLINE, self._offline, counters)
            if self._paper is Paper.OUT:
                return DeviceStatus(self.name, DeviceState.FAULT, PAPER_OUT, "paper out", counters)
            state = DeviceState.BUSY if self._busy else DeviceState.OK
            return DeviceStatus(self.name, state, None, self._paper_detail(), counters)

    def reset(self) -> None:
        """Staff servicing (a new roll, a replugged cable): reopen the transport and ask for the paper."""
        with self._io:
            self._close_locked()
            self._check_locked()

    def close(self) -> None:
        with self._lock:
            self._closed = True
        self._stop.set()
        if self._monitor is not None:
            self._monitor.join()
        with self._io:
            self._close_locked()

    # -- ReceiptPrinter ----------------------------------------------------------------------
    def print_receipt(self, receipt: Receipt, timeout: float) -> PrintResult:
        with self._operation(), self._io:
            self._ensure_open_locked()
            try:
                if self._query_locked() is Paper.OUT:
                    raise self._error(ErrorCode.NOT_READY, PAPER_OUT, "load a new roll")
                printed_at = self.clock.now()
                job_id = self._next_job(printed_at.strftime("%Y%m%d-%H%M%S"))
                self._ops.record(PRINT, OperationStage.STARTED, job_id=job_id, pages=1)
                try:
                    self._send_locked(receipt_bytes(receipt, job_id, printed_at, self.layout), timeout)
                    crash_point("print.during")
                except DeviceError as exc:
                    self._ops.record(PRINT, OperationStage.INTERRUPTED, job_id=job_id, pages=1, reason=exc.reason)
                    raise
                self._ops.record(PRINT, OperationStage.PRINTED, job_id=job_id, pages=1)
                with self._lock:
                    self._printed += 1
                paper = self._query_locked()
            finally:
                if self.connect_per_job:
                    self._close_locked()
        return PrintResult(job_id=job_id, paper_low=paper is Paper.LOW)

    def last_operation(self) -> LastOperation | None:
        return self._ops.last()

    # -- exchanges (with self._io held) ------------------------------------------------------
    def _check_locked(self) -> None:
        """Open the transport and ask for the paper; a failure shows in status(), it does not raise."""
        with self._lock:
            before = self._offline
        try:
            self._ensure_open_locked()
            self._query_locked()
        except DeviceError as exc:
            if exc.detail != before:  # the monitor retries every few seconds: say it once
                log.warning("%s", exc)
        finally:
            if self.connect_per_job:
                self._close_locked()

    def _ensure_open_locked(self) -> None:
        if self._open:
            return
        try:
            self.transport.open()
        except _OPEN_ERRORS as exc:
            raise self._went_offline(f"cannot open {self.where}: {one_line(exc)}") from exc
        with self._lock:
            self._open, self._offline = True, None

    def _close_locked(self) -> None:
        if self._open:
            self._open = False
            try:
                self.transport.close()
            except _OPEN_ERRORS as exc:
                log.info("%s: closing %s: %s", self.name, self.where, one_line(exc))

    def _send_locked(self, data: bytes, timeout: float) -> None:
        self._set_timeout(timeout)
        try:
            self.transport._raw(data)
        except _OPEN_ERRORS as exc:
            if _is_timeout(exc):
                raise self._error(ErrorCode.TIMEOUT, "timeout", f"{self.where} took no data for {timeout:g} s") \
                    from exc
            raise self._went_offline(f"{self.where}: {one_line(exc)}") from exc

    def _query_locked(self) -> Paper:
        """Ask for the paper (DLE EOT 4, then GS r 1) and remember the answer."""
        paper = Paper.UNKNOWN
        if self.reads_status:
            paper = paper_from_dle_eot(self._ask(DLE_EOT_PAPER))
            if paper is Paper.UNKNOWN:
                paper = paper_from_gs_r(self._ask(GS_R_PAPER))
        with self._lock:
            self._paper = paper
        return paper

    def _ask(self, query: bytes) -> bytes:
        self._set_timeout(STATUS_TIMEOUT)
        device = self.transport._device
        try:
            if hasattr(device, "reset_input_buffer"):
                device.reset_input_buffer()  # serial: drop what an earlier exchange left
            self.transport._raw(query)
            return self._reply(device)
        except _OPEN_ERRORS as exc:
            if _is_timeout(exc):
                return b""
            raise self._went_offline(f"{self.where}: {one_line(exc)}") from exc

    def _reply(self, device: Any) -> bytes:
        if hasattr(device, "in_waiting"):  # pyserial: python-escpos's read(16) would sit out the whole timeout
            first = device.read(1)
            return bytes(first + device.read(device.in_waiting)) if first else b""
        return bytes(self.transport._read())

    def _set_timeout(self, seconds: float) -> None:
        """Bound the next write and read on whichever transport this is."""
        device = self.transport._device
        if isinstance(self.transport, transports.Usb):
            self.transport.timeout = max(1, int(seconds * 1000))
            if device:
                device.default_timeout = self.transport.timeout
        elif hasattr(device, "settimeout"):  # a socket
            device.settimeout(seconds)
        elif hasattr(device, "write_timeout"):  # a pyserial port
            device.write_timeout = device.timeout = seconds

    # -- the monitor thread ------------------------------------------------------------------
    def _watch(self, interval: float) -> None:
        """Every ``interval`` s while idle: ask for the paper, or (any transport) try to reopen an
        offline printer, so a new roll or a replugged cable shows without staff."""
        while not self._stop.wait(interval):
            with self._lock:
                offline = self._offline is not None
            if not (self.reads_status or offline) or not self._io.acquire(blocking=False):
                continue  # nothing to ask, or a receipt is printing (it asks for the paper itself)
            try:
                self._check_locked()
            finally:
                self._io.release()

    # -- helpers -----------------------------------------------------------------------------
    @contextmanager
    def _operation(self) -> Iterator[None]:
        with self._lock:
            if self._closed:
                raise self._error(ErrorCode.NOT_READY, "closed", "the printer was closed")
            if self._busy:
                raise self._error(ErrorCode.NOT_READY, "busy", "another receipt is printing")
            self._busy = True
        try:
            yield
        finally:
            with self._lock:
                self._busy = False

    def _paper_detail(self) -> str:
        if self._paper is Paper.UNKNOWN:
            if self.reads_status:
                return f"paper unknown: {self.where} did not answer DLE EOT 4 or GS r 1"
            return f"paper unknown: {self.where} does not report status"
        return "paper low" if self._paper is Paper.LOW else "paper ok"

    def _next_job(self, stamp: str) -> str:
        with self._lock:
            self._sequence += 1
            return f"R{stamp}-{self._sequence:04d}"

    def _went_offline(self, detail: str) -> DeviceError:
        with self._lock:
            self._offline = detail
            self._paper = Paper.UNKNOWN
        self._close_locked()
        return self._error(ErrorCode.NOT_READY, OFFLINE, detail)

    def _error(self, code: ErrorCode, reason: str, detail: str = "") -> DeviceError:
        return DeviceError(self.name, code, reason, detail)
