"""The receipt as ESC/POS bytes: a known receipt byte for byte, GB18030, the layout of label/value lines."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from devices.printer.api import Receipt, ReceiptLine
from devices.printer.escpos_lib import transports
from devices.printer.escpos_receipt import EscposLayout, encode, receipt_bytes, split_line, text_width, wrap

PRINTED_AT = datetime(2026, 11, 28, 10, 30, 0)
JOB = "R20261128-103000-0001"
RULE = b"\x1ba\x00" + b"-" * 48 + b"\n"


@pytest.fixture
def receipt() -> Receipt:
    return Receipt(
        title="挂失回单",
        header=["示范银行 朝阳支行"],
        lines=[ReceiptLine("卡号", "622848*********0018"), ReceiptLine("户名", "张*"),
               ReceiptLine("挂失类型", "正式挂失")],
        reference="K001-20261128-000123",
        footer=["请妥善保管本回单"],
    )


def h(text: str) -> bytes:
    return bytes.fromhex(text)


GOLDEN = b"".join([
    b"\x1b@",  # ESC @: initialise
    b"\x1c&",  # FS &: Chinese character mode
    b"\x1ba\x01" + h("cabeb7b6d2f8d0d0 20 b3afd1f4d6a7d0d0") + b"\n",  # 示范银行 朝阳支行, centred
    b"\x1d!\x11" b"\x1bE\x01" b"\x1ba\x01" + h("b9d2caa7bbd8b5a5") + b"\n",  # 挂失回单: double size, bold
    b"\x1d!\x00" b"\x1bE\x00",  # back to normal size, bold off
    RULE,
    b"\x1ba\x00" + h("bfa8bac5") + b" " * 25 + b"622848*********0018\n",  # 卡号 ... card number
    b"\x1ba\x00" + h("bba7c3fb") + b" " * 41 + h("d5c52a") + b"\n",  # 户名 ... 张*
    b"\x1ba\x00" + h("b9d2caa7c0e0d0cd") + b" " * 32 + h("d5fdcabdb9d2caa7") + b"\n",  # 挂失类型 ... 正式挂失
    RULE,
    b"\x1ba\x01" + h("bdbbd2d7b2cebfbcbac5") + b" / Reference\n",  # 交易参考号 / Reference
    b"\x1ba\x01",
    b"\x1d(k\x04\x00" b"1A2\x00",  # QR: model 2
    b"\x1d(k\x03\x00" b"1C\x06",  # module size 6 dots
    b"\x1d(k\x03\x00" b"1E1",  # error correction M
    b"\x1d(k\x17\x00" b"1P0K001-20261128-000123",  # store the reference
    b"\x1d(k\x03\x00" b"1Q0",  # print the symbol
    b"K001-20261128-000123\n",
    RULE,
    b"\x1ba\x01" + h("c7ebcdd7c9c6b1a3b9dcb1bebbd8b5a5") + b"\n",  # 请妥善保管本回单
    b"\x1ba\x01" b"2026-11-28 10:30:00  #R20261128-103000-0001\n",
    b"\x1c.",  # FS .: Chinese mode off
    b"\x1bd\x06",  # feed 6 lines
    b"\x1dV\x00",  # full cut
])


def test_a_known_receipt_byte_for_byte(receipt):
    assert receipt_bytes(receipt, JOB, PRINTED_AT) == GOLDEN


def test_every_row_fits_the_paper(receipt):
    rows = receipt_bytes(receipt, JOB, PRINTED_AT).split(b"\n")
    for row in rows:
        text = row.split(b"\x1ba")[-1][1:]  # after the last alignment command
        if b"\x1d" not in text:
            assert text_width(text.decode("gb18030")) <= 48, text


def test_chinese_is_gb18030_even_where_python_escpos_would_guess_a_code_page():
    assert encode("挂失回单") == h("b9d2caa7bbd8b5a5")
    assert encode("（）") == h("a3a8a3a9")  # full-width brackets: python-escpos's text() prints "??"
    assert encode("〇") == h("a996")
    assert encode("€") == h("a2e3")
    assert encode("𠀀") == h("95328236")  # outside the BMP: a four-byte GB18030 code
    escpos_text = transports.Dummy()
    escpos_text.text("（）")
    assert escpos_text.output == b"\x1bt\x00??"  # why text goes through _raw (see escpos_receipt)


def test_masking_applies_to_escpos_too(receipt):
    leaky = Receipt(title="回单", lines=[ReceiptLine("卡号", "6228480402564890018"),
                                       ReceiptLine("证件号码", "110105198503121234")], reference="R1")
    data = receipt_bytes(leaky, JOB, PRINTED_AT)
    assert b"6228480402564890018" not in data
    assert b"622848*********0018" in data
    assert b"110105********1234" in data


def test_widths_wrapping_and_split_lines():
    assert text_width("卡号 6228") == 9
    assert wrap("一二三四五", 4) == ["一二", "三四", "五"]
    assert wrap("abc", 10) == ["abc"]
    assert wrap("", 10) == [""]
    assert split_line("户名", "张*", 16) == ["户名" + " " * 9 + "张*"]
    long_value = "这是一条很长的说明文字用来检查换行"
    rows = split_line("备注", long_value, 16)
    assert rows[0] == "备注"
    assert all(text_width(row) == 16 for row in rows[1:-1])
    assert "".join(row.strip() for row in rows[1:]) == long_value
    assert rows[-1] == " " * 14 + "行"  # right-aligned


def test_58mm_paper_and_a_long_title():
    receipt = Receipt(title="个人结算账户开户申请回单", lines=[ReceiptLine("户名", "张*")], reference="R1")
    data = receipt_bytes(receipt, JOB, PRINTED_AT, EscposLayout(columns=32))
    assert b"-" * 32 + b"\n" in data
    assert b"-" * 33 not in data
    title_rows = [encode("个人结算账户开户"), encode("申请回单")]  # 16 columns at double width
    assert b"\n".join(title_rows) + b"\n" in data


def test_code128_and_text_only_references(receipt):
    code128 = receipt_bytes(receipt, JOB, PRINTED_AT, EscposLayout(code="code128"))
    assert b"\x1dhP\x1dw\x02\x1dH\x00\x1dkI\x16{BK001-20261128-000123" in code128
    assert b"\x1d(k" not in code128
    text_only = receipt_bytes(receipt, JOB, PRINTED_AT, EscposLayout(code="text"))
    assert b"\x1d(k" not in text_only
    assert b"\x1dk" not in text_only
    assert b"\x1ba\x01K001-20261128-000123\n" in text_only


def test_a_printer_profile_without_qr_prints_the_reference_as_text(receipt):
    data = receipt_bytes(receipt, JOB, PRINTED_AT, EscposLayout(profile="TM-U220"))
    assert b"\x1d(k" not in data
    assert b"K001-20261128-000123\n" in data


def test_layout_is_checked():
    with pytest.raises(ValueError, match="columns"):
        EscposLayout(columns=8)
    with pytest.raises(ValueError, match="qr, code128 or text"):
        EscposLayout(code="pdf417")  # type: ignore[arg-type]


def test_importing_python_escpos_leaves_no_temp_folder_and_no_root_handler(tmp_path):
    code = ("import logging, devices.printer.escpos_lib; "
            "print(len(logging.getLogger().handlers))")
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("ESCPOS_CAPABILITIES_PICKLE_DIR", None)
    (tmp_path / "tmp").mkdir()
    done = subprocess.run([sys.executable, "-W", "error", "-c", code], env=env, capture_output=True, text=True,
                          timeout=60, cwd=Path(__file__).parents[2], check=True)
    assert done.stdout.strip() == "0"
    assert list((tmp_path / "tmp").iterdir()) == []
    assert list((tmp_path / "cache" / "smart-teller-kiosk" / "python-escpos").glob("*.capabilities.pickle"))
