"""A :class:`~devices.docprinter.api.Document` to PDF bytes with fpdf2, in Noto Sans CJK (Debian's
``fonts-noto-cjk``), on the pages :mod:`devices.docprinter.layout` decides. The bank's round red seal is
drawn here (no image file), and the verification code is printed with its QR code.

Rendering is deterministic for a given document (fixed creation date), so the same document gives the
same bytes and a host can keep its digest.
"""

from __future__ import annotations

import io
import math
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from fpdf import FPDF

from devices.docprinter.api import Document, Table
from devices.docprinter.layout import FOOTER, MARGIN, PAGE_H, PAGE_W, TOP, Block, paginate

FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/opentype/noto-cjk"),
             Path("/usr/share/fonts/noto-cjk"))
SC_INDEX = 2  # "Noto Sans CJK SC" in the collection
SEAL_RED = (200, 16, 16)
CONTENT_W = PAGE_W - 2 * MARGIN
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)


class FontMissing(RuntimeError):
    """Noto Sans CJK is not installed (Debian: fonts-noto-cjk)."""


@cache
def cjk_fonts() -> tuple[Path, Path]:
    for folder in FONT_DIRS:
        regular, bold = folder / "NotoSansCJK-Regular.ttc", folder / "NotoSansCJK-Bold.ttc"
        if regular.exists():
            return regular, bold if bold.exists() else regular
    raise FontMissing("documents need Noto Sans CJK: apt-get install fonts-noto-cjk")


def render_pdf(doc: Document) -> bytes:
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(doc.title)
    pdf.set_creator("smart teller kiosk")
    if doc.verification_code:
        pdf.set_keywords(f"verification:{doc.verification_code}")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, TOP, MARGIN)
    regular, bold = cjk_fonts()
    pdf.add_font("noto", "", str(regular), collection_font_number=SC_INDEX)
    pdf.add_font("noto", "B", str(bold), collection_font_number=SC_INDEX)
    pages = paginate(doc)
    for number, page in enumerate(pages, 1):
        pdf.add_page()
        y = TOP
        for block in page:
            _draw(pdf, doc, block, y)
            y += block.height
        _footer(pdf, doc, number, len(pages))
    return bytes(pdf.output())


def _draw(pdf: FPDF, doc: Document, block: Block, y: float) -> None:
    pdf.set_xy(MARGIN, y)
    if block.kind == "issuer":
        pdf.set_font("noto", "", 9)
        pdf.set_text_color(90, 90, 90)
        pdf.cell(CONTENT_W, block.height, block.text[0], align="R")
        pdf.set_text_color(0, 0, 0)
    elif block.kind == "title":
        pdf.set_font("noto", "B", 18)
        pdf.cell(CONTENT_W, block.height, block.text[0], align="C")
    elif block.kind == "field":
        pdf.set_font("noto", "", 10.5)
        pdf.cell(48, block.height, block.text[0])
        pdf.set_font("noto", "B", 10.5)
        pdf.cell(CONTENT_W - 48, block.height, block.text[1])
    elif block.kind == "heading":
        pdf.set_font("noto", "B", 12)
        pdf.set_y(y + 2)
        pdf.cell(CONTENT_W, block.height - 3, block.text[0], border="B")
    elif block.kind in ("table_head", "row"):
        assert block.table is not None
        _table_line(pdf, block.table, block.text, block.height, head=block.kind == "table_head")
    elif block.kind == "note":
        pdf.set_font("noto", "", 9)
        pdf.cell(CONTENT_W, block.height, block.text[0])
    elif block.kind == "closing":
        _closing(pdf, doc, y)


def _widths(table: Table) -> list[float]:
    shares = list(table.widths) or [1.0] * len(table.columns)
    total = sum(shares)
    return [CONTENT_W * share / total for share in shares]


def _table_line(pdf: FPDF, table: Table, cells: tuple[str, ...], height: float, head: bool) -> None:
    pdf.set_font("noto", "B" if head else "", 9)
    if head:
        pdf.set_fill_color(235, 235, 235)
    for index, (width, text) in enumerate(zip(_widths(table), cells, strict=True)):
        align = "R" if index in table.align_right else "L"
        pdf.cell(width, height, _fit(pdf, text, width - 2), border="B", align=align, fill=head)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _closing(pdf: FPDF, doc: Document, y: float) -> None:
    if doc.verification_code:
        import qrcode

        image = qrcode.make(doc.verification_code, box_size=4, border=1).get_image()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        pdf.image(buffer, x=MARGIN, y=y + 4, w=30, h=30)
        pdf.set_xy(MARGIN + 34, y + 8)
        pdf.set_font("noto", "", 10)
        pdf.cell(80, 7, doc.verification_label)
        pdf.set_xy(MARGIN + 34, y + 16)
        pdf.set_font("noto", "B", 13)
        pdf.cell(80, 8, doc.verification_code)
        if doc.verification_hint:
            pdf.set_xy(MARGIN + 34, y + 25)
            pdf.set_font("noto", "", 8)
            pdf.cell(95, 6, doc.verification_hint)
    if doc.seal:
        draw_seal(pdf, PAGE_W - MARGIN - 24, y + 22, 21, *doc.seal_text)


def draw_seal(pdf: FPDF, cx: float, cy: float, radius: float, rim: str, purpose: str) -> None:
    """The bank's round red seal: a double rim, a five-pointed star, the bank's name round the upper rim
    and the seal's purpose under the star."""
    pdf.set_draw_color(*SEAL_RED)
    pdf.set_fill_color(*SEAL_RED)
    pdf.set_text_color(*SEAL_RED)
    pdf.set_line_width(1.1)
    pdf.circle(x=cx, y=cy, radius=radius, style="D")
    pdf.set_line_width(0.3)
    pdf.circle(x=cx, y=cy, radius=radius - 1.6, style="D")
    pdf.star(x=cx, y=cy, r_in=radius * 0.12, r_out=radius * 0.3, corners=5, rotate_degrees=-90, style="F")
    _rim_text(pdf, cx, cy, radius - 5.2, rim)
    pdf.set_font("noto", "B", 7)
    pdf.set_xy(cx - radius, cy + radius * 0.38)
    pdf.cell(2 * radius, 4, purpose, align="C")
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)


def _rim_text(pdf: FPDF, cx: float, cy: float, r: float, text: str) -> None:
    if not text:
        return
    size = 8.5 if len(text) <= 14 else 6.5
    pdf.set_font("noto", "B", size)
    span = min(240.0, 18.0 * len(text))  # degrees of arc the name takes, centred at the top
    for index, char in enumerate(text):
        angle = -span / 2 + span * (index + 0.5) / len(text)  # 0 = straight up, clockwise positive
        rad = math.radians(angle)
        x, y = cx + r * math.sin(rad), cy - r * math.cos(rad)
        width = pdf.get_string_width(char)
        with pdf.rotation(-angle, x, y):
            pdf.text(x - width / 2, y + size * 0.35 / 2.83, char)


def _footer(pdf: FPDF, doc: Document, page: int, pages: int) -> None:
    pdf.set_font("noto", "", 8)
    pdf.set_text_color(90, 90, 90)
    pdf.set_xy(MARGIN, PAGE_H - MARGIN - FOOTER + 4)
    left = " · ".join(part for part in (doc.reference, doc.issued_at) if part)
    pdf.cell(CONTENT_W / 2, 6, left)
    pdf.cell(CONTENT_W / 2, 6, doc.page_label.format(page=page, pages=pages), align="R")
    pdf.set_text_color(0, 0, 0)
