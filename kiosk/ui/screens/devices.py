"""Screens where the customer uses a device: the ID card reader, the camera, the card reader, the PIN pad.

They show where to act and what the device reported (through the model); they never touch a device."""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.engine.screens import ScreenKind, ScreenModel
from kiosk.ui.art import DeviceArt
from kiosk.ui.screens.base import Screen, centered
from kiosk.ui.text import ui_text
from kiosk.ui.theme import PALETTE
from kiosk.ui.widgets import PinDots, Spinner, label


class DeviceScreen(Screen):
    """A picture of the device and one status line under it."""

    device = "idcard"

    def build(self) -> None:
        self.art = DeviceArt(self.device)
        self.status = label("", "Status", wrap=False)
        self.spinner = Spinner()
        self.body.addStretch(1)
        self.body.addLayout(centered(self.art))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.spinner)
        row.addWidget(self.status)
        row.addStretch(1)
        self.body.addLayout(row)
        self.body.addStretch(1)

    def render_body(self, model: ScreenModel) -> None:
        self.art.set_size(self.px(340))
        self.spinner.set_size(self.px(56))
        status = self.status_text(model)
        self.status.setText(status)
        self.status.setVisible(bool(status))
        self.spinner.setVisible(bool(status) and not model.choices)

    def status_text(self, model: ScreenModel) -> str:
        return ""


class IdCardScreen(DeviceScreen):
    kind = ScreenKind.ID_CARD
    device = "idcard"

    def status_text(self, model: ScreenModel) -> str:
        return ui_text(model.lang, "ui.device.reading") if model.data.get("detected") else ""


class BankCardScreen(DeviceScreen):
    kind = ScreenKind.BANK_CARD
    device = "smartcard"

    def status_text(self, model: ScreenModel) -> str:
        return ui_text(model.lang, "ui.bank_card.reading") if model.data.get("inserted") else ""


class CameraView(QWidget):
    """The live preview: the newest camera frame, mirrored like a looking glass, and the tracked face's
    box from the model (shares of the frame). It paints what it is given; it never reads the camera."""

    def __init__(self) -> None:
        super().__init__()
        self.image: QImage | None = None
        self.box: tuple[float, float, float, float] | None = None
        self.mirror = True  # a looking glass for the customer's camera; a document is shown as it lies

    def show_frame(self, image: QImage | None) -> None:
        self.image = image
        self.update()

    def paintEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        if self.image is None:
            return
        p = QPainter(self)
        frame = self.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        left, top = (self.width() - frame.width()) // 2, (self.height() - frame.height()) // 2
        shown = self.image.flipped(Qt.Orientation.Horizontal) if self.mirror else self.image
        p.drawImage(QRect(left, top, frame.width(), frame.height()), shown)
        if self.box is not None:
            x, y, w, h = self.box
            p.setPen(QPen(QColor(PALETTE.brand), max(3, self.width() // 160)))
            p.drawRect(QRectF(left + (1 - x - w) * frame.width(), top + y * frame.height(),
                              w * frame.width(), h * frame.height()))
        p.end()


class FaceScreen(DeviceScreen):
    """Look at the camera: the live preview with the face box and guidance while the check runs. After a
    failed check the model offers "try again" and "verify with staff"."""

    kind = ScreenKind.FACE
    device = "camera"

    def build(self) -> None:
        super().build()
        self.view = CameraView()
        self.view.setObjectName("face-preview")
        self.view.hide()
        self.body.insertWidget(1, self.view, 4)

    def show_frame(self, image: QImage | None) -> None:
        """A frame from the composition root's preview pump (None: no frame, show the picture)."""
        live = image is not None and not (self.model is not None and self.model.choices)
        self.view.setVisible(live)
        self.art.setVisible(not live)
        self.view.show_frame(image if live else None)

    def render_body(self, model: ScreenModel) -> None:
        super().render_body(model)
        box = model.data.get("face_box")
        self.view.box = tuple(box) if box else None  # type: ignore[assignment]
        self.view.setMinimumHeight(self.px(420))
        if model.choices:
            self.show_frame(None)

    def status_text(self, model: ScreenModel) -> str:
        if model.choices:
            return ""
        return str(model.data.get("guidance_text") or ui_text(model.lang, "ui.face.checking"))


class ScanScreen(DeviceScreen):
    """Hold a code up to the camera: the live preview while the camera reads (mirrored, as the customer
    expects), the picture of the camera when it cannot; the model's choices are the alternatives (type the
    number instead). Read from the document camera (``device_hint``), the picture is a document laid on the
    platen and the preview is not mirrored (the document is shown as it lies)."""

    kind = ScreenKind.SCAN
    device = "code"

    def build(self) -> None:
        super().build()
        self.view = CameraView()
        self.view.setObjectName("scan-preview")
        self.view.hide()
        self.body.insertWidget(1, self.view, 4)

    def show_frame(self, image: QImage | None) -> None:
        """A frame from the composition root's preview pump (None: no frame, show the picture)."""
        live = image is not None and bool(self.model is not None and self.model.data.get("scanning"))
        self.view.setVisible(live)
        self.art.setVisible(not live)
        self.view.show_frame(image if live else None)

    def render_body(self, model: ScreenModel) -> None:
        document = model.data.get("device_hint") == "doccamera"
        self.art.set_device("document" if document else "code")
        self.view.mirror = not document
        super().render_body(model)
        self.view.setMinimumHeight(self.px(300))
        if not model.data.get("scanning"):
            self.show_frame(None)

    def status_text(self, model: ScreenModel) -> str:
        """While the camera looks: "looking for the code", unless the screen already says what it sees."""
        if not model.data.get("scanning") or model.error:
            return ""
        return ui_text(model.lang, "ui.scan.reading_document" if model.data.get("device_hint") == "doccamera"
                       else "ui.scan.reading")


class PinEntryScreen(Screen):
    """Dots for the digits the PIN pad holds; the PIN is typed on the PIN pad, never on the screen."""

    kind = ScreenKind.PIN_ENTRY

    def build(self) -> None:
        self.art = DeviceArt("pinpad")
        self.dots = PinDots()
        self.count = label("", "Status")
        self.body.addStretch(1)
        self.body.addLayout(centered(self.dots))
        self.body.addLayout(centered(self.count))
        self.body.addLayout(centered(self.art))
        self.body.addStretch(1)

    def render_body(self, model: ScreenModel) -> None:
        digits = int(model.data.get("digits", 0) or 0)
        length = int(model.data.get("length", 6) or 6)
        self.dots.set_state(digits, length, self.px(56))
        self.art.set_size(self.px(220))
        self.count.setText(ui_text(model.lang, "ui.pin.count", digits=digits, length=length))
