"""The A4 document printer: the simulator's spool, tray, paper, toner and faults; the layout's page count is
the rendered PDF's; a real CUPS queue (Debian's cups-pdf) when cupsd can be started here."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.api import DeviceError, DeviceState, ErrorCode
from devices.docprinter.api import Document, PrintJob, Section, Table
from devices.docprinter.cups import CupsDocumentPrinter
from devices.docprinter.factory import build_docprinter
from devices.docprinter.layout import page_count
from devices.docprinter.render import render_pdf
from devices.docprinter.sim import SimDocumentPrinter
from kiosk.core.clock import ManualClock


def document(lines: int, lang: str = "zh_CN", seal: bool = True) -> Document:
    rows = tuple((f"2026-03-{i % 28 + 1:02d}", "消费" if lang == "zh_CN" else "Purchase", f"-{i}.00", f"{i},000.00")
                 for i in range(lines))
    return Document(kind="statement", lang=lang, title="个人账户交易流水" if lang == "zh_CN" else "Statement",
                    issuer=("示范银行", "示范支行"), fields=(("户名", "张*"),),
                    sections=(Section("交易明细", table=Table(("日期", "摘要", "金额", "余额"), rows, (1, 2, 1, 1), (2, 3))),),
                    verification_code="ABCD-EFGH-JKLM", seal=seal, seal_text=("示范银行股份有限公司示范支行", "业务专用章"),
                    page_label="第 {page} 页 / 共 {pages} 页")


def pdf_pages(pdf: bytes) -> int:
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(io.BytesIO(pdf), strict=False).root["/Pages"]["/Count"])


@pytest.mark.parametrize(("lines", "lang"), [(0, "zh_CN"), (25, "en_US"), (90, "zh_CN"), (200, "en_US")])
def test_the_layout_counts_the_pages_the_pdf_has(lines: int, lang: str) -> None:
    doc = document(lines, lang)
    pdf = render_pdf(doc)
    assert pdf.startswith(b"%PDF")
    assert pdf_pages(pdf) == page_count(doc)


def test_rendering_is_deterministic_and_carries_the_verification_code() -> None:
    doc = document(10)
    pdf = render_pdf(doc)
    assert pdf == render_pdf(doc)
    assert b"verification:ABCD-EFGH-JKLM" in pdf


@pytest.fixture
def printer(tmp_path: Path) -> Iterator[SimDocumentPrinter]:
    sim = SimDocumentPrinter(ManualClock(), tmp_path / "spool", paper=10, toner=20, paper_low_at=4, toner_low_at=5)
    yield sim
    sim.close()


def job(pages: int = 2) -> PrintJob:
    return PrintJob(b"%PDF-1.4 demo", pages, "ST00000001")


def test_a_printed_document_waits_in_the_tray_and_leaves_the_spool_when_taken(printer: SimDocumentPrinter) -> None:
    result = printer.print_document(job(2), 5)
    assert result.spool_path is not None
    assert Path(result.spool_path).read_bytes() == b"%PDF-1.4 demo"
    assert printer.document_waiting() == result.job_id
    assert printer.status().counters == {"paper": 8, "toner": 18, "printed": 2, "retracted": 0}
    assert printer.take_document() == result.job_id
    assert not Path(result.spool_path).exists()
    assert printer.document_waiting() is None
    assert printer.take_document() is None


def test_a_document_left_in_the_tray_is_retracted_before_the_next(printer: SimDocumentPrinter) -> None:
    first = printer.print_document(job(1), 5)
    second = printer.print_document(job(1), 5)
    assert first.spool_path is not None
    assert not Path(first.spool_path).exists()
    assert printer.document_waiting() == second.job_id
    assert printer.status().counters["retracted"] == 1
    printer.reset()  # staff servicing empties the tray too
    assert printer.document_waiting() is None
    assert list((printer.spool_dir).glob("*.pdf")) == []


def test_paper_and_toner_run_out_and_staff_refill(printer: SimDocumentPrinter) -> None:
    with pytest.raises(DeviceError) as err:
        printer.print_document(job(11), 5)
    assert (err.value.code, err.value.reason) == (ErrorCode.NOT_READY, "paper_out")
    printer.load_paper(500)
    printer.print_document(job(19), 5)
    status = printer.status()
    assert status.detail == "paper 481, toner 1 (low)"
    with pytest.raises(DeviceError) as err:
        printer.print_document(job(2), 5)
    assert err.value.reason == "toner_out"
    printer.replace_toner(100)
    printer.load_paper(0)
    assert (printer.status().state, printer.status().fault) == (DeviceState.FAULT, "paper_out")


def test_a_jam_latches_a_fault_until_reset(printer: SimDocumentPrinter) -> None:
    printer.inject("jam")
    with pytest.raises(DeviceError) as err:
        printer.print_document(job(1), 5)
    assert err.value.code is ErrorCode.HARDWARE_ERROR
    assert printer.status().state is DeviceState.FAULT
    printer.reset()
    assert printer.status().state is DeviceState.OK


def test_without_cups_the_printer_is_offline_with_one_line(tmp_path: Path) -> None:
    cups = CupsDocumentPrinter("PDF", ManualClock(), lp="no-such-lp", lpstat="no-such-lpstat")
    status = cups.status()
    assert status.state is DeviceState.OFFLINE
    assert "apt-get install cups-client" in status.detail
    with pytest.raises(DeviceError) as err:
        cups.print_document(job(1), 5)
    assert err.value.code is ErrorCode.NOT_READY


def test_the_factory_builds_each_backend(tmp_path: Path) -> None:
    assert isinstance(build_docprinter("sim", ManualClock(), spool_dir=tmp_path), SimDocumentPrinter)
    assert isinstance(build_docprinter("cups", ManualClock(), spool_dir=tmp_path, queue="X"), CupsDocumentPrinter)
    with pytest.raises(ValueError, match="backends: sim, cups"):
        build_docprinter("laser", ManualClock(), spool_dir=tmp_path)


CUPS_CONF = """Listen {folder}/cups.sock
LogLevel warn
<Location />
  Order allow,deny
  Allow all
