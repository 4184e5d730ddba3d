"""Render a :class:`Receipt` as an 80 mm thermal printer would print it: a 576 px wide image.

Values arrive masked from the engine; every line except the reference is passed through
:func:`~kiosk.core.masking.mask_text` once more, so a card or ID number that slipped through never
reaches the spool in full.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from devices.printer.api import Receipt
from kiosk.core.masking import mask_text

PAPER_WIDTH = 576  # dots: 80 mm paper at 203 dpi (72 mm printable)
MARGIN = 16
DPI = 203
NOTO_CJK_PATH = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
RULE = "-"  # a line of this across the paper separates the parts
SIZES = {"header": 22, "title": 34, "body": 24, "reference": 40, "small": 18}

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True)
class PrintLine:
    """One line as it goes on paper."""

    text: str
    style: str = "body"  # a key of SIZES, or "rule"
    align: str = "left"  # "left", "center", "right" or "split" (label left, value right)
    value: str = ""  # the right-hand part of a "split" line


def receipt_lines(receipt: Receipt, job_id: str, printed_at: datetime) -> list[PrintLine]:
    """What the receipt says, line by line, masked."""
    lines = [PrintLine(mask_text(text), "header", "center") for text in receipt.header]
    lines.append(PrintLine(mask_text(receipt.title), "title", "center"))
    lines.append(PrintLine("", "rule"))
    for line in receipt.lines:
        lines.append(PrintLine(mask_text(line.label), "body", "split", mask_text(line.value)))
    lines.append(PrintLine("", "rule"))
    lines.append(PrintLine("交易参考号 / Reference", "small", "center"))
    lines.append(PrintLine(receipt.reference, "reference", "center"))
    lines.append(PrintLine("", "rule"))
    lines.extend(PrintLine(mask_text(text), "small", "center") for text in receipt.footer)
    lines.append(PrintLine(f"{printed_at:%Y-%m-%d %H:%M:%S}  #{job_id}", "small", "center"))
    return lines


@lru_cache(maxsize=1)
def find_cjk_font() -> Path | None:
    """Noto Sans CJK SC as fontconfig knows it, else its Debian path, else None."""
    if shutil.which("fc-match"):
        try:
            found = subprocess.run(
                ["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True, text=True, timeout=10
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
        if found and "CJK" in Path(found).name and Path(found).is_file():
            return Path(found)
    return NOTO_CJK_PATH if NOTO_CJK_PATH.is_file() else None


@lru_cache(maxsize=16)
def _font(size: int) -> Font:
    path = find_cjk_font()
    if path is not None:
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def _wrap(text: str, font: Font, width: int) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (character by character: Chinese has no spaces)."""
    rows, current = [], ""
    for char in text:
        if current and font.getlength(current + char) > width:
            rows.append(current)
            current = char
        else:
            current += char
    return [*rows, current] if current or not rows else rows


def render_receipt(lines: list[PrintLine]) -> Image.Image:
    """Draw the lines on a white strip of paper, as tall as they need."""
    height = 400 + 80 * len(lines)
    while True:  # a second pass only when long values wrapped beyond the first guess
        canvas = Image.new("L", (PAPER_WIDTH, height), 255)
        draw = ImageDraw.Draw(canvas)
        y = MARGIN * 2
        for line in lines:
            y = _draw_line(draw, line, y)
        if y + MARGIN * 3 <= height:
            return canvas.crop((0, 0, PAPER_WIDTH, y + MARGIN * 3))
        height = y + MARGIN * 3


def _x(width: float, align: str) -> int:
    if align == "center":
        return (PAPER_WIDTH - int(width)) // 2
    if align == "right":
        return PAPER_WIDTH - MARGIN - int(width)
    return MARGIN


def _draw_line(draw: ImageDraw.ImageDraw, line: PrintLine, y: int) -> int:
    """Draw one line at ``y``; return where the next one starts."""
    if line.style == "rule":
        draw.line((MARGIN, y + 8, PAPER_WIDTH - MARGIN, y + 8), fill=0, width=2)
        return y + 18
    size = SIZES[line.style]
    font = _font(size)
    if line.align == "split":
        return _draw_split(draw, line, y, font, size)
    for row in _wrap(line.text, font, PAPER_WIDTH - 2 * MARGIN):
        draw.text((_x(font.getlength(row), line.align), y), row, font=font, fill=0)
        y += int(size * 1.4)
    return y


def _draw_split(draw: ImageDraw.ImageDraw, line: PrintLine, y: int, font: Font, size: int) -> int:
    """Label on the left, value on the right; a value too long for the rest moves below the label."""
    inner = PAPER_WIDTH - 2 * MARGIN
    label_width = int(font.getlength(line.text))
    draw.text((MARGIN, y), line.text, font=font, fill=0)
    rows = _wrap(line.value, font, inner)
    if len(rows) == 1 and label_width + font.getlength(rows[0]) + size < inner:
        draw.text((_x(font.getlength(rows[0]), "right"), y), rows[0], font=font, fill=0)
        return y + int(size * 1.4)
    for row in rows:
        y += int(size * 1.4)
        draw.text((_x(font.getlength(row), "right"), y), row, font=font, fill=0)
    return y + int(size * 1.4)


def write_receipt(image: Image.Image, png_path: Path, pdf_path: Path) -> None:
    """Save the strip as PNG and as a one-page PDF of the same image."""
    png_path.parent.mkdir(parents=True, exist_ok=True)
    image.save(png_path, "PNG", dpi=(DPI, DPI))
    image.convert("RGB").save(pdf_path, "PDF", resolution=float(DPI))
