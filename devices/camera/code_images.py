"""The camera simulator's pictures of a code held up to the kiosk: a printed slip (a bill, a ticket) with a
Code 128 barcode or a QR code on it, or any picture QA gives, as the camera sees it frame by frame: a
little tilted, swaying, slightly blurred, with sensor noise. The code is drawn by zxing-cpp's writer; the
reader (devices/camera/codes.py) finds it in these pixels as it would in a real camera's.

A damaged slip has a stain across the middle of its code: still a code to the detectors, but one that
does not read (the customer is asked to hold it flat, or to type the number instead).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np

from devices.camera.scenes import BACKGROUND_BGR, Size, letterbox

PAPER = 246  # the slip's white
INK = 20
LINE_GREY = 150  # lines of print above the code (their words do not matter to the camera)
SWAY = ((0, 0), (1, 0), (2, 1), (1, 1), (0, 0), (-1, 0), (-2, -1), (-1, -1))  # a hand is never still
TILT_DEGREES = 3.0
SLIP_WIDTH = 0.82  # of the frame's width
NOISE = 5  # sensor noise, +- grey levels
CODE_SCALE = {"code128": 3, "qrcode": 8}  # pixels a module on the slip
BAR_HEIGHT = 110


def code_picture(text: str, symbology: str) -> np.ndarray:
    """The code alone, black on white with its quiet zone, as a grey image."""
    import zxingcpp

    formats = {"code128": zxingcpp.BarcodeFormat.Code128, "qrcode": zxingcpp.BarcodeFormat.QRCode}
    if symbology not in formats:
        raise ValueError(f"the simulator draws {', '.join(formats)}, not {symbology!r}")
    picture = np.array(zxingcpp.create_barcode(text, formats[symbology]).to_image(scale=CODE_SCALE[symbology]))
    if symbology == "code128":
        picture = cv2.resize(picture, (picture.shape[1], BAR_HEIGHT), interpolation=cv2.INTER_NEAREST)
    return np.where(picture < 128, INK, PAPER).astype(np.uint8)


def slip(text: str, symbology: str, damaged: bool = False) -> np.ndarray:
    """A printed slip: lines of print, the code, and for a barcode its text beneath (ASCII only)."""
    code = code_picture(text, symbology)
    rows, cols = code.shape
    width = max(cols + 60, 420)
    caption = 40 if symbology == "code128" and text.isascii() else 0
    sheet = np.full((rows + 150 + caption, width), PAPER, dtype=np.uint8)
    for line in range(4):
        cv2.rectangle(sheet, (30, 22 + line * 24), (30 + (260 if line % 2 else 340), 32 + line * 24), LINE_GREY, -1)
    left, top = (width - cols) // 2, 125
    sheet[top : top + rows, left : left + cols] = code
    if caption:
        size = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, 0.7, 2)[0]
        cv2.putText(sheet, text, ((width - size[0]) // 2, top + rows + 28), cv2.FONT_HERSHEY_SIMPLEX, 0.7, INK, 2)
    if damaged:
        stain(sheet, (left + cols // 2, top + rows // 2), rows, cols, symbology)
    return cv2.cvtColor(sheet, cv2.COLOR_GRAY2BGR)


def stain(sheet: np.ndarray, centre: tuple[int, int], rows: int, cols: int, symbology: str) -> None:
    """Wash out the middle of the code: a barcode loses a band of bars, a QR code a blot of modules."""
    if symbology == "code128":
        cv2.ellipse(sheet, centre, (max(cols // 12, 12), rows // 2 + 10), 12, 0, 360, PAPER, -1)
    else:
        cv2.circle(sheet, centre, rows // 5, PAPER, -1)


def picture_file(path: Path) -> np.ndarray:
    """A picture QA shows the camera (a photo of a bill), as BGR; ValueError when it does not load."""
    image: np.ndarray | None = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError(f"{path}: not a picture the camera simulator can show")
    return image


def held_up(picture: np.ndarray, size: Size, slip_width: float = SLIP_WIDTH) -> np.ndarray:
    """``picture`` held up before the camera: ``slip_width`` of the frame wide, tilted, on the background."""
    width, height = size
    rows, cols = picture.shape[:2]
    scale = min(width * slip_width / cols, height * 0.85 / rows)
    matrix = cv2.getRotationMatrix2D((cols / 2, rows / 2), TILT_DEGREES, scale)
    matrix[0, 2] += width / 2 - cols / 2
    matrix[1, 2] += height / 2 - rows / 2
    frame = np.full((height, width, 3), BACKGROUND_BGR, dtype=np.uint8)
    cv2.warpAffine(picture, matrix, size, dst=frame, flags=cv2.INTER_AREA, borderMode=cv2.BORDER_TRANSPARENT)
    return frame


def shown_picture(picture: np.ndarray, size: Size) -> np.ndarray:
    """A picture from a file fills the view as a photo held close would."""
    return letterbox(picture, size, BACKGROUND_BGR)


def camera_frame(base: np.ndarray, index: int, rng: Any = None) -> np.ndarray:
    """Frame ``index`` of a still scene: swayed a pixel or two, softened, with a little noise."""
    dx, dy = SWAY[index % len(SWAY)]
    matrix = np.array([[1, 0, dx], [0, 1, dy]], dtype=np.float64)
    image = cv2.warpAffine(base, matrix, (base.shape[1], base.shape[0]), borderMode=cv2.BORDER_REPLICATE)
    image = cv2.GaussianBlur(image, (3, 3), 0.7)
    generator = rng if rng is not None else np.random.default_rng(index)
    noise = generator.integers(-NOISE, NOISE + 1, image.shape, dtype=np.int16)
    return np.clip(image + noise, 0, 255).astype(np.uint8)
