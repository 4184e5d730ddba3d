"""A :class:`Receipt` as ESC/POS bytes for an 80 mm (or 58 mm) thermal receipt printer.

The same lines as the simulator's picture (:func:`devices.printer.render.receipt_lines`: the same
order, the same masking), written with python-escpos's commands onto its ``Dummy`` printer and sent
to the real transport in one write:

    ESC @                      initialise
    FS &                       Chinese character mode on (text below is GB18030)
    ESC a 1, GS ! 0x11, ESC E 1   title: centred, double width and height, bold
    ESC a 0 / ESC a 1, text LF    header, label/value lines (label left, value right), rules
    GS ( k ...                 the reference as a QR code (or GS k CODE128), then as text
    FS .                       Chinese character mode off
    ESC d 6, GS V 0            feed and full cut

Text is encoded GB18030 and sent through ``_raw``: python-escpos's text() guesses single-byte code
pages (ESC t) and encodes as GB18030 only strings with a CJK ideograph in U+4E00..U+9FA5, so a line of
full-width punctuation or a rarer character would come out as ``?`` or under a code page switch that
means nothing in Chinese mode. Commands (alignment, size, QR, cut) are python-escpos's own.

Widths: in Chinese mode an ASCII character takes one column of font A (12 dots) and every
GB18030 character two; ``columns`` is 48 on 80 mm paper and 32 on 58 mm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from devices.printer.api import Receipt
from devices.printer.escpos_lib import QR_ECLEVEL_M, Escpos, transports
from devices.printer.render import PrintLine, receipt_lines

ENCODING = "gb18030"
ESC, GS, FS = b"\x1b", b"\x1d", b"\x1c"
LF = b"\n"
CHINESE_ON = FS + b"&"  # FS &: select Kanji (Chinese) character mode
CHINESE_OFF = FS + b"."  # FS .: cancel it
QR_SIZE = 6  # module size in dots: a 20-character reference is about 2.5 cm wide
BARCODE_HEIGHT = 80
BARCODE_MODULE = 2
CodeKind = Literal["qr", "code128", "text"]


@dataclass(frozen=True)
class EscposLayout:
    columns: int = 48  # font A columns: 48 on 80 mm paper, 32 on 58 mm
    code: CodeKind = "qr"  # the reference as a QR code, a CODE128 barcode, or text only
    profile: str | None = None  # python-escpos printer profile (its capabilities database); None: default

    def __post_init__(self) -> None:
        if not 16 <= self.columns <= 96:
            raise ValueError(f"columns {self.columns}: 16..96 (48 on 80 mm paper, 32 on 58 mm)")
        if self.code not in ("qr", "code128", "text"):
            raise ValueError(f"code {self.code!r}: qr, code128 or text")


def receipt_bytes(receipt: Receipt, job_id: str, printed_at: datetime, layout: EscposLayout | None = None) -> bytes:
    """The whole print job: initialise, Chinese mode, the receipt, feed and cut."""
    layout = layout or EscposLayout()
    out = transports.Dummy(profile=layout.profile)
    write_receipt(out, receipt_lines(receipt, job_id, printed_at), layout)
    return out.output


def write_receipt(out: Escpos, lines: list[PrintLine], layout: EscposLayout) -> None:
    out.hw("INIT")
    out._raw(CHINESE_ON)
    for line in lines:
        _write_line(out, line, layout)
    out._raw(CHINESE_OFF)
    out.cut()


def encode(text: str) -> bytes:
    return text.encode(ENCODING)


def text_width(text: str) -> int:
    """Columns ``text`` takes in Chinese mode: 1 per ASCII character, 2 per any other."""
    return sum(1 if ord(char) < 0x80 else 2 for char in text)


def wrap(text: str, width: int) -> list[str]:
    """Rows of at most ``width`` columns, broken between characters (Chinese has no spaces)."""
    rows, current = [], ""
    for char in text:
        if current and text_width(current + char) > width:
            rows.append(current)
            current = char
        else:
            current += char
    return [*rows, current]


def split_line(label: str, value: str, columns: int) -> list[str]:
    """Label on the left and value on the right of one row; a value too long moves below, right-aligned."""
    if text_width(label) + 1 + text_width(value) <= columns:
        return [label + " " * (columns - text_width(label) - text_width(value)) + value]
    rows = wrap(label, columns)
    for row in wrap(value, columns):
        rows.append(" " * (columns - text_width(row)) + row)
    return rows


def _rows(out: Escpos, rows: list[str]) -> None:
    out._raw(b"".join(encode(row) + LF for row in rows))


def _write_line(out: Escpos, line: PrintLine, layout: EscposLayout) -> None:
    columns = layout.columns
    if line.style == "rule":
        out.set(align="left")
        out._raw(b"-" * columns + LF)
    elif line.style == "title":
        out.set(align="center", bold=True, custom_size=True, width=2, height=2)
        _rows(out, wrap(line.text, columns // 2))
        out.set(bold=False, custom_size=True, width=1, height=1)
    elif line.align == "split":
        out.set(align="left")
        _rows(out, split_line(line.text, line.value, columns))
    elif line.style == "reference":
        out.set(align="center")
        _write_code(out, line.text, layout)
        _rows(out, wrap(line.text, columns))
    else:
        out.set(align=line.align)
        _rows(out, wrap(line.text, columns))


def _write_code(out: Escpos, reference: str, layout: EscposLayout) -> None:
    """The reference as a code the printer draws itself, when its profile says it can."""
    if layout.code == "qr" and out.profile.supports("qrCode"):
        out.qr(reference, ec=QR_ECLEVEL_M, size=QR_SIZE, native=True)
    elif layout.code == "code128" and out.profile.supports("barcodeB") and _code_set_b(reference):
        # GS k 73 (function B, CODE128) written here: python-escpos's barcode() prints to stdout.
        data = b"{B" + reference.encode("ascii")
        out._raw(GS + b"h" + bytes([BARCODE_HEIGHT]) + GS + b"w" + bytes([BARCODE_MODULE]) + GS + b"H\x00")
        out._raw(GS + b"k\x49" + bytes([len(data)]) + data)


def _code_set_b(text: str) -> bool:
    return 0 < len(text) <= 200 and all(0x20 <= ord(char) < 0x7F for char in text) and "{" not in text
