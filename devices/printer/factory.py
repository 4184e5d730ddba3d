"""Build the receipt printer a configuration names (for the composition root in kiosk/app).

* ``sim``: :class:`~devices.printer.sim.SimReceiptPrinter`, PNG and PDF in ``spool_dir``, paper
  counted in receipts (``paper``, ``low_at``);
* ``escpos-usb``: an ESC/POS printer on USB, ``usb=(vendor id, product id)`` (needs pyusb and libusb:
  ``python-escpos[usb]``); ``usb_endpoints=(in, out)`` when the printer does not use 0x82/0x01;
* ``escpos-serial``: on a serial port, ``serial="/dev/ttyS0"`` at ``baudrate`` (8N1, DSR/DTR flow
  control as python-escpos sets it);
* ``escpos-network``: raw TCP, ``host`` and ``port`` (9100), one connection per receipt; paper
  status only with ``network_status=True`` (not every network printer answers on port 9100).

A printer that is missing, unplugged or lacks its library does not stop the kiosk: it reports
OFFLINE ``offline`` with one line naming what is wrong. A missing setting is a ValueError.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from devices.backends import PRINTER, unknown_backend
from devices.printer.api import ReceiptPrinter
from kiosk.core.clock import Clock

USB_ENDPOINTS = (0x82, 0x01)  # python-escpos's defaults: bulk in, bulk out
NETWORK_CONNECT_TIMEOUT = 3.0
STATUS_INTERVAL = 5.0


def build_printer(backend: str, clock: Clock, *, spool_dir: Path | str, paper: int = 300, low_at: int = 30,
                  usb: tuple[int, int] | None = None, usb_endpoints: tuple[int, int] = USB_ENDPOINTS,
                  serial: str = "", baudrate: int = 9600, host: str = "", port: int = 9100,
                  network_status: bool = False, columns: int = 48, code: Literal["qr", "code128", "text"] = "qr", profile: str | None = None,
                  status_interval: float | None = STATUS_INTERVAL, name: str = "printer",
                  state_dir: Path | str | None = None) -> ReceiptPrinter:
    """``columns``, ``code``, ``profile``: the ESC/POS layout (see devices.printer.escpos_receipt.EscposLayout).
    ``state_dir``: where the printer keeps its durable last operation (devices/durable.py)."""
    if backend == "sim":
        from devices.printer.sim import SimReceiptPrinter

        return SimReceiptPrinter(clock, spool_dir, paper=paper, low_at=low_at, name=name, state_dir=state_dir)
    if backend not in PRINTER:
        raise unknown_backend("printer", backend)
    from devices.printer.escpos_printer import EscposReceiptPrinter
    from devices.printer.escpos_receipt import EscposLayout

    layout = EscposLayout(columns=columns, code=code, profile=profile or None)
    transport, where = _transport(backend, usb=usb, usb_endpoints=usb_endpoints, serial=serial,
                                  baudrate=baudrate, host=host, port=port)
    network = backend == "escpos-network"
    return EscposReceiptPrinter(transport, clock, where=where, layout=layout,
                                reads_status=network_status if network else True, connect_per_job=network,
                                status_interval=status_interval, name=name, state_dir=state_dir)


def _transport(backend: str, *, usb: tuple[int, int] | None, usb_endpoints: tuple[int, int], serial: str,
               baudrate: int, host: str, port: int) -> tuple[Any, str]:
    from devices.printer.escpos_lib import transports
    from devices.printer.escpos_printer import MissingTransport, NetworkTransport

    if backend == "escpos-usb":
        if not usb or not all(usb):
            raise ValueError("printer backend 'escpos-usb' needs usb=(vendor id, product id)")
        where = f"USB printer {usb[0]:04x}:{usb[1]:04x}"
        if not transports.Usb.is_usable():
            return MissingTransport(f"{where} needs pyusb and libusb: pip install 'python-escpos[usb]'"), where
        return transports.Usb(usb[0], usb[1], in_ep=usb_endpoints[0], out_ep=usb_endpoints[1]), where
    if backend == "escpos-serial":
        if not serial:
            raise ValueError("printer backend 'escpos-serial' needs serial (a port such as /dev/ttyS0)")
        return transports.Serial(devfile=serial, baudrate=baudrate, timeout=1), f"serial printer {serial}"
    if not host:
        raise ValueError("printer backend 'escpos-network' needs host")
    return NetworkTransport(host, port, timeout=NETWORK_CONNECT_TIMEOUT), f"network printer {host}:{port}"

