"""The ESC/POS receipt printer: paper status from status bytes, the adapter on python-escpos's Dummy
and on real transports (a TCP "printer" on 127.0.0.1, a serial printer on a pseudo-terminal), the factory."""

from __future__ import annotations

import os
import socket
import threading
import time
import tty
from concurrent.futures import ThreadPoolExecutor

import pytest

from devices.api import DeviceError, DeviceState, ErrorCode
from devices.printer.api import Receipt, ReceiptLine
from devices.printer.escpos_lib import EscposError, transports
from devices.printer.escpos_printer import EscposReceiptPrinter
from devices.printer.escpos_receipt import EscposLayout, receipt_bytes
from devices.printer.escpos_status import (
    DLE_EOT_PAPER,
    GS_R_PAPER,
    Paper,
    paper_from_dle_eot,
    paper_from_gs_r,
)
from devices.printer.factory import build_printer
from devices.printer.sim import SimReceiptPrinter

OK, NEAR_END, OUT = b"\x12", b"\x1e", b"\x72"  # DLE EOT 4 answers


@pytest.mark.parametrize(("reply", "paper"), [
    (b"\x12", Paper.OK),
    (b"\x1e", Paper.LOW),  # bits 2-3: near end
    (b"\x16", Paper.LOW),  # one near-end bit is enough
    (b"\x72", Paper.OUT),  # bits 5-6: no paper
    (b"\x7e", Paper.OUT),  # out wins over near end
    (b"\x14\x00\x00\x0f\x1e", Paper.LOW),  # an automatic status block, then the answer
    (b"", Paper.UNKNOWN),
    (b"\x00", Paper.UNKNOWN),  # the fixed bits are wrong
    (b"\xff", Paper.UNKNOWN),
])
def test_paper_from_dle_eot_4(reply, paper):
    assert paper_from_dle_eot(reply) is paper


@pytest.mark.parametrize(("reply", "paper"), [
    (b"\x00", Paper.OK),
    (b"\x03", Paper.LOW),
    (b"\x01", Paper.LOW),
    (b"\x0c", Paper.OUT),
    (b"\x0f", Paper.OUT),
    (b"", Paper.UNKNOWN),
    (b"\x90", Paper.UNKNOWN),
])
def test_paper_from_gs_r_1(reply, paper):
    assert paper_from_gs_r(reply) is paper


class AnsweringPrinter(transports.Dummy):
    """A Dummy that answers the paper queries, as a USB or serial printer would."""

    def __init__(self, dle_eot: bytes = OK, gs_r: bytes = b"") -> None:
        super().__init__()
        self.answers = {DLE_EOT_PAPER: dle_eot, GS_R_PAPER: gs_r}
        self.pending = b""
        self.write_error: Exception | None = None
        self.open_error: Exception | None = None
        self.opened = 0

    def open(self) -> None:
        if self.open_error is not None:
            raise self.open_error
        self.opened += 1

    def _raw(self, msg: bytes) -> None:
        if msg in self.answers:
            self.pending = self.answers[msg]
        elif self.write_error is not None:
            raise self.write_error
        super()._raw(msg)

    def _read(self) -> bytes:
        reply, self.pending = self.pending, b""
        return reply


@pytest.fixture
def receipt() -> Receipt:
    return Receipt(title="挂失回单", header=["示范银行"], lines=[ReceiptLine("卡号", "622848*********0018")],
                   reference="K001-20261128-000123", footer=["请妥善保管"])


@pytest.fixture
def printers(clock):
    built = []

    def build(transport, **kwargs) -> EscposReceiptPrinter:
        kwargs.setdefault("status_interval", None)
        printer = EscposReceiptPrinter(transport, clock, where=kwargs.pop("where", "test printer"), **kwargs)
        built.append(printer)
        return printer

    yield build
    for printer in built:
        printer.close()
    assert not [t for t in threading.enumerate() if t.name.endswith("-status")]


