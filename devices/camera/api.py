"""Camera: frames for the face check, and the barcodes and QR codes a customer shows it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from devices.api import Device


@dataclass(frozen=True)
class Frame:
    image: Any = field(repr=False)  # numpy array, HxWx3 uint8, BGR (OpenCV order)
    timestamp: float  # monotonic seconds
    index: int
    scene: str | None = None  # simulators say what they show ("person", "two_people", "photo", "nobody")
    # Simulators only: the ID number of the person shown ("person" and "photo" scenes), so a simulated
    # face check can compare it with the ID card. Real cameras leave it None.
    subject: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ScannedCode:
    """A barcode or QR code read from a camera frame (devices/camera/codes.py)."""

    text: str = field(repr=False)  # what the code says (a customer number, a ticket): never logged
    symbology: str  # "code128", "qrcode", "ean13"


class Camera(Device, Protocol):
    def start(self) -> None:
        """Start capturing (the capture thread keeps only the newest frame)."""
        ...

    def stop(self) -> None: ...

    def latest_frame(self, timeout: float) -> Frame:
        """The newest frame, waiting up to ``timeout`` for the first. Raises DeviceError TIMEOUT when the
        camera delivers nothing, NOT_READY when it is missing."""
        ...
