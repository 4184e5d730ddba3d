"""Where everything goes on A4 pages: one layout, read by the renderer and by whoever must tell the
page count before printing (the statement's fee depends on it). Heights are fixed per kind of line, so
the count is known without rendering."""

from __future__ import annotations

from dataclasses import dataclass

from devices.docprinter.api import Document, Section, Table

PAGE_H = 297.0
PAGE_W = 210.0
MARGIN = 15.0
TOP = 15.0
FOOTER = 14.0  # page number and issue time
BODY_H = PAGE_H - TOP - FOOTER - MARGIN
ISSUER_H = 6.0
TITLE_H = 14.0
FIELD_H = 7.0
HEADING_H = 10.0
TABLE_HEAD_H = 7.0
ROW_H = 6.0
NOTE_H = 6.0
CLOSING_H = 48.0  # the seal and the verification code with its QR


@dataclass(frozen=True)
class Block:
    kind: str  # issuer, title, field, heading, table_head, row, note, closing
    height: float
    text: tuple[str, ...] = ()
    table: Table | None = None


def blocks(doc: Document) -> list[Block]:
    out = [Block("issuer", ISSUER_H, (line,)) for line in doc.issuer]
    out.append(Block("title", TITLE_H, (doc.title,)))
    out += [Block("field", FIELD_H, pair) for pair in doc.fields]
    for section in doc.sections:
        out += _section(section)
    out += [Block("note", NOTE_H, (note,)) for note in doc.notes]
    if doc.seal or doc.verification_code:
        out.append(Block("closing", CLOSING_H))
    return out


def _section(section: Section) -> list[Block]:
    out = [Block("heading", HEADING_H, (section.heading,))]
    out += [Block("field", FIELD_H, pair) for pair in section.fields]
    if section.table is not None:
        out.append(Block("table_head", TABLE_HEAD_H, section.table.columns, section.table))
        out += [Block("row", ROW_H, row, section.table) for row in section.table.rows]
    out += [Block("note", NOTE_H, (note,)) for note in section.notes]
    return out


def paginate(doc: Document) -> list[list[Block]]:
    """The blocks of each page. A table continued on a new page repeats its heading row; a heading
    never ends a page alone."""
    pages: list[list[Block]] = [[]]
    used = 0.0
    items = blocks(doc)
    for index, block in enumerate(items):
        need = block.height
        if block.kind in ("heading", "table_head") and index + 1 < len(items):
            need += items[index + 1].height  # keep with what follows
        if used + need > BODY_H and pages[-1]:
            pages.append([])
            used = 0.0
            if block.kind == "row" and block.table is not None:
                head = Block("table_head", TABLE_HEAD_H, block.table.columns, block.table)
                pages[-1].append(head)
                used += head.height
        pages[-1].append(block)
        used += block.height
    return pages


def page_count(doc: Document) -> int:
    return len(paginate(doc))