def test_on_the_dummy_the_job_is_the_receipt_bytes_and_paper_is_unknown(printers, receipt, clock):
    dummy = transports.Dummy()
    printer = printers(dummy, reads_status=False, where="dummy")
    status = printer.status()
    assert (status.state, status.detail) == (DeviceState.OK, "paper unknown: dummy does not report status")
    result = printer.print_receipt(receipt, 10)
    assert result.job_id == "R20261128-100000-0001"
    assert result.paper_low is False
    assert result.spool_path is None
    assert dummy.output == receipt_bytes(receipt, result.job_id, clock.now())
    assert printer.status().counters == {"printed": 1}


def test_paper_out_refuses_the_receipt_before_sending_it(printers, receipt):
    transport = AnsweringPrinter(dle_eot=OUT)
    printer = printers(transport)
    status = printer.status()
    assert (status.state, status.fault, status.detail) == (DeviceState.FAULT, "paper_out", "paper out")
    transport.clear()
    with pytest.raises(DeviceError) as info:
        printer.print_receipt(receipt, 10)
    assert (info.value.code, info.value.reason) == (ErrorCode.NOT_READY, "paper_out")
    assert transport.output == DLE_EOT_PAPER  # asked, and sent nothing to print
    transport.answers[DLE_EOT_PAPER] = OK  # staff load a new roll
    printer.reset()
    assert (printer.status().state, printer.status().detail) == (DeviceState.OK, "paper ok")


def test_paper_near_end_prints_and_says_paper_low(printers, receipt, clock):
    transport = AnsweringPrinter(dle_eot=OK)
    printer = printers(transport)
    transport.clear()
    transport.answers[DLE_EOT_PAPER] = NEAR_END
    result = printer.print_receipt(receipt, 10)
    assert result.paper_low is True
    assert transport.output == DLE_EOT_PAPER + receipt_bytes(receipt, result.job_id, clock.now()) + DLE_EOT_PAPER
    assert (printer.status().state, printer.status().detail) == (DeviceState.OK, "paper low")


def test_gs_r_answers_when_dle_eot_does_not(printers):
    printer = printers(AnsweringPrinter(dle_eot=b"", gs_r=b"\x03"))
    assert printer.status().detail == "paper low"
    silent = printers(AnsweringPrinter(dle_eot=b"", gs_r=b""), where="USB printer 0416:5011")
    status = silent.status()
    assert status.state is DeviceState.OK
    assert status.detail == "paper unknown: USB printer 0416:5011 did not answer DLE EOT 4 or GS r 1"


def test_a_printer_that_cannot_be_opened_is_offline_in_one_line(printers, receipt):
    transport = AnsweringPrinter()
    transport.open_error = EscposError("Unable to open USB printer on (1046, 20497):\nUSB device not found")
    printer = printers(transport, where="USB printer 0416:5011")
    status = printer.status()
    assert (status.state, status.fault) == (DeviceState.OFFLINE, "offline")
    assert status.detail == ("cannot open USB printer 0416:5011: Unable to open USB printer on (1046, 20497): "
                             "USB device not found")
    with pytest.raises(DeviceError) as info:
        printer.print_receipt(receipt, 10)
    assert (info.value.code, info.value.reason) == (ErrorCode.NOT_READY, "offline")
    transport.open_error = None  # plugged in again: the next receipt opens it
    assert printer.print_receipt(receipt, 10).job_id
    assert printer.status().state is DeviceState.OK


def test_write_failures_go_offline_and_timeouts_time_out(printers, receipt):
    transport = AnsweringPrinter()
    printer = printers(transport)
    transport.write_error = BrokenPipeError(32, "Broken pipe")
    with pytest.raises(DeviceError) as info:
        printer.print_receipt(receipt, 10)
    assert (info.value.reason, info.value.detail) == ("offline", "test printer: [Errno 32] Broken pipe")
    assert printer.status().state is DeviceState.OFFLINE
    transport.write_error = TimeoutError("timed out")
    with pytest.raises(DeviceError) as info:
        printer.print_receipt(receipt, 2.5)
    assert (info.value.code, info.value.reason) == (ErrorCode.TIMEOUT, "timeout")
    assert info.value.detail == "test printer took no data for 2.5 s"


