"""The receipt and A4 printers remember their last job (started, printed, taken, interrupted) across a restart."""

from __future__ import annotations

import pytest

from devices.api import DeviceError, OperationStage, PresentStatus
from devices.docprinter.api import PrintJob
from devices.docprinter.sim import SimDocumentPrinter
from devices.printer.api import Receipt, ReceiptLine
from devices.printer.sim import SimReceiptPrinter


@pytest.fixture
def receipt() -> Receipt:
    return Receipt(title="回单", lines=[ReceiptLine("卡号", "622848*********0018")], reference="K001-1")


def job(pages: int = 2) -> PrintJob:
    return PrintJob(pdf=b"%PDF-1.4 test document", pages=pages, title="statement")


def test_a_printed_receipt_is_still_in_the_slot_after_a_restart(clock, tmp_path, receipt):
    printer = SimReceiptPrinter(clock, tmp_path / "spool", state_dir=tmp_path / "devices")
    result = printer.print_receipt(receipt, 10)
    again = SimReceiptPrinter(clock, tmp_path / "spool", state_dir=tmp_path / "devices")
    last = again.last_operation()
    assert (last.operation, last.stage, last.job_id, last.pages) == ("print", OperationStage.PRINTED,
                                                                    result.job_id, 1)
    assert last.present_status is PresentStatus.PRESENTED
    assert again.receipt_waiting() == result.job_id
    assert again.take_receipt() == result.job_id
    assert SimReceiptPrinter(clock, tmp_path / "spool", state_dir=tmp_path / "devices").last_operation().stage \
        is OperationStage.TAKEN


def test_a_receipt_that_cannot_be_written_is_interrupted(clock, tmp_path, receipt):
    spool = tmp_path / "spool"
    spool.write_text("a file where the spool folder should be")
    printer = SimReceiptPrinter(clock, spool, state_dir=tmp_path / "devices")
    with pytest.raises(NotADirectoryError):
        printer.print_receipt(receipt, 10)
    last = SimReceiptPrinter(clock, spool, state_dir=tmp_path / "devices").last_operation()
    assert (last.stage, last.present_status) == (OperationStage.INTERRUPTED, PresentStatus.UNKNOWN)
    assert last.job_id


def test_a_document_left_in_the_tray_is_there_after_a_restart(clock, tmp_path):
    printer = SimDocumentPrinter(clock, tmp_path / "spool", state_dir=tmp_path / "devices")
    result = printer.print_document(job(3), 10)
    again = SimDocumentPrinter(clock, tmp_path / "spool", state_dir=tmp_path / "devices")
    last = again.last_operation()
    assert (last.stage, last.job_id, last.pages) == (OperationStage.PRINTED, result.job_id, 3)
    assert again.document_waiting() == result.job_id
    again.print_document(job(1), 10)  # sheets nobody took are retracted before the next job
    assert again.status().counters["retracted"] == 1
    assert again.last_operation().stage is OperationStage.PRINTED
    assert again.take_document() is not None
    assert again.last_operation().stage is OperationStage.TAKEN


def test_a_retracted_document_is_recorded(clock, tmp_path):
    printer = SimDocumentPrinter(clock, tmp_path / "spool", state_dir=tmp_path / "devices")
    first = printer.print_document(job(), 10)
    printer.reset()  # staff clear the printer: the sheets go into its bin
    last = SimDocumentPrinter(clock, tmp_path / "spool", state_dir=tmp_path / "devices").last_operation()
    assert (last.stage, last.job_id) == (OperationStage.RETAINED, first.job_id)


def test_a_document_whose_file_went_is_not_in_the_tray(clock, tmp_path):
    printer = SimDocumentPrinter(clock, tmp_path / "spool", state_dir=tmp_path / "devices")
    result = printer.print_document(job(), 10)
    (tmp_path / "spool" / "documents" / f"{result.job_id}.pdf").unlink()
    assert SimDocumentPrinter(clock, tmp_path / "spool", state_dir=tmp_path / "devices").document_waiting() is None


def test_a_failed_job_is_not_printed(clock, tmp_path):
    printer = SimDocumentPrinter(clock, tmp_path / "spool", state_dir=tmp_path / "devices")
    printer.inject("jam")
    with pytest.raises(DeviceError):
        printer.print_document(job(), 10)
    assert printer.last_operation() is None  # the jam came before the job started