</Location>
"""
CUPS_FILES = """ServerRoot {folder}
RequestRoot {folder}/spool
CacheDir {folder}/cache
StateDir {folder}/state
ErrorLog {folder}/error_log
AccessLog {folder}/access_log
PageLog {folder}/page_log
User lp
Group lp
SystemGroup root lpadmin
"""
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")


@pytest.fixture
def cups_pdf_queue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A cupsd of the test's own (its own socket) with Debian's cups-pdf queue ``PDF``; skipped with the reason
    when that cannot be had here."""
    if os.geteuid() != 0:
        pytest.skip("a private cupsd needs root here")
    if not (shutil.which("cupsd") or Path("/usr/sbin/cupsd").exists()) or not CUPS_PDF_PPD.exists():
        pytest.skip("needs Debian cups and printer-driver-cups-pdf (scripts/setup.sh installs them)")
    folder = tmp_path / "cups"
    for sub in ("spool", "cache", "state"):
        (folder / sub).mkdir(parents=True)
    (folder / "cupsd.conf").write_text(CUPS_CONF.format(folder=folder))
    (folder / "cups-files.conf").write_text(CUPS_FILES.format(folder=folder))
    daemon = subprocess.Popen(["/usr/sbin/cupsd", "-f", "-c", str(folder / "cupsd.conf"), "-s",
                               str(folder / "cups-files.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    socket = folder / "cups.sock"
    monkeypatch.setenv("CUPS_SERVER", str(socket))
    try:
        for _ in range(100):
            if socket.exists() or daemon.poll() is not None:
                break
            time.sleep(0.05)
        if daemon.poll() is not None or not socket.exists():
            pytest.skip(f"cupsd did not start here: {(daemon.stderr.read() if daemon.stderr else b'').decode()[:200]}")
        added = subprocess.run(["lpadmin", "-p", "PDF", "-v", "cups-pdf:/", "-E", "-P", str(CUPS_PDF_PPD)],
                               capture_output=True, text=True, timeout=20, check=False)
        if added.returncode != 0:
            pytest.skip(f"lpadmin could not add the cups-pdf queue: {added.stderr.strip()[:200]}")
        yield "PDF"
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
        if daemon.stderr is not None:
            daemon.stderr.close()


def test_a_document_prints_through_a_real_cups_pdf_queue(cups_pdf_queue: str) -> None:
    out = Path.home() / "PDF"
    before = set(out.glob("*.pdf")) if out.exists() else set()
    printer = CupsDocumentPrinter(cups_pdf_queue, ManualClock())
    assert printer.status().state is DeviceState.OK
    doc = document(30)
    result = printer.print_document(PrintJob(render_pdf(doc), page_count(doc), "DOCS14-TEST"), 20)
    assert result.job_id.startswith("PDF-")
    deadline = time.monotonic() + 30  # cups-pdf converts through Ghostscript: a bound, not a timing assertion
    made: set[Path] = set()
    while time.monotonic() < deadline and not made:
        made = (set(out.glob("*.pdf")) if out.exists() else set()) - before
        time.sleep(0.2)
    try:
        assert made, f"cups-pdf wrote nothing to {out}"
        assert all(path.read_bytes().startswith(b"%PDF") for path in made)
    finally:
        for path in made:
            path.unlink()