def test_one_receipt_at_a_time(printers, receipt):
    class SlowPrinter(AnsweringPrinter):
        def _raw(self, msg: bytes) -> None:
            if msg not in self.answers:
                writing.set()
                release.wait(5)
            super()._raw(msg)

    writing, release = threading.Event(), threading.Event()
    printer = printers(SlowPrinter())
    worker = threading.Thread(target=printer.print_receipt, args=(receipt, 10))
    worker.start()
    try:
        assert writing.wait(5)
        assert printer.status().state is DeviceState.BUSY  # and status did not wait for the write
        with pytest.raises(DeviceError) as info:
            printer.print_receipt(receipt, 10)
        assert (info.value.code, info.value.reason) == (ErrorCode.NOT_READY, "busy")
    finally:
        release.set()
        worker.join(5)


def test_the_monitor_notices_paper_running_out_and_stops_on_close(printers):
    transport = AnsweringPrinter(dle_eot=OK)
    printer = printers(transport, status_interval=0.02)
    transport.answers[DLE_EOT_PAPER] = OUT
    give_up = time.monotonic() + 5
    while printer.status().fault != "paper_out":
        assert time.monotonic() < give_up, "the monitor never asked"
        time.sleep(0.01)
    printer.close()
    assert printer.status().state is DeviceState.OFFLINE


class TcpPrinter:
    """A network receipt printer on 127.0.0.1: keeps what it is sent, answers DLE EOT 4 when asked to."""

    def __init__(self, answer: bytes | None) -> None:
        self.answer = answer
        self.received: list[bytes] = []  # one entry per connection
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.02)
        self.port = self.server.getsockname()[1]
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                data = b""
                while chunk := conn.recv(65536):
                    data += chunk
                    if self.answer is not None and data.endswith(DLE_EOT_PAPER):
                        conn.sendall(self.answer)
                self.received.append(data)

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(5)
        self.server.close()


@pytest.fixture
def tcp_printer():
    servers = []

    def start(answer: bytes | None) -> TcpPrinter:
        servers.append(TcpPrinter(answer))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def wait_for_connections(server: TcpPrinter, count: int) -> None:
    give_up = time.monotonic() + 5
    while len(server.received) < count:
        assert time.monotonic() < give_up, f"{len(server.received)} of {count} connections ended"
        time.sleep(0.01)


def test_network_printer_with_status_one_connection_per_exchange(tcp_printer, clock, tmp_path, receipt):
    server = tcp_printer(NEAR_END)
    printer = build_printer("escpos-network", clock, spool_dir=tmp_path, host="127.0.0.1", port=server.port,
                            network_status=True, status_interval=None)
    try:
        assert printer.status().detail == "paper low"
        result = printer.print_receipt(receipt, 10)
        assert result.paper_low is True
        wait_for_connections(server, 2)
        assert server.received == [DLE_EOT_PAPER, DLE_EOT_PAPER + receipt_bytes(receipt, result.job_id, clock.now())
                                   + DLE_EOT_PAPER]
    finally:
        printer.close()


def test_network_printer_without_status_says_unknown(tcp_printer, clock, tmp_path, receipt):
    server = tcp_printer(None)
    printer = build_printer("escpos-network", clock, spool_dir=tmp_path, host="127.0.0.1", port=server.port,
                            status_interval=None, columns=32, code="code128")
    try:
        assert printer.status().detail == f"paper unknown: network printer 127.0.0.1:{server.port} does not report status"
        result = printer.print_receipt(receipt, 10)
        wait_for_connections(server, 2)
        layout = EscposLayout(columns=32, code="code128")
        assert server.received == [b"", receipt_bytes(receipt, result.job_id, clock.now(), layout)]
    finally:
        printer.close()


