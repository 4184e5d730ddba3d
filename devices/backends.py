"""Which backends each device has: one table per device, read by the configuration (the names it
allows), the factories (what they build) and the kiosk window (simulated or real hardware).

Light on purpose: no device code is imported here, so reading a configuration stays cheap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Backend:
    simulated: bool  # no hardware behind it (the simulate-mode panel drives it)
    what: str


IDCARD: Mapping[str, Backend] = {
    "sim": Backend(True, "the SAM protocol on a pseudo-terminal, read by the serial adapter"),
    "behavioural": Backend(True, "the in-process behavioural simulator"),
    "serial": Backend(False, "a SAM reader on a serial port"),
}
SMARTCARD: Mapping[str, Backend] = {
    "sim": Backend(True, "the in-process behavioural simulator"),
    "pcsc-sim": Backend(True, "a virtual card behind pcscd and vsmartcard, read by the PC/SC adapter"),
    "pcsc": Backend(False, "a PC/SC reader"),
}
CAMERA: Mapping[str, Backend] = {
    "sim": Backend(True, "scripted scenes from photos"),
    "opencv": Backend(False, "a camera, a video file or a stream through OpenCV"),
}
PINPAD: Mapping[str, Backend] = {
    "sim": Backend(True, "the on-screen simulated PIN pad with a test key"),
}
PRINTER: Mapping[str, Backend] = {
    "sim": Backend(True, "PNG and PDF receipts in the spool folder"),
    "escpos-usb": Backend(False, "an ESC/POS printer on USB"),
    "escpos-serial": Backend(False, "an ESC/POS printer on a serial port"),
    "escpos-network": Backend(False, "an ESC/POS printer on raw TCP"),
}
DISPENSER: Mapping[str, Backend] = {
    "sim": Backend(True, "the in-process card dispenser simulator"),
}

DOCPRINTER: Mapping[str, Backend] = {
    "sim": Backend(True, "A4 documents as PDF files in the spool folder, kept until taken"),
    "cups": Backend(False, "an A4 printer on a CUPS queue (lp)"),
}

DOCCAMERA: Mapping[str, Backend] = {
    "sim": Backend(True, "demo companies' business licences, pictures or codes laid on a simulated platen"),
    "opencv": Backend(False, "a document camera (UVC), a video file or a stream through OpenCV"),
}

BACKENDS: Mapping[str, Mapping[str, Backend]] = {
    "idcard": IDCARD, "smartcard": SMARTCARD, "camera": CAMERA, "pinpad": PINPAD, "printer": PRINTER,
    "dispenser": DISPENSER, "docprinter": DOCPRINTER, "doccamera": DOCCAMERA,
}


def unknown_backend(device: str, backend: str) -> ValueError:
    return ValueError(f"{device} backend {backend!r}; backends: {', '.join(BACKENDS[device])}")
