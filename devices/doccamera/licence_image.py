"""A plausible picture of a business licence (营业执照) for the document camera simulator, drawn with Pillow in
Noto Serif CJK (Debian's ``fonts-noto-cjk``, the fonts the A4 documents use): the title, the unified social
credit code top left, its QR code top right (drawn by zxing-cpp's writer, so the code reader finds it in the
camera's pixels as it would on paper), the registered facts in two columns, the registration authority with
its red seal and the date, and the footer lines every licence carries. Every picture is marked across as a
demo specimen (演示样本): it is no licence of anyone.

A damaged licence has a stain across its QR code: still a code to the detectors, but one that does not read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from devices.doccamera.licences import Licence

FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/opentype/noto-cjk"),
             Path("/usr/share/fonts/noto-cjk"))
SC_INDEX = 2  # the Simplified Chinese face in the Noto CJK collections
SIZE = (1680, 1188)  # landscape, the proportions of the original (正本)
PAPER = (240, 236, 224)
INK = (30, 30, 30)
FRAME_BROWN = (150, 98, 40)
SEAL_RED = (206, 30, 30)
SPECIMEN = (214, 120, 120)
QR_SCALE = 6  # pixels a module
LABEL_X, VALUE_X, RIGHT_LABEL_X, RIGHT_VALUE_X = 150, 330, 900, 1060
LINE = 56  # a field's line height


class FontMissing(RuntimeError):
    """Noto Serif (or Sans) CJK is not installed (Debian: fonts-noto-cjk)."""


@dataclass(frozen=True)
class LicencePicture:
    image: np.ndarray  # RGB, SIZE
    qr_box: tuple[int, int, int, int]  # left, top, right, bottom of the QR code


@cache
def _font_file(bold: bool) -> Path:
    names = ("NotoSerifCJK-Bold.ttc", "NotoSansCJK-Bold.ttc") if bold else \
        ("NotoSerifCJK-Regular.ttc", "NotoSansCJK-Regular.ttc")
    for folder in FONT_DIRS:
        for name in names:
            if (folder / name).exists():
                return folder / name
    raise FontMissing("the licence pictures need Noto CJK fonts: apt-get install fonts-noto-cjk")


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(_font_file(bold)), size, index=SC_INDEX)


def qr_code(text: str) -> Image.Image:
    import zxingcpp

    matrix = np.array(zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode).to_image(scale=QR_SCALE))
    return Image.fromarray(np.where(matrix < 128, 0, 255).astype(np.uint8)).convert("RGB")


def render(licence: Licence, damaged: bool = False) -> LicencePicture:
    """The licence as a flat picture (what lies on the platen, before the camera sees it)."""
    sheet = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(sheet)
    _border(draw)
    draw.text((SIZE[0] // 2, 130), "营 业 执 照", font=font(112, bold=True), fill=INK, anchor="mm")
    draw.text((LABEL_X, 250), "统一社会信用代码", font=font(30), fill=INK, anchor="lm")
    draw.text((LABEL_X, 300), licence.credit_code, font=font(38, bold=True), fill=INK, anchor="lm")
    draw.text((LABEL_X, 350), f"证照编号：{licence.credit_code[2:8]}{licence.issued:%Y%m%d}01", font=font(22),
              fill=INK, anchor="lm")
    qr = qr_code(licence.qr_text)
    left, top = SIZE[0] - 150 - qr.width, 170
    sheet.paste(qr, (left, top))
    box = (left, top, left + qr.width, top + qr.height)
    for number, line in enumerate(("扫描二维码登录“国家企业", "信用信息公示系统”了解更多", "登记、备案、许可、监管信息")):
        draw.text((left - 20, top + 60 + number * 30), line, font=font(20), fill=INK, anchor="rm")
    _fields(draw, licence)
    _authority(sheet, draw, licence)
    _footer(draw)
    _specimen(sheet)
    if damaged:
        centre = ((box[0] + box[2]) // 2, (box[1] + box[3]) // 2)
        radius = (box[2] - box[0]) // 5
        draw = ImageDraw.Draw(sheet)
        draw.ellipse((centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius),
                     fill=(226, 214, 190))  # a coffee stain: the middle of the code is gone
    return LicencePicture(np.asarray(sheet), box)


def _border(draw: ImageDraw.ImageDraw) -> None:
    width, height = SIZE
    draw.rectangle((24, 24, width - 25, height - 25), outline=FRAME_BROWN, width=10)
    draw.rectangle((46, 46, width - 47, height - 47), outline=FRAME_BROWN, width=3)
    for x in range(70, width - 60, 36):  # the guilloche band, as a row of small lozenges
        for y in (35, height - 36):
            draw.polygon(((x, y - 5), (x + 7, y), (x, y + 5), (x - 7, y)), fill=(236, 210, 160))


def _wrap(text: str, size: int, width: int) -> list[str]:
    lines, line = [], ""
    for char in text:
        if font(size).getlength(line + char) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines


def _field(draw: ImageDraw.ImageDraw, label: str, value: str, x: tuple[int, int], y: int, width: int,
           max_lines: int = 1) -> int:
    """A label and its value (wrapped to ``max_lines``); the y under it."""
    draw.text((x[0], y), label, font=font(30, bold=True), fill=INK)
    lines = _wrap(value, 30, width)[:max_lines] or [""]
    for number, line in enumerate(lines):
        draw.text((x[1], y + number * 44), line, font=font(30), fill=INK)
    return y + LINE + (len(lines) - 1) * 44


def _fields(draw: ImageDraw.ImageDraw, licence: Licence) -> None:
    left_width, right_width = RIGHT_LABEL_X - VALUE_X - 40, SIZE[0] - 150 - RIGHT_VALUE_X
    y = 450
    y = _field(draw, "名      称", licence.name, (LABEL_X, VALUE_X), y, left_width, 2)
    y = _field(draw, "类      型", licence.legal_form, (LABEL_X, VALUE_X), y, left_width)
    y = _field(draw, "经  营  者" if licence.individual else "法定代表人", licence.representative,
               (LABEL_X, VALUE_X), y, left_width)
    _field(draw, "经营范围", licence.scope, (LABEL_X, VALUE_X), y, left_width, 5)
    y = 450
    if licence.individual:
        y = _field(draw, "组成形式", "个人经营", (RIGHT_LABEL_X, RIGHT_VALUE_X), y, right_width)
        y = _field(draw, "注册日期", f"{licence.established:%Y年%m月%d日}", (RIGHT_LABEL_X, RIGHT_VALUE_X), y,
                   right_width)
        _field(draw, "经营场所", licence.address, (RIGHT_LABEL_X, RIGHT_VALUE_X), y, right_width, 3)
        return
    y = _field(draw, "注册资本", licence.capital, (RIGHT_LABEL_X, RIGHT_VALUE_X), y, right_width)
    y = _field(draw, "成立日期", f"{licence.established:%Y年%m月%d日}", (RIGHT_LABEL_X, RIGHT_VALUE_X), y, right_width)
    y = _field(draw, "营业期限", licence.term, (RIGHT_LABEL_X, RIGHT_VALUE_X), y, right_width)
    _field(draw, "住      所", licence.address, (RIGHT_LABEL_X, RIGHT_VALUE_X), y, right_width, 3)


def _authority(sheet: Image.Image, draw: ImageDraw.ImageDraw, licence: Licence) -> None:
    x, y = 1180, 930
    draw.text((x, y), "登记机关", font=font(34, bold=True), fill=INK, anchor="lm")
    draw.text((x + 10, y + 90), f"{licence.issued.year} 年 {licence.issued.month} 月 {licence.issued.day} 日",
              font=font(28), fill=INK, anchor="lm")
    _seal(sheet, (x + 230, y + 20), 95, licence.authority)


def _seal(sheet: Image.Image, centre: tuple[int, int], radius: int, text: str) -> None:
    """The authority's round red seal: a ring, a star, its name round the top (drawn, not an image file)."""
    layer = Image.new("RGBA", sheet.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    cx, cy = centre
    red = (*SEAL_RED, 200)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=red, width=7)
    star = [(cx + (34 if i % 2 == 0 else 14) * math.sin(i * math.pi / 5),
             cy - (34 if i % 2 == 0 else 14) * math.cos(i * math.pi / 5)) for i in range(10)]
    draw.polygon(star, fill=red)
    size = 24
    span = min(240.0, 22.0 * len(text))  # degrees the name takes round the rim
    for number, char in enumerate(text):
        angle = -span / 2 + span * (number + 0.5) / len(text)  # 0 at the top, clockwise
        glyph = Image.new("RGBA", (size + 8, size + 8), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(((size + 8) // 2, (size + 8) // 2), char, font=font(size, bold=True), fill=red,
                                   anchor="mm")
        glyph = glyph.rotate(-angle, resample=Image.Resampling.BICUBIC)
        distance = radius - size * 0.9
        gx = cx + distance * math.sin(math.radians(angle)) - glyph.width / 2
        gy = cy - distance * math.cos(math.radians(angle)) - glyph.height / 2
        layer.alpha_composite(glyph, (int(gx), int(gy)))
    sheet.paste(layer, (0, 0), layer)


def _footer(draw: ImageDraw.ImageDraw) -> None:
    y = SIZE[1] - 110
    draw.text((LABEL_X, y), "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn", font=font(20), fill=INK)
    draw.text((LABEL_X, y + 30), "市场主体应当于每年1月1日至6月30日通过国家企业信用信息公示系统报送公示年度报告。",
              font=font(20), fill=INK)
    draw.text((SIZE[0] - 150, y + 30), "国家市场监督管理总局监制", font=font(20), fill=INK, anchor="ra")


def _specimen(sheet: Image.Image) -> None:
    """演示样本 / SPECIMEN across the sheet, light enough to read the licence through."""
    layer = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for row, y in enumerate(range(420, SIZE[1], 330)):
        for x in range(-200 + (row % 2) * 260, SIZE[0], 560):
            draw.text((x, y), "演示样本 SPECIMEN", font=font(54, bold=True), fill=(*SPECIMEN, 60))
    layer = layer.rotate(18, resample=Image.Resampling.BICUBIC)
    sheet.paste(layer, (0, 0), layer)