def test_an_unreachable_network_printer_is_offline(tcp_printer, clock, tmp_path):
    server = tcp_printer(None)
    port = server.port
    server.close()
    printer = build_printer("escpos-network", clock, spool_dir=tmp_path, host="127.0.0.1", port=port,
                            status_interval=None)
    try:
        status = printer.status()
        assert (status.state, status.fault) == (DeviceState.OFFLINE, "offline")
        assert status.detail.startswith(f"cannot open network printer 127.0.0.1:{port}: ")
        assert "refused" in status.detail
        assert "\n" not in status.detail
    finally:
        printer.close()


def test_serial_printer_on_a_pseudo_terminal(clock, tmp_path, receipt):
    master, slave = os.openpty()
    tty.setraw(slave)
    received = bytearray()
    done = threading.Event()

    def printer_side() -> None:
        while not done.is_set():
            try:
                chunk = os.read(master, 4096)
            except OSError:
                return
            received.extend(chunk)
            if chunk.endswith(DLE_EOT_PAPER):
                os.write(master, NEAR_END)

    side = threading.Thread(target=printer_side, daemon=True)
    side.start()
    printer = build_printer("escpos-serial", clock, spool_dir=tmp_path, serial=os.ttyname(slave),
                            status_interval=None)
    try:
        assert printer.status().detail == "paper low"
        # A one-byte answer does not wait out the read timeout: with the timeout at 10 minutes, a read
        # that waited for more bytes would hang; the generous deadline below only stops such a hang.
        printer.transport.device.timeout = 600
        printing = ThreadPoolExecutor(1)
        result = printing.submit(printer.print_receipt, receipt, 10).result(timeout=60)
        printing.shutdown()
        assert result.paper_low is True
        expected = DLE_EOT_PAPER * 2 + receipt_bytes(receipt, result.job_id, clock.now()) + DLE_EOT_PAPER
        give_up = time.monotonic() + 5
        while bytes(received) != expected:
            assert time.monotonic() < give_up, bytes(received)
            time.sleep(0.01)
    finally:
        printer.close()
        done.set()
        os.close(slave)
        os.close(master)
        side.join(5)


def test_factory(clock, tmp_path, monkeypatch):
    sim = build_printer("sim", clock, spool_dir=tmp_path, paper=5, low_at=2)
    assert isinstance(sim, SimReceiptPrinter)
    assert sim.paper_left() == 5
    with pytest.raises(ValueError, match="backends: sim, escpos-usb, escpos-serial, escpos-network"):
        build_printer("cups", clock, spool_dir=tmp_path)
    with pytest.raises(ValueError, match="needs usb="):
        build_printer("escpos-usb", clock, spool_dir=tmp_path)
    with pytest.raises(ValueError, match="needs serial"):
        build_printer("escpos-serial", clock, spool_dir=tmp_path)
    with pytest.raises(ValueError, match="needs host"):
        build_printer("escpos-network", clock, spool_dir=tmp_path)
    monkeypatch.setattr(transports.Usb, "is_usable", staticmethod(lambda: False))
    usb = build_printer("escpos-usb", clock, spool_dir=tmp_path, usb=(0x0416, 0x5011), status_interval=None)
    try:
        status = usb.status()
        assert (status.state, status.fault) == (DeviceState.OFFLINE, "offline")
        assert status.detail == ("cannot open USB printer 0416:5011: USB printer 0416:5011 needs pyusb and libusb: "
                                 "pip install 'python-escpos[usb]'")
    finally:
        usb.close()


@pytest.mark.skipif(not transports.Usb.is_usable(), reason="pyusb is not installed")
def test_a_usb_printer_that_is_not_there(clock, tmp_path):
    usb = build_printer("escpos-usb", clock, spool_dir=tmp_path, usb=(0x0416, 0x5011), status_interval=None)
    try:
        status = usb.status()
        assert (status.state, status.fault) == (DeviceState.OFFLINE, "offline")
        assert status.detail.startswith("cannot open USB printer 0416:5011: ")
        assert "\n" not in status.detail
    finally:
        usb.close()
