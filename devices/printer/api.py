"""Receipt printer: one receipt model, rendered by each printer its own way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from devices.api import Device, LastOperation


@dataclass(frozen=True)
class ReceiptLine:
    label: str
    value: str


@dataclass(frozen=True)
class Receipt:
    """What a receipt says. Values arrive already masked and formatted by the engine."""

    title: str
    lines: list[ReceiptLine]
    reference: str  # transaction reference, also printed as a barcode/QR where the printer can
    footer: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # bank name, branch, kiosk id, date


@dataclass(frozen=True)
class PrintResult:
    job_id: str
    paper_low: bool = False
    spool_path: str | None = None  # where a simulator wrote the rendering


class ReceiptPrinter(Device, Protocol):
    def print_receipt(self, receipt: Receipt, timeout: float) -> PrintResult:
        """Print and cut. Raises DeviceError NOT_READY (``paper_out``, offline), HARDWARE_ERROR (``jam``),
        TIMEOUT."""
        ...

    def last_operation(self) -> LastOperation | None:
        """The last print job (operation ``print``: ``started``, ``printed``, ``taken``, ``interrupted``,
        with its job id), from the printer's durable state: it survives a restart of the kiosk."""
        ...
