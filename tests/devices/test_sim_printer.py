"""The behavioural receipt printer: PNG and PDF in a spool folder, a paper counter."""

from __future__ import annotations

import pytest
from PIL import Image

from devices.api import DeviceError, DeviceState, ErrorCode
from devices.printer.api import Receipt, ReceiptLine
from devices.printer.render import PAPER_WIDTH, receipt_lines
from devices.printer.sim import SimReceiptPrinter

FULL_PAN = "6228480402564890018"
FULL_ID = "110105198503121234"


@pytest.fixture
def printer(clock, tmp_path):
    device = SimReceiptPrinter(clock, tmp_path / "spool", paper=5, low_at=3)
    yield device
    device.close()


@pytest.fixture
def receipt():
    return Receipt(
        title="挂失回单",
        header=["示例银行 朝阳支行", "智能柜台 K001"],
        lines=[
            ReceiptLine("卡号", "622848*********0018"),
            ReceiptLine("户名", "张*"),
            ReceiptLine("挂失类型", "正式挂失"),
            ReceiptLine(
                "备注", "这是一条很长的说明文字，用来检查长的内容能够换行打印而不会超出纸张的宽度。" * 2
            ),
        ],
        reference="K001-20261128-000123",
        footer=["请妥善保管本回单"],
    )


def test_a_receipt_is_spooled_as_png_and_pdf_under_the_date(printer, receipt, tmp_path):
    result = printer.print_receipt(receipt, 10)
    png = tmp_path / "spool" / "2026-11-28" / f"{result.job_id}.png"
    assert result.spool_path == str(png)
    assert png.is_file()
    assert png.with_suffix(".pdf").is_file()
    assert png.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    with Image.open(png) as image:
        assert image.width == PAPER_WIDTH
        assert image.height > 400
        assert image.getextrema()[0] == 0  # something was printed in black


def test_the_spool_holds_no_full_card_or_id_number(printer, receipt, tmp_path):
    printer.print_receipt(receipt, 10)
    spooled = sorted(path for path in (tmp_path / "spool").rglob("*") if path.is_file())
    assert [path.suffix for path in spooled] == [".pdf", ".png"]
    for path in spooled:
        data = path.read_bytes()
        assert FULL_PAN.encode() not in data
        assert FULL_ID.encode() not in data


def test_numbers_that_slip_through_unmasked_are_masked_on_paper(receipt, clock):
    leaky = Receipt(
        title="回单",
        lines=[ReceiptLine("卡号", FULL_PAN), ReceiptLine("证件", f"身份证 {FULL_ID}")],
        reference="K001-1",
    )
    text = " ".join(f"{line.text} {line.value}" for line in receipt_lines(leaky, "R1", clock.now()))
    assert FULL_PAN not in text
    assert FULL_ID not in text
    assert "622848*********0018" in text


def test_the_reference_and_lines_are_printed(receipt, clock):
    lines = receipt_lines(receipt, "R1", clock.now())
    assert any(line.text == receipt.reference and line.style == "reference" for line in lines)
    assert [(line.text, line.value) for line in lines if line.align == "split"][0] == (
        "卡号",
        "622848*********0018",
    )


def test_job_ids_are_unique(printer, receipt):
    ids = {printer.print_receipt(receipt, 10).job_id for _ in range(3)}
    assert len(ids) == 3


def test_a_new_printer_does_not_overwrite_yesterdays_jobs(printer, receipt, clock, tmp_path):
    first = printer.print_receipt(receipt, 10)
    again = SimReceiptPrinter(clock, tmp_path / "spool")
    assert again.print_receipt(receipt, 10).job_id != first.job_id


def test_paper_runs_low_then_out(printer, receipt):
    results = [printer.print_receipt(receipt, 10) for _ in range(3)]  # 5 -> 2 receipts left
    assert [r.paper_low for r in results] == [False, False, True]
    status = printer.status()
    assert (status.state, status.detail, status.counters) == (
        DeviceState.OK,
        "paper low",
        {"paper": 2, "printed": 3},
    )
    printer.print_receipt(receipt, 10)
    printer.print_receipt(receipt, 10)
    assert (printer.status().state, printer.status().fault) == (DeviceState.FAULT, "paper_out")
    with pytest.raises(DeviceError) as info:
        printer.print_receipt(receipt, 10)
    assert (info.value.code, info.value.reason) == (ErrorCode.NOT_READY, "paper_out")
    printer.load_paper(300)
    assert printer.status().state is DeviceState.OK
    assert not printer.print_receipt(receipt, 10).paper_low


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        ("jam", ErrorCode.HARDWARE_ERROR),
        ("paper_out", ErrorCode.NOT_READY),
        ("timeout", ErrorCode.TIMEOUT),
        ("offline", ErrorCode.NOT_READY),
    ],
)
def test_each_fault_fails_with_its_code_and_uses_no_paper(printer, receipt, fault, code):
    printer.inject(fault)
    with pytest.raises(DeviceError) as info:
        printer.print_receipt(receipt, 10)
    assert (info.value.code, info.value.reason) == (code, fault)
    assert printer.paper_left() == 5


def test_a_jam_shows_until_reset(printer, receipt):
    printer.inject("jam")
    with pytest.raises(DeviceError):
        printer.print_receipt(receipt, 10)
    assert (printer.status().state, printer.status().fault) == (DeviceState.FAULT, "jam")
    printer.reset()
    assert printer.status().state is DeviceState.OK


def test_the_receipt_waits_in_the_slot_until_taken(tmp_path) -> None:
    from devices.printer.api import Receipt, ReceiptLine
    from devices.printer.sim import SimReceiptPrinter
    from kiosk.core.clock import ManualClock

    printer = SimReceiptPrinter(ManualClock(), tmp_path)
    assert printer.take_receipt() is None
    job = printer.print_receipt(Receipt("凭证", [ReceiptLine("金额", "1.00 元")], "P1"), 5.0).job_id
    assert printer.receipt_waiting() == job
    assert printer.take_receipt() == job
    assert printer.receipt_waiting() is None
