"""The real document camera: a UVC document camera (高拍仪) through OpenCV, as the customer-facing camera is
(devices/camera/opencv.py: sources, errors, status), with :meth:`OpenCvDocumentCamera.capture` for a still.
Document cameras deliver their full resolution on the same stream at a low frame rate: the configured
``width`` x ``height`` should be the one the QR code of a licence laid on the platen reads at."""

from __future__ import annotations

from devices.camera.opencv import OpenCvCamera
from devices.doccamera.api import DocumentImage


class OpenCvDocumentCamera(OpenCvCamera):
    def capture(self, timeout: float) -> DocumentImage:
        self.start()
        try:
            frame = self.latest_frame(timeout)
        finally:
            self.stop()
        height, width = frame.image.shape[:2]
        return DocumentImage(frame.image, width, height, frame.timestamp)
