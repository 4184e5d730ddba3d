"""Document camera (高拍仪): a camera looking down on a lit platen where the customer lays a document, here a
business licence (营业执照). It is a :class:`~devices.camera.api.Camera` (frames), so everything that reads
frames works on it unchanged: the code reader (devices/camera/codes.py, the licence's QR code), the preview. It
adds :meth:`DocumentCamera.capture`: one still of what lies on the platen, as a typed result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from devices.camera.api import Camera


@dataclass(frozen=True)
class DocumentImage:
    """One still of the platen."""

    image: Any = field(repr=False)  # numpy array, HxWx3 uint8, BGR
    width: int
    height: int
    timestamp: float  # monotonic seconds
    document: str | None = None  # simulators: what lies there ("licence:corp_tech", "picture", "empty")


class DocumentCamera(Camera, Protocol):
    def capture(self, timeout: float) -> DocumentImage:
        """A still of the platen (the camera is started and stopped around it). Raises DeviceError as
        ``latest_frame`` does: NOT_READY when the camera is missing or offline, TIMEOUT ``no_frames``."""
        ...
