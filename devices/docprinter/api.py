"""A4 document printer: one document model, rendered once to PDF, printed by each printer its own way.

Statements, deposit certificates, credit reports and long transaction lists are :class:`Document`s:
what they say arrives already masked, formatted and in the customer's language; the layout
(devices/docprinter/layout.py) decides the pages, so a page count shown before printing is the count
printed. Signed documents come from the bank's host as finished PDF bytes; the printer only prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from devices.api import Device, LastOperation


@dataclass(frozen=True)
class Table:
    """Rows under column headings; ``widths`` are shares of the page width (one per column)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()
    align_right: tuple[int, ...] = ()  # column indexes set flush right (amounts)


@dataclass(frozen=True)
class Section:
    heading: str
    fields: tuple[tuple[str, str], ...] = ()  # label, value
    table: Table | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """What a printed A4 document says. ``page_label`` is a template with ``{page}`` and ``{pages}``."""

    kind: str  # statement, deposit_certificate, credit_report, balance_list
    lang: str  # zh_CN or en_US: the fonts and the date style
    title: str
    issuer: tuple[str, ...]  # bank, branch, kiosk
    fields: tuple[tuple[str, str], ...] = ()
    sections: tuple[Section, ...] = ()
    notes: tuple[str, ...] = ()
    reference: str = ""
    verification_code: str | None = None  # printed with its QR code; ``kiosk docs verify`` checks it
    verification_label: str = "Verification code"
    verification_hint: str = ""  # where to verify, one line
    seal: bool = False  # the bank's round red seal
    seal_text: tuple[str, str] = ("", "")  # the bank's name round the rim, the seal's purpose under the star
    page_label: str = "{page} / {pages}"
    issued_at: str = ""  # printed in the footer


@dataclass(frozen=True)
class DocPrintResult:
    job_id: str
    pages: int
    paper_low: bool = False
    toner_low: bool = False
    spool_path: str | None = None  # where a simulator or the CUPS PDF queue put the document


@dataclass(frozen=True)
class PrintJob:
    """A finished PDF and how many sheets it takes."""

    pdf: bytes = field(repr=False)
    pages: int
    title: str  # the job's name in the queue (no personal data)


class DocumentPrinter(Device, Protocol):
    def print_document(self, job: PrintJob, timeout: float) -> DocPrintResult:
        """Print every page and present the sheets in the output tray. Raises DeviceError NOT_READY
        (``paper_out``, ``toner_out``, offline), HARDWARE_ERROR (``jam``), TIMEOUT."""
        ...

    def document_waiting(self) -> str | None:
        """The job whose sheets lie in the output tray, not yet taken (None: the tray is empty)."""
        ...

    def last_operation(self) -> LastOperation | None:
        """The last print job (operation ``print``: ``started``, ``printed``, ``taken``, ``retained``
        (retracted), ``interrupted``, with its job id and pages), from the durable state."""
        ...
