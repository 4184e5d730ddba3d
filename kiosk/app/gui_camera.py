"""The camera screens' live preview: while the face screen, or a screen reading a code held up to the
camera, shows, the composition root takes the camera's newest frame 25 times a second and hands it to the
screen, which only paints it. The face check and the code reader take their own frames on the engine's
worker; the preview never takes one from them (a simulator is peeked at). A screen reading from another
camera (the document camera) names it in ``data["device_hint"]``: the frames then come from that one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QImage

from devices.api import DeviceError
from kiosk.engine.screens import ScreenKind, ScreenModel
from kiosk.ui.shell import KioskWindow

PREVIEW_MS = 40  # 25 frames a second


def to_qimage(bgr: Any) -> QImage:
    import numpy as np  # with the first frame: the kiosk starts without numpy

    rgb = np.ascontiguousarray(bgr[:, :, ::-1])
    height, width = rgb.shape[:2]
    return QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()


class CameraPreview(QObject):
    def __init__(self, camera: Any, window: KioskWindow, others: Mapping[str, Any] | None = None) -> None:
        super().__init__(window)
        self.camera = camera  # the one the frames come from now
        self.cameras = {"camera": camera, **(others or {})}  # by device name
        self.window = window
        self.timer = QTimer(self)
        self.timer.setInterval(PREVIEW_MS)
        self.timer.timeout.connect(self.tick)
        self.frames = 0
        self.kind = ScreenKind.FACE  # the screen the frames go to

    def on_model(self, model: ScreenModel) -> None:
        showing = (model.kind is ScreenKind.FACE and not model.choices) or \
            (model.kind is ScreenKind.SCAN and bool(model.data.get("scanning")))
        if showing:
            self.camera = self.cameras.get(str(model.data.get("device_hint", "camera")), self.cameras["camera"])
        if showing and self.timer.isActive() and model.kind is not self.kind:
            self.window.screen(self.kind).show_frame(None)  # type: ignore[attr-defined]
            self.kind = model.kind
        elif showing and not self.timer.isActive():
            self.kind = model.kind
            self.timer.start()
        elif not showing and self.timer.isActive():
            self.timer.stop()
            self.window.screen(self.kind).show_frame(None)  # type: ignore[attr-defined]

    def tick(self) -> None:
        frame = self._frame()
        if frame is not None:
            self.frames += 1
        screen = self.window.screen(self.kind)
        screen.show_frame(to_qimage(frame.image) if frame is not None else None)  # type: ignore[attr-defined]

    def _frame(self) -> Any:
        peek = getattr(self.camera, "peek_frame", None)
        if peek is not None:
            return peek()
        try:
            return self.camera.latest_frame(0.0)
        except DeviceError:
            return None

    def stop(self) -> None:
        self.timer.stop()
