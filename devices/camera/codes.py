"""Reading a barcode or a QR code from the camera's frames: what a customer holds up to the kiosk (a bill's
barcode, an appointment's QR code on a phone).

Decoding is zxing-cpp's (Code 128, QR and EAN-13 here; OpenCV's own barcode decoder reads only EAN and
UPC). OpenCV's barcode and QR detectors tell a code that is in view but does not read (creased, stained,
torn, too far) from no code at all, so the customer can be told and asked to hold it flat and still:
:func:`read_code` reports ``code_unreadable`` then and goes on looking. It works with any
:class:`~devices.camera.api.Camera`: it takes frames with ``latest_frame``, as the face check does.
Without zxing-cpp installed, reading fails with NOT_READY ``no_decoder``, in one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from devices.api import Cancellation, DeviceError, DeviceEvent, ErrorCode, EventSink
from devices.camera.api import Camera, ScannedCode
from kiosk.core.clock import Clock

# The kiosk's names for the symbologies it reads, and zxing-cpp's.
ZXING_FORMATS = {"code128": "Code128", "qrcode": "QRCode", "ean13": "EAN13"}
LINEAR = frozenset({"code128", "ean13"})
SYMBOLOGIES = tuple(ZXING_FORMATS)
FRAME_INTERVAL_S = 0.1  # real seconds between the frames looked at: ten a second
FRAME_WAIT_S = 2.0  # how long one frame may take to come
UNREADABLE_FRAMES = 8  # frames in a row with a code in view that does not read: the customer is told
UNREADABLE_EVENT = "code_unreadable"
NO_DECODER = "no_decoder"
NO_CODE = "no_code"  # nobody showed a code before the deadline


@dataclass(frozen=True)
class FrameCodes:
    """What one frame shows: the codes read, and whether a code is in view at all (read or not)."""

    codes: tuple[ScannedCode, ...]
    in_view: bool


def _zxing(device: str) -> Any:
    try:
        import zxingcpp
    except ImportError:
        raise DeviceError(device, ErrorCode.NOT_READY, NO_DECODER,
                          "reading codes needs zxing-cpp (pip install zxing-cpp)") from None
    return zxingcpp


def decode_frame(image: Any, symbologies: Sequence[str] = SYMBOLOGIES, device: str = "camera") -> FrameCodes:
    """The codes of ``symbologies`` in a BGR (or grey) frame, and whether one is in view that does not read."""
    unknown = set(symbologies) - set(ZXING_FORMATS)
    if unknown:
        raise ValueError(f"unknown symbologies {sorted(unknown)}; known: {', '.join(ZXING_FORMATS)}")
    zxingcpp = _zxing(device)
    formats = [getattr(zxingcpp.BarcodeFormat, ZXING_FORMATS[name]) for name in symbologies]
    names = {getattr(zxingcpp.BarcodeFormat, fmt): name for name, fmt in ZXING_FORMATS.items()}
    found = zxingcpp.read_barcodes(image, formats=formats)
    codes = tuple(ScannedCode(r.text, names.get(r.format, str(r.format))) for r in found if r.valid and r.text)
    return FrameCodes(codes, bool(codes) or code_in_view(image, symbologies))


def code_in_view(image: Any, symbologies: Sequence[str] = SYMBOLOGIES) -> bool:
    """OpenCV's detectors: does the frame show a barcode or QR code, readable or not?"""
    import cv2

    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    try:
        if "qrcode" in symbologies and cv2.QRCodeDetector().detect(gray)[0]:
            return True
        return bool(LINEAR & set(symbologies)) and bool(cv2.barcode.BarcodeDetector().detect(gray)[0])
    except cv2.error:
        return False


def read_code(camera: Camera, clock: Clock, timeout: float, cancel: Cancellation, on_event: EventSink,
              symbologies: Sequence[str] = SYMBOLOGIES, ignore: frozenset[str] = frozenset()) -> ScannedCode:
    """Look at the camera's frames until one shows a code of ``symbologies`` whose text is not in
    ``ignore`` (a code already refused: the customer still holds it up). A code in view that does not read
    for ``UNREADABLE_FRAMES`` frames in a row raises the event ``code_unreadable`` (once, until it is read or
    goes out of view). Raises DeviceError TIMEOUT ``no_code`` when ``timeout`` passes on ``clock``, CANCELLED
    when cancelled, and the camera's own errors (offline, no frames)."""
    name = camera.name
    _zxing(name)  # a missing decoder says so before the camera starts
    deadline = clock.monotonic() + max(timeout, 0.0)
    camera.start()
    try:
        unread = 0
        while True:
            if cancel.cancelled:
                raise DeviceError(name, ErrorCode.CANCELLED, "cancelled")
            seen = decode_frame(camera.latest_frame(FRAME_WAIT_S).image, symbologies, name)
            wanted = [code for code in seen.codes if code.text not in ignore]
            if wanted:
                return wanted[0]
            unread = unread + 1 if seen.in_view and not seen.codes else 0
            if unread == UNREADABLE_FRAMES:
                on_event(DeviceEvent(name, UNREADABLE_EVENT))
            if clock.monotonic() >= deadline:
                raise DeviceError(name, ErrorCode.TIMEOUT, NO_CODE, "no code was shown")
            if cancel.wait(FRAME_INTERVAL_S):
                raise DeviceError(name, ErrorCode.CANCELLED, "cancelled")
    finally:
        camera.stop()
